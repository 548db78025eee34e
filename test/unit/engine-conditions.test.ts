/**
 * Run conditions in the dispatcher (issue 16 §2), with a fake SystemConditions port and the injected
 * clock: a run waits up to the grace for its conditions, starts the moment a power change makes
 * them hold, starts by itself once idle time is enough, and past the grace is a skipped row naming
 * the condition. 'unknown' readings (browser mode) never hold a run back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Run, Schedule } from '../../src/shared/api';
import type { PolicyInput } from '../../src/shared/domain';
import type { SystemConditions } from '../../src/main/engine/ports';
import { call, quietLog, startTestApp, type TestApp } from '../support/engine';
import { noneRunning, runsOf } from '../support/engine-runs';
import type { FakeClock } from '../support/fake-clock';

const START = '2026-03-02T10:00:30.000Z';
const DUE = Date.parse('2026-03-02T10:01:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Power and idle time as a test sets them; idle time grows with the clock, as the OS's does. */
class FakeConditions implements SystemConditions {
  supported = true;
  power: boolean | 'unknown' = true;
  private lastInput = 0;
  private idleKnown = true;
  private readonly listeners = new Set<() => void>();
  constructor(private readonly clock: () => FakeClock) {}
  onACPower() {
    return this.power;
  }
  idleSeconds() {
    return this.idleKnown ? (this.clock().now() - this.lastInput) / 1000 : ('unknown' as const);
  }
  onChange(changed: () => void) {
    this.listeners.add(changed);
    return () => this.listeners.delete(changed);
  }
  /** The power source changed (the desktop hears 'on-ac' / 'on-battery'). */
  switchPower(ac: boolean) {
    this.power = ac;
    for (const listener of this.listeners) listener();
  }
  /** Someone touched the keyboard now. */
  touch() {
    this.lastInput = this.clock().now();
  }
  unknown() {
    this.power = 'unknown';
    this.idleKnown = false;
  }
  get listening() {
    return this.listeners.size;
  }
}

describe('run conditions in the dispatcher', () => {
  let app: TestApp;
  let conditions: FakeConditions;
  afterEach(() => {
    app.close();
    expect(conditions.listening).toBe(0); // the engine let go of the port
    expect(quietLog.errors).toEqual([]);
  });

  async function setup(policy: PolicyInput) {
    conditions = new FakeConditions(() => app.clock);
    app = startTestApp({ start: START, conditions });
    conditions.touch();
    const schedule = await call<Schedule>(app, 'schedules.create', {
      name: 'Backup',
      trigger: { type: 'cron', expression: '1 10 * * *', timezone: 'UTC' },
      action: { type: 'reminder', title: 'Backup' },
      policy: { graceSeconds: 60, ...policy },
    });
    return schedule;
  }

  /** Walks the clock second by second to `until`, letting runs finish between steps. */
  async function walk(clock: FakeClock, until: number) {
    while (clock.now() < until) {
      clock.advance(Math.min(1000, until - clock.now()));
      await noneRunning(app);
    }
  }

  const only = async (id: string): Promise<Run> => {
    const runs = await runsOf(app, id);
    expect(runs).toHaveLength(1);
    return runs[0]!;
  };

  it('on battery, the run waits; switching to AC starts it at that moment', async () => {
    const s = await setup({ conditions: { onACPower: true } });
    conditions.switchPower(false);
    await walk(app.clock, DUE + 20_000);
    expect(await only(s.id)).toMatchObject({ status: 'queued', scheduledAt: iso(DUE), startedAt: null });
    conditions.switchPower(true);
    await noneRunning(app);
    await app.engine.whenIdle();
    expect(await only(s.id)).toMatchObject({
      status: 'succeeded',
      scheduledAt: iso(DUE),
      startedAt: iso(DUE + 20_000),
    });
  });

  it('on battery through the whole grace: skipped at the grace’s end, naming the condition', async () => {
    const s = await setup({ conditions: { onACPower: true } });
    conditions.switchPower(false);
    await walk(app.clock, DUE + 59_000);
    expect((await only(s.id)).status).toBe('queued');
    await walk(app.clock, DUE + 60_000);
    expect(await only(s.id)).toMatchObject({
      status: 'skipped',
      finishedAt: iso(DUE + 60_000),
      startedAt: null,
      reason: 'condition not met within the grace: on battery power (it runs only on AC power)',
    });
    // the next day's occurrence is claimed as usual (nothing is left waiting)
    expect(app.engine.status().queued).toBe(0);
  });

  it('in use at the due time: starts by itself the moment idle time is enough', async () => {
    const s = await setup({ conditions: { idleForSeconds: 120 } });
    await walk(app.clock, DUE - 5_000);
    conditions.touch(); // idle 5 s at the due time, 120 s needed: enough at DUE + 115 s, past the grace
    const t = app.clock.now();
    await walk(app.clock, DUE + 30_000);
    expect((await only(s.id)).status).toBe('queued');
    // with a longer grace it would have started at t + 120 s; with 60 s it is skipped at DUE + 60 s
    await walk(app.clock, DUE + 61_000);
    const run = await only(s.id);
    expect(run).toMatchObject({ status: 'skipped', finishedAt: iso(DUE + 60_000) });
    expect(run.reason).toMatch(
      /^condition not met within the grace: the computer was in use \(idle \d+ s of the 120 s it needs\)$/,
    );
    expect(t + 120_000).toBeGreaterThan(DUE + 60_000);
  });

  it('idle time reaching its need within the grace starts the run then, with no event', async () => {
    const s = await setup({ conditions: { idleForSeconds: 40 }, graceSeconds: 300 });
    await walk(app.clock, DUE - 10_000);
    app.clock.advance(1_700); // off the engine's 5-second ticks
    conditions.touch(); // idle enough at DUE + 31.7 s
    const ready = app.clock.now() + 40_000;
    // one jump: only the engine's own timers (the recheck at the idle instant) can start it on time
    app.clock.advance(DUE + 100_000 - app.clock.now());
    await noneRunning(app);
    await app.engine.whenIdle();
    expect(await only(s.id)).toMatchObject({ status: 'succeeded', startedAt: iso(ready) });
  });

  it('unknown readings (browser mode) run on time', async () => {
    const s = await setup({ conditions: { onACPower: true, idleForSeconds: 600 } });
    conditions.unknown();
    await walk(app.clock, DUE + 1000);
    await app.engine.whenIdle();
    expect(await only(s.id)).toMatchObject({ status: 'succeeded', startedAt: iso(DUE) });
  });

  it('a run asked for by hand does not wait for conditions', async () => {
    const s = await setup({ conditions: { onACPower: true } });
    conditions.switchPower(false);
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    await noneRunning(app);
    await app.engine.whenIdle();
    expect((await runsOf(app, s.id)).find((r) => r.id === run.id)?.status).toBe('succeeded');
  });
});
