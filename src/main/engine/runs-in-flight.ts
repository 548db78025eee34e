/**
 * Runs in flight: started in one transaction per batch, handed to their runner with a context
 * (abort signal, throttled output, message box, the engine's clock), and their ends collected so
 * the ends of one turn of the event loop are written together (group commit).
 */
import type { RunRecord, ScheduleRecord, Store } from '../store';
import { toRun } from '../store';
import { OutputTail } from './output';
import type { Clock, EventSink, Outcome, RunContext, Runner, RunMessage, TimerHandle } from './ports';

const OUTPUT_THROTTLE_MS = 250;

export interface Active {
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

export interface Ended {
  active: Active;
  outcome: Outcome;
  finishedAt: number;
  durationMs: number;
}

export interface FlightOptions {
  store: Store;
  clock: Clock;
  runner: Runner;
  emit: EventSink;
  /** The runs that ended in one turn of the event loop, to be written in one transaction. */
  ended(batch: Ended[]): void;
}

export class RunsInFlight {
  private readonly active = new Map<string, Active>();
  private readonly goingBy = new Map<string, number>();
  private finishing: Ended[] = [];
  private flushScheduled = false;
  private live = false;

  constructor(private readonly options: FlightOptions) {}

  get size(): number {
    return this.active.size;
  }

  /** Runs of this schedule going. */
  going(scheduleId: string): number {
    return this.goingBy.get(scheduleId) ?? 0;
  }

  get(runId: string): Active | undefined {
    return this.active.get(runId);
  }

  /** Aborts every run of a schedule going, with `reason` as the signal's reason ('cancel', 'superseded'). */
  abortSchedule(scheduleId: string, reason: string): void {
    if (!this.going(scheduleId)) return;
    for (const active of this.active.values()) {
      if (active.run.scheduleId === scheduleId) active.controller.abort(reason);
    }
  }

  open(): void {
    this.live = true;
  }

  /** Stops collecting ends: runs still going finish unrecorded and are marked interrupted on next start. */
  close(): void {
    this.live = false;
    this.finishing = [];
    for (const active of this.active.values()) {
      if (active.timeout) this.options.clock.clearTimer(active.timeout);
      if (active.flushTimer) this.options.clock.clearTimer(active.flushTimer);
    }
  }

  /** Marks a batch started in one transaction (a run whose schedule is gone is cancelled), then hands each to its runner. */
  start(runs: RunRecord[], scheduleOf: (id: string) => ScheduleRecord | undefined): void {
    const { store, clock, runner, emit } = this.options;
    const startedAt = clock.now();
    const startedMono = clock.monotonic();
    const ready: [RunRecord, ScheduleRecord][] = [];
    store.transaction(() => {
      for (const run of runs) {
        const record = scheduleOf(run.scheduleId);
        if (!record) {
          store.runs.finish(run.id, {
            status: 'cancelled',
            finishedAt: startedAt,
            durationMs: null,
            reason: 'Its schedule was deleted',
          });
          continue;
        }
        run.status = 'running';
        run.startedAt = startedAt;
        store.runs.markStarted(run.id, startedAt);
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
      if (timeoutMs > 0) active.timeout = clock.setTimer(() => controller.abort('timeout'), timeoutMs);
      this.active.set(run.id, active);
      this.goingBy.set(run.scheduleId, this.going(run.scheduleId) + 1);
      runner(record.action, this.contextFor(run, record, active))
        .catch((error: unknown): Outcome => ({
          status: 'failed',
          reason: `Runner error: ${(error as Error).message}`,
        }))
        .then((outcome) => this.finish(active, outcome));
    }
    for (const [run] of ready) emit('run.changed', toRun(run));
  }

  /** Forgets an ended run once its end is written. */
  forget(active: Active): void {
    this.active.delete(active.run.id);
    const going = this.going(active.run.scheduleId) - 1;
    if (going > 0) this.goingBy.set(active.run.scheduleId, going);
    else this.goingBy.delete(active.run.scheduleId);
  }

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
    const { clock } = this.options;
    const live = signals.filter((signal): signal is AbortSignal => signal !== undefined);
    if (live.some((signal) => signal.aborted)) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (elapsed: boolean) => {
        clock.clearTimer(timer);
        for (const signal of live) signal.removeEventListener('abort', onAbort);
        resolve(elapsed);
      };
      const onAbort = () => done(false);
      const timer = clock.setTimer(() => done(true), ms);
      for (const signal of live) signal.addEventListener('abort', onAbort);
    });
  }

  /** The output of the run that started this chain run (through its retries), if it is one. */
  private chainParentOutput(run: RunRecord): string | undefined {
    const { store } = this.options;
    let first: RunRecord | null = run;
    for (let hops = 0; first?.trigger === 'retry' && first.parentRunId && hops < 1000; hops++) {
      first = store.runs.get(first.parentRunId);
    }
    if (first?.trigger !== 'chain' || !first.parentRunId) return undefined;
    return store.runs.detail(first.parentRunId)?.output;
  }

  private onOutput(active: Active, chunk: string): void {
    active.output.write(chunk);
    active.pendingChunk += chunk;
    if (active.flushTimer) return;
    active.flushTimer = this.options.clock.setTimer(() => this.flushOutput(active), OUTPUT_THROTTLE_MS);
  }

  private flushOutput(active: Active): void {
    if (active.flushTimer) this.options.clock.clearTimer(active.flushTimer);
    active.flushTimer = null;
    if (!active.pendingChunk) return;
    const chunk = active.pendingChunk.slice(-64 * 1024);
    active.pendingChunk = '';
    this.options.emit('run.output', { runId: active.run.id, scheduleId: active.run.scheduleId, chunk });
  }

  /** Ends are group-committed: runs that finish in the same turn of the event loop share one transaction. */
  private finish(active: Active, outcome: Outcome): void {
    const { clock } = this.options;
    if (active.timeout) clock.clearTimer(active.timeout);
    this.flushOutput(active);
    if (!this.live) return; // stopped meanwhile: the next start marks it interrupted
    this.finishing.push({
      active,
      outcome,
      finishedAt: clock.now(),
      durationMs: Math.round(clock.monotonic() - active.startedMono),
    });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.finishing;
      this.finishing = [];
      if (this.live && batch.length) this.options.ended(batch);
    });
  }
}
