import type { Run, RunDetail, RunStatus, RunTrigger } from '../../shared/domain';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** A run as the engine sees it: instants as epoch milliseconds. */
export interface RunRecord {
  id: string;
  scheduleId: string;
  scheduledAt: number | null;
  fireAt: number | null;
  trigger: RunTrigger;
  attempt: number;
  parentRunId: string | null;
  status: RunStatus;
  reason: string | null;
  missedCount: number | null;
  missedFirstAt: number | null;
  missedLastAt: number | null;
  priority: number;
  queuedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  exitCode: number | null;
  signal: string | null;
  httpStatus: number | null;
}

/** The instant a run is listed and paged by: when it was meant to fire, else when it was queued or ended. */
export function listedAt(run: Pick<RunRecord, 'fireAt' | 'scheduledAt' | 'queuedAt' | 'finishedAt'>): number {
  return run.fireAt ?? run.scheduledAt ?? run.queuedAt ?? run.finishedAt ?? 0;
}

export type NewRun = Pick<RunRecord, 'id' | 'scheduleId' | 'trigger' | 'status'> & Partial<RunRecord>;

interface Row {
  id: string;
  schedule_id: string;
  scheduled_at: number | null;
  fire_at: number | null;
  at: number;
  trigger: RunTrigger;
  attempt: number;
  parent_run_id: string | null;
  status: RunStatus;
  reason: string | null;
  missed_count: number | null;
  missed_first_at: number | null;
  missed_last_at: number | null;
  priority: number;
  queued_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  exit_code: number | null;
  signal: string | null;
  http_status: number | null;
}

const COLUMNS =
  'id, schedule_id, scheduled_at, fire_at, at, trigger, attempt, parent_run_id, status, reason, missed_count, ' +
  'missed_first_at, missed_last_at, priority, queued_at, started_at, finished_at, duration_ms, exit_code, signal, http_status';

function fromRow(row: Row): RunRecord {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    scheduledAt: row.scheduled_at,
    fireAt: row.fire_at,
    trigger: row.trigger,
    attempt: row.attempt,
    parentRunId: row.parent_run_id,
    status: row.status,
    reason: row.reason,
    missedCount: row.missed_count,
    missedFirstAt: row.missed_first_at,
    missedLastAt: row.missed_last_at,
    priority: row.priority,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    exitCode: row.exit_code,
    signal: row.signal,
    httpStatus: row.http_status,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toRun(record: RunRecord): Run {
  return {
    id: record.id,
    scheduleId: record.scheduleId,
    scheduledAt: iso(record.scheduledAt),
    fireAt: iso(record.fireAt),
    trigger: record.trigger,
    attempt: record.attempt,
    parentRunId: record.parentRunId,
    status: record.status,
    reason: record.reason,
    missedCount: record.missedCount,
    missedFirstAt: iso(record.missedFirstAt),
    missedLastAt: iso(record.missedLastAt),
    queuedAt: iso(record.queuedAt),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
    durationMs: record.durationMs,
    exitCode: record.exitCode,
    signal: record.signal,
    httpStatus: record.httpStatus,
  };
}

export interface RunFilter {
  scheduleId?: string;
  status?: RunStatus[];
  trigger?: RunTrigger[];
  from?: number;
  to?: number;
  /** Exactly these runs (looked up by primary key, then sorted: at most a thousand). */
  ids?: string[];
  /** Continue after this (at, id) position, newest first. */
  after?: { at: number; id: string };
  limit: number;
}

export interface RunEnd {
  status: RunStatus;
  finishedAt: number;
  durationMs: number | null;
  exitCode?: number | null;
  signal?: string | null;
  httpStatus?: number | null;
  reason?: string | null;
  output?: string;
  outputTruncated?: boolean;
}

/**
 * Newest first by (at, id): a stable order that a cursor can resume. A filter on several statuses
 * (or triggers) becomes one index range per value, merged: an `IN` list would make SQLite sort
 * every matching row before it could return the first page.
 */
export function listQuery(filter: RunFilter): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: filter.limit };
  if (filter.scheduleId) {
    where.push('schedule_id = @scheduleId');
    params.scheduleId = filter.scheduleId;
  }
  if (filter.from !== undefined) {
    where.push('at >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    where.push('at < @to');
    params.to = filter.to;
  }
  if (filter.after) {
    where.push('(at, id) < (@afterAt, @afterId)');
    params.afterAt = filter.after.at;
    params.afterId = filter.after.id;
  }
  if (filter.ids) {
    const ids = [...new Set(filter.ids)];
    where.push(`id IN (${ids.map((_, i) => `@id${i}`).join(', ')})`);
    ids.forEach((id, i) => (params[`id${i}`] = id));
    if (filter.status?.length) {
      where.push(`status IN (${filter.status.map((_, i) => `@s${i}`).join(', ')})`);
      filter.status.forEach((status, i) => (params[`s${i}`] = status));
    }
    if (filter.trigger?.length) {
      where.push(`trigger IN (${filter.trigger.map((_, i) => `@t${i}`).join(', ')})`);
      filter.trigger.forEach((trigger, i) => (params[`t${i}`] = trigger));
    }
    // A short list of keys: the primary key finds them, a sort of at most a thousand orders them.
    return {
      sql: `SELECT ${COLUMNS} FROM runs WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT @limit`,
      params,
    };
  }
  const statuses = [...new Set(filter.status ?? [])];
  const triggers = [...new Set(filter.trigger ?? [])];
  // The dimension to split on: status first (it has an index with and without a schedule),
  // then trigger when no schedule narrows the range already.
  const split: { column: 'status' | 'trigger'; values: string[] } | null = statuses.length
    ? { column: 'status', values: statuses }
    : triggers.length && !filter.scheduleId
      ? { column: 'trigger', values: triggers }
      : null;
  if (triggers.length && split?.column !== 'trigger') {
    // `+trigger`: a residual filter, never the index to search (the split or the schedule is narrower)
    where.push(`+trigger IN (${triggers.map((_, i) => `@t${i}`).join(', ')})`);
    triggers.forEach((trigger, i) => (params[`t${i}`] = trigger));
  }
  // Named, not left to SQLite's guess: without ANALYZE statistics it may pick a wider index.
  const index = !split
    ? filter.scheduleId
      ? 'runs_by_schedule'
      : 'runs_by_at'
    : split.column === 'status'
      ? filter.scheduleId
        ? 'runs_by_schedule_status'
        : 'runs_by_status'
      : 'runs_by_trigger';
  const order = 'ORDER BY at DESC, id DESC LIMIT @limit';
  const select = (extra: string[]) =>
    `SELECT ${COLUMNS} FROM runs INDEXED BY ${index} ${extra.length ? `WHERE ${extra.join(' AND ')}` : ''} ${order}`;
  let sql: string;
  if (!split) {
    sql = select(where);
  } else if (split.values.length === 1) {
    params.v0 = split.values[0];
    sql = select([`${split.column} = @v0`, ...where]);
  } else {
    split.values.forEach((value, i) => (params[`v${i}`] = value));
    sql =
      split.values
        .map((_, i) => `SELECT * FROM (${select([`${split.column} = @v${i}`, ...where])})`)
        .join(' UNION ALL ') + ` ${order}`;
  }
  return { sql, params };
}

export class RunRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly outputStmt;
  private readonly startStmt;
  private readonly finishStmt;
  private readonly byStatusStmt;
  private readonly deleteQueuedStmt;
  private readonly occurrenceStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO runs (${COLUMNS}) VALUES (${COLUMNS.split(', ')
        .map((column) => `@${column}`)
        .join(', ')})`,
    );
    this.getStmt = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM runs WHERE id = ?`);
    this.outputStmt = db.prepare<[string], { output: string; output_truncated: number }>(
      'SELECT output, output_truncated FROM runs WHERE id = ?',
    );
    this.startStmt = db.prepare(`UPDATE runs SET status = 'running', started_at = @startedAt WHERE id = @id`);
    this.finishStmt = db.prepare(
      `UPDATE runs SET status = @status, finished_at = @finishedAt, duration_ms = @durationMs, exit_code = @exitCode,
         signal = @signal, http_status = @httpStatus, reason = COALESCE(@reason, reason), output = @output,
         output_truncated = @outputTruncated
       WHERE id = @id`,
    );
    this.deleteQueuedStmt = db.prepare<[string]>(
      "DELETE FROM runs WHERE schedule_id = ? AND status = 'queued'",
    );
    this.occurrenceStmt = db.prepare<[string, number], { status: RunStatus }>(
      'SELECT status FROM runs WHERE schedule_id = ? AND scheduled_at = ? AND attempt = 1',
    );
    this.byStatusStmt = db.prepare<[string], Row>(
      `SELECT ${COLUMNS} FROM runs WHERE status = ? ORDER BY at, id`,
    );
  }

  /**
   * Claims an occurrence: false when (schedule, scheduledAt, attempt) already has a row, which is
   * what makes a double run impossible across crashes and restarts.
   */
  insert(run: NewRun): boolean {
    const at = listedAt({ fireAt: null, scheduledAt: null, queuedAt: null, finishedAt: null, ...run });
    const result = this.insertStmt.run({
      id: run.id,
      schedule_id: run.scheduleId,
      scheduled_at: run.scheduledAt ?? null,
      fire_at: run.fireAt ?? null,
      at,
      trigger: run.trigger,
      attempt: run.attempt ?? 1,
      parent_run_id: run.parentRunId ?? null,
      status: run.status,
      reason: run.reason ?? null,
      missed_count: run.missedCount ?? null,
      missed_first_at: run.missedFirstAt ?? null,
      missed_last_at: run.missedLastAt ?? null,
      priority: run.priority ?? 5,
      queued_at: run.queuedAt ?? null,
      started_at: run.startedAt ?? null,
      finished_at: run.finishedAt ?? null,
      duration_ms: run.durationMs ?? null,
      exit_code: run.exitCode ?? null,
      signal: run.signal ?? null,
      http_status: run.httpStatus ?? null,
    });
    return result.changes > 0;
  }

  get(id: string): RunRecord | null {
    const row = this.getStmt.get(id);
    return row ? fromRow(row) : null;
  }

  detail(id: string): RunDetail | null {
    const record = this.get(id);
    if (!record) return null;
    const out = this.outputStmt.get(id)!;
    return { ...toRun(record), output: out.output, outputTruncated: out.output_truncated === 1 };
  }

  markStarted(id: string, startedAt: number): void {
    this.startStmt.run({ id, startedAt });
  }

  finish(id: string, end: RunEnd): void {
    this.finishStmt.run({
      id,
      status: end.status,
      finishedAt: end.finishedAt,
      durationMs: end.durationMs,
      exitCode: end.exitCode ?? null,
      signal: end.signal ?? null,
      httpStatus: end.httpStatus ?? null,
      reason: end.reason ?? null,
      output: end.output ?? '',
      outputTruncated: end.outputTruncated ? 1 : 0,
    });
  }

  /** Drops a schedule's runs that never started (its history of finished runs stays). */
  deleteQueued(scheduleId: string): void {
    this.deleteQueuedStmt.run(scheduleId);
  }

  /** The status of the row that claimed this occurrence (its first attempt), or null when none did. */
  claimOf(scheduleId: string, scheduledAt: number): RunStatus | null {
    return this.occurrenceStmt.get(scheduleId, scheduledAt)?.status ?? null;
  }

  withStatus(status: RunStatus): RunRecord[] {
    return this.byStatusStmt.all(status).map(fromRow);
  }

  /** Newest first by (at, id): see listQuery. */
  list(filter: RunFilter): RunRecord[] {
    const { sql, params } = listQuery(filter);
    return (this.statement(sql).all(params) as Row[]).map(fromRow);
  }

  /** How many runs match `filter`, counting no further than `cap` (so a huge history costs at most `cap` steps). */
  count(filter: Omit<RunFilter, 'limit' | 'after'>, cap: number): number {
    const { sql, params } = listQuery({ ...filter, limit: cap });
    return this.statement(`SELECT count(*) AS n FROM (${sql})`).pluck().get(params) as number;
  }

  /** Whether any run of this schedule is recorded (a deleted schedule's runs outlive it). */
  hasRunsOf(scheduleId: string): boolean {
    return (
      this.statement('SELECT 1 FROM runs INDEXED BY runs_by_schedule WHERE schedule_id = ? LIMIT 1').get(
        scheduleId,
      ) !== undefined
    );
  }

  private readonly statements = new Map<string, Statement<unknown[]>>();
  private statement(sql: string): Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
