import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run, RunDetail, Schedule } from '../../src/shared/api';
import { SCHEMA_VERSION } from '../../src/main/store/migrations';
import { call, startTestApp, type TestApp } from '../support/engine';

const tick = {
  name: 'Tick',
  trigger: { type: 'cron', expression: '* * * * * *', timezone: 'UTC' },
  action: { type: 'command', command: 'echo hello-from-almanac; echo to-stderr >&2; exit 3', shell: true },
};

let app: TestApp | undefined;
afterEach(() => {
  app?.close();
  app = undefined;
});

describe('the vertical slice: contract → store → engine → child process → events', () => {
  it('stores a schedule in a WAL SQLite file in the data directory, migrated to the current version', async () => {
    app = startTestApp();
    const created = await call<Schedule>(app, 'schedules.create', tick);
    expect(created).toMatchObject({ name: 'Tick', enabled: true, state: 'active', version: 1 });
    expect(created.nextFireAt).toBe('2026-03-01T00:00:01.000Z');
    app.close();
    const db = new Database(path.join(app.dataDir, 'almanac.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT name FROM schedules').all()).toEqual([{ name: 'Tick' }]);
    db.close();
    app = undefined;
  });

  it('fires at the armed instant, runs the command as a child process and records the run', async () => {
    app = startTestApp();
    const schedule = await call<Schedule>(app, 'schedules.create', tick);
    app.clock.advance(1000);
    await app.engine.whenIdle();
    const { items } = await call<{ items: Run[] }>(app, 'runs.list', { scheduleId: schedule.id });
    expect(items).toHaveLength(1);
    const run = items[0]!;
    expect(run).toMatchObject({
      status: 'failed',
      trigger: 'schedule',
      scheduledAt: '2026-03-01T00:00:01.000Z',
      fireAt: '2026-03-01T00:00:01.000Z',
      startedAt: '2026-03-01T00:00:01.000Z',
      exitCode: 3,
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    const detail = await call<RunDetail>(app, 'runs.get', { id: run.id });
    expect(detail.output).toContain('hello-from-almanac');
    expect(detail.output).toContain('to-stderr');
    const listed = await call<{ items: Schedule[] }>(app, 'schedules.list', {});
    expect(listed.items[0]).toMatchObject({ lastStatus: 'failed', totalRuns: 1, failedRuns: 1 });
  });

  it('reports runs live through contract events, running → finished', async () => {
    app = startTestApp();
    await call(app, 'schedules.create', { ...tick, action: { type: 'command', command: 'true' } });
    app.clock.advance(1000);
    await app.engine.whenIdle();
    // a run that can start at once is reported running (queued is reported for runs that wait)
    expect(app.of('run.changed').map((run) => run.status)).toEqual(['running', 'succeeded']);
    expect(app.of('schedule.changed').at(-1)?.schedule?.lastStatus).toBe('succeeded');
  });

  it('disabling stops runs, enabling resumes, deleting removes the schedule', async () => {
    app = startTestApp();
    const schedule = await call<Schedule>(app, 'schedules.create', {
      ...tick,
      action: { type: 'command', command: 'true' },
    });
    const paused = await call<Schedule>(app, 'schedules.setEnabled', { id: schedule.id, enabled: false });
    expect(paused).toMatchObject({ enabled: false, state: 'paused', nextFireAt: null });
    app.clock.advance(5000);
    await app.engine.whenIdle();
    expect((await call<{ items: Run[] }>(app, 'runs.list', { status: ['succeeded'] })).items).toHaveLength(0);
    const resumed = await call<Schedule>(app, 'schedules.setEnabled', { id: schedule.id, enabled: true });
    expect(resumed.state).toBe('active');
    app.clock.advance(1000);
    await app.engine.whenIdle();
    expect((await call<{ items: Run[] }>(app, 'runs.list', { status: ['succeeded'] })).items).toHaveLength(1);
    await call(app, 'schedules.delete', { id: schedule.id });
    expect((await call<{ items: Schedule[] }>(app, 'schedules.list', {})).items).toEqual([]);
    const missing = await app.dispatch('schedules.get', { id: schedule.id });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('bad input is refused with VALIDATION naming the field, and nothing is stored', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'an invalid cron expression',
      { trigger: { ...tick.trigger, expression: '61 * * * *' } },
      'trigger.expression',
    ],
    [
      'a cron expression with 4 fields',
      { trigger: { ...tick.trigger, expression: '* * * *' } },
      'trigger.expression',
    ],
    [
      'an unknown time zone',
      { trigger: { ...tick.trigger, timezone: 'Mars/Olympus_Mons' } },
      'trigger.timezone',
    ],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['an empty command', { action: { type: 'command', command: '' } }, 'action.command'],
    ['a whitespace command', { action: { type: 'command', command: ' \t ' } }, 'action.command'],
    [
      'a once date that does not exist',
      { trigger: { type: 'once', at: '2026-02-30T10:00', timezone: 'UTC' } },
      'trigger.at',
    ],
  ];
  it.each(cases)('%s', async (_, change, field) => {
    app = startTestApp();
    const result = await app.dispatch('schedules.create', { ...tick, ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.issues?.map((issue) => issue.path)).toContain(field);
    expect(result.error.message).toContain(field);
    expect(app.store.db.prepare('SELECT count(*) AS n FROM schedules').get()).toEqual({ n: 0 });
  });

  it('an unknown method is NOT_FOUND, not a crash', async () => {
    app = startTestApp();
    expect(await app.dispatch('schedules.explode', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
