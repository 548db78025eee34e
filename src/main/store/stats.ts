/**
 * Aggregates over run history for `runs.stats` and the calendar's past side. The counting happens in
 * SQLite, one index range per bucket, so the renderer never downloads raw history to draw a chart.
 */
import { IANAZone } from 'luxon';
import type { RunStats as RunStatsAnswer, RunStatsDay } from '../../shared/api';
import { RunStatus } from '../../shared/domain';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import {
  addTo,
  bucketOf,
  DAY_MS,
  ENDED_SQL,
  histogramPercentiles,
  HOUR_MS,
  LIVE_STATUSES,
  TIMED,
  type Histogram,
} from './run-counters';

interface EdgeRow {
  at: number;
  status: RunStatus;
  missed_count: number | null;
  duration_ms: number | null;
}

/** Which runs count: all, one schedule, or a set of schedules (a group). */
export type RunScope =
  { kind: 'all' } | { kind: 'schedule'; id: string } | { kind: 'schedules'; ids: string[] };

export type StatusCounts = Partial<Record<RunStatus, number>>;

/** A `missed` row stands for `missed_count` occurrences; every other row for one run. */
const WEIGHT = "CASE WHEN status = 'missed' THEN COALESCE(missed_count, 1) ELSE 1 END";

export class RunStats {
  private readonly cache = new Map<string, Statement<unknown[]>>();

  private readonly countRows;
  private readonly groupCountRows;
  private readonly durationRows;
  private readonly groupDurationRows;
  private readonly allHourRows;
  private readonly allDayRows;

  constructor(private readonly db: Db) {
    // rows as arrays (hour, status, n) and (hour, bucket, n, total), in hour order
    const counts = (schedules: string, order: string) =>
      db
        .prepare<[string, number, number]>(
          `SELECT hour, status, n FROM run_counts WHERE schedule_id ${schedules} AND hour >= ? AND hour < ? ${order}`,
        )
        .raw();
    const durations = (schedules: string, order: string) =>
      db
        .prepare<[string, number, number]>(
          `SELECT hour, bucket, n, total_ms FROM run_durations
           WHERE schedule_id ${schedules} AND hour >= ? AND hour < ? ${order}`,
        )
        .raw();
    // one schedule reads its primary key in hour order already; a group is sorted
    const group = 'IN (SELECT value FROM json_each(?))';
    this.countRows = counts('= ?', '');
    this.groupCountRows = counts(group, 'ORDER BY hour');
    this.durationRows = durations('= ?', '');
    this.groupDurationRows = durations(group, 'ORDER BY hour');
    this.allHourRows = db
      .prepare<[number, number]>(
        `SELECT bucket, n, total_ms FROM run_durations WHERE schedule_id = '' AND hour >= ? AND hour < ?`,
      )
      .raw();
    this.allDayRows = db
      .prepare<[number, number]>(
        'SELECT day, bucket, n, total_ms FROM run_duration_days WHERE day >= ? AND day < ?',
      )
      .raw();
  }

  /**
   * `runs.stats` for [from, to): counts by status, success rate, duration percentiles (nearest rank),
   * and one bucket per calendar day of the range in `timezone`.
   *
   * Whole UTC hours inside a day come from the counters (run-counters.ts); the rest of the range (a
   * start or end inside an hour, a day that begins inside an hour in a half-hour zone) and the runs
   * still queued or running are read from the runs table. Counts are therefore exact in every zone;
   * percentiles are exact to the histogram's bucket (see run-counters.ts).
   */
  summary(scope: RunScope, from: number, to: number, timezone: string): RunStatsAnswer {
    const days = calendarDays(from, to, timezone);
    const counts = days.map(() => zeroCounts());
    const histograms: Histogram[] = days.map(() => new Map());
    const dayAt = (at: number) => {
      let lo = 0;
      let hi = days.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (days[mid]!.start <= at) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    // Each day: the whole hours the counters answer for, and the edges read from the runs table.
    const covered: { first: number; end: number; index: number }[] = [];
    const edges: [number, number][] = [];
    days.forEach(({ start, end }, index) => {
      const first = Math.ceil(start / HOUR_MS);
      const last = Math.floor(end / HOUR_MS);
      if (first >= last) return void edges.push([start, end]);
      covered.push({ first, end: last, index });
      if (start < first * HOUR_MS) edges.push([start, first * HOUR_MS]);
      if (last * HOUR_MS < end) edges.push([last * HOUR_MS, end]);
    });
    // One schedule, '' for all of them, or a group's members as a JSON list. One range read of the
    // counters, hour by hour, each hour added to the day that covers it (a split hour to none).
    const key = scope.kind === 'all' ? '' : scope.kind === 'schedule' ? scope.id : JSON.stringify(scope.ids);
    const group = scope.kind === 'schedules';
    const walk = (rows: unknown[][], add: (index: number, row: unknown[]) => void) => {
      let p = 0;
      for (const row of rows) {
        const hour = row[0] as number;
        while (p < covered.length && covered[p]!.end <= hour) p++;
        if (p === covered.length) break;
        if (covered[p]!.first <= hour) add(covered[p]!.index, row);
      }
    };
    if (covered.length) {
      const first = covered[0]!.first;
      const end = covered[covered.length - 1]!.end;
      walk(
        (group ? this.groupCountRows : this.countRows).all(key, first, end) as unknown[][],
        (index, row) => {
          counts[index]![row[1] as RunStatus] += row[2] as number;
        },
      );
      if (scope.kind === 'all') this.allDurations(covered, histograms);
      else
        walk(
          (group ? this.groupDurationRows : this.durationRows).all(key, first, end) as unknown[][],
          (index, row) => addTo(histograms[index]!, row[1] as number, row[2] as number, row[3] as number),
        );
    }
    const { clause, params } = this.scopeClause(scope);
    for (const [start, end] of edges) {
      const rows = this.prepare(
        `SELECT at, status, missed_count, duration_ms FROM runs WHERE ${clause} at >= ? AND at < ?
           AND status ${ENDED_SQL}`,
      ).all(...params, start, end) as EdgeRow[];
      for (const row of rows) {
        const index = dayAt(row.at);
        counts[index]![row.status] += row.status === 'missed' ? (row.missed_count ?? 1) : 1;
        if (row.duration_ms !== null && TIMED.has(row.status))
          addTo(histograms[index]!, bucketOf(row.duration_ms), 1, row.duration_ms);
      }
    }
    for (const status of LIVE_STATUSES) {
      const live = this.prepare(`SELECT at FROM runs WHERE ${clause} status = ? AND at >= ? AND at < ?`)
        .pluck()
        .all(...params, status, from, to) as number[];
      for (const at of live) counts[dayAt(at)]![status]++;
    }

    const byStatus = zeroCounts();
    const whole: Histogram = new Map();
    const buckets = days.map(({ day }, index) => {
      for (const status of STATUSES) byStatus[status] += counts[index]![status];
      for (const [bucket, [n, total]] of histograms[index]!) addTo(whole, bucket, n, total);
      return dayBucket(day, counts[index]!, histogramPercentiles(histograms[index]!));
    });
    const finished = SUCCESS_BASE.reduce((sum, status) => sum + byStatus[status], 0);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      total: buckets.reduce((sum, bucket) => sum + bucket.total, 0),
      byStatus,
      successRate: finished ? byStatus.succeeded / finished : null,
      durationMs: histogramPercentiles(whole),
      days: buckets,
    };
  }

  /**
   * The all-schedules histograms of the covered days: whole UTC days from the daily table (one
   * read for the range), and the hours between each day's ends and the nearest UTC midnights added
   * or taken away from the hourly one, so a day in New York reads one day and 2 × 5 hours rather
   * than 24 hours.
   */
  private allDurations(
    covered: { first: number; end: number; index: number }[],
    histograms: Histogram[],
  ): void {
    const add = (histogram: Histogram, rows: unknown[][], sign: 1 | -1, from = 0) => {
      for (const row of rows)
        addTo(
          histogram,
          row[from] as number,
          sign * (row[from + 1] as number),
          sign * (row[from + 2] as number),
        );
    };
    const wholeDays: { firstDay: number; endDay: number; index: number }[] = [];
    for (const { first, end, index } of covered) {
      const histogram = histograms[index]!;
      const hours = (a: number, b: number, sign: 1 | -1) => {
        if (a < b) add(histogram, this.allHourRows.all(a, b) as unknown[][], sign);
      };
      const firstDay = Math.round(first / 24);
      const endDay = Math.round(end / 24);
      if (endDay <= firstDay) {
        hours(first, end, 1);
        continue;
      }
      wholeDays.push({ firstDay, endDay, index });
      hours(first, firstDay * 24, 1);
      hours(firstDay * 24, first, -1);
      hours(endDay * 24, end, 1);
      hours(end, endDay * 24, -1);
    }
    if (!wholeDays.length) return;
    // (day, bucket, n, total) in day order; each day to the calendar days that take it whole
    const rows = this.allDayRows.all(
      wholeDays[0]!.firstDay,
      wholeDays[wholeDays.length - 1]!.endDay,
    ) as unknown[][];
    let p = 0;
    for (const row of rows) {
      const day = row[0] as number;
      while (p < wholeDays.length && wholeDays[p]!.endDay <= day) p++;
      if (p === wholeDays.length) break;
      if (wholeDays[p]!.firstDay <= day) add(histograms[wholeDays[p]!.index]!, [row], 1, 1);
    }
  }

  /** Counts by status of runs with `at` in [from, to). */
  countByStatus(scope: RunScope, from: number, to: number): StatusCounts {
    const { clause, params } = this.scopeClause(scope);
    const rows = this.prepare(
      `SELECT status, SUM(${WEIGHT}) AS n FROM runs WHERE ${clause} at >= ? AND at < ? GROUP BY status`,
    ).all(...params, from, to) as { status: RunStatus; n: number }[];
    const counts: StatusCounts = {};
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  private scopeClause(scope: RunScope): { clause: string; params: unknown[] } {
    switch (scope.kind) {
      case 'all':
        return { clause: '', params: [] };
      case 'schedule':
        return { clause: 'schedule_id = ? AND', params: [scope.id] };
      case 'schedules':
        // An empty group matches nothing; `IN ()` is valid SQLite and says so.
        return { clause: `schedule_id IN (${scope.ids.map(() => '?').join(', ')}) AND`, params: scope.ids };
    }
  }

  private prepare(sql: string): Statement<unknown[]> {
    let statement = this.cache.get(sql);
    if (!statement) {
      if (this.cache.size > 100) this.cache.clear();
      statement = this.db.prepare<unknown[]>(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

const STATUSES = RunStatus.options;
/** The runs a success rate is out of: those that ran to an end of their own. */
const SUCCESS_BASE: readonly RunStatus[] = ['succeeded', 'failed', 'timed-out', 'interrupted'];

function zeroCounts(): Record<RunStatus, number> {
  return Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
}

/**
 * The calendar days of [from, to) in `timezone`, each cut to the range. A day's midnight comes from
 * the zone's offset (one lookup per day); a day with an offset change in it asks luxon.
 */
export function calendarDays(
  from: number,
  to: number,
  timezone: string,
): { day: string; start: number; end: number }[] {
  const zone = IANAZone.create(timezone);
  const offsetAt = (ts: number) => zone.offset(ts) * 60_000;
  const dateAt = (ts: number) => Math.floor((ts + offsetAt(ts)) / DAY_MS);
  const days: { day: string; start: number; end: number }[] = [];
  let offset = offsetAt(from);
  for (let start = from; start < to;) {
    const local = Math.floor((start + offset) / DAY_MS);
    let next = (local + 1) * DAY_MS - offset;
    const after = offsetAt(next);
    if (after !== offset) {
      // The offset changes before the next midnight (or the midnight falls in a gap): the day ends
      // at the first instant whose local date is a later one.
      let lo = start;
      let hi = start + 2 * DAY_MS;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (dateAt(mid) > local) hi = mid;
        else lo = mid;
      }
      next = hi;
    }
    const end = Math.min(next, to);
    days.push({ day: new Date(local * DAY_MS).toISOString().slice(0, 10), start, end });
    start = end;
    offset = after === offset ? after : offsetAt(start);
  }
  return days;
}

export function dayBucket(
  day: string,
  counts: StatusCounts,
  durationMs: RunStatsDay['durationMs'],
): RunStatsDay {
  const byStatus = zeroCounts();
  let total = 0;
  for (const status of STATUSES) {
    byStatus[status] = counts[status] ?? 0;
    total += byStatus[status];
  }
  return {
    day,
    total,
    succeeded: byStatus.succeeded,
    failed: byStatus.failed + byStatus['timed-out'] + byStatus.interrupted,
    byStatus,
    durationMs,
  };
}
