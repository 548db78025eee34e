/**
 * The dispatcher: owns all mutable scheduling state (DESIGN.md §2, §4). One armed timer for the
 * earliest due instant, capped at 5 s; due occurrences are claimed in one transaction; every run
 * passes one bounded queue.
 */
import {
  RUN_IDS_MAX,
  type CatchUpSummary,
  type EngineStatus,
  type NotificationEvent,
} from '../../shared/api';
import type { Policy, RunStatus } from '../../shared/domain';
import { AlmanacError } from '../../shared/errors';
import type { RunRecord, ScheduleRecord, Store } from '../store';
import { toRun, toSchedule } from '../store';
import { countBetween } from './count';
import { MinHeap } from './heap';
import { runIdFactory } from './ids';
import { OutputTail } from './output';
import { cronFor, jitterFor, nextOccurrence, occurrencesBetween } from './planner';
import type { Clock, EventSink, Logger, Outcome, RunContext, Runner, RunMessage, TimerHandle } from './ports';
import { resultExcerpt } from './runners/result';

export const TIMER_CAP_MS = 5000;
/** Where the OS tells us about resume and unlock (the desktop app), the timer may sleep longer (DESIGN.md §4.4). */
export const TIMER_CAP_WITH_WAKE_SIGNALS_MS = 60_000;
/** Wall clock and monotonic clock may disagree by this much between ticks before we call it a jump. */
const JUMP_TOLERANCE_MS = 1500;
const BUFFER_ALL_LIMIT = 100;
const OUTPUT_THROTTLE_MS = 250;
/** Longest stretch an evaluation holds the event loop before it yields (catch-up is chunked). */
const CHUNK_MS = 20;
/** Chain links from a schedule's own run to the deepest run it may start. */
export const CHAIN_DEPTH_CAP = 10;
/** Within a streak of failures, one notification per schedule per window; the rest are folded into its count. */
export const FOLD_WINDOW_MS = 60 * 60 * 1000;
/** Retry backoff grows by up to this share, derived from the occurrence, so many retries spread out. */
export const RETRY_JITTER = 0.1;

export interface EngineOptions {
  store: Store;
  clock: Clock;
  runner: Runner;
  emit: EventSink;
  log: Logger;
  maxConcurrentRuns?: number;
  /** The longest the armed timer waits; `TIMER_CAP_MS` unless wake signals arrive by other means. */
  timerCapMs?: number;
}

interface Active {
  run: RunRecord;
  controller: AbortController;
  output: OutputTail;
  startedMono: number;
  timeout: TimerHandle | null;
  pendingChunk: string;
  flushTimer: TimerHandle | null;
  /** The run's own notification (a reminder, a watch's message), delivered when the occurrence ends. */
  message: RunMessage | null;
}

/** A schedule's current streak of failures, for folding their notifications. */
interface FailureStreak {
  /** When its last notification went out. */
  postedAt: number;
  /** Failures since then, not yet told. */
  folded: number;
  /** Failures in the streak. */
  failures: number;
}

interface Queued {
  run: RunRecord;
  /** Not before this wall-clock instant (retries wait out their backoff). */
  notBefore: number;
}

type Evaluation = CatchUpSummary['reason'];

/** Names a catch-up's own rows (catch-up runs, skipped and missed rows) in its summary, so a notice can link to them. */
function noteCaughtUp(summary: CatchUpSummary, claimed: RunRecord[]): void {
  for (const run of claimed) {
    if (run.trigger !== 'catch-up' && run.status !== 'skipped') continue;
    const first = run.missedFirstAt ?? run.scheduledAt;
    if (first !== null) {
      const since = new Date(first).toISOString();
      if (!summary.since || since < summary.since) summary.since = since;
    }
    if (summary.runIds!.length < RUN_IDS_MAX) summary.runIds!.push(run.id);
    else summary.more! += 1;
  }
}

interface Finished {
  active: Active;
  outcome: Outcome;
  finishedAt: number;
  durationMs: number;
}

interface Replan {
  record: ScheduleRecord;
  next: number | null;
}

export class Engine {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly runner: Runner;
  private readonly emit: EventSink;
  private readonly log: Logger;
  private maxConcurrentRuns: number;
  private readonly timerCapMs: number;

  private readonly schedules = new Map<string, ScheduleRecord>();
  private readonly due = new MinHeap<{ id: string; fireAt: number }>((a, b) => a.fireAt - b.fireAt);
  private queue: Queued[] = [];
  private queueSorted = true;
  private readonly active = new Map<string, Active>();
  /** Per schedule: runs going and runs waiting, so overlap checks are O(1) in a burst. */
  private readonly activeBySchedule = new Map<string, number>();
  private readonly queuedBySchedule = new Map<string, number>();
  /** The occurrence after each schedule's nextAt, computed off the hot path when nextAt is planned. */
  private readonly following = new Map<string, { of: number; at: number | null }>();
  /** Runs that ended since the last group commit. */
  private finishing: Finished[] = [];
  private readonly streaks = new Map<string, FailureStreak>();
  private flushScheduled = false;
  private readonly newId = runIdFactory();
  private timer: TimerHandle | null = null;
  private armedFor: number | null = null;
  private running = false;
  private lastWall = 0;
  private lastMono = 0;
  private idleWaiters: (() => void)[] = [];
  /** The evaluation under way, while it is cut into chunks. */
  private evaluation: { now: number; summary: CatchUpSummary } | null = null;
  private evaluatedWaiters: (() => void)[] = [];

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.runner = options.runner;
    this.emit = options.emit;
    this.log = options.log;
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? 4;
    this.timerCapMs = options.timerCapMs ?? TIMER_CAP_MS;
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────

  /** Loads schedules, recovers what a crash left behind, then evaluates at once (catch-up). */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const record of this.store.schedules.all()) {
      this.schedules.set(record.id, record);
      this.track(record);
    }
    this.recover();
    this.lastWall = this.clock.now();
    this.lastMono = this.clock.monotonic();
    this.evaluate('start');
  }

  /** Stops arming timers and cancels nothing: running children finish or are interrupted on next start. */
  stop(): void {
    this.running = false;
    this.finishing = [];
    if (this.evaluation) this.endEvaluation();
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    for (const active of this.active.values()) {
      if (active.timeout) this.clock.clearTimer(active.timeout);
      if (active.flushTimer) this.clock.clearTimer(active.flushTimer);
    }
  }

  /** A wake signal (power resume, unlock): evaluate now rather than at the next timer. */
  wake(): void {
    if (this.running) this.evaluate('wake');
  }

  setMaxConcurrentRuns(value: number): void {
    this.maxConcurrentRuns = value;
    this.pump();
  }

  status(): EngineStatus {
    const next = this.peekDue();
    return {
      running: this.running,
      scheduleCount: this.schedules.size,
      queued: this.queue.length,
      active: this.active.size,
      nextFireAt: next === null ? null : new Date(next).toISOString(),
    };
  }

  /** Resolves when nothing is queued or running (tests and benches). */
  whenIdle(): Promise<void> {
    if (this.active.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ── schedules (called by the API) ──────────────────────────────────────────

  getSchedule(id: string): ScheduleRecord {
    const record = this.schedules.get(id);
    if (!record) throw new AlmanacError('NOT_FOUND', `No schedule with id ${id}`);
    return record;
  }

  listSchedules(): ScheduleRecord[] {
    return [...this.schedules.values()].sort(
      (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id),
    );
  }

  createSchedule(
    fields: Pick<ScheduleRecord, 'name' | 'notes' | 'group' | 'enabled' | 'trigger' | 'action' | 'policy'>,
  ): ScheduleRecord {
    const now = this.clock.now();
    this.checkChains(null, fields.name, fields.policy);
    if (fields.trigger.type === 'once' && nextOccurrence(fields.trigger, now, now) === null) {
      throw new AlmanacError('VALIDATION', 'trigger.at: That time has already passed', [
        { path: 'trigger.at', message: 'That time has already passed' },
      ]);
    }
    const record: ScheduleRecord = {
      id: this.newId(now),
      ...fields,
      nextAt: null,
      nextFireAt: null,
      lastScheduledAt: null,
      pausedAt: fields.enabled ? null : now,
      firedCount: 0,
      lastStatus: null,
      totalRuns: 0,
      failedRuns: 0,
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    this.plan(record, nextOccurrence(record.trigger, now, record.createdAt));
    this.store.schedules.insert(record);
    this.adopt(record);
    return record;
  }

  updateSchedule(
    id: string,
    version: number,
    patch: Partial<
      Pick<ScheduleRecord, 'name' | 'notes' | 'group' | 'enabled' | 'trigger' | 'action' | 'policy'>
    >,
  ): ScheduleRecord {
    const current = this.getSchedule(id);
    if (current.version !== version) {
      throw new AlmanacError(
        'CONFLICT',
        `Schedule "${current.name}" was changed elsewhere (version ${current.version}, you had ${version}). Reload it and try again.`,
      );
    }
    if (patch.policy) this.checkChains(id, patch.name ?? current.name, patch.policy);
    const now = this.clock.now();
    const { enabled, ...rest } = patch;
    const record: ScheduleRecord = { ...current, ...rest, updatedAt: now, version: current.version + 1 };
    if (patch.trigger) {
      record.firedCount = 0;
      this.plan(record, nextOccurrence(record.trigger, now, record.createdAt));
    }
    this.store.transaction(() => {
      this.store.schedules.save(record);
      if (enabled !== undefined && enabled !== record.enabled) this.applyEnabled(record, enabled, now);
    });
    this.adopt(record);
    return record;
  }

  deleteSchedule(id: string): void {
    this.getSchedule(id);
    for (const active of this.active.values()) {
      if (active.run.scheduleId === id) active.controller.abort('cancel');
    }
    this.dropQueued((entry) => entry.run.scheduleId === id);
    this.store.transaction(() => {
      this.store.runs.deleteQueued(id);
      this.store.schedules.delete(id);
    });
    this.schedules.delete(id);
    this.emit('schedule.changed', { id, schedule: null });
    this.arm();
  }

  setEnabled(id: string, enabled: boolean): ScheduleRecord {
    const record = { ...this.getSchedule(id) };
    if (record.enabled === enabled) return record;
    const now = this.clock.now();
    record.version += 1;
    record.updatedAt = now;
    this.store.transaction(() => this.applyEnabled(record, enabled, now));
    this.adopt(record);
    return record;
  }

  /** Pause remembers when; resume records what fell in the pause as one `skipped` row and never replays it. */
  private applyEnabled(record: ScheduleRecord, enabled: boolean, now: number): void {
    record.enabled = enabled;
    if (!enabled) {
      record.pausedAt = now;
    } else {
      if (record.nextAt !== null && record.nextAt <= now) {
        const count = countBetween(record.trigger, record.nextAt - 1, now, record.createdAt);
        const last = this.latestAtOrBefore(record, now);
        if (count > 0) {
          this.insertRun({
            scheduleId: record.id,
            status: 'skipped',
            trigger: 'schedule',
            scheduledAt: record.nextAt,
            reason: 'paused',
            missedCount: count,
            missedFirstAt: record.nextAt,
            missedLastAt: last,
            finishedAt: now,
          });
          record.lastScheduledAt = last;
        }
        this.plan(record, nextOccurrence(record.trigger, now, record.createdAt));
      }
      record.pausedAt = null;
    }
    this.store.schedules.save(record);
  }

  /** A manual run: works while paused, and goes through the overlap policy. */
  runNow(id: string): RunRecord {
    const record = this.getSchedule(id);
    const now = this.clock.now();
    if (this.busy(id) && !this.admitsOverlap(record, now)) {
      throw new AlmanacError('CONFLICT', `A run of "${record.name}" is already going.`);
    }
    const run = this.insertRun({
      scheduleId: id,
      status: 'queued',
      trigger: 'manual',
      queuedAt: now,
      fireAt: now,
      priority: record.policy.priority,
    })!;
    this.enqueue(run, now);
    this.pump();
    return run;
  }

  cancelRun(id: string): RunRecord {
    const active = this.active.get(id);
    if (active) {
      active.controller.abort('cancel');
      return active.run;
    }
    const index = this.queue.findIndex((entry) => entry.run.id === id);
    const run = this.store.runs.get(id);
    if (!run) throw new AlmanacError('NOT_FOUND', `No run with id ${id}`);
    if (index < 0) throw new AlmanacError('CONFLICT', `Run ${id} has already ended (${run.status}).`);
    this.queue.splice(index, 1);
    this.bump(this.queuedBySchedule, run.scheduleId, -1);
    const now = this.clock.now();
    this.store.runs.finish(id, {
      status: 'cancelled',
      finishedAt: now,
      durationMs: null,
      reason: 'Cancelled before it started',
    });
    const ended = this.store.runs.get(id)!;
    this.emit('run.changed', toRun(ended));
    this.settleIdle();
    return ended;
  }

  // ── evaluation ─────────────────────────────────────────────────────────────

  private onTimer = (): void => {
    this.timer = null;
    this.armedFor = null;
    if (this.running) this.evaluate('tick');
  };

  /**
   * Claims every due occurrence, then starts what the queue allows. A big evaluation (catch-up after a
   * long sleep) is cut into chunks of about CHUNK_MS, each its own transaction, with a turn of the
   * event loop between them so API calls are answered meanwhile (DESIGN.md §4.7). Every chunk judges
   * lateness against the same `now`; what falls due meanwhile is the next evaluation's.
   */
  private evaluate(reason: Evaluation): void {
    if (this.evaluation) return; // a chunked evaluation is under way and re-arms when it ends
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    if (reason === 'tick') {
      const skew = now - this.lastWall - (mono - this.lastMono);
      if (skew > JUMP_TOLERANCE_MS) reason = 'suspend';
      else if (skew < -JUMP_TOLERANCE_MS) reason = 'clock-jump';
    }
    this.lastWall = now;
    this.lastMono = mono;
    this.evaluation = {
      now,
      summary: {
        ran: 0,
        missed: 0,
        skipped: 0,
        schedules: 0,
        reason,
        at: new Date(now).toISOString(),
        since: null,
        runIds: [],
        more: 0,
      },
    };
    this.evaluateChunk();
  }

  private evaluateChunk = (): void => {
    const evaluation = this.evaluation;
    if (!evaluation) return;
    if (!this.running) return this.endEvaluation();
    const { now, summary } = evaluation;
    const claimed: RunRecord[] = [];
    const replan: Replan[] = [];
    const caughtUp: ScheduleRecord[] = [];
    // the budget is measured on the engine's clock: a fake clock never cuts an evaluation
    const deadline = this.clock.monotonic() + CHUNK_MS;
    let more = false;
    this.store.transaction(() => {
      for (;;) {
        const top = this.due.peek();
        if (!top || top.fireAt > now) break;
        // only catch-up work is cut: on-time claims (no croner call each) all start together
        if (caughtUp.length > 0 && this.clock.monotonic() >= deadline) {
          more = true;
          break;
        }
        this.due.pop();
        const record = this.schedules.get(top.id);
        if (!record || !record.enabled || record.nextFireAt !== top.fireAt) continue; // stale entry
        if (this.claim(record, now, claimed, summary, replan)) caughtUp.push(record);
      }
    });
    for (const run of claimed) if (run.status === 'queued') this.enqueue(run, now);
    // Start what is due before anything else: planning the following occurrences costs croner
    // calls (~40 µs each) that must not sit between fireAt and startedAt.
    this.pump();
    for (const run of claimed) if (run.status !== 'running') this.emit('run.changed', toRun(run));
    noteCaughtUp(summary, claimed);
    if (replan.length) {
      this.store.transaction(() => {
        for (const { record, next } of replan) {
          this.plan(record, next);
          this.store.schedules.save(record);
        }
      });
    }
    for (const record of [...replan.map((entry) => entry.record), ...caughtUp]) {
      this.track(record);
      this.emit('schedule.changed', { id: record.id, schedule: toSchedule(record) });
    }
    if (more) {
      setImmediate(this.evaluateChunk);
      return;
    }
    if (summary.missed > 0 || summary.ran > 0) {
      this.emit('engine.catchUp', summary);
    }
    this.endEvaluation();
  };

  private endEvaluation(): void {
    this.evaluation = null;
    this.arm();
    const waiters = this.evaluatedWaiters;
    this.evaluatedWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves when no evaluation is under way: catch-up has claimed everything that was due (benches, tests). */
  whenEvaluated(): Promise<void> {
    if (!this.evaluation) return Promise.resolve();
    return new Promise((resolve) => this.evaluatedWaiters.push(resolve));
  }

  /**
   * Claims one schedule's due occurrences. Each ends as a run, a skipped row, or part of one missed
   * row: lateness within grace runs normally, later ones follow the catch-up policy.
   */
  private claim(
    record: ScheduleRecord,
    now: number,
    claimed: RunRecord[],
    summary: CatchUpSummary,
    replan: Replan[],
  ): boolean {
    const { policy } = record;
    const first = record.nextAt!;
    const second = this.followingOf(record);
    if (second === null || second > now) {
      // The common case: exactly one occurrence is due. No croner call on this path.
      const late = now - record.nextFireAt! > policy.graceSeconds * 1000;
      const inWindow = !policy.catchUpWindowSeconds || now - first <= policy.catchUpWindowSeconds * 1000;
      const maxRuns = record.trigger.maxRuns ?? Infinity;
      if (late && (policy.catchUp === 'none' || !inWindow)) {
        const row = this.insertMissed(record, first, first, 1, now);
        if (row) claimed.push(row);
        summary.missed += 1;
        summary.schedules += 1;
      } else if (record.firedCount < maxRuns) {
        const run = this.claimOccurrence(
          record,
          first,
          record.nextFireAt!,
          late ? 'catch-up' : 'schedule',
          now,
          this.busy(record.id),
        );
        if (run) {
          claimed.push(run);
          if (run.status === 'queued') record.firedCount += 1;
          else summary.skipped += 1;
          if (late && run.status === 'queued') {
            summary.ran += 1;
            summary.schedules += 1;
          }
        }
      }
      record.lastScheduledAt = first;
      replan.push({ record, next: record.firedCount >= maxRuns ? null : second });
      return false;
    }
    const graceCutoff = now - policy.graceSeconds * 1000;
    const windowCutoff = policy.catchUpWindowSeconds ? now - policy.catchUpWindowSeconds * 1000 : -Infinity;
    const latest = this.latestAtOrBefore(record, now);
    if (latest === null) return false;
    const total = countBetween(record.trigger, first - 1, latest, record.createdAt);
    const maxRuns = record.trigger.maxRuns ?? Infinity;

    // The common case: one occurrence, on time.
    let claims: { at: number; trigger: 'schedule' | 'catch-up' }[] = [];
    let missedFirst: number | null = null;
    let missedLast: number | null = null;
    let missedCount = 0;
    // Only occurrences inside the grace window (plus jitter) can be on time: enumerate just those.
    const jitterMax = (record.trigger.jitterSeconds ?? 0) * 1000;
    const onTime = occurrencesBetween(
      record.trigger,
      Math.max(first - 1, graceCutoff - jitterMax - 1),
      latest,
      record.createdAt,
      Number.MAX_SAFE_INTEGER,
    ).filter((at) => at + this.jitter(record, at) >= graceCutoff);
    const lateCount = total - onTime.length;
    if (lateCount > 0) {
      const lateLast = onTime.length ? this.before(record, onTime[0]!) : latest;
      let chosen: number[] = [];
      // `latest` needs no catch-up run when an on-time run is about to happen; `all` runs each anyway.
      if (policy.catchUp === 'all' || (policy.catchUp === 'latest' && onTime.length === 0)) {
        const want = policy.catchUp === 'latest' ? 1 : policy.catchUpLimit;
        chosen = this.newest(record, lateLast!, want).filter((at) => at >= windowCutoff);
      }
      chosen = chosen.slice(0, Math.max(0, maxRuns - record.firedCount));
      claims = chosen.map((at) => ({ at, trigger: 'catch-up' as const }));
      missedCount = lateCount - chosen.length;
      if (missedCount > 0) {
        missedFirst = first;
        missedLast = chosen.length ? this.before(record, chosen[0]!) : lateLast;
      }
    }
    for (const at of onTime) claims.push({ at, trigger: 'schedule' });
    // beyond maxRuns nothing is due: the schedule completes
    claims = claims.slice(0, Math.max(0, maxRuns - record.firedCount));

    if (missedCount > 0) {
      const row = this.insertMissed(record, missedFirst!, missedLast!, missedCount, now);
      if (row) claimed.push(row);
      summary.missed += missedCount;
    }
    // The overlap policy weighs runs that were already going; one evaluation's own batch queues in order.
    const wasBusy = this.busy(record.id);
    for (const { at, trigger } of claims) {
      const fireAt = at + this.jitter(record, at);
      const run = this.claimOccurrence(record, at, fireAt, trigger, now, wasBusy);
      if (!run) continue;
      claimed.push(run);
      if (run.status === 'queued') {
        record.firedCount += 1;
        if (trigger === 'catch-up') summary.ran += 1;
      } else summary.skipped += 1;
    }
    if (missedCount > 0 || claims.some((entry) => entry.trigger === 'catch-up')) summary.schedules += 1;
    record.lastScheduledAt = latest;
    const next =
      record.firedCount >= maxRuns ? null : nextOccurrence(record.trigger, latest, record.createdAt);
    this.plan(record, next);
    this.store.schedules.save(record);
    return true;
  }

  /** One `missed` row summarising `count` occurrences from `first` to `last`. */
  private insertMissed(
    record: ScheduleRecord,
    first: number,
    last: number,
    count: number,
    now: number,
  ): RunRecord | null {
    return this.insertRun({
      scheduleId: record.id,
      status: 'missed',
      trigger: 'catch-up',
      scheduledAt: first,
      reason: `${count} occurrence${count === 1 ? '' : 's'} missed while Almanac was not running or the computer slept`,
      missedCount: count,
      missedFirstAt: first,
      missedLastAt: last,
      finishedAt: now,
    });
  }

  /** One occurrence through the overlap policy: a queued run, or a skipped row saying why. */
  private claimOccurrence(
    record: ScheduleRecord,
    at: number,
    fireAt: number,
    trigger: 'schedule' | 'catch-up',
    now: number,
    busy: boolean,
  ): RunRecord | null {
    const base = {
      scheduleId: record.id,
      trigger,
      scheduledAt: at,
      fireAt,
      priority: record.policy.priority,
    };
    if (busy && !this.admitsOverlap(record, now)) {
      return this.insertRun({
        ...base,
        status: 'skipped',
        reason: `overlap: the previous run was still going (policy ${record.policy.overlap})`,
        finishedAt: now,
      });
    }
    return this.insertRun({ ...base, status: 'queued', queuedAt: now });
  }

  /** Whether a schedule that already has a run going may take one more, per its overlap policy. */
  private admitsOverlap(record: ScheduleRecord, now: number): boolean {
    const waiting = this.queuedBySchedule.get(record.id) ?? 0;
    switch (record.policy.overlap) {
      case 'skip':
        return false;
      case 'allowAll':
        return true;
      case 'bufferOne':
        return waiting === 0;
      case 'bufferAll':
        return waiting < BUFFER_ALL_LIMIT;
      case 'cancelOther':
        for (const active of this.active.values()) {
          if (active.run.scheduleId === record.id) active.controller.abort('superseded');
        }
        for (const entry of this.queue.filter((q) => q.run.scheduleId === record.id)) {
          this.store.runs.finish(entry.run.id, {
            status: 'cancelled',
            finishedAt: now,
            durationMs: null,
            reason: 'Cancelled by a newer occurrence (overlap policy cancelOther)',
          });
        }
        this.dropQueued((entry) => entry.run.scheduleId === record.id);
        return true;
    }
  }

  private busy(scheduleId: string): boolean {
    return (
      (this.activeBySchedule.get(scheduleId) ?? 0) > 0 || (this.queuedBySchedule.get(scheduleId) ?? 0) > 0
    );
  }

  private bump(counts: Map<string, number>, id: string, by: number): void {
    const value = (counts.get(id) ?? 0) + by;
    if (value > 0) counts.set(id, value);
    else counts.delete(id);
  }

  private dropQueued(drop: (entry: Queued) => boolean): void {
    this.queue = this.queue.filter((entry) => {
      if (!drop(entry)) return true;
      this.bump(this.queuedBySchedule, entry.run.scheduleId, -1);
      return false;
    });
  }

  /** The occurrence after nextAt, cached from when nextAt was planned. */
  private followingOf(record: ScheduleRecord): number | null {
    const cached = this.following.get(record.id);
    if (cached && cached.of === record.nextAt) return cached.at;
    const at = nextOccurrence(record.trigger, record.nextAt!, record.createdAt);
    this.following.set(record.id, { of: record.nextAt!, at });
    return at;
  }

  private jitter(record: ScheduleRecord, at: number, following?: number | null): number {
    const seconds = record.trigger.jitterSeconds ?? 0;
    if (!seconds) return 0;
    const next = following !== undefined ? following : nextOccurrence(record.trigger, at, record.createdAt);
    return jitterFor(record.id, at, seconds, next);
  }

  /** The newest occurrence at or before `until`, without walking from the start. */
  private latestAtOrBefore(record: ScheduleRecord, until: number): number | null {
    return this.newest(record, until, 1)[0] ?? null;
  }

  /** The occurrence just before `at` (or null). */
  private before(record: ScheduleRecord, at: number): number | null {
    return this.newest(record, at - 1, 1)[0] ?? null;
  }

  /**
   * Up to `n` newest occurrences in [nextAt, until], oldest first. Walks forward when the span is
   * short; otherwise steps back from `until` by doubling windows, counting with arithmetic.
   */
  private newest(record: ScheduleRecord, until: number, n: number): number[] {
    const from = record.nextAt!;
    if (until < from) return [];
    const { trigger } = record;
    if (trigger.endAt) until = Math.min(until, Date.parse(trigger.endAt));
    if (trigger.type === 'interval') {
      const anchor = trigger.startAt ? Date.parse(trigger.startAt) : record.createdAt;
      const every = trigger.everySeconds * 1000;
      const out: number[] = [];
      for (
        let at = anchor + Math.floor((until - anchor) / every) * every;
        at >= from && out.length < n;
        at -= every
      ) {
        out.unshift(at);
      }
      return out;
    }
    if (trigger.type === 'cron') {
      // croner walks backwards in one call; accept its answer only if the forward planner agrees link by link
      const back = cronFor(trigger.expression, trigger.timezone)
        .previousRuns(n, new Date(until + 1))
        .map((date) => date.getTime())
        .filter((at) => at >= from)
        .reverse();
      const chained =
        back.length > 0 &&
        nextOccurrence(trigger, back[0]! - 1, record.createdAt) === back[0] &&
        back.every((at, i) => {
          const next = nextOccurrence(trigger, at, record.createdAt);
          return i + 1 < back.length ? next === back[i + 1] : next === null || next > until;
        });
      const complete = back.length === n || nextOccurrence(trigger, from - 1, record.createdAt) === back[0];
      if (chained && complete) return back;
    }
    const total = countBetween(record.trigger, from - 1, until, record.createdAt);
    if (total <= n + 16) {
      return occurrencesBetween(record.trigger, from - 1, until, record.createdAt, total).slice(-n);
    }
    // find a start after which at most a few more than n occurrences remain
    let span = 60_000;
    let start = until - span;
    while (start > from && countBetween(record.trigger, start, until, record.createdAt) < n) {
      span *= 4;
      start = until - span;
    }
    start = Math.max(start, from - 1);
    const list = occurrencesBetween(record.trigger, start, until, record.createdAt, Number.MAX_SAFE_INTEGER);
    return list.slice(-n);
  }

  /** Sets nextAt and its fire instant (with deterministic jitter). */
  private plan(record: ScheduleRecord, next: number | null): void {
    record.nextAt = next;
    if (next === null) {
      record.nextFireAt = null;
      this.following.delete(record.id);
      return;
    }
    const following = nextOccurrence(record.trigger, next, record.createdAt);
    this.following.set(record.id, { of: next, at: following });
    record.nextFireAt = next + this.jitter(record, next, following);
  }

  private track(record: ScheduleRecord): void {
    if (record.enabled && record.nextFireAt !== null)
      this.due.push({ id: record.id, fireAt: record.nextFireAt });
  }

  private adopt(record: ScheduleRecord): void {
    this.schedules.set(record.id, record);
    this.track(record);
    this.emit('schedule.changed', { id: record.id, schedule: toSchedule(record) });
    this.arm();
  }

  private peekDue(): number | null {
    // drop stale entries so the armed instant is real
    for (;;) {
      const top = this.due.peek();
      if (!top) break;
      const record = this.schedules.get(top.id);
      if (record && record.enabled && record.nextFireAt === top.fireAt) return top.fireAt;
      this.due.pop();
    }
    return null;
  }

  /** One timer for the earliest due instant (schedule or delayed retry), capped (5 s, or 60 s with wake signals). */
  private arm(): void {
    if (!this.running) return;
    const now = this.clock.now();
    let next = this.peekDue();
    for (const entry of this.queue) {
      if (entry.notBefore > now && (next === null || entry.notBefore < next)) next = entry.notBefore;
    }
    const delay = next === null ? this.timerCapMs : Math.min(Math.max(next - now, 0), this.timerCapMs);
    // timers run on monotonic time, so compare in monotonic terms: a wall-clock jump must not keep a stale timer
    const target = this.clock.monotonic() + delay;
    if (this.timer && this.armedFor !== null && this.armedFor <= target) return;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.armedFor = target;
    this.timer = this.clock.setTimer(this.onTimer, delay);
  }

  // ── queue and runs ─────────────────────────────────────────────────────────

  private insertRun(
    fields: Omit<Partial<RunRecord>, 'id'> & Pick<RunRecord, 'scheduleId' | 'status' | 'trigger'>,
  ): RunRecord | null {
    const run: RunRecord = {
      id: this.newId(this.clock.now()),
      scheduledAt: null,
      fireAt: null,
      attempt: 1,
      parentRunId: null,
      reason: null,
      missedCount: null,
      missedFirstAt: null,
      missedLastAt: null,
      priority: 5,
      queuedAt: null,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      exitCode: null,
      signal: null,
      httpStatus: null,
      ...fields,
    };
    return this.store.runs.insert(run) ? run : null;
  }

  private enqueue(run: RunRecord, now: number): void {
    this.queue.push({ run, notBefore: Math.max(run.fireAt ?? now, run.queuedAt ?? now) });
    this.bump(this.queuedBySchedule, run.scheduleId, 1);
    this.queueSorted = false;
  }

  /** Starts queued runs while there is room, skipping schedules whose overlap policy says wait. */
  private pump(): void {
    if (!this.running) return;
    // no room: nothing can start, so neither sort nor scan (a catch-up may have queued thousands)
    if (this.active.size >= this.maxConcurrentRuns || this.queue.length === 0) return this.settleIdle();
    if (!this.queueSorted) {
      // priority first (10 is most urgent), then the instant it was meant to fire
      this.queue.sort((a, b) => b.run.priority - a.run.priority || (a.run.fireAt ?? 0) - (b.run.fireAt ?? 0));
      this.queueSorted = true;
    }
    const now = this.clock.now();
    const starting: Queued[] = [];
    const startingBySchedule = new Set<string>();
    const kept: Queued[] = [];
    for (let i = 0; i < this.queue.length; i++) {
      const entry = this.queue[i]!;
      const id = entry.run.scheduleId;
      const record = this.schedules.get(id);
      const room = this.active.size + starting.length < this.maxConcurrentRuns;
      if (!room) {
        // full: the rest stays queued in order
        for (let j = i; j < this.queue.length; j++) kept.push(this.queue[j]!);
        break;
      }
      const waitsForOverlap =
        record?.policy.overlap !== 'allowAll' &&
        ((this.activeBySchedule.get(id) ?? 0) > 0 || startingBySchedule.has(id));
      if (!room || entry.notBefore > now || waitsForOverlap) {
        kept.push(entry);
        continue;
      }
      starting.push(entry);
      startingBySchedule.add(id);
      this.bump(this.queuedBySchedule, id, -1);
    }
    if (starting.length) {
      this.queue = kept;
      this.startRuns(starting.map((entry) => entry.run));
    }
    this.settleIdle();
  }

  /** Marks a batch started in one transaction, then hands each to its runner. */
  private startRuns(runs: RunRecord[]): void {
    const startedAt = this.clock.now();
    const startedMono = this.clock.monotonic();
    const ready: [RunRecord, ScheduleRecord][] = [];
    this.store.transaction(() => {
      for (const run of runs) {
        const record = this.schedules.get(run.scheduleId);
        if (!record) {
          this.store.runs.finish(run.id, {
            status: 'cancelled',
            finishedAt: startedAt,
            durationMs: null,
            reason: 'Its schedule was deleted',
          });
          continue;
        }
        run.status = 'running';
        run.startedAt = startedAt;
        this.store.runs.markStarted(run.id, startedAt);
        ready.push([run, record]);
      }
    });
    for (const [run, record] of ready) {
      const controller = new AbortController();
      const active: Active = {
        run,
        controller,
        output: new OutputTail(),
        startedMono,
        timeout: null,
        pendingChunk: '',
        flushTimer: null,
        message: null,
      };
      const timeoutMs = record.policy.timeoutSeconds * 1000;
      if (timeoutMs > 0) active.timeout = this.clock.setTimer(() => controller.abort('timeout'), timeoutMs);
      this.active.set(run.id, active);
      this.bump(this.activeBySchedule, run.scheduleId, 1);
      this.runner(record.action, this.contextFor(run, record, active))
        .catch((error: unknown): Outcome => ({
          status: 'failed',
          reason: `Runner error: ${(error as Error).message}`,
        }))
        .then((outcome) => this.finishRun(active, outcome));
    }
    for (const [run] of ready) this.emit('run.changed', toRun(run));
  }

  /**
   * A running run's output so far, without what is still waiting to go out as a `run.output` chunk
   * (so a page that reads this and then hears the chunk shows each line once); null when not running.
   */
  liveOutput(runId: string): { output: string; truncated: boolean } | null {
    const active = this.active.get(runId);
    if (!active) return null;
    const text = active.output.toString();
    const sent = text.endsWith(active.pendingChunk)
      ? text.slice(0, text.length - active.pendingChunk.length)
      : text;
    return { output: sent, truncated: active.output.truncated };
  }

  private onOutput(active: Active, chunk: string): void {
    active.output.write(chunk);
    active.pendingChunk += chunk;
    if (active.flushTimer) return;
    active.flushTimer = this.clock.setTimer(() => this.flushOutput(active), OUTPUT_THROTTLE_MS);
  }

  private flushOutput(active: Active): void {
    if (active.flushTimer) this.clock.clearTimer(active.flushTimer);
    active.flushTimer = null;
    if (!active.pendingChunk) return;
    const chunk = active.pendingChunk.slice(-64 * 1024);
    active.pendingChunk = '';
    this.emit('run.output', { runId: active.run.id, scheduleId: active.run.scheduleId, chunk });
  }

  /** Ends are group-committed: runs that finish in the same turn of the event loop share one transaction. */
  private finishRun(active: Active, outcome: Outcome): void {
    if (active.timeout) this.clock.clearTimer(active.timeout);
    this.flushOutput(active);
    if (!this.running) return; // stopped meanwhile: the next start marks it interrupted
    this.finishing.push({
      active,
      outcome,
      finishedAt: this.clock.now(),
      durationMs: Math.round(this.clock.monotonic() - active.startedMono),
    });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushFinished());
  }

  private flushFinished(): void {
    this.flushScheduled = false;
    const batch = this.finishing;
    this.finishing = [];
    if (!this.running || batch.length === 0) return;
    const retries: RunRecord[] = [];
    const chained: RunRecord[] = [];
    const notifications: NotificationEvent[] = [];
    const touched = new Set<ScheduleRecord>();
    this.store.transaction(() => {
      for (const { active, outcome, finishedAt, durationMs } of batch) {
        const { run } = active;
        let status: RunStatus = outcome.status;
        let reason = outcome.reason ?? null;
        if (active.controller.signal.reason === 'superseded') {
          status = 'cancelled';
          reason = 'Cancelled by a newer occurrence (overlap policy cancelOther)';
        }
        const end = {
          status,
          reason,
          finishedAt,
          durationMs,
          exitCode: outcome.exitCode ?? null,
          signal: outcome.signal ?? null,
          httpStatus: outcome.httpStatus ?? null,
        };
        this.store.runs.finish(run.id, {
          ...end,
          output: active.output.toString(),
          outputTruncated: active.output.truncated,
        });
        Object.assign(run, end);
        const record = this.schedules.get(run.scheduleId);
        if (!record) continue;
        touched.add(record);
        const retry = this.retryIfDue(record, run, status, finishedAt);
        if (retry) {
          retries.push(retry);
          continue;
        }
        // The occurrence has ended: count it, tell the person, start what it chains to.
        if (status === 'cancelled') continue;
        const paused = this.countOccurrence(record, status);
        const notification = this.notificationFor(
          record,
          active,
          status,
          reason,
          durationMs,
          paused,
          finishedAt,
        );
        if (notification) notifications.push(notification);
        for (const child of this.startChains(record, run, status, finishedAt)) {
          chained.push(child);
          if (child.status === 'queued') this.enqueue(child, finishedAt);
        }
      }
    });
    const now = this.clock.now();
    for (const { active } of batch) {
      this.active.delete(active.run.id);
      this.bump(this.activeBySchedule, active.run.scheduleId, -1);
      this.emit('run.changed', toRun(active.run));
    }
    for (const retry of retries) {
      this.emit('run.changed', toRun(retry));
      this.enqueue(retry, now);
    }
    for (const child of chained) this.emit('run.changed', toRun(child));
    for (const record of touched)
      this.emit('schedule.changed', { id: record.id, schedule: toSchedule(record) });
    for (const notification of notifications) this.emit('notification', notification);
    this.pump();
    this.arm();
  }

  /** Failed attempts with attempts left become a new row for the same occurrence, after backoff. */
  private retryIfDue(
    record: ScheduleRecord,
    run: RunRecord,
    status: RunStatus,
    now: number,
  ): RunRecord | null {
    if (status === 'succeeded' || status === 'cancelled') return null;
    const retries = record.policy.retries;
    if (run.attempt >= retries.maxAttempts) return null;
    // backoffSeconds · 2^(attempt−1), grown by a jitter share derived from the occurrence (so restarts
    // agree), and never beyond maxBackoffSeconds
    const cap = retries.maxBackoffSeconds * 1000;
    const base = Math.min(retries.backoffSeconds * 1000 * 2 ** (run.attempt - 1), cap);
    const share =
      jitterFor(record.id, (run.scheduledAt ?? run.queuedAt ?? 0) + run.attempt, 1000, null) / 1e6;
    const backoff = Math.round(Math.min(base * (1 + RETRY_JITTER * share), cap));
    return this.insertRun({
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
  private countOccurrence(record: ScheduleRecord, status: RunStatus): boolean {
    this.store.schedules.countFinished(record.id, status);
    record.lastStatus = status;
    record.totalRuns += 1;
    if (status === 'succeeded') record.consecutiveFailures = 0;
    else {
      record.failedRuns += 1;
      record.consecutiveFailures += 1;
      const limit = record.policy.pauseAfterFailures;
      if (limit && record.consecutiveFailures >= limit && record.enabled) {
        this.applyEnabled(record, false, this.clock.now());
        this.log.warn(`Paused "${record.name}" after ${record.consecutiveFailures} consecutive failures`);
        return true;
      }
    }
    return false;
  }

  // ── what a run gets, and what follows its end ─────────────────────────────

  /** What a runner gets for one run: identity, abort signal, output sink, a message box and the engine's clock. */
  private contextFor(run: RunRecord, record: ScheduleRecord, active: Active): RunContext {
    return {
      runId: run.id,
      scheduleId: record.id,
      scheduleName: record.name,
      attempt: run.attempt,
      parentOutput:
        run.trigger === 'chain' || run.trigger === 'retry' ? this.chainParentOutput(run) : undefined,
      signal: active.controller.signal,
      output: (chunk) => this.onOutput(active, chunk),
      notify: (message) => {
        active.message = message;
      },
      sleep: (ms, signal) => this.sleep(ms, active.controller.signal, signal),
    };
  }

  private sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<boolean> {
    const live = signals.filter((signal): signal is AbortSignal => signal !== undefined);
    if (live.some((signal) => signal.aborted)) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (elapsed: boolean) => {
        this.clock.clearTimer(timer);
        for (const signal of live) signal.removeEventListener('abort', onAbort);
        resolve(elapsed);
      };
      const onAbort = () => done(false);
      const timer = this.clock.setTimer(() => done(true), ms);
      for (const signal of live) signal.addEventListener('abort', onAbort);
    });
  }

  /** The output of the run that started this chain run (through its retries), if it is one. */
  private chainParentOutput(run: RunRecord): string | undefined {
    let first: RunRecord | null = run;
    for (let hops = 0; first?.trigger === 'retry' && first.parentRunId && hops < 1000; hops++) {
      first = this.store.runs.get(first.parentRunId);
    }
    if (first?.trigger !== 'chain' || !first.parentRunId) return undefined;
    return this.store.runs.detail(first.parentRunId)?.output;
  }

  /** Chain links between a run and the schedule run that began its chain (retries are not links). */
  private chainDepth(run: RunRecord): number {
    let depth = 0;
    let current: RunRecord | null = run;
    for (let hops = 0; current && hops < 10_000; hops++) {
      if (current.trigger === 'chain') depth += 1;
      current = current.parentRunId ? this.store.runs.get(current.parentRunId) : null;
    }
    return depth;
  }

  /**
   * Starts `then.onSuccess` or `then.onFailure` as `chain` runs of an ended occurrence (a cancelled
   * one starts nothing). Each goes through its schedule's overlap policy; one that may not run is a
   * `skipped` row saying why, so nothing is lost silently.
   */
  private startChains(record: ScheduleRecord, run: RunRecord, status: RunStatus, now: number): RunRecord[] {
    const then = record.policy.then;
    const targets = status === 'succeeded' ? then?.onSuccess : then?.onFailure;
    if (!targets?.length) return [];
    const depth = this.chainDepth(run) + 1;
    const rows: RunRecord[] = [];
    for (const id of new Set(targets)) {
      const target = this.schedules.get(id);
      if (!target) {
        this.log.warn(`"${record.name}" chains to schedule ${id}, which no longer exists`);
        continue;
      }
      const from = `chained from "${record.name}"`;
      let reason: string | null = null;
      if (depth > CHAIN_DEPTH_CAP) reason = `chain: more than ${CHAIN_DEPTH_CAP} links deep (${from})`;
      else if (!target.enabled) reason = `paused (${from})`;
      else if (this.busy(id) && !this.admitsOverlap(target, now)) {
        reason = `overlap: the previous run was still going (policy ${target.policy.overlap}; ${from})`;
      }
      const base = {
        scheduleId: id,
        trigger: 'chain' as const,
        parentRunId: run.id,
        fireAt: now,
        priority: target.policy.priority,
      };
      const row = this.insertRun(
        reason
          ? { ...base, status: 'skipped', reason, finishedAt: now }
          : { ...base, status: 'queued', queuedAt: now },
      );
      if (row) rows.push(row);
    }
    return rows;
  }

  /**
   * The one notification for an ended occurrence, per its schedule's `notify` policy; the run's own
   * message (reminder, watch) stands in for the policy's. Failures in a streak are folded: the first
   * is told at once, later ones at most once per FOLD_WINDOW_MS with how many they were; a success
   * after told failures says the schedule recovered. A pause is always told.
   */
  private notificationFor(
    record: ScheduleRecord,
    active: Active,
    status: RunStatus,
    reason: string | null,
    durationMs: number,
    paused: boolean,
    now: number,
  ): NotificationEvent | null {
    const base = { scheduleId: record.id, runId: active.run.id };
    const own = active.message;
    const policy = record.policy.notify;
    const streak = this.streaks.get(record.id);
    const excerpt = () => resultExcerpt(active.output.toString(), 200);
    if (status === 'succeeded') {
      this.streaks.delete(record.id);
      if (own) return { ...base, ...own, count: 1 };
      if (policy === 'never' || (policy === 'failure' && !streak)) return null;
      const said = streak
        ? `Succeeded again after ${streak.failures} failed run${streak.failures === 1 ? '' : 's'}.`
        : `Succeeded in ${(durationMs / 1000).toFixed(1)} s.`;
      return {
        ...base,
        title: `${record.name} ${streak ? 'recovered' : 'succeeded'}`,
        body: [said, excerpt()].filter(Boolean).join('\n'),
        level: 'success',
        count: 1,
      };
    }
    if (!own && policy === 'never' && !paused) return null;
    const current = streak ?? { postedAt: -Infinity, folded: 0, failures: 0 };
    current.failures += 1;
    this.streaks.set(record.id, current);
    if (!paused && now - current.postedAt < FOLD_WINDOW_MS) {
      current.folded += 1;
      return null;
    }
    const count = current.folded + 1;
    current.postedAt = now;
    current.folded = 0;
    const pauseNote = paused
      ? `Paused after ${record.consecutiveFailures} consecutive failures; resume it when it is fixed.`
      : '';
    if (own) {
      return { ...base, ...own, body: [own.body, pauseNote].filter(Boolean).join('\n'), count };
    }
    const ended =
      status === 'timed-out' ? 'timed out' : status === 'interrupted' ? 'was interrupted' : 'failed';
    const title = paused
      ? `${record.name} paused`
      : count > 1
        ? `${record.name} failed ${count} times`
        : `${record.name} ${ended}`;
    const latest = reason ?? ended;
    return {
      ...base,
      title,
      body: [
        count > 1 ? `${count} failures since the last notice; the latest: ${latest}` : latest,
        excerpt(),
        pauseNote,
      ]
        .filter(Boolean)
        .join('\n'),
      level: 'failure',
      count,
    };
  }

  /** A chain must name schedules that exist, and must not loop (refused at save, naming the loop). */
  private checkChains(id: string | null, name: string, policy: Policy): void {
    const then = policy.then;
    if (!then) return;
    for (const key of ['onSuccess', 'onFailure'] as const) {
      then[key].forEach((target, i) => {
        if (target === id || this.schedules.has(target)) return;
        const path = `policy.then.${key}.${i}`;
        throw new AlmanacError('VALIDATION', `${path}: No schedule with id ${target}`, [
          { path, message: `No schedule with id ${target}` },
        ]);
      });
    }
    // A new schedule has no incoming links yet, so it cannot close a loop.
    if (id === null) return;
    const targetsOf = (from: string): string[] => {
      const links = from === id ? then : this.schedules.get(from)?.policy.then;
      return [...(links?.onSuccess ?? []), ...(links?.onFailure ?? [])];
    };
    const path = [id];
    const seen = new Set<string>();
    const loops = (from: string): boolean => {
      for (const next of targetsOf(from)) {
        if (next === id) {
          path.push(next);
          return true;
        }
        if (seen.has(next)) continue;
        seen.add(next);
        path.push(next);
        if (loops(next)) return true;
        path.pop();
      }
      return false;
    };
    if (!loops(id)) return;
    const names = path
      .map((at) => `"${at === id ? name : (this.schedules.get(at)?.name ?? at)}"`)
      .join(' → ');
    const key = then.onSuccess.includes(path[1]!) ? 'onSuccess' : 'onFailure';
    const message = `This chain would loop: ${names}`;
    throw new AlmanacError('VALIDATION', `policy.then.${key}: ${message}`, [
      { path: `policy.then.${key}`, message },
    ]);
  }

  /** After a crash: `running` rows become `interrupted` (retried when attempts remain); `queued` rows queue again. */
  private recover(): void {
    const now = this.clock.now();
    const requeue: RunRecord[] = [];
    this.store.transaction(() => {
      for (const run of this.store.runs.withStatus('running')) {
        this.store.runs.finish(run.id, {
          status: 'interrupted',
          finishedAt: now,
          durationMs: run.startedAt === null ? null : Math.max(0, now - run.startedAt),
          reason: 'Almanac stopped while this run was going',
        });
        const record = this.schedules.get(run.scheduleId);
        if (!record) continue;
        const retry = this.retryIfDue(record, run, 'interrupted', now);
        if (retry) requeue.push(retry);
        else this.countOccurrence(record, 'interrupted');
      }
      for (const run of this.store.runs.withStatus('queued')) {
        if (this.schedules.has(run.scheduleId)) requeue.push(run);
      }
    });
    for (const run of requeue) this.enqueue(run, now);
  }

  private settleIdle(): void {
    if (this.active.size === 0 && this.queue.length === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
