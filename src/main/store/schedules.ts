import type { Action, Policy, RunStatus, Schedule, ScheduleState, Trigger } from '../../shared/domain';
import type { Db } from './database';

/** A schedule as the engine sees it: instants as epoch milliseconds. */
export interface ScheduleRecord {
  id: string;
  name: string;
  notes: string;
  group: string | null;
  enabled: boolean;
  trigger: Trigger;
  action: Action;
  policy: Policy;
  /** The next scheduled instant (identity of the next occurrence). */
  nextAt: number | null;
  /** nextAt plus its deterministic jitter: when the engine fires it. */
  nextFireAt: number | null;
  lastScheduledAt: number | null;
  pausedAt: number | null;
  firedCount: number;
  lastStatus: RunStatus | null;
  totalRuns: number;
  failedRuns: number;
  consecutiveFailures: number;
  createdAt: number;
  updatedAt: number;
  version: number;
}

interface Row {
  id: string;
  name: string;
  notes: string;
  grp: string | null;
  enabled: number;
  trigger: string;
  action: string;
  policy: string;
  next_at: number | null;
  next_fire_at: number | null;
  last_scheduled_at: number | null;
  paused_at: number | null;
  fired_count: number;
  last_status: RunStatus | null;
  total_runs: number;
  failed_runs: number;
  consecutive_failures: number;
  created_at: number;
  updated_at: number;
  version: number;
}

function fromRow(row: Row): ScheduleRecord {
  return {
    id: row.id,
    name: row.name,
    notes: row.notes,
    group: row.grp,
    enabled: row.enabled === 1,
    trigger: JSON.parse(row.trigger) as Trigger,
    action: JSON.parse(row.action) as Action,
    policy: JSON.parse(row.policy) as Policy,
    nextAt: row.next_at,
    nextFireAt: row.next_fire_at,
    lastScheduledAt: row.last_scheduled_at,
    pausedAt: row.paused_at,
    firedCount: row.fired_count,
    lastStatus: row.last_status,
    totalRuns: row.total_runs,
    failedRuns: row.failed_runs,
    consecutiveFailures: row.consecutive_failures,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toParams(record: ScheduleRecord) {
  return {
    id: record.id,
    name: record.name,
    notes: record.notes,
    grp: record.group,
    enabled: record.enabled ? 1 : 0,
    trigger: JSON.stringify(record.trigger),
    action: JSON.stringify(record.action),
    policy: JSON.stringify(record.policy),
    next_at: record.nextAt,
    next_fire_at: record.nextFireAt,
    last_scheduled_at: record.lastScheduledAt,
    paused_at: record.pausedAt,
    fired_count: record.firedCount,
    last_status: record.lastStatus,
    total_runs: record.totalRuns,
    failed_runs: record.failedRuns,
    consecutive_failures: record.consecutiveFailures,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    version: record.version,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function stateOf(record: ScheduleRecord): ScheduleState {
  if (record.nextAt === null) return 'completed';
  return record.enabled ? 'active' : 'paused';
}

/** The wire form (DESIGN.md §5): instants as ISO strings, state derived. */
export function toSchedule(record: ScheduleRecord): Schedule {
  return {
    id: record.id,
    name: record.name,
    notes: record.notes,
    group: record.group,
    enabled: record.enabled,
    state: stateOf(record),
    trigger: record.trigger,
    action: record.action,
    policy: record.policy,
    nextFireAt: record.enabled ? iso(record.nextFireAt) : null,
    lastScheduledAt: iso(record.lastScheduledAt),
    lastStatus: record.lastStatus,
    totalRuns: record.totalRuns,
    failedRuns: record.failedRuns,
    consecutiveFailures: record.consecutiveFailures,
    createdAt: iso(record.createdAt)!,
    updatedAt: iso(record.updatedAt)!,
    version: record.version,
  };
}

const COLUMNS =
  'id, name, notes, grp, enabled, trigger, action, policy, next_at, next_fire_at, last_scheduled_at, ' +
  'paused_at, fired_count, last_status, total_runs, failed_runs, consecutive_failures, created_at, ' +
  'updated_at, version';

export class ScheduleRepository {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly getStmt;
  private readonly allStmt;
  private readonly deleteStmt;
  private readonly countersStmt;
  private readonly planStmt;

  constructor(private readonly db: Db) {
    const params = COLUMNS.split(', ')
      .map((column) => `@${column}`)
      .join(', ');
    this.insertStmt = db.prepare(`INSERT INTO schedules (${COLUMNS}) VALUES (${params})`);
    this.updateStmt = db.prepare(
      `UPDATE schedules SET ${COLUMNS.split(', ')
        .filter((column) => column !== 'id')
        .map((column) => `${column} = @${column}`)
        .join(', ')} WHERE id = @id`,
    );
    this.getStmt = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM schedules WHERE id = ?`);
    this.allStmt = db.prepare<[], Row>(`SELECT ${COLUMNS} FROM schedules ORDER BY name COLLATE NOCASE, id`);
    this.deleteStmt = db.prepare<[string]>('DELETE FROM schedules WHERE id = ?');
    this.planStmt = db.prepare(
      `UPDATE schedules SET next_at = @nextAt, next_fire_at = @nextFireAt,
         last_scheduled_at = @lastScheduledAt, fired_count = @firedCount WHERE id = @id`,
    );
    this.countersStmt = db.prepare(
      `UPDATE schedules SET last_status = @status,
         total_runs = total_runs + 1,
         failed_runs = failed_runs + @failed,
         consecutive_failures = CASE WHEN @failed = 1 THEN consecutive_failures + 1 ELSE 0 END
       WHERE id = @id`,
    );
  }

  insert(record: ScheduleRecord): void {
    this.insertStmt.run(toParams(record));
  }

  save(record: ScheduleRecord): void {
    this.updateStmt.run(toParams(record));
  }

  /** Writes only what a claim changes (its plan): the hot path of every due occurrence. */
  savePlan(record: ScheduleRecord): void {
    this.planStmt.run({
      id: record.id,
      nextAt: record.nextAt,
      nextFireAt: record.nextFireAt,
      lastScheduledAt: record.lastScheduledAt,
      firedCount: record.firedCount,
    });
  }

  get(id: string): ScheduleRecord | null {
    const row = this.getStmt.get(id);
    return row ? fromRow(row) : null;
  }

  all(): ScheduleRecord[] {
    return this.allStmt.all().map(fromRow);
  }

  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  /** Counts a finished occurrence; runs in the caller's transaction with the run's end. */
  countFinished(id: string, status: RunStatus): void {
    this.countersStmt.run({ id, status, failed: status === 'succeeded' ? 0 : 1 });
  }
}
