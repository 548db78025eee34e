/**
 * Aggregates over run history for `runs.stats` and the calendar's past side. The counting happens in
 * SQLite, one index range per bucket, so the renderer never downloads raw history to draw a chart.
 */
import type { RunStatus } from '../../shared/domain';
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
