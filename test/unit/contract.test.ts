/**
 * One contract suite (DESIGN.md §5), run through both doors: in process against the handler table,
 * and over HTTP against a real browser-mode server on a free port. Expected values come from the
 * rules (cron arithmetic, time zones, nearest-rank percentiles, half-open ranges), never from a
 * previous run of the code.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import {
  methodNames,
  type ApiErrorValue,
  type AppStatus,
  type BackupList,
  type BackupRestore,
  type FreeSlots,
  type CalendarIcs,
  type CalendarSlots,
  type CrontabImport,
  type DocumentImport,
  type ExportDocument,
  type ErrorCode,
  type Result,
  type RunStats,
} from '../../src/shared/api';
import type { Run, RunDetail, RunStatus, RunTrigger, Schedule } from '../../src/shared/domain';
import { RunStatus as RunStatusSchema } from '../../src/shared/domain';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { backupDatabase, type NewRun } from '../../src/main/store';
import {
  doors,
  httpDoor,
  inProcessDoor,
  normalise,
  type Caller,
  type Door,
  type DoorFactory,
} from '../support/contract';
import { quietLog, startTestApp, type TestApp } from '../support/engine';
import { parse as parseCsvText } from 'csv-parse/sync';
import { EXPORT_COLUMNS } from '../../src/main/api/export-runs';

const parseCsv = (text: string): string[][] => parseCsvText(text) as string[][];

/** Friday noon UTC: "now" for every app of this file. */
const START = '2026-03-20T12:00:00.000Z';
const MIN = 60_000;
const HOUR = 60 * MIN;
const ms = (iso: string) => Date.parse(iso);
const iso = (at: number) => new Date(at).toISOString();

const reminder = { type: 'reminder', title: 'Hello', body: 'World' } as const;
const scheduleInput = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  trigger: { type: 'cron', expression: '30 9 * * *', timezone: 'UTC' },
  action: reminder,
  ...extra,
});
/** A command that outlives the test unless cancelled: it keeps a run `running`. */
const sleeper = { type: 'command', command: 'sleep 30', shell: true } as const;

/** Nearest-rank percentile: the smallest value with at least p% of the samples at or below it. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function insertRuns(app: TestApp, runs: NewRun[]): void {
  for (const run of runs) expect(app.store.runs.insert(run)).toBe(true);
}

/** A finished run at `at` (its fire time) with a known duration. */
function finished(
  id: string,
  scheduleId: string,
  at: string,
  status: RunStatus,
  extra: Partial<NewRun> = {},
): NewRun {
  const durationMs = extra.durationMs ?? null;
  return {
    id,
    scheduleId,
    trigger: 'schedule',
    status,
    scheduledAt: ms(at),
    fireAt: ms(at),
    queuedAt: ms(at),
    startedAt: ms(at),
    finishedAt: ms(at) + (durationMs ?? 0),
    durationMs,
    ...extra,
  };
}

function contractSuite(name: string, makeDoor: DoorFactory): void {
  describe(`the contract, ${name}`, () => {
    /** Every outcome each method produced in this suite: 'ok' or an error code. */
    const seen = new Map<string, Set<string>>();
    let app: TestApp;
    let door: Door;

    const call: Caller = async (method, input) => {
      const result = await door.call(method, input);
      if (!seen.has(method)) seen.set(method, new Set());
      seen.get(method)!.add(result.ok ? 'ok' : result.error.code);
      return result;
    };
    async function ok<T>(method: string, input?: unknown): Promise<T> {
      const result = await call(method, input);
      if (!result.ok) throw new Error(`${method} refused: ${JSON.stringify(result.error)}`);
      return result.value as T;
    }
    async function refused(
      method: string,
      input: unknown,
      code: ErrorCode,
      path?: string,
    ): Promise<ApiErrorValue> {
      const result = await call(method, input);
      if (result.ok) throw new Error(`${method} answered ${JSON.stringify(result.value).slice(0, 200)}`);
      expect(result.error.code, result.error.message).toBe(code);
      expect(typeof result.error.message).toBe('string');
      if (path !== undefined) expect(result.error.issues?.map((issue) => issue.path)).toContain(path);
      return result.error;
    }
    const create = (input: Record<string, unknown>) => ok<Schedule>('schedules.create', input);
    /** Polls a run until it has ended (a cancelled process takes a moment to go). */
    async function settled(id: string): Promise<RunStatus> {
      for (let i = 0; i < 200; i++) {
        const { status } = await ok<RunDetail>('runs.get', { id });
        if (status !== 'running' && status !== 'queued') return status;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`run ${id} did not end`);
    }

    beforeEach(async () => {
      quietLog.errors.length = 0;
      app = startTestApp({ start: START });
      door = await makeDoor(app);
    });
    afterEach(async () => {
      await door.close();
      // A test that failed half-way may leave a `sleep` going: end it rather than wait for it.
      for (const status of ['running', 'queued'] as const) {
        for (const run of app.store.runs.withStatus(status)) {
          try {
            app.engine.cancelRun(run.id);
          } catch {
            // already ended
          }
        }
      }
      await Promise.race([app.engine.whenIdle(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      app.close();
      const errors = [...quietLog.errors];
      quietLog.errors.length = 0;
      expect(errors).toEqual([]);
    });

    it('creates, reads and updates a schedule; a stale version is a CONFLICT', async () => {
      const created = await create(scheduleInput('Stand up', { group: 'team', notes: 'daily' }));
      expect(created).toMatchObject({
        name: 'Stand up',
        notes: 'daily',
        group: 'team',
        enabled: true,
        state: 'active',
        version: 1,
        // 09:30 UTC daily, asked at 12:00 UTC on the 20th: the next one is tomorrow.
        nextFireAt: '2026-03-21T09:30:00.000Z',
        createdAt: START,
        updatedAt: START,
        totalRuns: 0,
        lastStatus: null,
      });
      // Defaults filled in by the contract.
      expect(created.policy).toMatchObject({ catchUp: 'latest', overlap: 'skip', notify: 'failure' });
      expect(await ok('schedules.get', { id: created.id })).toEqual(created);

      app.clock.suspend(5 * MIN);
      const updated = await ok<Schedule>('schedules.update', {
        id: created.id,
        version: 1,
        patch: { name: 'Stand-up', trigger: { type: 'cron', expression: '0 8 * * 1-5', timezone: 'UTC' } },
      });
      expect(updated).toMatchObject({
        id: created.id,
        name: 'Stand-up',
        version: 2,
        updatedAt: iso(ms(START) + 5 * MIN),
        createdAt: START,
        // 08:00 on weekdays: Friday's has passed, Monday the 23rd is next.
        nextFireAt: '2026-03-23T08:00:00.000Z',
      });

      const stale = await refused(
        'schedules.update',
        { id: created.id, version: 1, patch: { name: 'Lost update' } },
        'CONFLICT',
      );
      expect(stale.message).toMatch(/version/i);
      expect(await ok('schedules.get', { id: created.id })).toEqual(updated);

      await refused('schedules.update', { id: 'nope', version: 1, patch: {} }, 'NOT_FOUND');
      await refused('schedules.update', { id: created.id, version: 0, patch: {} }, 'VALIDATION', 'version');
      await refused(
        'schedules.update',
        { id: created.id, version: 2, patch: { trigger: { type: 'cron', expression: 'every day' } } },
        'VALIDATION',
        'patch.trigger.expression',
      );
      await refused('schedules.get', { id: 'nope' }, 'NOT_FOUND');
      await refused('schedules.get', { id: '' }, 'VALIDATION', 'id');
      await refused('schedules.get', undefined, 'VALIDATION');
    });

    // Fails today: the patch schema keeps the defaults of ScheduleFields, so a patch that names
    // only `name` also sets notes to '', enabled to true and the policy back to its defaults.
    it('an update changes only the fields its patch names', async () => {
      const created = await create(
        scheduleInput('Backup', {
          notes: 'keep me',
          group: 'ops',
          enabled: false,
          policy: { overlap: 'bufferOne', timeoutSeconds: 60, notify: 'always' },
        }),
      );
      const updated = await ok<Schedule>('schedules.update', {
        id: created.id,
        version: created.version,
        patch: { name: 'Backup (renamed)' },
      });
      expect(updated).toEqual({
        ...created,
        name: 'Backup (renamed)',
        version: created.version + 1,
      });
    });

    it('refuses an invalid schedule with field issues, and a once trigger in the past', async () => {
      const error = await refused(
        'schedules.create',
        {
          name: '   ',
          trigger: { type: 'cron', expression: '61 * * * *', timezone: 'Mars/Olympus' },
          action: reminder,
        },
        'VALIDATION',
      );
      const paths = error.issues!.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['name', 'trigger.expression', 'trigger.timezone']));
      await refused(
        'schedules.create',
        scheduleInput('Late', { trigger: { type: 'once', at: '2026-03-19T09:00', timezone: 'UTC' } }),
        'VALIDATION',
        'trigger.at',
      );
      await refused(
        'schedules.create',
        { ...scheduleInput('x'), action: { type: 'carrier-pigeon' } },
        'VALIDATION',
      );
      expect(await ok('schedules.list', {})).toEqual({ items: [] });
    });

    it('lists schedules sorted by name, by search, group and state', async () => {
      const backup = await create(scheduleInput('backup nightly', { group: 'ops', notes: 'uses RESTIC' }));
      const standUp = await create(scheduleInput('Stand up', { group: 'team' }));
      const water = await create(scheduleInput('Water plants', { enabled: false }));
      // 31 February never comes: nothing left to run.
      const never = await create(
        scheduleInput('Leap of faith', {
          trigger: { type: 'cron', expression: '0 0 31 2 *', timezone: 'UTC' },
        }),
      );
      const names = (value: { items: Schedule[] }) => value.items.map((item) => item.name);

      expect(water.state).toBe('paused');
      expect(never.state).toBe('completed');
      expect(names(await ok('schedules.list', {}))).toEqual([
        'backup nightly',
        'Leap of faith',
        'Stand up',
        'Water plants',
      ]);
      expect(names(await ok('schedules.list', undefined))).toHaveLength(4);
      expect(names(await ok('schedules.list', { search: 'restic' }))).toEqual(['backup nightly']);
      expect(names(await ok('schedules.list', { search: '  PLANTS ' }))).toEqual(['Water plants']);
      expect(names(await ok('schedules.list', { group: 'team' }))).toEqual(['Stand up']);
      expect(names(await ok('schedules.list', { group: 'nobody' }))).toEqual([]);
      expect(names(await ok('schedules.list', { state: 'active' }))).toEqual(['backup nightly', 'Stand up']);
      expect(names(await ok('schedules.list', { state: 'paused' }))).toEqual(['Water plants']);
      expect(names(await ok('schedules.list', { state: 'completed' }))).toEqual(['Leap of faith']);
      expect(names(await ok('schedules.list', { group: 'ops', state: 'paused' }))).toEqual([]);
      const listed = await ok<{ items: Schedule[] }>('schedules.list', { group: 'ops' });
      expect(listed.items[0]).toEqual(backup);
      expect(standUp.group).toBe('team');

      await refused('schedules.list', { state: 'sleeping' }, 'VALIDATION', 'state');
      await refused('schedules.list', { search: 'x'.repeat(201) }, 'VALIDATION', 'search');
      await refused('schedules.list', 'all of them', 'VALIDATION');
    });

    it('deletes a schedule, after which it is NOT_FOUND', async () => {
      const gone = await create(scheduleInput('Temporary'));
      const kept = await create(scheduleInput('Kept'));
      expect(await ok('schedules.delete', { id: gone.id })).toEqual({ id: gone.id });
      await refused('schedules.get', { id: gone.id }, 'NOT_FOUND');
      await refused('schedules.delete', { id: gone.id }, 'NOT_FOUND');
      await refused('schedules.update', { id: gone.id, version: 1, patch: {} }, 'NOT_FOUND');
      await refused('schedules.delete', { id: 42 }, 'VALIDATION', 'id');
      const listed = await ok<{ items: Schedule[] }>('schedules.list', {});
      expect(listed.items.map((item) => item.id)).toEqual([kept.id]);
      expect((await ok<AppStatus>('app.status', {})).engine.scheduleCount).toBe(1);
    });

    it('pauses and resumes a schedule with setEnabled', async () => {
      const created = await create(scheduleInput('Stretch'));
      const paused = await ok<Schedule>('schedules.setEnabled', { id: created.id, enabled: false });
      expect(paused).toMatchObject({ enabled: false, state: 'paused', nextFireAt: null, version: 2 });
      const resumed = await ok<Schedule>('schedules.setEnabled', { id: created.id, enabled: true });
      expect(resumed).toMatchObject({
        enabled: true,
        state: 'active',
        nextFireAt: '2026-03-21T09:30:00.000Z',
        version: 3,
      });
      await refused('schedules.setEnabled', { id: 'nope', enabled: true }, 'NOT_FOUND');
      await refused('schedules.setEnabled', { id: created.id, enabled: 'yes' }, 'VALIDATION', 'enabled');
    });

    it('previews occurrences with DST notes', async () => {
      // 02:30 Berlin does not exist on 29 March 2026: it runs at 03:00 CEST (01:00 UTC), marked.
      const { occurrences } = await ok<{ occurrences: { at: string; note?: string }[] }>(
        'schedules.preview',
        {
          trigger: { type: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' },
          from: '2026-03-27T12:00:00Z',
          count: 3,
        },
      );
      expect(occurrences).toEqual([
        { at: '2026-03-28T01:30:00.000Z' },
        { at: '2026-03-29T01:00:00.000Z', note: 'dst-shifted' },
        { at: '2026-03-30T00:30:00.000Z' },
      ]);
      // Without `from` it starts now; count defaults to 5.
      const hourly = await ok<{ occurrences: { at: string }[] }>('schedules.preview', {
        trigger: { type: 'cron', expression: '45 * * * *', timezone: 'UTC' },
      });
      expect(hourly.occurrences.map((o) => o.at)).toEqual(
        [0, 1, 2, 3, 4].map((k) => iso(ms(START) + 45 * MIN + k * HOUR)),
      );
      await refused(
        'schedules.preview',
        { trigger: { type: 'cron', expression: '* * *', timezone: 'UTC' } },
        'VALIDATION',
        'trigger.expression',
      );
      await refused(
        'schedules.preview',
        { trigger: { type: 'interval', everySeconds: 60, timezone: 'UTC' }, count: 501 },
        'VALIDATION',
        'count',
      );
    });

    it('a running run’s output so far is readable, each line once with the chunks that follow', async () => {
      const release = path.join(app.dataDir, 'release');
      const created = await create(
        scheduleInput('Talker', {
          action: {
            type: 'command',
            command: `echo first; while [ ! -f '${release}' ]; do sleep 0.02; done; echo second`,
            shell: true,
          },
        }),
      );
      const run = await ok<Run>('schedules.runNow', { id: created.id });
      const chunks = () =>
        app
          .of('run.output')
          .filter((chunk) => chunk.runId === run.id)
          .map((chunk) => chunk.chunk)
          .join('');
      // Until its chunk goes out (the throttle is on the engine's clock), a line is not yet "said".
      await vi.waitFor(() => expect(app.engine.liveOutput(run.id)).not.toBeNull(), { timeout: 10_000 });
      await vi.waitFor(
        async () => {
          app.clock.advance(300);
          expect(chunks()).toBe('first\n');
        },
        { timeout: 10_000 },
      );
      const running = await ok<RunDetail>('runs.get', { id: run.id });
      expect(running.status).toBe('running');
      expect(running.output).toBe('first\n');
      fs.writeFileSync(release, '');
      await settled(run.id);
      app.clock.advance(300);
      const done = await ok<RunDetail>('runs.get', { id: run.id });
      expect(done.output).toBe('first\nsecond\n');
    });

    it('runs now, then the run and its output are readable', async () => {
      const created = await create(
        scheduleInput('Tea', { action: { type: 'reminder', title: 'Tea', body: 'Green' } }),
      );
      const run = await ok<Run>('schedules.runNow', { id: created.id });
      expect(run).toMatchObject({ scheduleId: created.id, trigger: 'manual', attempt: 1, fireAt: START });
      expect(['queued', 'running', 'succeeded']).toContain(run.status);
      await app.engine.whenIdle();
      await new Promise((resolve) => setImmediate(resolve));
      const detail = await ok<RunDetail>('runs.get', { id: run.id });
      expect(detail).toMatchObject({
        id: run.id,
        scheduleId: created.id,
        status: 'succeeded',
        trigger: 'manual',
        finishedAt: START,
        // the fake clock did not move while it ran
        durationMs: 0,
        outputTruncated: false,
      });
      expect(detail.output).toContain('Tea');
      expect(detail.output).toContain('Green');
      const after = await ok<Schedule>('schedules.get', { id: created.id });
      expect(after).toMatchObject({ totalRuns: 1, lastStatus: 'succeeded' });

      await refused('schedules.runNow', { id: 'nope' }, 'NOT_FOUND');
      await refused('schedules.runNow', {}, 'VALIDATION', 'id');
      await refused('runs.get', { id: 'nope' }, 'NOT_FOUND');
      await refused('runs.get', { id: 'x'.repeat(65) }, 'VALIDATION', 'id');
      // A finished run cannot be cancelled.
      await refused('runs.cancel', { id: run.id }, 'CONFLICT');
    });

    it('cancels queued and running runs; maxConcurrentRuns is applied; groups.cancel', async () => {
      const settings = await ok<Settings>('settings.update', { maxConcurrentRuns: 1 });
      expect(settings.maxConcurrentRuns).toBe(1);
      const a = await create(scheduleInput('Sleep A', { group: 'sleepers', action: sleeper }));
      const b = await create(scheduleInput('Sleep B', { group: 'sleepers', action: sleeper }));
      const c = await create(scheduleInput('Sleep C', { group: 'sleepers', action: sleeper }));

      const runA = await ok<Run>('schedules.runNow', { id: a.id });
      expect(runA.status).toBe('running');
      // Overlap "skip": a second run of A while one is going is refused.
      await refused('schedules.runNow', { id: a.id }, 'CONFLICT');
      // One slot only: B waits.
      const runB = await ok<Run>('schedules.runNow', { id: b.id });
      expect(runB.status).toBe('queued');
      expect((await ok<AppStatus>('app.status', {})).engine).toMatchObject({ active: 1, queued: 1 });

      const cancelledB = await ok<Run>('runs.cancel', { id: runB.id });
      expect(cancelledB).toMatchObject({
        id: runB.id,
        status: 'cancelled',
        finishedAt: START,
        startedAt: null,
      });
      await refused('runs.cancel', { id: runB.id }, 'CONFLICT');
      expect((await ok<AppStatus>('app.status', {})).engine).toMatchObject({ active: 1, queued: 0 });

      // A second slot: the queued C starts as soon as the setting changes.
      const runC = await ok<Run>('schedules.runNow', { id: c.id });
      expect(runC.status).toBe('queued');
      await ok('settings.update', { maxConcurrentRuns: 2 });
      expect((await ok<RunDetail>('runs.get', { id: runC.id })).status).toBe('running');
      expect((await ok<AppStatus>('app.status', {})).engine).toMatchObject({ active: 2, queued: 0 });

      // Cancelling a running run ends its process; the run ends as cancelled.
      const cancellingA = await ok<Run>('runs.cancel', { id: runA.id });
      expect(cancellingA.id).toBe(runA.id);
      expect(await settled(runA.id)).toBe('cancelled');
      await refused('runs.cancel', { id: runA.id }, 'CONFLICT');
      await refused('runs.cancel', { id: 'nope' }, 'NOT_FOUND');
      await refused('runs.cancel', { id: null }, 'VALIDATION', 'id');

      // The group's one remaining run (C) is cancelled by groups.cancel.
      expect(await ok('groups.cancel', { group: 'sleepers' })).toEqual({ cancelled: 1 });
      expect(await settled(runC.id)).toBe('cancelled');
      expect(await ok('groups.cancel', { group: 'sleepers' })).toEqual({ cancelled: 0 });
      await refused('groups.cancel', { group: 'nobody' }, 'NOT_FOUND');
      await refused('groups.cancel', { group: '   ' }, 'VALIDATION', 'group');
      const cancelled = await ok<{ items: Run[] }>('runs.list', { status: ['cancelled'] });
      expect(cancelled.items.map((run) => run.id).sort()).toEqual([runA.id, runB.id, runC.id].sort());
    });

    it('enables and disables a group', async () => {
      const one = await create(scheduleInput('One', { group: 'ops' }));
      const two = await create(scheduleInput('Two', { group: 'ops' }));
      const other = await create(scheduleInput('Other', { group: 'home' }));
      const off = await ok<{ items: Schedule[] }>('groups.setEnabled', { group: 'ops', enabled: false });
      expect(off.items.map((item) => [item.id, item.enabled, item.state, item.version])).toEqual([
        [one.id, false, 'paused', 2],
        [two.id, false, 'paused', 2],
      ]);
      expect((await ok<Schedule>('schedules.get', { id: other.id })).enabled).toBe(true);
      const paused = await ok<{ items: Schedule[] }>('schedules.list', { state: 'paused' });
      expect(paused.items.map((item) => item.id)).toEqual([one.id, two.id]);
      const on = await ok<{ items: Schedule[] }>('groups.setEnabled', { group: 'ops', enabled: true });
      expect(on.items.every((item) => item.enabled && item.state === 'active')).toBe(true);
      await refused('groups.setEnabled', { group: 'nobody', enabled: true }, 'NOT_FOUND');
      await refused('groups.setEnabled', { group: 'ops' }, 'VALIDATION', 'enabled');
    });

    describe('runs.list', () => {
      const TRIGGERS: RunTrigger[] = ['schedule', 'manual', 'catch-up', 'retry', 'chain'];
      const STATUSES: RunStatus[] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'missed'];
      const base = ms('2026-03-10T00:00:00.000Z');
      let fixture: { id: string; scheduleId: string; at: number; status: RunStatus; trigger: RunTrigger }[];

      /** 25 runs on two schedules; pairs share an instant so the order must break ties by id. */
      beforeEach(async () => {
        const s1 = await create(scheduleInput('S1'));
        const s2 = await create(scheduleInput('S2'));
        fixture = Array.from({ length: 25 }, (_, i) => ({
          id: `run-${String(i).padStart(2, '0')}`,
          scheduleId: i % 3 === 0 ? s2.id : s1.id,
          at: base + Math.floor(i / 2) * 7 * MIN,
          status: STATUSES[i % STATUSES.length]!,
          trigger: TRIGGERS[i % TRIGGERS.length]!,
        }));
        // Inserted out of order: the answer's order must not depend on insertion.
        for (const run of [...fixture].reverse()) {
          insertRuns(app, [
            finished(run.id, run.scheduleId, iso(run.at), run.status, {
              trigger: run.trigger,
              durationMs: 1000,
              // not tied to an occurrence, so two rows may share an instant
              scheduledAt: null,
            }),
          ]);
        }
      });

      /** Newest first; equal instants by id, descending. */
      const expected = (keep: (run: (typeof fixture)[number]) => boolean) =>
        fixture
          .filter(keep)
          .sort((x, y) => y.at - x.at || (x.id < y.id ? 1 : -1))
          .map((run) => run.id);

      async function pages(filter: Record<string, unknown>, limit: number) {
        const ids: string[] = [];
        let cursor: string | null | undefined;
        let count = 0;
        do {
          const page = await ok<{ items: Run[]; nextCursor: string | null }>('runs.list', {
            ...filter,
            limit,
            ...(cursor ? { cursor } : {}),
          });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          if (page.nextCursor !== null) expect(page.items).toHaveLength(limit);
          ids.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor;
          expect(++count).toBeLessThan(100);
        } while (cursor);
        expect(new Set(ids).size).toBe(ids.length);
        return ids;
      }

      it('pages through every run, newest first, without gaps or duplicates', async () => {
        const all = expected(() => true);
        expect(await pages({}, 4)).toEqual(all);
        expect(await pages({}, 1)).toEqual(all);
        expect(await pages({}, 25)).toEqual(all);
        const first = await ok<{ items: Run[]; nextCursor: string | null }>('runs.list', {});
        expect(first.items.map((item) => item.id)).toEqual(all);
        expect(first.nextCursor).toBeNull();
        expect(first.items[0]).toMatchObject({
          id: all[0],
          fireAt: iso(base + 12 * 7 * MIN),
          durationMs: 1000,
        });
      });

      it('filters by schedule, status, trigger and a half-open time range', async () => {
        const s2 = fixture[0]!.scheduleId;
        expect(await pages({ scheduleId: s2 }, 3)).toEqual(expected((run) => run.scheduleId === s2));
        const bad = ['failed', 'timed-out'] as RunStatus[];
        expect(await pages({ status: bad }, 3)).toEqual(expected((run) => bad.includes(run.status)));
        const triggers = ['manual', 'retry'] as RunTrigger[];
        expect(await pages({ trigger: triggers }, 3)).toEqual(
          expected((run) => triggers.includes(run.trigger)),
        );
        expect(await pages({ scheduleId: s2, trigger: triggers }, 2)).toEqual(
          expected((run) => run.scheduleId === s2 && triggers.includes(run.trigger)),
        );
        expect(
          await pages({ status: ['succeeded', 'missed', 'skipped'], trigger: ['schedule', 'chain'] }, 2),
        ).toEqual(
          expected(
            (run) =>
              ['succeeded', 'missed', 'skipped'].includes(run.status) &&
              ['schedule', 'chain'].includes(run.trigger),
          ),
        );
        // [from, to): a run exactly at `from` is in, one exactly at `to` is out.
        const from = base + 3 * 7 * MIN;
        const to = base + 9 * 7 * MIN;
        expect(await pages({ from: iso(from), to: iso(to) }, 4)).toEqual(
          expected((run) => run.at >= from && run.at < to),
        );
        expect(await pages({ from: iso(from), status: ['failed'], scheduleId: s2 }, 1)).toEqual(
          expected((run) => run.at >= from && run.status === 'failed' && run.scheduleId === s2),
        );
        const picked = [fixture[3]!.id, fixture[10]!.id, fixture[17]!.id];
        expect(await pages({ ids: picked }, 2)).toEqual(expected((run) => picked.includes(run.id)));
        expect(await pages({ ids: picked, status: [fixture[10]!.status] }, 2)).toEqual([fixture[10]!.id]);
      });

      it('refuses an unknown schedule, a reversed range and a malformed cursor, naming the field', async () => {
        await refused('runs.list', { scheduleId: 'nobody' }, 'VALIDATION', 'scheduleId');
        const reversed = { from: '2026-03-10T02:00:00Z', to: '2026-03-10T01:00:00Z' };
        await refused('runs.list', reversed, 'VALIDATION', 'to');
        await refused('runs.list', { from: reversed.from, to: reversed.from }, 'VALIDATION', 'to');
        const forged = Buffer.from('yesterday:run-01').toString('base64url');
        await refused('runs.list', { cursor: forged }, 'VALIDATION', 'cursor');
        // A deleted schedule's runs outlive it, and its id still finds them.
        const s2 = fixture[0]!.scheduleId;
        await ok('schedules.delete', { id: s2 });
        expect(await pages({ scheduleId: s2 }, 5)).toEqual(expected((run) => run.scheduleId === s2));
      });

      /** The file runs.export wrote: read from the chosen path (in process) or the download (HTTP). */
      async function exported(input: Record<string, unknown>): Promise<{ rows: number; text: string }> {
        const value = await ok<{ rows: number; path: string | null; file?: string }>('runs.export', input);
        const text = value.file ?? fs.readFileSync(value.path!, 'utf8');
        return { rows: value.rows, text };
      }

      it('exports a filter as CSV with every row of runs.list, quoted where needed', async () => {
        const s1 = fixture[1]!.scheduleId;
        // A reason with a comma, quotes and a line break must survive as one field.
        insertRuns(app, [
          finished('run-quoted', s1, iso(base + 20 * 7 * MIN), 'failed', {
            trigger: 'manual',
            reason: 'Exited with "1", then\nsaid: a, b',
            scheduledAt: null,
          }),
        ]);
        const filter = { scheduleId: s1, status: ['failed', 'succeeded', 'missed'] };
        const listed = (await ok<{ items: Run[] }>('runs.list', { ...filter, limit: 500 })).items;
        const { rows, text } = await exported({ ...filter, format: 'csv' });
        expect(rows).toBe(listed.length);
        const parsed = parseCsv(text);
        expect(parsed[0]).toEqual(EXPORT_COLUMNS);
        const body = parsed
          .slice(1)
          .map((cells) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, cells[i]])));
        expect(body.map((row) => row.id)).toEqual(listed.map((run) => run.id));
        for (const [i, run] of listed.entries()) {
          expect(body[i]!.status).toBe(run.status);
          expect(body[i]!.reason).toBe(run.reason ?? '');
          expect(body[i]!.fireAt).toBe(run.fireAt ?? '');
          expect(body[i]!.durationMs).toBe(run.durationMs === null ? '' : String(run.durationMs));
        }
        expect(body.find((row) => row.id === 'run-quoted')!.reason).toBe('Exited with "1", then\nsaid: a, b');
      });

      it('exports JSON equal to runs.list, an empty filter as a header alone, and refuses bad filters', async () => {
        const listed = (await ok<{ items: Run[] }>('runs.list', { limit: 500 })).items;
        const json = await exported({ format: 'json' });
        expect(json.rows).toBe(25);
        expect(JSON.parse(json.text)).toEqual(listed);
        const empty = await exported({ status: ['running'] });
        expect(empty.rows).toBe(0);
        expect(parseCsv(empty.text)).toEqual([EXPORT_COLUMNS]);
        await refused('runs.export', { scheduleId: 'nobody' }, 'VALIDATION', 'scheduleId');
        await refused(
          'runs.export',
          { from: '2026-03-11T00:00:00Z', to: '2026-03-10T00:00:00Z' },
          'VALIDATION',
          'to',
        );
        await refused('runs.export', { format: 'xml' }, 'VALIDATION', 'format');
        await refused('runs.export', { cursor: 'x' }, 'VALIDATION', 'cursor');
      });

      it('refuses a foreign cursor and out-of-range filters', async () => {
        await refused('runs.list', { cursor: 'not-a-cursor' }, 'VALIDATION', 'cursor');
        await refused('runs.list', { limit: 0 }, 'VALIDATION', 'limit');
        await refused('runs.list', { limit: 501 }, 'VALIDATION', 'limit');
        await refused('runs.list', { status: ['exploded'] }, 'VALIDATION', 'status.0');
        await refused('runs.list', { trigger: 'manual' }, 'VALIDATION', 'trigger');
        await refused('runs.list', { from: 'yesterday' }, 'VALIDATION', 'from');
      });
    });

    describe('runs.stats', () => {
      const zero = Object.fromEntries(RunStatusSchema.options.map((status) => [status, 0]));
      let a: Schedule;
      let b: Schedule;
      let c: Schedule;
      /** New York days 7, 8 (23 hours: DST starts) and 9 March 2026. */
      const from = '2026-03-07T05:00:00.000Z';
      const to = '2026-03-10T04:00:00.000Z';
      let fixture: {
        scheduleId: string;
        at: string;
        status: RunStatus;
        durationMs: number | null;
        weight: number;
      }[];

      beforeEach(async () => {
        a = await create(scheduleInput('A', { group: 'ops' }));
        b = await create(scheduleInput('B', { group: 'ops' }));
        c = await create(scheduleInput('C'));
        fixture = [
          { scheduleId: a.id, at: '2026-03-07T04:59:00.000Z', status: 'failed', durationMs: 800, weight: 1 }, // before
          {
            scheduleId: a.id,
            at: '2026-03-07T05:00:00.000Z',
            status: 'succeeded',
            durationMs: 100,
            weight: 1,
          }, // 7th 00:00
          { scheduleId: a.id, at: '2026-03-07T15:00:00.000Z', status: 'failed', durationMs: 200, weight: 1 },
          {
            scheduleId: a.id,
            at: '2026-03-08T04:59:59.999Z',
            status: 'succeeded',
            durationMs: 300,
            weight: 1,
          }, // 7th 23:59
          {
            scheduleId: b.id,
            at: '2026-03-08T05:00:00.000Z',
            status: 'timed-out',
            durationMs: 400,
            weight: 1,
          }, // 8th
          {
            scheduleId: b.id,
            at: '2026-03-08T12:00:00.000Z',
            status: 'succeeded',
            durationMs: 500,
            weight: 1,
          },
          {
            scheduleId: c.id,
            at: '2026-03-09T03:30:00.000Z',
            status: 'succeeded',
            durationMs: 600,
            weight: 1,
          }, // 8th 23:30 EDT
          {
            scheduleId: c.id,
            at: '2026-03-09T04:30:00.000Z',
            status: 'interrupted',
            durationMs: null,
            weight: 1,
          }, // 9th
          {
            scheduleId: a.id,
            at: '2026-03-09T10:00:00.000Z',
            status: 'cancelled',
            durationMs: null,
            weight: 1,
          },
          // One `missed` row stands for three missed occurrences.
          { scheduleId: a.id, at: '2026-03-09T11:00:00.000Z', status: 'missed', durationMs: null, weight: 3 },
          {
            scheduleId: b.id,
            at: '2026-03-09T12:00:00.000Z',
            status: 'skipped',
            durationMs: null,
            weight: 1,
          },
          {
            scheduleId: a.id,
            at: '2026-03-10T04:00:00.000Z',
            status: 'succeeded',
            durationMs: 700,
            weight: 1,
          }, // at `to`
        ];
        insertRuns(
          app,
          fixture.map((run, i) =>
            finished(`stat-${i}`, run.scheduleId, run.at, run.status, {
              durationMs: run.durationMs,
              ...(run.weight > 1 ? { missedCount: run.weight } : {}),
            }),
          ),
        );
      });

      /** The stats the rules give for the runs `keep` selects in [from, to). */
      function expectedStats(keep: (scheduleId: string) => boolean) {
        const inRange = fixture.filter((run) => keep(run.scheduleId) && run.at >= from && run.at < to);
        const count = (status: RunStatus) =>
          inRange.filter((run) => run.status === status).reduce((sum, run) => sum + run.weight, 0);
        const finishedCount =
          count('succeeded') + count('failed') + count('timed-out') + count('interrupted');
        const durations = inRange
          .filter(
            (run) => ['succeeded', 'failed', 'timed-out'].includes(run.status) && run.durationMs !== null,
          )
          .map((run) => run.durationMs!);
        return { inRange, count, finishedCount, durations };
      }

      it('counts by status, success rate, duration percentiles and New York day buckets', async () => {
        const stats = await ok<RunStats>('runs.stats', { from, to, timezone: 'America/New_York' });
        const { count, finishedCount, durations } = expectedStats(() => true);
        expect(stats.from).toBe(from);
        expect(stats.to).toBe(to);
        expect(stats.byStatus).toEqual({
          queued: 0,
          running: 0,
          succeeded: 4,
          failed: 1,
          'timed-out': 1,
          cancelled: 1,
          skipped: 1,
          missed: 3,
          interrupted: 1,
        });
        expect(stats.total).toBe(12);
        expect(count('succeeded')).toBe(4); // the fixture says what the literal above says
        expect(stats.successRate).toBeCloseTo(4 / finishedCount, 10);
        expect(stats.successRate).toBeCloseTo(4 / 7, 10);
        expect(stats.durationMs).toEqual({
          p50: nearestRank(durations, 50),
          p95: nearestRank(durations, 95),
        });
        expect(stats.durationMs).toEqual({ p50: 300, p95: 600 });
        expect(stats.days).toEqual([
          {
            day: '2026-03-07',
            total: 3,
            succeeded: 2,
            failed: 1,
            byStatus: { ...zero, succeeded: 2, failed: 1 },
            durationMs: { p50: 200, p95: 300 },
          },
          {
            day: '2026-03-08',
            total: 3,
            succeeded: 2,
            failed: 1,
            byStatus: { ...zero, succeeded: 2, 'timed-out': 1 },
            durationMs: { p50: 500, p95: 600 },
          },
          {
            day: '2026-03-09',
            total: 6,
            succeeded: 0,
            failed: 1,
            byStatus: { ...zero, interrupted: 1, cancelled: 1, missed: 3, skipped: 1 },
            durationMs: null,
          },
        ]);
      });

      it('narrows to one schedule or a group', async () => {
        const ops = await ok<RunStats>('runs.stats', {
          from,
          to,
          timezone: 'America/New_York',
          group: 'ops',
        });
        expect(ops.total).toBe(10);
        expect(ops.byStatus).toMatchObject({ succeeded: 3, interrupted: 0, missed: 3 });
        expect(ops.successRate).toBeCloseTo(3 / 5, 10);
        const one = await ok<RunStats>('runs.stats', {
          from,
          to,
          scheduleId: c.id,
          timezone: 'America/New_York',
        });
        expect(one.total).toBe(2);
        expect(one.successRate).toBe(0.5);
        expect(one.durationMs).toEqual({ p50: 600, p95: 600 });
        expect(one.days.map((day) => [day.day, day.total])).toEqual([
          ['2026-03-07', 0],
          ['2026-03-08', 1],
          ['2026-03-09', 1],
        ]);
        // In UTC the same range cuts other days: 04:00 on the 10th is still the 10th.
        const utc = await ok<RunStats>('runs.stats', { from, to, scheduleId: c.id });
        expect(utc.days.map((day) => [day.day, day.total])).toEqual([
          ['2026-03-07', 0],
          ['2026-03-08', 0],
          ['2026-03-09', 2],
          ['2026-03-10', 0],
        ]);
      });

      it('percentiles are nearest-rank over 20 durations', async () => {
        const d = await create(scheduleInput('D'));
        const durations = Array.from({ length: 20 }, (_, i) => (20 - i) * 10); // 200, 190 … 10
        insertRuns(
          app,
          durations.map((duration, i) =>
            finished(`dur-${i}`, d.id, iso(ms('2026-03-12T00:00:00.000Z') + i * HOUR), 'succeeded', {
              durationMs: duration,
            }),
          ),
        );
        const stats = await ok<RunStats>('runs.stats', {
          scheduleId: d.id,
          from: '2026-03-12T00:00:00Z',
          to: '2026-03-13T00:00:00Z',
        });
        expect(stats.durationMs).toEqual({ p50: 100, p95: 190 });
        expect(stats.successRate).toBe(1);
        expect(stats.days).toEqual([
          {
            day: '2026-03-12',
            total: 20,
            succeeded: 20,
            failed: 0,
            byStatus: { ...zero, succeeded: 20 },
            durationMs: { p50: 100, p95: 190 },
          },
        ]);
        expect(Object.values(stats.byStatus).reduce((a, b) => a + b, 0)).toBe(20);
      });

      it('defaults to the last 30 days in UTC, and refuses bad scopes and ranges', async () => {
        const stats = await ok<RunStats>('runs.stats', undefined);
        expect(stats.to).toBe(START);
        expect(stats.from).toBe(iso(ms(START) - 30 * 24 * HOUR));
        // 18 Feb noon … 20 Mar noon touches 31 calendar days.
        expect(stats.days).toHaveLength(31);
        expect(stats.days[0]!.day).toBe('2026-02-18');
        expect(stats.days[30]!.day).toBe('2026-03-20');
        expect(stats.total).toBe(
          fixture.filter((run) => run.at >= stats.from).reduce((sum, run) => sum + run.weight, 0),
        );

        await refused('runs.stats', { scheduleId: 'nope' }, 'NOT_FOUND');
        await refused('runs.stats', { group: 'nobody' }, 'NOT_FOUND');
        await refused('runs.stats', { from: to, to: from }, 'VALIDATION', 'to');
        await refused(
          'runs.stats',
          { from: '2025-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
          'VALIDATION',
          'to',
        );
        await refused('runs.stats', { timezone: 'Mars/Olympus' }, 'VALIDATION', 'timezone');
      });

      // Fails today: `from` alone is not held to the 366-day limit, so the handler walks one
      // bucket per day since then (year 0001: ~740,000 queries, ~10 s with the event loop blocked).
      it('holds a range given by `from` alone to the 366-day limit', async () => {
        await refused('runs.stats', { from: '1970-01-01T00:00:00Z' }, 'VALIDATION');
      });
    });

    describe('calendar.slots', () => {
      /** Every two hours at :15 UTC. */
      const trigger = { type: 'cron', expression: '15 */2 * * *', timezone: 'UTC' } as const;
      let s: Schedule;

      beforeEach(async () => {
        s = await create(scheduleInput('Every two hours', { group: 'ops', trigger }));
      });

      /** What the planner says, through the contract: preview from `from`, bucketed per slot. */
      async function previewCounts(slots: CalendarSlots['slots'], since: string) {
        const { occurrences } = await ok<{ occurrences: { at: string }[] }>('schedules.preview', {
          trigger,
          from: since,
          count: 500,
        });
        return slots.map(
          (slot) =>
            occurrences.filter(
              (o) => ms(o.at) >= ms(slot.start) && ms(o.at) < ms(slot.end) && ms(o.at) >= ms(START),
            ).length,
        );
      }

      it('plans occurrences per slot as the planner does', async () => {
        const range = { from: '2026-03-21T00:00:00Z', to: '2026-03-22T00:00:00Z', timezone: 'UTC' };
        const grid = await ok<CalendarSlots>('calendar.slots', { ...range, slotMinutes: 60 });
        expect(grid.slotMinutes).toBe(60);
        expect(grid.timezone).toBe('UTC');
        expect(grid.truncated).toBe(false);
        expect(grid.slots).toHaveLength(24);
        expect(grid.slots.map((slot) => slot.plannedCount)).toEqual(
          Array.from({ length: 24 }, (_, hour) => (hour % 2 === 0 ? 1 : 0)),
        );
        expect(grid.slots.map((slot) => slot.plannedCount)).toEqual(
          await previewCounts(grid.slots, range.from),
        );
        expect(grid.slots[2]).toEqual({
          start: '2026-03-21T02:00:00.000Z',
          end: '2026-03-21T03:00:00.000Z',
          plannedCount: 1,
          planned: [{ scheduleId: s.id, name: 'Every two hours', at: '2026-03-21T02:15:00.000Z' }],
          past: {},
          pastCount: 0,
          deferredCount: 0,
          busySkippedCount: 0,
        });
        const wide = await ok<CalendarSlots>('calendar.slots', { ...range, slotMinutes: 240 });
        expect(wide.slots.map((slot) => slot.plannedCount)).toEqual([2, 2, 2, 2, 2, 2]);
      });

      it('cuts slots at local midnight across a DST change', async () => {
        // Berlin days 29 March (23 hours) and 30 March.
        const grid = await ok<CalendarSlots>('calendar.slots', {
          from: '2026-03-28T23:00:00Z',
          to: '2026-03-30T22:00:00Z',
          timezone: 'Europe/Berlin',
          slotMinutes: 1440,
        });
        expect(grid.slots.map((slot) => [slot.start, slot.end])).toEqual([
          ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
          ['2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'],
        ]);
        // 00:15 … 20:15 UTC (11), then 22:15 plus 00:15 … 20:15 (12).
        expect(grid.slots.map((slot) => slot.plannedCount)).toEqual([11, 12]);
        expect(grid.slots.map((slot) => slot.plannedCount)).toEqual(
          await previewCounts(grid.slots, '2026-03-28T23:00:00Z'),
        );
        expect(grid.slots[0]!.planned[0]!.at).toBe('2026-03-29T00:15:00.000Z');
      });

      it('puts past runs in their slot and plans only from now on', async () => {
        insertRuns(app, [
          finished('past-1', s.id, '2026-03-20T10:10:00.000Z', 'succeeded'),
          finished('past-2', s.id, '2026-03-20T10:20:00.000Z', 'failed'),
          finished('past-3', s.id, '2026-03-20T11:40:00.000Z', 'succeeded'),
          finished('past-4', s.id, '2026-03-20T11:59:59.999Z', 'skipped'),
        ]);
        const grid = await ok<CalendarSlots>('calendar.slots', {
          from: '2026-03-20T09:00:00Z',
          to: '2026-03-20T15:00:00Z',
          timezone: 'UTC',
          slotMinutes: 60,
        });
        expect(grid.slots.map((slot) => [slot.start.slice(11, 16), slot.pastCount, slot.past])).toEqual([
          ['09:00', 0, {}],
          ['10:00', 2, { succeeded: 1, failed: 1 }],
          ['11:00', 2, { succeeded: 1, skipped: 1 }],
          ['12:00', 0, {}],
          ['13:00', 0, {}],
          ['14:00', 0, {}],
        ]);
        // 10:15 has passed (it is noon): planned starts at 12:15, every two hours.
        expect(grid.slots.map((slot) => slot.plannedCount)).toEqual([0, 0, 0, 1, 0, 1]);
      });

      it('plans only enabled schedules in scope, and takes the slot size from settings', async () => {
        const other = await create(
          scheduleInput('Hourly', { trigger: { ...trigger, expression: '45 * * * *' } }),
        );
        const range = {
          from: '2026-03-21T00:00:00Z',
          to: '2026-03-21T04:00:00Z',
          timezone: 'UTC',
          slotMinutes: 60,
        };
        const both = await ok<CalendarSlots>('calendar.slots', range);
        expect(both.slots.map((slot) => slot.plannedCount)).toEqual([2, 1, 2, 1]);
        const scoped = await ok<CalendarSlots>('calendar.slots', { ...range, scheduleId: other.id });
        expect(scoped.slots.map((slot) => slot.plannedCount)).toEqual([1, 1, 1, 1]);
        const group = await ok<CalendarSlots>('calendar.slots', { ...range, group: 'ops' });
        expect(group.slots.map((slot) => slot.plannedCount)).toEqual([1, 0, 1, 0]);
        await ok('schedules.setEnabled', { id: other.id, enabled: false });
        const paused = await ok<CalendarSlots>('calendar.slots', range);
        expect(paused.slots.map((slot) => slot.plannedCount)).toEqual([1, 0, 1, 0]);

        await ok('settings.update', { calendar: { slotMinutes: 120 } });
        const { slotMinutes: _, ...withoutSize } = range;
        const bySetting = await ok<CalendarSlots>('calendar.slots', withoutSize);
        expect(bySetting.slotMinutes).toBe(120);
        expect(bySetting.slots.map((slot) => slot.plannedCount)).toEqual([1, 1]);
      });

      it('refuses bad slot sizes, too many slots, bad ranges and unknown scopes', async () => {
        const range = { from: '2026-03-21T00:00:00Z', to: '2026-03-22T00:00:00Z', timezone: 'UTC' };
        await refused('calendar.slots', { ...range, slotMinutes: 7 }, 'VALIDATION', 'slotMinutes');
        await refused('calendar.slots', { ...range, slotMinutes: 30.5 }, 'VALIDATION', 'slotMinutes');
        // 8 days of 5-minute slots is 2304 slots: more than a week of them.
        await refused(
          'calendar.slots',
          { ...range, to: '2026-03-29T00:00:00Z', slotMinutes: 5 },
          'VALIDATION',
          'slotMinutes',
        );
        await refused('calendar.slots', { ...range, from: range.to, to: range.from }, 'VALIDATION', 'to');
        await refused(
          'calendar.slots',
          { ...range, to: '2026-05-21T00:00:00Z', slotMinutes: 1440 },
          'VALIDATION',
          'to',
        );
        await refused('calendar.slots', { from: range.from, to: range.to }, 'VALIDATION', 'timezone');
        await refused('calendar.slots', { ...range, scheduleId: 'nope' }, 'NOT_FOUND');
        await refused('calendar.slots', { ...range, group: 'nobody' }, 'NOT_FOUND');
      });
    });

    describe('crontab import, export and import, ICS, busy calendars', () => {
      const crontab = [
        'CRON_TZ=Europe/Berlin',
        '# Water the plants',
        '0 8 * * MONDAY-FRIDAY echo water',
        '@reboot echo never',
        '61 * * * * echo bad',
      ].join('\n');

      it('imports a crontab: a dry run stores nothing, the import stores the good lines', async () => {
        const dry = await ok<CrontabImport>('schedules.importCrontab', {
          text: crontab,
          dryRun: true,
          timezone: 'UTC',
        });
        expect(dry.items.map((item) => [item.lineNumber, item.status, item.message])).toEqual([
          [3, 'ok', '0 8 * * MONDAY-FRIDAY reads as 0 8 * * MON-FRI'],
          [4, 'skipped', expect.stringMatching(/^@reboot runs when the computer starts/)],
          [5, 'error', 'Minute must be 0–59; you wrote 61'],
        ]);
        expect(await ok('schedules.list', {})).toEqual({ items: [] });
        const done = await ok<CrontabImport>('schedules.importCrontab', {
          text: crontab,
          timezone: 'UTC',
          group: 'cron',
        });
        expect(done.created).toBe(1);
        expect(done.items[0]!.schedule).toMatchObject({
          name: 'Water the plants',
          group: 'cron',
          trigger: { type: 'cron', expression: '0 8 * * MON-FRI', timezone: 'Europe/Berlin' },
          // Monday 23 March, 08:00 CET
          nextFireAt: '2026-03-23T07:00:00.000Z',
        });
        await refused('schedules.importCrontab', { text: crontab, onError: 'abort' }, 'VALIDATION', 'text');
        await refused(
          'schedules.importCrontab',
          { text: crontab, timezone: 'Mars/Base' },
          'VALIDATION',
          'timezone',
        );
        await refused('schedules.importCrontab', { text: 42 }, 'VALIDATION', 'text');
        expect((await ok<{ items: Schedule[] }>('schedules.list', {})).items).toHaveLength(1);
      });

      it('exports a versioned document and imports it, chains by name', async () => {
        const target = await create(scheduleInput('Target'));
        await create(
          scheduleInput('Source', { policy: { then: { onSuccess: [target.id], onFailure: [] } } }),
        );
        const document = await ok<ExportDocument>('schedules.export', {});
        expect(document).toMatchObject({ almanac: 1, exportedAt: START });
        expect(document.schedules.map((schedule) => [schedule.name, schedule.policy.then])).toEqual([
          ['Source', { onSuccess: ['Target'], onFailure: [] }],
          ['Target', { onSuccess: [], onFailure: [] }],
        ]);
        const copied = await ok<DocumentImport>('schedules.import', { document, onConflict: 'copy' });
        expect(copied.items.map((item) => item.storedAs)).toEqual(['Source (2)', 'Target (2)']);
        const listed = await ok<{ items: Schedule[] }>('schedules.list', { search: '(2)' });
        const byName = new Map(listed.items.map((item) => [item.name, item]));
        expect(byName.get('Source (2)')!.policy.then!.onSuccess).toEqual([byName.get('Target (2)')!.id]);
        await refused('schedules.export', { format: 'xml' }, 'VALIDATION', 'format');
        await refused(
          'schedules.import',
          { document: { ...document, almanac: 2 } },
          'VALIDATION',
          'document.almanac',
        );
        await refused('schedules.import', { document: {} }, 'VALIDATION');
      });

      it('lists the automatic backups and asks for a restore at the next start', async () => {
        const taken = await backupDatabase(app.store.db, app.dataDir, { at: ms(START) - HOUR });
        const name = path.basename(taken);
        const list = await ok<BackupList>('backups.list', {});
        expect(list.items).toContainEqual({
          name,
          takenAt: iso(ms(START) - HOUR),
          bytes: fs.statSync(taken).size,
        });
        expect(list.pendingRestore).toBeNull();
        await refused('backups.restore', { name: '../almanac.db' }, 'VALIDATION', 'name');
        await refused('backups.restore', { name: 'almanac-20200101T000000000Z.db' }, 'NOT_FOUND');
        await refused('backups.restore', { name, when: 'now' }, 'VALIDATION', 'when');
        await refused('backups.list', { all: true }, 'VALIDATION', 'all');
        // a file that only looks like a backup is refused with why
        const fake = path.join(app.dataDir, 'backups', 'almanac-20200101T000000000Z.db');
        fs.writeFileSync(fake, 'not a database at all, just text long enough to be read as a header');
        const damaged = await refused('backups.restore', { name: path.basename(fake) }, 'VALIDATION', 'name');
        expect(damaged.message).toMatch(/damaged|cannot be read/);
        const restore = await ok<BackupRestore>('backups.restore', { name });
        expect(restore).toMatchObject({ name, appliesAt: 'next-start', takenAt: iso(ms(START) - HOUR) });
        expect((await ok<BackupList>('backups.list', {})).pendingRestore).toEqual({
          name,
          requestedAt: START,
        });
        // asked by mistake: forgotten again
        await refused('backups.cancelRestore', { name }, 'VALIDATION', 'name');
        expect(await ok('backups.cancelRestore', {})).toEqual({ cancelled: true });
        expect(await ok('backups.cancelRestore', {})).toEqual({ cancelled: false });
        expect((await ok<BackupList>('backups.list', {})).pendingRestore).toBeNull();
      });

      it('suggests free slots in working hours, on the quietest load', async () => {
        // every hour at :00 from 09:00 to 11:00 UTC on weekdays: those slots carry load
        await create(
          scheduleInput('Busy mornings', {
            trigger: { type: 'cron', expression: '0 9-11 * * 1-5', timezone: 'UTC' },
          }),
        );
        const free = await ok<FreeSlots>('calendar.freeSlots', {
          from: '2026-03-23T00:00:00Z',
          to: '2026-03-24T00:00:00Z',
          durationMinutes: 60,
          timezone: 'UTC',
          workingHours: { start: '09:00', end: '13:00', days: [1] },
          count: 2,
        });
        // occurrences at 09:00, 10:00 and 11:00: every hour starting before 11:15 holds one, so the first
        // quiet hour is 11:15–12:15, and the next one (from 12:15) would end after 13:00
        expect(free).toEqual({
          slots: [{ start: '2026-03-23T11:15:00.000Z', end: '2026-03-23T12:15:00.000Z', load: 0 }],
          notCounted: [],
        });
        await refused(
          'calendar.freeSlots',
          { from: START, to: '2026-03-21T00:00:00Z', durationMinutes: 2, timezone: 'UTC' },
          'VALIDATION',
          'durationMinutes',
        );
        await refused(
          'calendar.freeSlots',
          {
            from: START,
            to: '2026-03-21T00:00:00Z',
            durationMinutes: 30,
            timezone: 'UTC',
            workingHours: { start: '17:00', end: '09:00', days: [1] },
          },
          'VALIDATION',
          'workingHours.end',
        );
      });

      it('writes planned occurrences as iCalendar', async () => {
        const daily = await create(scheduleInput('Daily'));
        const ics = await ok<CalendarIcs>('calendar.ics', { from: START, to: '2026-03-23T12:00:00.000Z' });
        expect(ics).toMatchObject({ events: 3, truncated: false });
        expect(ics.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
        // 09:30 UTC on the 21st, 22nd and 23rd
        for (const day of ['21', '22', '23']) {
          expect(ics.text).toContain(`UID:${daily.id}-${ms(`2026-03-${day}T09:30:00Z`)}@almanac`);
        }
        await refused('calendar.ics', { from: START, to: START }, 'VALIDATION', 'to');
        await refused(
          'calendar.ics',
          { from: START, to: '2026-03-23T12:00:00.000Z', scheduleIds: ['nope'] },
          'NOT_FOUND',
        );
      });

      it('reads busy calendars named in settings into calendar.slots', async () => {
        const file = path.join(app.dataDir, 'busy.ics');
        fs.writeFileSync(
          file,
          [
            'BEGIN:VCALENDAR',
            'VERSION:2.0',
            'PRODID:-//contract//EN',
            'BEGIN:VEVENT',
            'UID:focus@contract',
            'DTSTAMP:20260101T000000Z',
            'DTSTART;TZID=Europe/Berlin:20260316T140000',
            'DTEND;TZID=Europe/Berlin:20260316T160000',
            'RRULE:FREQ=WEEKLY;BYDAY=MO,FR',
            'SUMMARY:Focus time',
            'END:VEVENT',
            'END:VCALENDAR',
          ].join('\r\n'),
        );
        await refused(
          'settings.update',
          { busyCalendars: [{ path: `${file}.gone`, name: 'Gone' }] },
          'VALIDATION',
          'busyCalendars.0.path',
        );
        const settings = await ok<Settings>('settings.update', {
          busyCalendars: [{ path: file, name: 'Focus' }],
        });
        expect(settings.busyCalendars).toEqual([{ path: file, name: 'Focus' }]);
        const slots = await ok<CalendarSlots>('calendar.slots', {
          from: '2026-03-20T00:00:00Z',
          to: '2026-03-24T00:00:00Z',
          timezone: 'UTC',
          slotMinutes: 1440,
        });
        // Friday the 20th and Monday the 23rd, 14:00–16:00 CET
        expect(slots.busy).toEqual([
          {
            start: '2026-03-20T13:00:00.000Z',
            end: '2026-03-20T15:00:00.000Z',
            calendar: 'Focus',
            summary: 'Focus time',
          },
          {
            start: '2026-03-23T13:00:00.000Z',
            end: '2026-03-23T15:00:00.000Z',
            calendar: 'Focus',
            summary: 'Focus time',
          },
        ]);
        expect(slots.busyProblems).toEqual([]);
      });
    });

    it('reads settings with defaults, merges nested patches, refuses bad ones', async () => {
      expect(await ok('settings.get', {})).toEqual(DEFAULT_SETTINGS);
      expect(await ok('settings.get', undefined)).toEqual(DEFAULT_SETTINGS);
      const merged = await ok<Settings>('settings.update', {
        workingHours: { start: '08:00' },
        notifications: { silent: true },
        closeToTray: false,
      });
      const want: Settings = {
        ...DEFAULT_SETTINGS,
        workingHours: { ...DEFAULT_SETTINGS.workingHours, start: '08:00' },
        notifications: { ...DEFAULT_SETTINGS.notifications, silent: true },
        closeToTray: false,
      };
      expect(merged).toEqual(want);
      expect(await ok('settings.get', {})).toEqual(want);
      expect(app.of('settings.changed')).toEqual([want]);

      // The patch alone is fine, the merge is not: 18:00 is after the 17:00 end.
      await refused(
        'settings.update',
        { workingHours: { start: '18:00' } },
        'VALIDATION',
        'workingHours.end',
      );
      await refused(
        'settings.update',
        { retention: { maxAgeDays: 0 } },
        'VALIDATION',
        'retention.maxAgeDays',
      );
      await refused(
        'settings.update',
        { calendar: { slotMinutes: 7 } },
        'VALIDATION',
        'calendar.slotMinutes',
      );
      await refused(
        'settings.update',
        { workingHours: { start: '25:00' } },
        'VALIDATION',
        'workingHours.start',
      );
      await refused('settings.update', { maxConcurrentRuns: 0 }, 'VALIDATION', 'maxConcurrentRuns');
      const unknown = await refused('settings.update', { theme: 'dark' }, 'VALIDATION');
      expect(unknown.message).toMatch(/theme/);
      await refused('settings.update', { notifications: { loud: true } }, 'VALIDATION', 'notifications.loud');
      await refused('settings.get', 'please', 'VALIDATION');
      expect(await ok('settings.get', {})).toEqual(want);
      expect(app.of('settings.changed')).toHaveLength(1);
    });

    it('reports app.status', async () => {
      await create(
        scheduleInput('Soon', { trigger: { type: 'interval', everySeconds: 600, timezone: 'UTC' } }),
      );
      await create(scheduleInput('Later'));
      const status = await ok<AppStatus>('app.status', {});
      expect(status).toEqual({
        version: 'test',
        dataDir: app.dataDir,
        mode: 'browser',
        notices: [],
        // browser mode cannot tell power or idle time
        conditionsSupported: false,
        engine: {
          running: true,
          scheduleCount: 2,
          queued: 0,
          active: 0,
          // an interval counts from its creation: 12:10
          nextFireAt: iso(ms(START) + 10 * MIN),
        },
      });
      expect(await ok('app.status', undefined)).toEqual(status);
      await refused('app.status', 42, 'VALIDATION');
    });

    it('answers an unknown method with NOT_FOUND', async () => {
      await refused('schedules.explode', {}, 'NOT_FOUND');
      await refused('toString', {}, 'NOT_FOUND');
      await refused('__proto__', {}, 'NOT_FOUND');
    });

    it('has a success and a refusal for every method of the contract', () => {
      const missing = methodNames.filter((method) => {
        const outcomes = seen.get(method);
        return !outcomes?.has('ok') || ![...outcomes].some((outcome) => outcome !== 'ok');
      });
      expect(missing).toEqual([]);
      expect([...seen.keys()].filter((method) => methodNames.includes(method as never)).sort()).toEqual(
        [...methodNames].sort(),
      );
      for (const outcomes of seen.values()) expect(outcomes.has('INTERNAL')).toBe(false);
    });
  });
}

for (const [name, make] of doors) contractSuite(name, make);

/**
 * The same script on two fresh apps with the same clock, one through each door: the answers are
 * equal once ids (and the data directory) are replaced by placeholders.
 */
async function script(call: Caller, app: TestApp): Promise<Result<unknown>[]> {
  const out: Result<unknown>[] = [];
  const step = async (method: string, input: unknown) => {
    const result = await call(method, input);
    out.push(result);
    return result.ok ? (result.value as Record<string, unknown>) : null;
  };
  const a = (await step('schedules.create', scheduleInput('Alpha', { group: 'g' })))!;
  const b = (await step('schedules.create', scheduleInput('Beta', { group: 'g', notes: 'second' })))!;
  await step('schedules.create', { name: '' });
  await step('schedules.get', { id: a.id });
  await step('schedules.update', { id: a.id, version: 1, patch: { notes: 'edited' } });
  await step('schedules.update', { id: a.id, version: 1, patch: { notes: 'stale' } });
  await step('schedules.list', { search: 'second' });
  await step('schedules.setEnabled', { id: b.id, enabled: false });
  await step('schedules.list', { state: 'paused' });
  await step('schedules.preview', {
    trigger: { type: 'interval', everySeconds: 90, timezone: 'UTC' },
    count: 3,
  });
  const run = (await step('schedules.runNow', { id: a.id }))!;
  await app.engine.whenIdle();
  await new Promise((resolve) => setImmediate(resolve));
  await step('runs.get', { id: run.id });
  await step('runs.cancel', { id: run.id });
  insertRuns(
    app,
    Array.from({ length: 7 }, (_, i) =>
      finished(
        `fixed-${i}`,
        (i % 2 ? a.id : b.id) as string,
        iso(ms('2026-03-19T00:00:00Z') + i * HOUR),
        'succeeded',
        {
          durationMs: i * 10,
        },
      ),
    ),
  );
  let page = await step('runs.list', { limit: 3 });
  while (page?.nextCursor) page = await step('runs.list', { limit: 3, cursor: page.nextCursor });
  await step('runs.list', { scheduleId: b.id, status: ['succeeded'] });
  await step('runs.stats', {
    timezone: 'Asia/Tokyo',
    from: '2026-03-18T00:00:00Z',
    to: '2026-03-21T00:00:00Z',
  });
  await step('calendar.slots', {
    from: '2026-03-19T00:00:00Z',
    to: '2026-03-22T00:00:00Z',
    timezone: 'America/Los_Angeles',
    slotMinutes: 180,
  });
  await step('calendar.slots', {
    from: '2026-03-19T00:00:00Z',
    to: '2026-03-22T00:00:00Z',
    timezone: 'UTC',
    slotMinutes: 9,
  });
  await step('groups.setEnabled', { group: 'g', enabled: true });
  await step('groups.cancel', { group: 'g' });
  await step('groups.cancel', { group: 'h' });
  await step('settings.update', { retention: { runsPerSchedule: 5 } });
  await step('settings.update', { retention: { runsPerSchedule: -5 } });
  await step('settings.get', {});
  await step('app.status', {});
  await step('calendar.ics', { from: '2026-03-20T00:00:00Z', to: '2026-03-27T00:00:00Z' });
  const crontab = 'CRON_TZ=Asia/Tokyo\n# Tea\n0 15 * * * echo tea%now\n@reboot x\n';
  await step('schedules.importCrontab', { text: crontab, dryRun: true });
  await step('schedules.importCrontab', { text: crontab, onError: 'abort' });
  await step('schedules.importCrontab', { text: '61 * * * * x', onError: 'abort' });
  const document = await step('schedules.export', {});
  await step('schedules.import', { document, onConflict: 'copy', dryRun: true });
  await step('schedules.import', { document: { ...document, almanac: 9 } });
  await step('schedules.delete', { id: a.id });
  await step('schedules.get', { id: a.id });
  await step('no.such.method', {});
  return out;
}

describe('both doors give the same answers', () => {
  let apps: TestApp[] = [];
  afterEach(() => {
    for (const app of apps) app.close();
    apps = [];
  });

  it('to the same script on two fresh apps', async () => {
    quietLog.errors.length = 0;
    const local = startTestApp({ start: START });
    const remote = startTestApp({ start: START });
    apps = [local, remote];
    const http = await httpDoor(remote);
    try {
      const inProcess = await script(inProcessDoor(local).call, local);
      const overHttp = await script(http.call, remote);
      expect(overHttp).toHaveLength(inProcess.length);
      expect(normalise(overHttp, [remote.dataDir])).toEqual(normalise(inProcess, [local.dataDir]));
      // Not a comparison of two lists of errors: the script mostly succeeds.
      const codes = inProcess.map((result) => (result.ok ? 'ok' : result.error.code));
      expect(codes.filter((code) => code === 'ok').length).toBeGreaterThan(20);
      expect(new Set(codes)).toEqual(new Set(['ok', 'VALIDATION', 'CONFLICT', 'NOT_FOUND']));
      expect(quietLog.errors).toEqual([]);
    } finally {
      await http.close();
    }
  });
});
