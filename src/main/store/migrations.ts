/**
 * Versioned schema. `PRAGMA user_version` records how far a database has come; each entry moves it
 * one step, inside a transaction. Never edit a released step: add the next one.
 */
import type { Db } from './database';
import { COUNTERS_SCHEMA, fillCountersSql } from './run-counters';

/** A step: schema SQL, and optionally statements that fill it from the rows already there. */
export interface Migration {
  sql: string;
  fill?: { name: string; sql: string }[];
  /** SQL for about how many rows `fill` reads (cheap): the log hears about a fill of more than 50,000. */
  estimate?: string;
}

const LOGGED_FROM_ROWS = 50_000;

export const migrations: readonly (string | Migration)[] = [
  // 1: schedules and runs
  `
  CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    grp TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    trigger TEXT NOT NULL,
    action TEXT NOT NULL,
    policy TEXT NOT NULL,
    next_at INTEGER,
    next_fire_at INTEGER,
    last_scheduled_at INTEGER,
    paused_at INTEGER,
    fired_count INTEGER NOT NULL DEFAULT 0,
    last_status TEXT,
    total_runs INTEGER NOT NULL DEFAULT 0,
    failed_runs INTEGER NOT NULL DEFAULT 0,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX schedules_due ON schedules(next_fire_at) WHERE enabled = 1 AND next_fire_at IS NOT NULL;

  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    schedule_id TEXT NOT NULL,
    scheduled_at INTEGER,
    fire_at INTEGER,
    at INTEGER NOT NULL,
    trigger TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 1,
    parent_run_id TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    missed_count INTEGER,
    missed_first_at INTEGER,
    missed_last_at INTEGER,
    priority INTEGER NOT NULL DEFAULT 5,
    queued_at INTEGER,
    started_at INTEGER,
    finished_at INTEGER,
    duration_ms INTEGER,
    exit_code INTEGER,
    signal TEXT,
    http_status INTEGER,
    output TEXT NOT NULL DEFAULT '',
    output_truncated INTEGER NOT NULL DEFAULT 0,
    UNIQUE (schedule_id, scheduled_at, attempt)
  ) STRICT;
  CREATE INDEX runs_by_at ON runs(at DESC, id DESC);
  CREATE INDEX runs_by_schedule ON runs(schedule_id, at DESC, id DESC);
  CREATE INDEX runs_by_status ON runs(status, at DESC, id DESC);
  `,
  // 2: settings, and the indexes that runs.list's filters and chains need (see the query-plan test)
  `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  CREATE INDEX runs_by_schedule_status ON runs(schedule_id, status, at DESC, id DESC);
  CREATE INDEX runs_by_trigger ON runs(trigger, at DESC, id DESC);
  CREATE INDEX runs_by_parent ON runs(parent_run_id) WHERE parent_run_id IS NOT NULL;
  `,
  // 3: counters of ended runs by schedule, hour and status, and duration histograms, kept by triggers
  // (see run-counters.ts): runs.stats reads these instead of scanning history
  { sql: COUNTERS_SCHEMA, fill: fillCountersSql(), estimate: 'SELECT max(rowid) FROM runs' },
];

/**
 * Applies step `index` (0-based) to `db`; the caller holds the transaction. `progress` hears each
 * fill statement as it starts and ends, with its time: filling from a large history takes seconds.
 */
export function applyMigration(db: Db, index: number, progress: (message: string) => void = () => {}): void {
  const step = migrations[index]!;
  const { sql, fill = [], estimate } = typeof step === 'string' ? { sql: step } : step;
  db.exec(sql);
  const rows = fill.length && estimate ? Number(db.prepare(estimate).pluck().get() ?? 0) : 0;
  if (rows < LOGGED_FROM_ROWS) progress = () => {};
  else
    progress(`schema ${index + 1}: reading about ${rows} rows in ${fill.length} steps; this takes a while`);
  for (const [i, { name, sql: statement }] of fill.entries()) {
    const began = performance.now();
    const { changes } = db.prepare(statement).run();
    progress(
      `schema ${index + 1}: ${name} (${i + 1}/${fill.length}): ${changes} rows in ${Math.round(performance.now() - began)} ms`,
    );
  }
}

export const SCHEMA_VERSION = migrations.length;
