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
