/**
 * The invariants every chaos step ends with, read straight from the SQLite file (DESIGN.md §4):
 * the file is intact; each occurrence of each schedule, from its creation up to where the engine
 * has planned, is accounted for exactly once (a run, a skipped row, or inside one missed row's
 * count); nothing due when the engine last started was left unclaimed. The expected occurrences
 * come from croner directly, not from the engine's planner, so the two can disagree.
 */
import Database from 'better-sqlite3';
import { Cron } from 'croner';
import path from 'node:path';

export interface Accounting {
  /** Occurrences verified (each exactly once). */
  occurrences: number;
  /** Occurrences covered more than once (two runs, or a run and a missed count, …). */
  duplicates: number;
  /** Occurrences before the engine's next planned one that nothing accounts for. */
  lost: number;
  problems: string[];
}

interface ScheduleRow {
  id: string;
  name: string;
  trigger: string;
  enabled: number;
  next_at: number | null;
  created_at: number;
}

interface RunRow {
  id: string;
  schedule_id: string;
  scheduled_at: number;
  status: string;
  trigger: string;
  missed_count: number | null;
  missed_first_at: number | null;
  missed_last_at: number | null;
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'almanac.db');
}

/** A read-only look at a (possibly live) database: WAL lets it read while the engine writes. */
export function withDatabase<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(databaseFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function integrity(dataDir: string): string {
  return withDatabase(dataDir, (db) => String(db.pragma('integrity_check', { simple: true })));
}

/** Occurrences in (after, before) of a cron trigger, by croner alone. */
function expectedBetween(expression: string, timezone: string, after: number, before: number): number[] {
  const cron = new Cron(expression, { timezone, paused: true, mode: '5-or-6-parts', domAndDow: false });
  const out: number[] = [];
  let cursor = new Date(after);
  for (;;) {
    const next = cron.nextRun(cursor);
    if (!next || next.getTime() >= before) return out;
    out.push(next.getTime());
    cursor = next;
  }
}

/**
 * Checks every cron schedule in the file. `claimedBy` (optional): an instant by which the engine
 * had evaluated (its start); every occurrence at or before it must have been claimed.
 */
export function account(dataDir: string, claimedBy?: number): Accounting {
  const result: Accounting = { occurrences: 0, duplicates: 0, lost: 0, problems: [] };
  withDatabase(dataDir, (db) => {
    // one read transaction: schedules and runs from the same moment
    db.transaction(() => {
      const schedules = db
        .prepare('SELECT id, name, trigger, enabled, next_at, created_at FROM schedules')
        .all() as ScheduleRow[];
      const runsOf = db.prepare(
        `SELECT id, schedule_id, scheduled_at, status, trigger, missed_count, missed_first_at, missed_last_at
           FROM runs WHERE schedule_id = ? AND attempt = 1 AND scheduled_at IS NOT NULL`,
      );
      for (const schedule of schedules) {
        const trigger = JSON.parse(schedule.trigger) as {
          type: string;
          expression: string;
          timezone: string;
        };
        if (trigger.type !== 'cron') continue;
        const rows = runsOf.all(schedule.id) as RunRow[];
        // the horizon: everything before next_at is claimed; rows at or after it were claimed in a
        // transaction whose re-plan had not committed yet, and still count for duplicates
        const horizon = Math.max(
          schedule.next_at ?? 0,
          ...rows.map((r) => (r.missed_last_at ?? r.scheduled_at) + 1),
        );
        const expected = expectedBetween(trigger.expression, trigger.timezone, schedule.created_at, horizon);
        const covered = new Map<number, number>(expected.map((at) => [at, 0]));
        const cover = (at: number, row: RunRow) => {
          const n = covered.get(at);
          if (n === undefined)
            result.problems.push(
              `${schedule.name}: row ${row.id} (${row.status}) at ${iso(at)} is no occurrence`,
            );
          else covered.set(at, n + 1);
        };
        for (const row of rows) {
          if (row.missed_count !== null && row.missed_first_at !== null && row.missed_last_at !== null) {
            const span = expected.filter((at) => at >= row.missed_first_at! && at <= row.missed_last_at!);
            if (span.length !== row.missed_count) {
              result.problems.push(
                `${schedule.name}: ${row.status} row ${row.id} counts ${row.missed_count} from ${iso(row.missed_first_at)} to ${iso(row.missed_last_at)}, which holds ${span.length}`,
              );
            }
            for (const at of span) cover(at, row);
          } else {
            cover(row.scheduled_at, row);
          }
        }
        const before = schedule.next_at ?? horizon;
        for (const [at, n] of covered) {
          if (n > 1) {
            result.duplicates += n - 1;
            result.problems.push(`${schedule.name}: occurrence ${iso(at)} accounted for ${n} times`);
          } else if (n === 0 && at < before) {
            result.lost += 1;
            if (result.lost <= 10)
              result.problems.push(`${schedule.name}: occurrence ${iso(at)} not accounted for`);
          } else if (n === 1) result.occurrences += 1;
        }
        if (
          claimedBy !== undefined &&
          schedule.enabled &&
          schedule.next_at !== null &&
          schedule.next_at <= claimedBy
        ) {
          result.lost += 1;
          result.problems.push(
            `${schedule.name}: next occurrence ${iso(schedule.next_at)} was due when the engine started (${iso(claimedBy)}) and is unclaimed`,
          );
        }
      }
    })();
  });
  return result;
}

export function statusOf(dataDir: string, ids: string[]): Map<string, string> {
  return withDatabase(dataDir, (db) => {
    const get = db.prepare('SELECT status FROM runs WHERE id = ?');
    return new Map(ids.map((id) => [id, (get.get(id) as { status: string } | undefined)?.status ?? 'gone']));
  });
}

export function idsWithStatus(dataDir: string, status: string): string[] {
  return withDatabase(dataDir, (db) =>
    (db.prepare('SELECT id FROM runs WHERE status = ?').all(status) as { id: string }[]).map((r) => r.id),
  );
}

export function iso(at: number): string {
  return new Date(at).toISOString();
}

/** Rows by status, and how many occurrences the missed and skipped rows stand for. */
export function breakdown(dataDir: string): string {
  return withDatabase(dataDir, (db) =>
    (
      db
        .prepare(
          `SELECT status, count(*) AS rows, sum(coalesce(missed_count, 1)) AS occurrences
             FROM runs GROUP BY status ORDER BY rows DESC`,
        )
        .all() as { status: string; rows: number; occurrences: number }[]
    )
      .map((r) =>
        r.rows === r.occurrences
          ? `${r.status} ${r.rows}`
          : `${r.status} ${r.rows} (${r.occurrences} occurrences)`,
      )
      .join(', '),
  );
}
