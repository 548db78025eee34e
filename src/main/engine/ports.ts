/**
 * The engine's ports: everything that is time, processes, network or the outside world comes in
 * through these, so tests can drive them (DESIGN.md §2).
 */
import type { Events, EventName } from '../../shared/api';
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
  setTimer: (callback, ms) => setTimeout(callback, ms) as unknown as TimerHandle,
  clearTimer: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};

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
  /** Aborted on timeout (reason 'timeout') or cancel (reason 'cancel'). */
  signal: AbortSignal;
  /** Receives output in order, as it comes. */
  output(chunk: string): void;
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
