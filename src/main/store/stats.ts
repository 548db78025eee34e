/**
 * Aggregates over run history for `runs.stats` and the calendar's past side. The counting happens in
 * SQLite, one index range per bucket, so the renderer never downloads raw history to draw a chart.
 */
import { DateTime } from 'luxon';
import type { RunStats as RunStatsAnswer, RunStatsDay } from '../../shared/api';
import { RunStatus } from '../../shared/domain';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** Which runs count: all, one schedule, or a set of schedules (a group). */
export type RunScope =
  { kind: 'all' } | { kind: 'schedule'; id: string } | { kind: 'schedules'; ids: string[] };

export type StatusCounts = Partial<Record<RunStatus, number>>;

/** A `missed` row stands for `missed_count` occurrences; every other row for one run. */
const WEIGHT = "CASE WHEN status = 'missed' THEN COALESCE(missed_count, 1) ELSE 1 END";

export class RunStats {
  private readonly cache = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db) {}

  /**
   * `runs.stats` for [from, to): counts by status, success rate, duration percentiles (nearest rank),
   * and one bucket per calendar day of the range in `timezone`.
   */
  summary(scope: RunScope, from: number, to: number, timezone: string): RunStatsAnswer {
    const byStatus = zeroCounts();
    const days: RunStatsDay[] = [];
    const all: number[][] = [];
    for (const { day, start, end } of calendarDays(from, to, timezone)) {
      const counts = this.countByStatus(scope, start, end);
      const durations = this.durations(scope, start, end);
      all.push(durations);
      days.push(dayBucket(day, counts, percentiles(durations)));
      for (const status of STATUSES) byStatus[status] += counts[status] ?? 0;
    }
    const finished = SUCCESS_BASE.reduce((sum, status) => sum + byStatus[status], 0);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      total: days.reduce((sum, bucket) => sum + bucket.total, 0),
      byStatus,
      successRate: finished ? byStatus.succeeded / finished : null,
      durationMs: percentiles(all.flat().sort((a, b) => a - b)),
      days,
    };
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

  /** Durations of finished runs in [from, to), ascending. */
  durations(scope: RunScope, from: number, to: number): number[] {
    const { clause, params } = this.scopeClause(scope);
    return (
      this.prepare(
        `SELECT duration_ms FROM runs WHERE ${clause} at >= ? AND at < ? AND duration_ms IS NOT NULL
           AND status IN ('succeeded', 'failed', 'timed-out')`,
      )
        .pluck()
        .all(...params, from, to) as number[]
    ).sort((a, b) => a - b);
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

/** The calendar days of [from, to) in `timezone`, each cut to the range. */
export function calendarDays(
  from: number,
  to: number,
  timezone: string,
): { day: string; start: number; end: number }[] {
  const days: { day: string; start: number; end: number }[] = [];
  let day = DateTime.fromMillis(from, { zone: timezone });
  for (let start = from; start < to;) {
    const end = Math.min(day.startOf('day').plus({ days: 1 }).toMillis(), to);
    days.push({ day: day.toISODate()!, start, end });
    start = end;
    day = DateTime.fromMillis(end, { zone: timezone });
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

/** Nearest-rank p50 and p95 of ascending durations; null for none. */
export function percentiles(sorted: number[]): { p50: number; p95: number } | null {
  if (!sorted.length) return null;
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: at(50), p95: at(95) };
}
