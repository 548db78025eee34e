/**
 * runs.stats against a real SQLite file: every figure (totals, counts by status, success rate,
 * percentiles, and each calendar day's counts by status and percentiles) equals a brute-force
 * computation over the rows of the runs table, for zones with DST, half-hour and 45-minute offsets,
 * ranges that start and end mid-hour, one schedule, a set of schedules and all of them.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStatus, type RunStatus as Status } from '../../src/shared/domain';
import type { RunStats } from '../../src/shared/api';
import { Store, type RunScope } from '../../src/main/store';
import { calendarDays } from '../../src/main/store/stats';
import { bucketOf, fillCountersSql } from '../../src/main/store/run-counters';
import { tempDir } from '../support/engine';

const STATUSES = RunStatus.options;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const SCHEDULES = ['s0', 's1', 's2', 's3'];

let store: Store;

interface Row {
  schedule_id: string;
  at: number;
  status: Status;
  missed_count: number | null;
  duration_ms: number | null;
}

/** The rules of runs.stats, applied to every row of the table, one by one. */
function bruteForce(scope: RunScope, from: number, to: number, zone: string, db = store.db): RunStats {
  const rows = db
    .prepare('SELECT schedule_id, at, status, missed_count, duration_ms FROM runs')
    .all() as Row[];
  const inScope = (id: string) =>
    scope.kind === 'all' || (scope.kind === 'schedule' ? scope.id === id : scope.ids.includes(id));
  const kept = rows.filter((row) => inScope(row.schedule_id) && row.at >= from && row.at < to);
  const weight = (row: Row) => (row.status === 'missed' ? (row.missed_count ?? 1) : 1);
  const nearestRank = (values: number[]) => {
    if (!values.length) return null;
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
    return { p50: at(50), p95: at(95) };
  };
  const durationsOf = (list: Row[]) =>
    list
      .filter((row) => ['succeeded', 'failed', 'timed-out'].includes(row.status) && row.duration_ms !== null)
      .map((row) => row.duration_ms!);
  const countsOf = (list: Row[]) => {
    const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
    for (const row of list) counts[row.status] += weight(row);
    return counts;
  };
  // every calendar date the range touches, in the zone
  const dates: string[] = [];
  for (
    let date = DateTime.fromMillis(from, { zone }).startOf('day');
    date.toMillis() < to;
    date = date.plus({ days: 1 })
  )
    dates.push(date.toISODate()!);
  // Intl, not luxon: an independent reading of the zone's calendar (en-CA writes YYYY-MM-DD)
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const dayOf = (at: number) => format.format(at);
  const days = dates.map((day) => {
    const list = kept.filter((row) => dayOf(row.at) === day);
    const byStatus = countsOf(list);
    return {
      day,
      total: list.reduce((sum, row) => sum + weight(row), 0),
      succeeded: byStatus.succeeded,
      failed: byStatus.failed + byStatus['timed-out'] + byStatus.interrupted,
      byStatus,
      durationMs: nearestRank(durationsOf(list)),
    };
  });
  const byStatus = countsOf(kept);
  const base = byStatus.succeeded + byStatus.failed + byStatus['timed-out'] + byStatus.interrupted;
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    total: kept.reduce((sum, row) => sum + weight(row), 0),
    byStatus,
    successRate: base ? byStatus.succeeded / base : null,
    durationMs: nearestRank(durationsOf(kept)),
    days,
  };
}

/**
 * Counts equal; each percentile is the mean of the durations in the exact value's histogram bucket,
 * so it lies in that bucket: at most 1/64 of the value away, and equal below 128 ms.
 */
function expectSameStats(answer: RunStats, expected: RunStats, zone: string): void {
  const percentilesOf = (stats: RunStats) => [stats.durationMs, ...stats.days.map((day) => day.durationMs)];
  const withoutPercentiles = (stats: RunStats) => ({
    ...stats,
    durationMs: null,
    days: stats.days.map((day) => ({ ...day, durationMs: null })),
  });
  expect(withoutPercentiles(answer), zone).toEqual(withoutPercentiles(expected));
  const got = percentilesOf(answer);
  percentilesOf(expected).forEach((exact, i) => {
    if (exact === null) return expect(got[i], `${zone} #${i}`).toBeNull();
    for (const p of ['p50', 'p95'] as const) {
      const value = got[i]![p];
      expect(bucketOf(value), `${zone} #${i} ${p}: ${value} vs ${exact[p]}`).toBe(bucketOf(exact[p]));
      expect(Math.abs(value - exact[p])).toBeLessThanOrEqual(exact[p] / 64);
      if (exact[p] < 128) expect(value).toBe(exact[p]);
    }
  });
}

beforeAll(() => {
  store = Store.open(tempDir());
  let seed = 11;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  store.transaction(() => {
    for (let i = 0; i < 4000; i++) {
      // ten days, bunched on whole hours and half hours so boundaries are hit exactly, with stragglers
      const at =
        T0 +
        (random() < 0.3 ? Math.floor(random() * 480) * (HOUR / 2) : Math.floor(random() * 10 * DAY)) -
        (random() < 0.05 ? 1 : 0);
      const status = pick(STATUSES);
      const ran = ['succeeded', 'failed', 'timed-out', 'cancelled', 'interrupted'].includes(status);
      store.runs.insert({
        id: `r${String(i).padStart(5, '0')}`,
        scheduleId: pick(SCHEDULES),
        scheduledAt: at,
        fireAt: at,
        trigger: 'schedule',
        attempt: 1 + i,
        status,
        missedCount: status === 'missed' ? 1 + Math.floor(random() * 20) : null,
        // short ones, exact ones, long ones; a few finished rows with no duration
        durationMs:
          ran && random() < 0.95
            ? pick([
                () => Math.floor(random() * 100),
                () => 1000 * Math.floor(random() * 5),
                () => Math.floor(random() * 5_000_000),
              ])()
            : null,
      });
    }
  });
});
afterAll(() => store.close());

const scopes: [string, RunScope][] = [
  ['all schedules', { kind: 'all' }],
  ['one schedule', { kind: 'schedule', id: 's2' }],
  ['a group', { kind: 'schedules', ids: ['s0', 's3'] }],
  ['an empty group', { kind: 'schedules', ids: [] }],
  ['a schedule with no runs', { kind: 'schedule', id: 'nobody' }],
];
const zones = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
];
const ranges: [string, number, number][] = [
  ['the whole history', T0 - DAY, T0 + 11 * DAY],
  ['mid-hour to mid-hour', T0 + 17 * 60_000 + 123, T0 + 6 * DAY + 41 * 60_000],
  ['within one hour', T0 + 3 * DAY + 5 * 60_000, T0 + 3 * DAY + 50 * 60_000],
  ['hour-aligned days', T0 + DAY, T0 + 4 * DAY],
  ['across the New York DST start', Date.parse('2026-03-07T05:00:00Z'), Date.parse('2026-03-10T04:00:00Z')],
];

describe('runs.stats equals a brute-force count over the runs table', () => {
  for (const [scopeName, scope] of scopes)
    for (const [rangeName, from, to] of ranges)
      it(`${scopeName}, ${rangeName}, in every zone`, () => {
        for (const zone of zones) {
          const answer = store.stats.summary(scope, from, to, zone);
          const expected = bruteForce(scope, from, to, zone);
          expectSameStats(answer, expected, zone);
          // per-day status counts add up to the day's total, and the days to the range's
          for (const day of answer.days)
            expect(Object.values(day.byStatus).reduce((a, b) => a + b, 0)).toBe(day.total);
          expect(answer.days.reduce((sum, day) => sum + day.total, 0)).toBe(answer.total);
        }
      });

  it('the fixture has something in every status and in most days', () => {
    const all = bruteForce({ kind: 'all' }, T0 - DAY, T0 + 11 * DAY, 'UTC');
    for (const status of STATUSES) expect(all.byStatus[status]).toBeGreaterThan(0);
    expect(all.days.filter((day) => day.total > 0).length).toBeGreaterThanOrEqual(10);
  });
});

/** Every counter row, in key order. */
function countersOf(db: Store['db']): unknown[][] {
  return ['run_counts', 'run_durations', 'run_duration_days'].map((table) =>
    db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all(),
  );
}

describe('the counters follow every write to the runs table', () => {
  it('run ends, edits, deletes and retention leave them equal to a rebuild from the rows', () => {
    const own = Store.open(tempDir());
    try {
      let seed = 5;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      const ids: string[] = [];
      own.transaction(() => {
        for (let i = 0; i < 1500; i++) {
          const at = T0 + Math.floor(random() * 6 * DAY);
          const id = `m${i}`;
          ids.push(id);
          // born queued (a claim), or already ended (skipped, missed)
          const status = pick(['queued', 'queued', 'queued', 'skipped', 'missed'] as const);
          own.runs.insert({
            id,
            scheduleId: pick(SCHEDULES),
            scheduledAt: at,
            fireAt: at,
            trigger: 'schedule',
            attempt: 1,
            status,
            missedCount: status === 'missed' ? 2 + Math.floor(random() * 5) : null,
          });
        }
      });
      const ended = (status: Status) => status !== 'queued' && status !== 'running';
      for (const id of ids) {
        const run = own.runs.get(id)!;
        if (run.status !== 'queued') continue;
        if (random() < 0.8) own.runs.markStarted(id, run.fireAt! + 5);
        if (random() < 0.7)
          own.runs.finish(id, {
            status: pick(['succeeded', 'failed', 'timed-out', 'cancelled', 'interrupted'] as const),
            finishedAt: run.fireAt! + 1000,
            durationMs: random() < 0.9 ? Math.floor(random() * 100_000) : null,
          });
      }
      // edits of ended rows: a status changed, a missed row that grew, a duration corrected
      const update = own.db.prepare(
        'UPDATE runs SET status = ?, missed_count = ?, duration_ms = ? WHERE id = ?',
      );
      for (const id of ids.filter((_, i) => i % 7 === 0)) {
        const run = own.runs.get(id)!;
        if (!ended(run.status)) continue;
        const status = pick(STATUSES);
        update.run(
          status,
          status === 'missed' ? 1 + Math.floor(random() * 9) : null,
          random() < 0.5 ? 42 : 5000,
          id,
        );
      }
      own.runs.deleteQueued('s1');
      while (own.retention.pruneBatch({ runsPerSchedule: 200, maxAgeDays: 10_000 }, T0 + 7 * DAY, 50) > 0);
      while (own.retention.pruneBatch({ runsPerSchedule: 10_000, maxAgeDays: 5 }, T0 + 7 * DAY, 50) > 0);

      const kept = countersOf(own.db);
      expect((kept[0] as unknown[]).length).toBeGreaterThan(100);
      own.transaction(() => {
        for (const table of ['run_counts', 'run_durations', 'run_duration_days'])
          own.db.exec(`DELETE FROM ${table}`);
        for (const { sql } of fillCountersSql()) own.db.exec(sql);
      });
      expect(countersOf(own.db)).toEqual(kept);
      // and the answers still equal the brute force over what is left
      for (const zone of ['UTC', 'Asia/Kolkata'])
        for (const scope of scopes.map(([, scope]) => scope))
          expectSameStats(
            own.stats.summary(scope, T0 - DAY, T0 + 7 * DAY, zone),
            bruteForce(scope, T0 - DAY, T0 + 7 * DAY, zone, own.db),
            zone,
          );
      // live rows are counted too, straight from the table
      const live = bruteForce({ kind: 'all' }, T0 - DAY, T0 + 7 * DAY, 'UTC', own.db).byStatus;
      expect(live.queued + live.running).toBeGreaterThan(0);
    } finally {
      own.close();
    }
  });
});

/** DST at 01:00 or 02:00, DST gaps at midnight, half- and quarter-hour offsets, half-hour DST, no DST. */
const DAY_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Africa/Cairo',
  'America/Asuncion',
  'America/Santiago',
  'America/Havana',
  'Asia/Beirut',
  'Atlantic/Azores',
  'America/Godthab',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Africa/Casablanca',
  'Asia/Tehran',
];

describe('calendar days', () => {
  it('agree with Intl from 2024 to mid-2026, DST days and midnight gaps included', () => {
    const from = Date.parse('2024-01-01T07:13:00Z');
    const to = Date.parse('2026-06-01T00:00:00Z');
    const wrong: string[] = [];
    for (const zone of DAY_ZONES) {
      const format = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const days = calendarDays(from, to, zone);
      expect([days[0]!.start, days[days.length - 1]!.end]).toEqual([from, to]);
      for (const [i, { day, start, end }] of days.entries()) {
        // one date from its first to its last millisecond; the next day starts where it ends, on another date
        if (
          format.format(start) !== day ||
          format.format(end - 1) !== day ||
          (i + 1 < days.length && (days[i + 1]!.start !== end || format.format(end) === day))
        )
          wrong.push(`${zone} ${day}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
