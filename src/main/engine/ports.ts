/**
 * The engine's ports: everything that is time, processes, network or the outside world comes in
 * through these, so tests can drive them (DESIGN.md §2).
 */
import type { Events, EventName, NotificationEvent } from '../../shared/api';
import type { Action } from '../../shared/domain';

export type TimerHandle = { readonly __timer: unique symbol };

export interface Clock {
  /** Wall-clock time, epoch milliseconds: what schedules are written in. */
  now(): number;
  /** Monotonic milliseconds: what elapsed time really is, unmoved by clock changes. */
  monotonic(): number;
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer: (callback, ms) => longTimer(callback, ms) as unknown as TimerHandle,
  clearTimer: (handle) => (handle as unknown as LongTimer).clear(),
};

/** Node's setTimeout fires at once beyond 2^31−1 ms (24.8 days); longer timeouts wait in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
interface LongTimer {
  clear(): void;
}
function longTimer(callback: () => void, ms: number): LongTimer {
  let handle: NodeJS.Timeout;
  const arm = (left: number) => {
    handle =
      left > MAX_TIMEOUT_MS
        ? setTimeout(() => arm(left - MAX_TIMEOUT_MS), MAX_TIMEOUT_MS)
        : setTimeout(callback, Math.max(0, left));
  };
  arm(ms);
  return { clear: () => clearTimeout(handle) };
}

export type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface Outcome {
  status: 'succeeded' | 'failed' | 'timed-out' | 'cancelled';
  exitCode?: number | null;
  signal?: string | null;
  httpStatus?: number | null;
  reason?: string | null;
}

export interface RunContext {
  runId: string;
  scheduleId: string;
  scheduleName: string;
  /** 1 for an occurrence's first attempt, N for its (N-1)th retry. */
  attempt: number;
  /** For chain runs (and their retries): the parent run's output, capped. */
  parentOutput?: string;
  /** Aborted on timeout (reason 'timeout') or cancel (reason 'cancel'). */
  signal: AbortSignal;
  /** Receives output in order, as it comes. */
  output(chunk: string): void;
  /**
   * Posts this run's own notification (a reminder, a watch's message). The engine delivers it when
   * the occurrence ends, in place of the notify policy's message; the last one posted wins.
   */
  notify(message: RunMessage): void;
  /** Waits on the engine's clock; resolves true when the time passed, false when `signal` (or the run) aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

export interface RunMessage {
  title: string;
  body: string;
  level: NotificationEvent['level'];
}

/** Starts an action and resolves to its outcome; never rejects for the action's own failures. */
export type Runner = (action: Action, context: RunContext) => Promise<Outcome>;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ''),
};

/** A busy block of the busy calendars (issue 15 §5): [start, end) in epoch milliseconds. */
export interface BusyInterval {
  start: number;
  end: number;
  /** The calendar's name in settings. */
  calendar: string;
  /** The event's SUMMARY ('' when it has none). */
  summary: string;
}

/** Where busy time comes from (the busy calendars, read by interop/): the engine and planner ask, never read files. */
export interface BusyTime {
  /** Busy blocks overlapping [from, to), earliest first. */
  blocks(from: number, to: number): readonly BusyInterval[];
}

export const noBusyTime: BusyTime = { blocks: () => [] };

/** One reading of a system condition: a value, or 'unknown' where the platform cannot tell (browser mode). */
export type Reading<T> = T | 'unknown';

/**
 * The machine's state that run conditions ask about (issue 16 §2). The desktop reads Electron's
 * powerMonitor; browser mode cannot tell and answers 'unknown' (a run then goes ahead).
 */
export interface SystemConditions {
  /** Whether any of it can be told here (the editor says so beside the field when not). */
  readonly supported: boolean;
  onACPower(): Reading<boolean>;
  /** Seconds since the last keyboard or mouse input. */
  idleSeconds(): Reading<number>;
  /** Calls `changed` when a reading may have changed (power source, lock, resume); returns a stop. */
  onChange(changed: () => void): () => void;
}

export const unknownConditions: SystemConditions = {
  supported: false,
  onACPower: () => 'unknown',
  idleSeconds: () => 'unknown',
  onChange: () => () => undefined,
};
