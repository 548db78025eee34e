/** Trigger limits and overlap policies, end to end through the engine (fake clock, real SQLite, real processes). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Run, Schedule } from '../../src/shared/api';
import { call, startTestApp, type TestApp } from '../support/engine';

let app: TestApp;
afterEach(() => app?.close());

async function runs(scheduleId: string): Promise<Run[]> {
  return (await call<{ items: Run[] }>(app, 'runs.list', { scheduleId, limit: 500 })).items.reverse();
}

async function settle(ms = 0): Promise<void> {
  app.clock.advance(ms);
  await app.engine.whenIdle();
}

describe('trigger limits', () => {
  it('maxRuns completes the schedule after that many runs', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:00Z' });
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'thrice',
      trigger: { type: 'interval', everySeconds: 60, timezone: 'UTC', maxRuns: 3 },
      action: { type: 'command', command: 'true' },
    });
    for (let i = 0; i < 5; i++) await settle(60_000);
    expect((await runs(s.id)).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const after = await call<Schedule>(app, 'schedules.get', { id: s.id });
    expect(after).toMatchObject({ state: 'completed', nextFireAt: null });
  });

  it('an interval is anchored at startAt and fixed-rate, not drifting with run duration', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:00Z' });
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'anchored',
      trigger: { type: 'interval', everySeconds: 90, timezone: 'UTC', startAt: '2026-03-02T00:00:30.000Z' },
      action: { type: 'command', command: 'sleep 0.1' },
    });
    expect(s.nextFireAt).toBe('2026-03-02T00:00:30.000Z');
    await settle(30_000);
    await settle(90_000);
    await settle(90_000);
    expect((await runs(s.id)).map((r) => r.scheduledAt)).toEqual([
      '2026-03-02T00:00:30.000Z',
      '2026-03-02T00:02:00.000Z',
      '2026-03-02T00:03:30.000Z',
    ]);
  });

  it('endAt ends the schedule; a once trigger completes after it fires', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:00Z' });
    const once = await call<Schedule>(app, 'schedules.create', {
      name: 'once',
      trigger: { type: 'once', at: '2026-03-02T01:20', timezone: 'Europe/Berlin' },
      action: { type: 'command', command: 'true' },
    });
    expect(once.nextFireAt).toBe('2026-03-02T00:20:00.000Z'); // 01:20 in Berlin (UTC+1)
    const ending = await call<Schedule>(app, 'schedules.create', {
      name: 'ending',
      trigger: {
        type: 'cron',
        expression: '*/10 * * * *',
        timezone: 'UTC',
        endAt: '2026-03-02T00:25:00.000Z',
      },
      action: { type: 'command', command: 'true' },
    });
    for (let i = 0; i < 4; i++) await settle(10 * 60_000);
    expect((await runs(once.id)).map((r) => r.status)).toEqual(['succeeded']);
    expect((await runs(ending.id)).map((r) => r.scheduledAt!.slice(11, 16))).toEqual(['00:10', '00:20']);
    expect((await call<Schedule>(app, 'schedules.get', { id: once.id })).state).toBe('completed');
    expect((await call<Schedule>(app, 'schedules.get', { id: ending.id })).state).toBe('completed');
  });

  it('a once time already past is refused at save', async () => {
    app = startTestApp({ start: '2026-03-02T12:00:00Z' });
    const result = await app.dispatch('schedules.create', {
      name: 'late',
      trigger: { type: 'once', at: '2026-03-02T11:00', timezone: 'UTC' },
      action: { type: 'command', command: 'true' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [{ path: 'trigger.at' }] },
    });
  });

  it('jitter is stored as fireAt beside scheduledAt, deterministic, and before the next occurrence', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:00Z' });
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'jittery',
      trigger: { type: 'cron', expression: '* * * * *', timezone: 'UTC', jitterSeconds: 30 },
      action: { type: 'command', command: 'true' },
    });
    for (let i = 0; i < 5; i++) await settle(60_000);
    const list = await runs(s.id);
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (const run of list) {
      const delay = Date.parse(run.fireAt!) - Date.parse(run.scheduledAt!);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(30_000);
      expect(run.startedAt).toBe(run.fireAt);
    }
    expect(new Set(list.map((r) => Date.parse(r.fireAt!) - Date.parse(r.scheduledAt!))).size).toBeGreaterThan(
      1,
    );
  });
});

describe('overlap policies, with a run still going', () => {
  async function overlapping(overlap: string): Promise<Run[]> {
    app = startTestApp({ start: '2026-03-02T00:00:00Z' });
    const s = await call<Schedule>(app, 'schedules.create', {
      name: overlap,
      trigger: { type: 'cron', expression: '* * * * * *', timezone: 'UTC' },
      action: { type: 'command', command: 'sleep 0.4' },
      policy: { overlap },
    });
    app.clock.advance(1000); // first occurrence starts
    app.clock.advance(1000); // second, while the first runs
    app.clock.advance(1000); // third
    await call(app, 'schedules.setEnabled', { id: s.id, enabled: false });
    await app.engine.whenIdle();
    return runs(s.id);
  }

  it('skip: later occurrences are skipped rows with a reason', async () => {
    const list = await overlapping('skip');
    expect(list.map((r) => r.status)).toEqual(['succeeded', 'skipped', 'skipped']);
    expect(list[1]!.reason).toMatch(/overlap/);
  });

  it('bufferOne: one waits and runs after, the next is skipped', async () => {
    const list = await overlapping('bufferOne');
    expect(list.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'skipped']);
    expect(Date.parse(list[1]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(list[0]!.finishedAt!));
  });

  it('bufferAll: all wait their turn and run one after another', async () => {
    const list = await overlapping('bufferAll');
    expect(list.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('cancelOther: the running one is cancelled, then the new one starts', async () => {
    const list = await overlapping('cancelOther');
    expect(list.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'succeeded']);
    expect(list[0]!.reason).toMatch(/newer occurrence/);
  });

  it('allowAll: they run side by side', async () => {
    const list = await overlapping('allowAll');
    expect(list.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });
});
