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
import { chainLoop } from './chains';
import { countBetween } from './count';
import { decideDue, type Claim, type Missed } from './due';
import { Endings, type NewRow } from './endings';
import { MinHeap } from './heap';
import { runIdFactory } from './ids';
import { before, jitterAt, latestAtOrBefore } from './occurrences';
import { admit, overlapReason } from './overlap';
import { nextOccurrence } from './planner';
import type { BusyTime, Clock, EventSink, Logger, Runner, SystemConditions, TimerHandle } from './ports';
import { noBusyTime, unknownConditions } from './ports';
import { RunGates } from './run-gates';
import { RunQueue } from './run-queue';
import { RunsInFlight, type Ended } from './runs-in-flight';

export const TIMER_CAP_MS = 5000;
/** Where the OS tells us about resume and unlock (the desktop app), the timer may sleep longer (DESIGN.md §4.4). */
export const TIMER_CAP_WITH_WAKE_SIGNALS_MS = 60_000;
/** Wall clock and monotonic clock may disagree by this much between ticks before we call it a jump. */
const JUMP_TOLERANCE_MS = 1500;
/** Longest stretch an evaluation holds the event loop before it yields (catch-up is chunked). */
const CHUNK_MS = 20;
export { CHAIN_DEPTH_CAP } from './chains';
export { FOLD_WINDOW_MS } from './notifications';
export { RETRY_JITTER } from './retry';

export interface EngineOptions {
  store: Store;
  clock: Clock;
  runner: Runner;
  emit: EventSink;
  log: Logger;
  maxConcurrentRuns?: number;
  /** The longest the armed timer waits; `TIMER_CAP_MS` unless wake signals arrive by other means. */
  timerCapMs?: number;
  /** Busy calendars, for whenBusy (absent: never busy). */
  busy?: BusyTime;
  /** Power and idle time, for run conditions (absent: unknown, so runs go ahead). */
  conditions?: SystemConditions;
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

interface Replan {
  record: ScheduleRecord;
  next: number | null;
}

export class Engine {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly runner: Runner;
  private readonly emit: EventSink;
  private readonly sendStatus: () => void;
  private readonly log: Logger;
  private maxConcurrentRuns: number;
  private readonly timerCapMs: number;

  private readonly schedules = new Map<string, ScheduleRecord>();
  private readonly due = new MinHeap<{ id: string; fireAt: number }>((a, b) => a.fireAt - b.fireAt);
  private readonly queue = new RunQueue();
  private readonly flight: RunsInFlight;
  private readonly endings: Endings;
  /** The occurrence after each schedule's nextAt, computed off the hot path when nextAt is planned. */
  private readonly following = new Map<string, { of: number; at: number | null }>();
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
  /** The last `engine.status` sent, so an unchanged status is not sent again. */
  private statusSent = '';
  private statusDue = false;
  /** whenBusy at claim, run conditions at start (run-gates.ts). */
  private readonly gates: RunGates;
  private stopConditions: (() => void) | null = null;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.runner = options.runner;
    // engine.status follows the very transitions that run.changed and schedule.changed report: once
    // their batch is out, one status with the counts they left (DESIGN.md §5; issue 12 §2)
    this.emit = (event, payload) => {
      options.emit(event, payload);
      if (event === 'run.changed' || event === 'schedule.changed') this.statusChanged();
    };
    this.sendStatus = () => {
      this.statusDue = false;
      const status = this.status();
      const key = JSON.stringify(status);
      if (key === this.statusSent) return;
      this.statusSent = key;
      options.emit('engine.status', status);
    };
    this.flight = new RunsInFlight({
      store: this.store,
      clock: this.clock,
      runner: this.runner,
      emit: this.emit,
      ended: (batch) => this.recordEnds(batch),
    });
    this.log = options.log;
    this.endings = new Endings({
      store: this.store,
      log: this.log,
      schedules: this.schedules,
      insertRun: (fields) => this.insertRun(fields),
      admitsOneMore: (record, now) => !this.busy(record.id) || this.admitsOverlap(record, now),
      pause: (record) => this.applyEnabled(record, false, this.clock.now()),
    });
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? 4;
    this.timerCapMs = options.timerCapMs ?? TIMER_CAP_MS;
    this.gates = new RunGates(options.busy ?? noBusyTime, options.conditions ?? unknownConditions);
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────

  /** Loads schedules, recovers what a crash left behind, then evaluates at once (catch-up). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.flight.open();
    for (const record of this.store.schedules.all()) {
      this.schedules.set(record.id, record);
      this.track(record);
    }
    this.recover();
    // a power or idle change looks at runs waiting for their conditions at once
    this.stopConditions = this.gates.onChange(() => {
      this.pump();
      this.arm();
    });
    this.lastWall = this.clock.now();
    this.lastMono = this.clock.monotonic();
    this.evaluate('start');
    this.statusChanged();
  }

  /** Stops arming timers and cancels nothing: running children finish or are interrupted on next start. */
  stop(): void {
    this.running = false;
    this.stopConditions?.();
    this.stopConditions = null;
    this.flight.close();
    if (this.evaluation) this.endEvaluation();
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.statusChanged();
  }

  /** A wake signal (power resume, unlock): evaluate now rather than at the next timer. */
  wake(): void {
    if (this.running) this.evaluate('wake');
  }

  setMaxConcurrentRuns(value: number): void {
    this.maxConcurrentRuns = value;
    this.pump();
  }

  /** Sends engine.status after the current batch of run and schedule events. */
  private statusChanged(): void {
    if (this.statusDue) return;
    this.statusDue = true;
    queueMicrotask(this.sendStatus);
  }

  /** Counts as the store has them: `active` is the runs whose status is running, `queued` those queued. */
  status(): EngineStatus {
    const next = this.peekDue();
    return {
      running: this.running,
      scheduleCount: this.schedules.size,
      queued: this.queue.length,
      active: this.flight.size,
      nextFireAt: next === null ? null : new Date(next).toISOString(),
    };
  }

  /** Resolves when nothing is queued or running (tests and benches). */
  whenIdle(): Promise<void> {
    if (this.flight.size === 0 && this.queue.length === 0) return Promise.resolve();
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
    this.flight.abortSchedule(id, 'cancel');
    this.queue.dropSchedule(id);
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
    // started at once, startRuns told; waiting for room, say it is queued
    if (run.status === 'queued') this.emit('run.changed', toRun(run));
    return run;
  }

  cancelRun(id: string): RunRecord {
    const active = this.flight.get(id);
    if (active) {
      active.controller.abort('cancel');
      return active.run;
    }
    const run = this.store.runs.get(id);
    if (!run) throw new AlmanacError('NOT_FOUND', `No run with id ${id}`);
    if (!this.queue.remove(id))
      throw new AlmanacError('CONFLICT', `Run ${id} has already ended (${run.status}).`);
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
      // The re-plan commits with its claims: a crash leaves both or neither, never a next_at that
      // points at an occurrence already claimed. `next` was cached when nextAt was planned, so this
      // costs no croner call unless the schedule has jitter.
      for (const { record, next } of replan) {
        this.plan(record, next, 'lazy');
        this.store.schedules.savePlan(record);
      }
    });
    for (const run of claimed) if (run.status === 'queued') this.enqueue(run, now);
    // Start what is due before anything else: planning the following occurrences costs croner
    // calls (~40 µs each) that must not sit between fireAt and startedAt.
    this.pump();
    for (const run of claimed) if (run.status !== 'running') this.emit('run.changed', toRun(run));
    noteCaughtUp(summary, claimed);
    for (const { record } of replan) if (record.nextAt !== null) this.followingOf(record);
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
   * Claims one schedule's due occurrences, as `decideDue` decides: each ends as a run, a skipped row
   * (the overlap policy), or part of one missed row. True when it was a catch-up (several were due).
   */
  private claim(
    record: ScheduleRecord,
    now: number,
    claimed: RunRecord[],
    summary: CatchUpSummary,
    replan: Replan[],
  ): boolean {
    const decision = decideDue(
      {
        id: record.id,
        trigger: record.trigger,
        policy: record.policy,
        createdAt: record.createdAt,
        nextAt: record.nextAt!,
        nextFireAt: record.nextFireAt!,
        firedCount: record.firedCount,
      },
      now,
      this.followingOf(record),
    );
    if (!decision) return false;
    const { claims, missed, many } = decision;
    if (missed) {
      const row = this.insertMissed(record, missed, now);
      if (row) claimed.push(row);
      summary.missed += missed.count;
    }
    // The overlap policy weighs runs that were already going; one evaluation's own batch queues in order.
    const wasBusy = this.busy(record.id);
    let ran = false;
    for (const claim of claims) {
      const run = this.claimOccurrence(record, claim, now, wasBusy);
      if (!run) continue;
      claimed.push(run);
      if (run.status === 'queued') {
        record.firedCount += 1;
        if (claim.trigger === 'catch-up') {
          summary.ran += 1;
          ran = true;
        }
      } else summary.skipped += 1;
    }
    if (many ? missed || claims.some((claim) => claim.trigger === 'catch-up') : missed || ran)
      summary.schedules += 1;
    record.lastScheduledAt = decision.latest;
    const next = record.firedCount >= (record.trigger.maxRuns ?? Infinity) ? null : decision.next;
    if (!many) {
      // the hot path: the re-plan is written with the batch, after the claims
      replan.push({ record, next });
      return false;
    }
    this.plan(record, next);
    this.store.schedules.save(record);
    return true;
  }

  /** One `missed` row summarising `count` occurrences from `first` to `last`. */
  private insertMissed(
    record: ScheduleRecord,
    { first, last, count }: Missed,
    now: number,
  ): RunRecord | null {
    const row = this.insertRun({
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
    if (!row)
      this.log.warn(
        `"${record.name}": ${count} missed occurrences from ${new Date(first).toISOString()} had a row already`,
      );
    return row;
  }

  /**
   * One occurrence through whenBusy and the overlap policy: a queued run (deferred past busy time,
   * saying so), or a skipped row saying why.
   */
  private claimOccurrence(
    record: ScheduleRecord,
    claim: Claim,
    now: number,
    busy: boolean,
  ): RunRecord | null {
    const base = {
      scheduleId: record.id,
      trigger: claim.trigger,
      scheduledAt: claim.at,
      fireAt: claim.fireAt,
      priority: record.policy.priority,
      reason: null as string | null,
    };
    if (record.policy.whenBusy && record.policy.whenBusy !== 'run') {
      // an on-time occurrence by its instant, a catch-up by now (when it would run); the occurrence
      // before it says whether this busy time already has its deferred run
      const previous = before({ ...record, from: record.nextAt! }, claim.at) ?? record.lastScheduledAt;
      const decision = this.gates.atClaim(
        record.policy,
        claim.trigger === 'schedule' ? claim.at : now,
        previous,
        (instant) => nextOccurrence(record.trigger, instant - 1, record.createdAt) === instant,
      );
      if (decision.action === 'skip') {
        return this.insertRun({ ...base, status: 'skipped', reason: decision.reason, finishedAt: now });
      }
      if (decision.action === 'defer') {
        base.fireAt = decision.until;
        base.reason = decision.reason;
      }
    }
    if (busy && !this.admitsOverlap(record, now)) {
      return this.insertRun({
        ...base,
        status: 'skipped',
        reason: overlapReason(record.policy.overlap),
        finishedAt: now,
      });
    }
    return this.insertRun({ ...base, status: 'queued', queuedAt: now });
  }

  /** Whether a schedule that already has a run going may take one more (`admit`); cancelOther cancels the others. */
  private admitsOverlap(record: ScheduleRecord, now: number): boolean {
    const decision = admit(record.policy.overlap, {
      going: this.flight.going(record.id),
      waiting: this.queue.waiting(record.id),
    });
    if (decision.supersede) {
      this.flight.abortSchedule(record.id, 'superseded');
      for (const run of this.queue.dropSchedule(record.id)) {
        this.store.runs.finish(run.id, {
          status: 'cancelled',
          finishedAt: now,
          durationMs: null,
          reason: 'Cancelled by a newer occurrence (overlap policy cancelOther)',
        });
      }
    }
    return decision.admit;
  }

  private busy(scheduleId: string): boolean {
    return this.flight.going(scheduleId) > 0 || this.queue.waiting(scheduleId) > 0;
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
    return jitterAt(record, at, following);
  }

  /** The newest occurrence at or before `until`, counting from nextAt. */
  private latestAtOrBefore(record: ScheduleRecord, until: number): number | null {
    return latestAtOrBefore({ ...record, from: record.nextAt! }, until);
  }

  /**
   * Sets nextAt and its fire instant (with deterministic jitter). `lazy`: the occurrence after it is
   * found later (followingOf), unless jitter needs it now to stay clear of it.
   */
  private plan(record: ScheduleRecord, next: number | null, mode: 'now' | 'lazy' = 'now'): void {
    record.nextAt = next;
    if (next === null) {
      record.nextFireAt = null;
      this.following.delete(record.id);
      return;
    }
    if (mode === 'lazy' && !record.trigger.jitterSeconds) {
      record.nextFireAt = next;
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
    // a retry's backoff, the end of busy time a run was deferred past, or a run waiting for its
    // conditions (looked at again when idle time would be enough, or at the grace's end)
    const waiting = this.queue.nextNotBefore(now);
    if (waiting !== null && (next === null || waiting < next)) next = waiting;
    const delay = next === null ? this.timerCapMs : Math.min(Math.max(next - now, 0), this.timerCapMs);
    // timers run on monotonic time, so compare in monotonic terms: a wall-clock jump must not keep a stale timer
    const target = this.clock.monotonic() + delay;
    if (this.timer && this.armedFor !== null && this.armedFor <= target) return;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.armedFor = target;
    this.timer = this.clock.setTimer(this.onTimer, delay);
  }

  // ── queue and runs ─────────────────────────────────────────────────────────

  private insertRun(fields: NewRow): RunRecord | null {
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
    this.queue.add(run, now);
  }

  /** Starts queued runs while there is room, skipping schedules whose overlap policy says wait. */
  private pump(): void {
    if (!this.running) return;
    const now = this.clock.now();
    const skipped: { run: RunRecord; reason: string }[] = [];
    const starting = this.queue.take(
      now,
      this.maxConcurrentRuns - this.flight.size,
      (id) => this.flight.going(id),
      (id) => this.schedules.get(id)?.policy.overlap,
      // run conditions: a run that may otherwise start starts, waits, or is skipped past its grace
      (run, notBefore) => {
        const record = this.schedules.get(run.scheduleId);
        return record ? this.gates.atStart(record.policy, run.trigger, notBefore, now) : { action: 'start' };
      },
      skipped,
    );
    for (const { run, reason } of skipped) this.skipQueued(run, reason, now);
    if (starting.length) this.flight.start(starting, (id) => this.schedules.get(id));
    this.settleIdle();
  }

  /** A queued run whose conditions did not hold within the grace (out of the queue): a `skipped` row naming them. */
  private skipQueued(run: RunRecord, reason: string, now: number): void {
    this.store.runs.finish(run.id, { status: 'skipped', finishedAt: now, durationMs: null, reason });
    Object.assign(run, { status: 'skipped', finishedAt: now, reason });
    this.emit('run.changed', toRun(run));
  }

  /**
   * A running run's output so far, without what is still waiting to go out as a `run.output` chunk
   * (so a page that reads this and then hears the chunk shows each line once); null when not running.
   */
  liveOutput(runId: string): { output: string; truncated: boolean } | null {
    const active = this.flight.get(runId);
    if (!active) return null;
    const text = active.output.toString();
    const sent = text.endsWith(active.pendingChunk)
      ? text.slice(0, text.length - active.pendingChunk.length)
      : text;
    return { output: sent, truncated: active.output.truncated };
  }

  /**
   * Writes the ends of one turn of the event loop in one transaction: each run's row, then for its
   * occurrence a retry (`retryDelay`), or its count, its notification and the chains it starts.
   */
  private recordEnds(batch: Ended[]): void {
    if (!this.running) return;
    const retries: RunRecord[] = [];
    const chained: RunRecord[] = [];
    const notifications: NotificationEvent[] = [];
    const touched = new Set<ScheduleRecord>();
    this.store.transaction(() => {
      for (const { active, outcome, finishedAt, durationMs } of batch) {
        const { run } = active;
        let status: RunStatus = outcome.status;
        // a deferred run keeps saying why it ran late (whenBusy), beside its outcome's own reason
        const deferral = run.reason;
        let reason =
          outcome.reason && deferral ? `${outcome.reason} (${deferral})` : (outcome.reason ?? deferral);
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
        const retry = this.endings.retryIfDue(record, run, status, finishedAt);
        if (retry) {
          retries.push(retry);
          continue;
        }
        if (status === 'cancelled') continue;
        const followed = this.endings.occurrenceEnded(record, active, status, reason, durationMs, finishedAt);
        if (followed.notification) notifications.push(followed.notification);
        for (const child of followed.chained) {
          chained.push(child);
          if (child.status === 'queued') this.enqueue(child, finishedAt);
        }
      }
    });
    const now = this.clock.now();
    for (const { active } of batch) {
      this.flight.forget(active);
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
    const path = chainLoop(id, then, (from) => this.schedules.get(from)?.policy.then);
    if (!path) return;
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
        const retry = this.endings.retryIfDue(record, run, 'interrupted', now);
        if (retry) requeue.push(retry);
        else this.endings.countOccurrence(record, 'interrupted');
      }
      for (const run of this.store.runs.withStatus('queued')) {
        if (this.schedules.has(run.scheduleId)) requeue.push(run);
      }
      this.replanClaimed(now);
    });
    for (const run of requeue) this.enqueue(run, now);
  }

  /**
   * A schedule whose nextAt already has a row was claimed by a build that wrote claims and re-plans
   * in two transactions, and killed between them. Plan on from there, so the late occurrences'
   * missed row is keyed at the first one nothing claimed (keyed at the claimed one, it was dropped).
   */
  private replanClaimed(now: number): void {
    for (const record of this.schedules.values()) {
      let moved = false;
      for (let hops = 0; record.nextAt !== null && record.nextAt <= now && hops < 1000; hops++) {
        const status = this.store.runs.claimOf(record.id, record.nextAt);
        if (status === null) break;
        if (status !== 'skipped' && status !== 'missed') record.firedCount += 1;
        record.lastScheduledAt = record.nextAt;
        const maxRuns = record.trigger.maxRuns ?? Infinity;
        this.plan(
          record,
          record.firedCount >= maxRuns
            ? null
            : nextOccurrence(record.trigger, record.nextAt, record.createdAt),
        );
        moved = true;
      }
      if (!moved) continue;
      this.store.schedules.save(record);
      this.track(record);
      this.log.warn(`"${record.name}": its next occurrence had been claimed before a crash; planned on`);
    }
  }

  private settleIdle(): void {
    if (this.flight.size === 0 && this.queue.length === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
