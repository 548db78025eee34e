/**
 * The rules of time (DESIGN.md §4) as scenarios: real SQLite files and real child processes, time
 * only through the injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CatchUpSummary, Run, Schedule } from '../../src/shared/api';
import type { PolicyInput } from '../../src/shared/domain';
import { call, startTestApp, type TestApp } from '../support/engine';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let apps: TestApp[] = [];
afterEach(() => {
  for (const app of apps) app.close();
  apps = [];
});

function start(options: Parameters<typeof startTestApp>[0] = {}): TestApp {
  const app = startTestApp(options);
  apps.push(app);
  return app;
}

function create(
  app: TestApp,
  expression: string,
  policy: PolicyInput = {},
  extra: Record<string, unknown> = {},
) {
  return call<Schedule>(app, 'schedules.create', {
    name: `job ${expression}`,
    trigger: { type: 'cron', expression, timezone: 'UTC', ...extra },
    action: { type: 'command', command: 'true' },
    policy,
  });
}

async function runsOf(app: TestApp, scheduleId?: string): Promise<Run[]> {
  const out: Run[] = [];
  let cursor: string | undefined;
  do {
    const page = await call<{ items: Run[]; nextCursor: string | null }>(app, 'runs.list', {
      scheduleId,
      cursor,
      limit: 500,
    });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.reverse();
}

/** Every occurrence ends as exactly one run, one skipped row, or part of one missed count. */
function accounted(runs: Run[]): number {
  return runs
    .filter((run) => run.trigger !== 'manual' && run.trigger !== 'retry')
    .reduce((sum, run) => sum + (run.missedCount ?? 1), 0);
}

/** Lets timers fire and real child processes finish. */
async function settle(app: TestApp, ms = 0): Promise<void> {
  app.clock.advance(ms);
  await app.engine.whenIdle();
}

describe('sleep: an 8-hour suspend, detected without any wake signal', () => {
  const sleep = 8 * HOUR + 7 * MIN; // the newest missed occurrence is 7 minutes late: beyond grace

  it('catchUp latest runs the newest missed occurrence once and records the rest as one missed row', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(app, '*/15 * * * *', { catchUp: 'latest' });
    app.clock.suspend(sleep);
    await settle(app, 5000); // the capped timer fires within 5 s of monotonic time
    const runs = await runsOf(app, s.id);
    const missed = runs.filter((r) => r.status === 'missed');
    const ran = runs.filter((r) => r.status === 'succeeded');
    expect(ran.map((r) => [r.trigger, r.scheduledAt])).toEqual([['catch-up', '2026-03-02T08:00:00.000Z']]);
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({
      missedCount: 31,
      missedFirstAt: '2026-03-02T00:15:00.000Z',
      missedLastAt: '2026-03-02T07:45:00.000Z',
    });
    expect(accounted(runs)).toBe(32);
    const summaries = app.of('engine.catchUp');
    expect(summaries).toMatchObject([
      { ran: 1, missed: 31, skipped: 0, schedules: 1, reason: 'suspend' } satisfies CatchUpSummary,
    ]);
    // It names exactly the rows it recorded (the link from its notice), and when the gap began.
    expect([...summaries[0]!.runIds!].sort()).toEqual([ran[0]!.id, missed[0]!.id].sort());
    expect(summaries[0]!.since).toBe('2026-03-02T00:15:00.000Z');
    expect(summaries[0]!.more).toBe(0);
  });

  it('after catching up, the schedule keeps firing on time (it is due again, not forgotten)', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(app, '*/15 * * * *', { catchUp: 'all', catchUpLimit: 10 });
    app.clock.suspend(sleep);
    await settle(app, 5000);
    // the next occurrence after the wake (08:15) and the one after it run as ordinary, on-time runs
    for (let i = 0; i < 4; i++) await settle(app, 5 * MIN);
    await settle(app, 15 * MIN);
    const onTime = (await runsOf(app, s.id)).filter(
      (r) => r.trigger === 'schedule' && r.scheduledAt! > '2026-03-02T08:07',
    );
    expect(onTime.map((r) => r.scheduledAt!.slice(11, 16))).toEqual(['08:15', '08:30']);
    expect(onTime.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('catchUp all runs the newest catchUpLimit occurrences, oldest first', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(app, '*/15 * * * *', { catchUp: 'all', catchUpLimit: 10 });
    app.clock.suspend(sleep);
    await settle(app, 5000);
    const runs = await runsOf(app, s.id);
    const ran = runs.filter((r) => r.trigger === 'catch-up' && r.status === 'succeeded');
    expect(ran.map((r) => r.scheduledAt!.slice(11, 16))).toEqual([
      '05:45',
      '06:00',
      '06:15',
      '06:30',
      '06:45',
      '07:00',
      '07:15',
      '07:30',
      '07:45',
      '08:00',
    ]);
    expect(runs.find((r) => r.status === 'missed')?.missedCount).toBe(22);
    expect(accounted(runs)).toBe(32);
  });

  it('catchUp none records everything as missed and runs nothing', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(app, '*/15 * * * *', { catchUp: 'none' });
    app.clock.suspend(sleep);
    await settle(app, 5000);
    const runs = await runsOf(app, s.id);
    expect(runs.map((r) => r.status)).toEqual(['missed']);
    expect(runs[0]!.missedCount).toBe(32);
  });

  it('an occurrence late by no more than the grace runs as a normal run', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(app, '0 * * * *', { graceSeconds: 600 });
    app.clock.suspend(HOUR + 5 * MIN);
    await settle(app, 5000);
    const runs = await runsOf(app, s.id);
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([['schedule', 'succeeded']]);
    expect(app.of('engine.catchUp')).toEqual([]);
  });
});

describe('two weeks off: the app closed, then restarted on the same file', () => {
  it('restarting catches up per policy, and the catch-up window bounds what may still run', async () => {
    const first = start({ start: '2026-03-02T00:00:00Z' });
    const latest = await create(first, '0 9 * * *', { catchUp: 'latest' });
    const windowed = await create(first, '0 9 * * *', { catchUp: 'all', catchUpWindowSeconds: 3 * 86_400 });
    const none = await create(first, '0 9 * * *', { catchUp: 'none' });
    first.close();
    apps = [];
    const again = start({
      start: Date.parse('2026-03-02T00:00:00Z') + 14 * DAY + HOUR,
      dataDir: first.dataDir,
    });
    await settle(again);
    const l = await runsOf(again, latest.id);
    expect(
      l.filter((r) => r.trigger === 'catch-up' && r.status === 'succeeded').map((r) => r.scheduledAt),
    ).toEqual(['2026-03-15T09:00:00.000Z']);
    expect(l.find((r) => r.status === 'missed')?.missedCount).toBe(13);
    const w = await runsOf(again, windowed.id);
    expect(w.filter((r) => r.status === 'succeeded').map((r) => r.scheduledAt)).toEqual([
      '2026-03-13T09:00:00.000Z',
      '2026-03-14T09:00:00.000Z',
      '2026-03-15T09:00:00.000Z',
    ]);
    expect(accounted(w)).toBe(14);
    const n = await runsOf(again, none.id);
    expect(n.map((r) => [r.status, r.missedCount])).toEqual([['missed', 14]]);
    expect(again.of('engine.catchUp')).toMatchObject([
      { ran: 4, missed: 13 + 11 + 14, skipped: 0, schedules: 3, reason: 'start' },
    ]);
    // 4 catch-up runs and one missed row per schedule
    expect(again.of('engine.catchUp')[0]!.runIds).toHaveLength(4 + 3);
    // and the next occurrence is computed from the last scheduled instant
    const after = await call<Schedule>(again, 'schedules.get', { id: latest.id });
    expect(after.nextFireAt).toBe('2026-03-16T09:00:00.000Z');
  });

  it('a minutely job off for a month is summarised, not enumerated', async () => {
    const first = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(first, '* * * * *', { catchUp: 'latest' });
    first.close();
    apps = [];
    const again = start({
      start: Date.parse('2026-03-02T00:00:00Z') + 30 * DAY + 30_000,
      dataDir: first.dataDir,
    });
    await settle(again);
    const runs = await runsOf(again, s.id);
    expect(accounted(runs)).toBe(30 * 24 * 60);
    expect(runs.filter((r) => r.status === 'succeeded')).toHaveLength(1);
  });
});

describe('wall clock changes', () => {
  it('set back 1 h: nothing re-runs', async () => {
    const app = start({ start: '2026-03-02T10:00:00Z' });
    const s = await create(app, '*/10 * * * *');
    await settle(app, 30 * MIN);
    expect((await runsOf(app, s.id)).map((r) => r.scheduledAt!.slice(11, 16))).toEqual([
      '10:10',
      '10:20',
      '10:30',
    ]);
    app.clock.setWall(app.clock.now() - HOUR);
    await settle(app, 90 * MIN);
    const times = (await runsOf(app, s.id)).map((r) => r.scheduledAt!.slice(11, 16));
    expect(times).toEqual(['10:10', '10:20', '10:30', '10:40', '10:50', '11:00']);
    expect(new Set(times).size).toBe(times.length);
  });

  it('set forward 3 h: the skipped span follows the catch-up policy, and the jump is named', async () => {
    const app = start({ start: '2026-03-02T10:00:00Z' });
    const s = await create(app, '*/30 * * * *', { catchUp: 'latest' });
    await settle(app, 20 * MIN); // 10:20, nothing due yet
    app.clock.setWall(app.clock.now() + 3 * HOUR);
    await settle(app, 5000);
    const runs = await runsOf(app, s.id);
    // due: 10:30 … 13:00 (6). 13:00 is 20 min late: beyond grace → latest runs it as catch-up.
    expect(
      runs.filter((r) => r.status === 'succeeded').map((r) => [r.trigger, r.scheduledAt!.slice(11, 16)]),
    ).toEqual([['catch-up', '13:00']]);
    expect(runs.find((r) => r.status === 'missed')?.missedCount).toBe(5);
    expect(app.of('engine.catchUp').map((summary) => summary.reason)).toEqual(['suspend']);
  });
});

describe('wake signals', () => {
  it('a resume signal that fires twice claims each occurrence once', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(app, '*/5 * * * *', { catchUp: 'all', catchUpLimit: 100 });
    app.clock.suspend(HOUR);
    app.engine.wake();
    app.engine.wake();
    await settle(app);
    const runs = await runsOf(app, s.id);
    const scheduled = runs.map((r) => r.scheduledAt);
    expect(scheduled).toHaveLength(12);
    expect(runs.filter((r) => r.trigger === 'catch-up')).toHaveLength(11);
    expect(new Set(scheduled).size).toBe(12);
    expect(app.of('engine.catchUp')).toHaveLength(1);
    expect(app.of('engine.catchUp')[0]!.reason).toBe('wake');
  });

  it('the timer is never armed beyond 5 s, so a suspend is noticed within 5 s of waking', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    await create(app, '0 0 1 1 *');
    // the engine's timer is the soonest; retention's (minutes away) is the only other one
    const delays = app.clock.pendingDelays();
    expect(delays[0]).toBeLessThanOrEqual(5000);
    expect(delays.slice(1).every((delay) => delay >= 30_000)).toBe(true);
    app.clock.suspend(400 * DAY);
    await settle(app, 5000);
    expect(app.of('engine.catchUp').length).toBe(1);
  });
});

describe('pause and resume', () => {
  it('resume never replays the paused span: it is one skipped row with reason paused', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(app, '*/10 * * * *');
    await settle(app, 10 * MIN);
    await call(app, 'schedules.setEnabled', { id: s.id, enabled: false });
    await settle(app, 2 * HOUR);
    await call(app, 'schedules.setEnabled', { id: s.id, enabled: true });
    await settle(app, 10 * MIN);
    const runs = await runsOf(app, s.id);
    expect(runs.map((r) => [r.status, r.reason, r.missedCount])).toEqual([
      ['succeeded', null, null],
      ['skipped', 'paused', 12],
      ['succeeded', null, null],
    ]);
    expect(runs[2]!.scheduledAt).toBe('2026-03-02T02:20:00.000Z');
  });
});

describe('runNow and overlap', () => {
  it('run-now works while paused; with a run going and overlap skip it is a CONFLICT', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'slow',
      enabled: false,
      trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
      action: { type: 'command', command: 'sleep 0.3' },
    });
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    expect(run.trigger).toBe('manual');
    const again = await app.dispatch('schedules.runNow', { id: s.id });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/already going/) },
    });
    await settle(app);
    expect((await runsOf(app, s.id)).map((r) => r.status)).toEqual(['succeeded']);
  });

  it('overlap skip records a skipped row with its reason while the previous run is going', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'overlapping',
      trigger: { type: 'cron', expression: '* * * * * *', timezone: 'UTC' },
      action: { type: 'command', command: 'sleep 0.5' },
      policy: { overlap: 'skip' },
    });
    app.clock.advance(1000);
    app.clock.advance(1000);
    app.engine.stop(); // keep the occurrences to two
    await new Promise((resolve) => setTimeout(resolve, 700));
    const runs = await runsOf(app, s.id);
    expect(runs.map((r) => r.status)).toEqual(['running', 'skipped']);
    expect(runs[1]!.reason).toMatch(/overlap/);
  });
});

describe('crash recovery', () => {
  it('running rows become interrupted and queued rows queue again on start', async () => {
    const first = start({ start: '2026-03-02T00:00:00Z' });
    const s = await create(first, '0 0 1 1 *');
    const now = first.clock.now();
    first.store.runs.insert({
      id: '00000000000000000000000001',
      scheduleId: s.id,
      trigger: 'schedule',
      status: 'running',
      scheduledAt: now - 2000,
      fireAt: now - 2000,
      startedAt: now - 2000,
    });
    first.store.runs.insert({
      id: '00000000000000000000000002',
      scheduleId: s.id,
      trigger: 'schedule',
      status: 'queued',
      scheduledAt: now - 1000,
      fireAt: now - 1000,
      queuedAt: now - 1000,
    });
    first.close();
    apps = [];
    const again = start({ start: now + 1000, dataDir: first.dataDir });
    await settle(again);
    const runs = await runsOf(again, s.id);
    expect(runs.map((r) => [r.id.slice(-1), r.status])).toEqual([
      ['1', 'interrupted'],
      ['2', 'succeeded'],
    ]);
  });
});

describe('the queue', () => {
  it('never runs more than maxConcurrentRuns at once, and orders by priority then fireAt', async () => {
    const app = start({ start: '2026-03-02T00:00:00Z' });
    app.engine.setMaxConcurrentRuns(1);
    const low = await call<Schedule>(app, 'schedules.create', {
      name: 'low',
      trigger: { type: 'cron', expression: '0 * * * *', timezone: 'UTC' },
      action: { type: 'command', command: 'sleep 0.2' },
      policy: { priority: 1 },
    });
    const high = await call<Schedule>(app, 'schedules.create', {
      name: 'high',
      trigger: { type: 'cron', expression: '0 * * * *', timezone: 'UTC' },
      action: { type: 'command', command: 'sleep 0.2' },
      policy: { priority: 9 },
    });
    app.clock.advance(HOUR);
    expect(app.engine.status()).toMatchObject({ active: 1, queued: 1 });
    await settle(app);
    const runs = await runsOf(app);
    const byStart = [...runs].sort((a, b) => a.startedAt!.localeCompare(b.startedAt!) || 0);
    const started = app
      .of('run.changed')
      .filter((r) => r.status === 'running')
      .map((r) => r.scheduleId);
    expect(started).toEqual([high.id, low.id]);
    expect(byStart).toHaveLength(2);
  });
});
