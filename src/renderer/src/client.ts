/**
 * The renderer's one way to the backend: `window.almanac` under Electron, or an HTTP client with
 * the same `AlmanacApi` type in browser mode (JSON RPC over `POST /api/<method>`, events over SSE).
 */
import type { AlmanacApi, ApiErrorValue, EventName, Events, MethodName, Result } from '../../shared/api';

/** Subscribes to "the event stream came back after a drop"; the server replays nothing. */
export type ReconnectSubscribe = (listener: () => void) => () => void;

export interface HttpClient extends AlmanacApi {
  onReconnected: ReconnectSubscribe;
}

export interface HttpClientOptions {
  /** Prefix of the API routes; `/api` by default. */
  base?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  /** Delay before reopening an event stream the browser gave up on (it retries by itself otherwise). */
  retryMs?: number;
}

function unavailable(message: string): Result<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

function isErrorValue(value: unknown): value is ApiErrorValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorValue).code === 'string' &&
    typeof (value as ApiErrorValue).message === 'string'
  );
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; value?: unknown; error?: unknown };
  if (candidate.ok === true) return 'value' in candidate;
  return candidate.ok === false && isErrorValue(candidate.error);
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const base = options.base ?? '/api';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource;
  const retryMs = options.retryMs ?? 2000;

  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  let source: EventSource | null = null;
  let dropped = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function dispatch(event: EventName, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return; // a malformed frame is dropped; the next reconnect refetch repairs what it carried
    }
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  }

  function attach(es: EventSource, event: EventName): void {
    es.addEventListener(event, (message) => dispatch(event, (message as MessageEvent<string>).data));
  }

  function open(): void {
    if (source || !EventSourceImpl) return;
    const es = new EventSourceImpl(`${base}/events`, { withCredentials: true });
    source = es;
    for (const event of listeners.keys()) attach(es, event);
    es.addEventListener('open', () => {
      if (!dropped) return;
      dropped = false;
      for (const listener of [...reconnectListeners]) listener();
    });
    es.addEventListener('error', () => {
      dropped = true;
      // The browser retries by itself unless the answer was final (e.g. a 401 or a restart that
      // refused the stream); then it closes for good and we open a fresh stream later.
      if (es.readyState === EventSourceImpl.CLOSED && source === es) {
        source = null;
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (hasListeners()) open();
        }, retryMs);
      }
    });
  }

  function hasListeners(): boolean {
    return reconnectListeners.size > 0 || [...listeners.values()].some((set) => set.size > 0);
  }

  function closeIfIdle(): void {
    if (hasListeners()) return;
    source?.close();
    source = null;
    dropped = false;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  async function invoke(method: MethodName, input: unknown): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await doFetch(`${base}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch (error) {
      return unavailable(`Almanac is not reachable (${(error as Error).message || 'network error'})`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (isResult(body)) return body;
    if (response.status >= 502 && response.status <= 504) {
      return unavailable(`Almanac is not reachable (HTTP ${response.status})`);
    }
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `Unexpected answer from the server (HTTP ${response.status})` },
    };
  }

  return {
    invoke: invoke as AlmanacApi['invoke'],
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        if (source) attach(source, event);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      open();
      return () => {
        set.delete(wrapped);
        closeIfIdle();
      };
    },
    onReconnected(listener) {
      reconnectListeners.add(listener);
      open();
      return () => {
        reconnectListeners.delete(listener);
        closeIfIdle();
      };
    },
  };
}

let client: AlmanacApi | null = null;
let httpClient: HttpClient | null = null;

export function getClient(): AlmanacApi {
  if (client) return client;
  if (typeof window !== 'undefined' && window.almanac) {
    client = window.almanac;
  } else {
    httpClient = createHttpClient();
    client = httpClient;
  }
  return client;
}

/** Replaces the client (tests, or a host that wires its own). */
export function setClient(next: AlmanacApi | null): void {
  client = next;
  httpClient = next && 'onReconnected' in next ? (next as HttpClient) : null;
}

/**
 * Calls `listener` when the event stream reconnects after a drop. Electron's IPC does not drop,
 * so there it never fires.
 */
export const onReconnected: ReconnectSubscribe = (listener) => {
  getClient();
  return httpClient ? httpClient.onReconnected(listener) : () => {};
};
