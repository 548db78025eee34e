/**
 * What follows the end of a run (DESIGN.md §3 policy): a retry after backoff, or the occurrence's
 * end: its count (and a pause after too many failures), its one notification, and the chains it
 * starts. Runs inside the caller's transaction; the decisions themselves are pure (retry.ts,
 * notifications.ts, chains.ts).
 */
import type { NotificationEvent } from '../../shared/api';
import type { RunStatus } from '../../shared/domain';
import type { RunRecord, ScheduleRecord, Store } from '../store';
import { CHAIN_DEPTH_CAP, chainRefusal, chainTargets } from './chains';
import { type FailureStreak, tell } from './notifications';
import type { Logger } from './ports';
import { retryDelay } from './retry';
import type { Active } from './runs-in-flight';

export type NewRow = Omit<Partial<RunRecord>, 'id'> & Pick<RunRecord, 'scheduleId' | 'status' | 'trigger'>;

export interface EndingsContext {
  store: Store;
  log: Logger;
  schedules: ReadonlyMap<string, ScheduleRecord>;
  /** Writes a run row; null when its occurrence already has one. */
  insertRun(fields: NewRow): RunRecord | null;
  /** The schedule's overlap policy takes one more run now (cancelOther cancels the others). */
  admitsOneMore(record: ScheduleRecord, now: number): boolean;
  /** Pauses the schedule (pauseAfterFailures), in the caller's transaction. */
  pause(record: ScheduleRecord): void;
}

/** What an occurrence's end led to. */
export interface Followed {
  notification: NotificationEvent | null;
  /** Chain runs, queued or skipped. */
  chained: RunRecord[];
}

export class Endings {
  /** Per schedule, its current streak of failures (for folding notifications). */
  private readonly streaks = new Map<string, FailureStreak>();

  constructor(private readonly context: EndingsContext) {}

  /** An occurrence has ended (not cancelled): count it, tell the person, start what it chains to. */
  occurrenceEnded(
    record: ScheduleRecord,
    active: Active,
    status: RunStatus,
    reason: string | null,
    durationMs: number,
    at: number,
  ): Followed {
    const paused = this.countOccurrence(record, status);
    const notification = this.notificationFor(record, active, status, reason, durationMs, paused, at);
    return { notification, chained: this.startChains(record, active.run, status, at) };
  }

  /** Failed attempts with attempts left become a new row for the same occurrence, after backoff (`retryDelay`). */
  retryIfDue(record: ScheduleRecord, run: RunRecord, status: RunStatus, now: number): RunRecord | null {
    const backoff = retryDelay(record.policy.retries, {
      scheduleId: record.id,
      occurrence: run.scheduledAt ?? run.queuedAt ?? 0,
      attempt: run.attempt,
      status,
    });
    if (backoff === null) return null;
    return this.context.insertRun({
      scheduleId: record.id,
      status: 'queued',
      trigger: 'retry',
      scheduledAt: run.scheduledAt,
      fireAt: now + backoff,
      attempt: run.attempt + 1,
      parentRunId: run.id,
      priority: run.priority,
      queuedAt: now,
    });
  }

  /** Counts an ended occurrence in the caller's transaction; true when it paused the schedule (pauseAfterFailures). */
  countOccurrence(record: ScheduleRecord, status: RunStatus): boolean {
    this.context.store.schedules.countFinished(record.id, status);
    record.lastStatus = status;
    record.totalRuns += 1;
    if (status === 'succeeded') record.consecutiveFailures = 0;
    else {
      record.failedRuns += 1;
      record.consecutiveFailures += 1;
      const limit = record.policy.pauseAfterFailures;
      if (limit && record.consecutiveFailures >= limit && record.enabled) {
        this.context.pause(record);
        this.context.log.warn(
          `Paused "${record.name}" after ${record.consecutiveFailures} consecutive failures`,
        );
        return true;
      }
    }
    return false;
  }

  /** Chain links between a run and the schedule run that began its chain (retries are not links). */
  private chainDepth(run: RunRecord): number {
    let depth = 0;
    let current: RunRecord | null = run;
    for (let hops = 0; current && hops < 10_000; hops++) {
      if (current.trigger === 'chain') depth += 1;
      current = current.parentRunId ? this.context.store.runs.get(current.parentRunId) : null;
    }
    return depth;
  }

  /**
   * Starts `then.onSuccess` or `then.onFailure` as `chain` runs of an ended occurrence (`chainTargets`).
   * Each goes through its schedule's overlap policy; one that may not run is a `skipped` row saying
   * why (`chainRefusal`), so nothing is lost silently.
   */
  private startChains(record: ScheduleRecord, run: RunRecord, status: RunStatus, now: number): RunRecord[] {
    const targets = chainTargets(record.policy.then, status);
    if (!targets.length) return [];
    const depth = this.chainDepth(run) + 1;
    const rows: RunRecord[] = [];
    for (const id of targets) {
      const target = this.context.schedules.get(id);
      if (!target) {
        this.context.log.warn(`"${record.name}" chains to schedule ${id}, which no longer exists`);
        continue;
      }
      const checkOverlap = depth <= CHAIN_DEPTH_CAP && target.enabled;
      const reason = chainRefusal(
        {
          depth,
          enabled: target.enabled,
          overlap: target.policy.overlap,
          admitted: !checkOverlap || this.context.admitsOneMore(target, now),
        },
        record.name,
      );
      const base = {
        scheduleId: id,
        trigger: 'chain' as const,
        parentRunId: run.id,
        fireAt: now,
        priority: target.policy.priority,
      };
      const row = this.context.insertRun(
        reason
          ? { ...base, status: 'skipped', reason, finishedAt: now }
          : { ...base, status: 'queued', queuedAt: now },
      );
      if (row) rows.push(row);
    }
    return rows;
  }

  /** The one notification for an ended occurrence (`tell`), keeping the schedule's failure streak. */
  private notificationFor(
    record: ScheduleRecord,
    active: Active,
    status: RunStatus,
    reason: string | null,
    durationMs: number,
    paused: boolean,
    now: number,
  ): NotificationEvent | null {
    const told = tell(
      {
        scheduleId: record.id,
        scheduleName: record.name,
        runId: active.run.id,
        notify: record.policy.notify,
        status,
        reason,
        durationMs,
        output: active.output.toString(),
        message: active.message,
        paused,
        consecutiveFailures: record.consecutiveFailures,
        at: now,
      },
      this.streaks.get(record.id) ?? null,
    );
    if (told.streak) this.streaks.set(record.id, told.streak);
    else this.streaks.delete(record.id);
    return told.notification;
  }
}
