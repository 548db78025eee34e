import {
  methods,
  validationError,
  type ApiErrorValue,
  type EventName,
  type Events,
  type MethodName,
  type Result,
} from '../../shared/api';
import { AlmanacError } from '../../shared/errors';
import type { Logger } from '../engine/ports';
import type { Handlers } from './handlers';

export type Dispatch = (method: string, input: unknown) => Promise<Result<unknown>>;
/** How a transport hears contract events: subscribe, get back an unsubscribe. */
export type Subscribe = (listener: <E extends EventName>(event: E, payload: Events[E]) => void) => () => void;

const isMethod = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(methods, name);

/**
 * Validates every input in main, whatever the transport, and turns every failure into a contract
 * error value. An unexpected exception becomes INTERNAL with a log line, never a stack trace.
 */
export function createDispatch(handlers: Handlers, log: Logger): Dispatch {
  return async (method, input) => {
    if (!isMethod(method)) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method ${method}` } };
    }
    const parsed = methods[method].input.safeParse(input ?? undefined);
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    try {
      const handler = handlers[method] as (input: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof AlmanacError) {
        const value: ApiErrorValue = { code: error.code, message: error.message };
        if (error.issues) value.issues = error.issues;
        return { ok: false, error: value };
      }
      log.error(`${method} failed`, error);
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `${method} failed unexpectedly; see the log` },
      };
    }
  };
}

/** A method whose answer is a file rather than a JSON value (browser mode's downloads). */
export interface Download {
  filename: string;
  contentType: string;
  rows: number;
  chunks: AsyncIterable<string>;
}
/** The download behind `method`, validated like any call; null when `method` answers JSON. */
export type Downloads = (method: string, input: unknown) => Promise<Result<Download>> | null;

/** Validates with the contract's schema, then opens the download; refusals are contract error values. */
export function createDownloads(
  table: { [M in MethodName]?: (input: never) => Download },
  log: Logger,
): Downloads {
  return (method, input) => {
    if (!isMethod(method)) return null;
    const open = table[method] as ((input: unknown) => Download) | undefined;
    if (!open) return null;
    const parsed = methods[method].input.safeParse(input ?? undefined);
    if (!parsed.success) return Promise.resolve({ ok: false, error: validationError(parsed.error) });
    try {
      return Promise.resolve({ ok: true, value: open(parsed.data) });
    } catch (error) {
      if (error instanceof AlmanacError) {
        const value: ApiErrorValue = { code: error.code, message: error.message };
        if (error.issues) value.issues = error.issues;
        return Promise.resolve({ ok: false, error: value });
      }
      log.error(`${method} failed`, error);
      return Promise.resolve({
        ok: false,
        error: { code: 'INTERNAL', message: `${method} failed unexpectedly; see the log` },
      });
    }
  };
}
