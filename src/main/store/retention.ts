/**
 * Retention (DESIGN.md §4.7): finished runs beyond the per-schedule count or older than the maximum
 * age are deleted in small batches, each its own short transaction, so a large prune never holds the
 * write lock long enough for a claim or an API call to notice.
 */
import type { Db } from './database';

export interface RetentionRules {
  runsPerSchedule: number;
  maxAgeDays: number;
}

/** Rows that are history; queued and running rows belong to the engine and are never pruned. */
const FINISHED = "status NOT IN ('queued', 'running')";

export class Retention {
  private readonly oldStmt;
  private readonly cutoffStmt;
  private readonly trimStmt;
  private readonly schedulesStmt;
  /** Where the per-schedule pass resumes, so each batch visits a few schedules, not all. */
  private cursor = '';

  constructor(private readonly db: Db) {
    this.oldStmt = db.prepare<[number, number]>(
      `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE at < ? AND ${FINISHED} ORDER BY at LIMIT ?)`,
    );
    this.cutoffStmt = db.prepare<[string, number], { at: number; id: string }>(
      'SELECT at, id FROM runs WHERE schedule_id = ? ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?',
    );
    this.trimStmt = db.prepare<[string, number, string, number]>(
      `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE schedule_id = ? AND (at, id) <= (?, ?)
         AND ${FINISHED} ORDER BY at LIMIT ?)`,
    );
    this.schedulesStmt = db.prepare<[string, number], string>(
      'SELECT DISTINCT schedule_id FROM runs WHERE schedule_id > ? ORDER BY schedule_id LIMIT ?',
    );
    this.schedulesStmt.pluck();
  }

  /**
   * Deletes at most `batch` rows and reports how many went. Callers repeat (yielding between calls)
   * until it returns 0.
   */
  pruneBatch(rules: RetentionRules, now: number, batch = 500): number {
    const old = this.oldStmt.run(now - rules.maxAgeDays * 86_400_000, batch).changes;
    if (old > 0) return old;
    return this.db.transaction(() => {
      let deleted = 0;
      // One sweep at most: from the cursor to the end, then from the start back to the cursor.
      for (let wrapped = false; ;) {
        const ids = this.schedulesStmt.all(this.cursor, 50) as string[];
        for (const scheduleId of ids) {
          // The newest row beyond the kept count: it and everything older (and finished) goes.
          const cutoff = this.cutoffStmt.get(scheduleId, rules.runsPerSchedule);
          if (cutoff) deleted += this.trimStmt.run(scheduleId, cutoff.at, cutoff.id, batch - deleted).changes;
          // A schedule that filled the batch may have more: the next call starts with it again.
          if (deleted >= batch) return deleted;
          this.cursor = scheduleId;
        }
        if (ids.length === 50) continue;
        this.cursor = '';
        if (wrapped || deleted > 0) return deleted;
        wrapped = true;
      }
    })();
  }
}
