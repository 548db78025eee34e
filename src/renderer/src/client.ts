/**
 * The renderer's one way to the backend: `window.almanac` under Electron, or an HTTP client with
 * the same `AlmanacApi` type in browser mode (JSON RPC over `POST /api/<method>`, events over a
 * fetch-based event stream). In browser mode the token comes from the address's fragment, is kept
 * in sessionStorage and goes out as `Authorization: Bearer` on every request; no cookie exists.
 * The client also watches the stream: it knows within seconds when the server is gone, and comes
 * back by itself.
 */
import { EventSource } from 'eventsource';
import type {
  AlmanacApi,
  ApiErrorValue,
  EventName,
  Events,
  MethodInput,
  MethodName,
  Result,
} from '../../shared/api';
import { HEARTBEAT_EVENT, STALE_AFTER_MS, TOKEN_PARAM } from '../../shared/browser-mode';

/** Subscribes to "the event stream came back after a loss"; the server replays nothing. */
export type ReconnectSubscribe = (listener: () => void) => () => void;

/** What the page knows of its server, from the event stream. */
export type Connection =
  | { state: 'connecting' }
  | { state: 'live' }
  /** `retryAt`: when the next attempt starts (epoch ms), or null while one is under way. */
  | { state: 'lost'; reason: string; retryAt: number | null }
  /** The server refused the token (or there is none): retrying would not help. */
  | { state: 'unauthorized'; message: string };

export interface HttpClient extends AlmanacApi {
  onReconnected: ReconnectSubscribe;
  connection(): Connection;
  onConnection(listener: (connection: Connection) => void): () => void;
  /** Skips the wait before the next reconnect attempt. */
  reconnectNow(): void;
  /** A method answered with a file (`runs.export`): the file, or the contract's refusal. */
  download(method: 'runs.export', input: MethodInput<'runs.export'>): Promise<Result<DownloadedFile>>;
}

export interface DownloadedFile {
  filename: string;
  rows: number;
  blob: Blob;
}

/** The part of an event stream the client uses (the `eventsource` package's, or a test's fake). */
export interface StreamLike {
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}
export type OpenStream = (url: string, fetch: typeof globalThis.fetch) => StreamLike;

export interface HttpClientOptions {
  /** Prefix of the API routes; `/api` by default. */
  base?: string;
  /** Sent as `Authorization: Bearer` on every request, events included. */
  token?: string | null;
  fetch?: typeof fetch;
  openStream?: OpenStream;
  /** Silence on the stream for this long (no heartbeat, no event) means the server is lost. */
  staleAfterMs?: number;
  /** Waits before successive reconnect attempts; the last one repeats. */
  backoffMs?: readonly number[];
  now?: () => number;
}

export const BACKOFF_MS = [500, 1000, 2000, 4000, 5000] as const;
const TOKEN_KEY = 'almanac.token';

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

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => (out[name] = value));
  return out;
}

const defaultOpenStream: OpenStream = (url, fetch) =>
  new EventSource(url, { fetch }) as unknown as StreamLike;

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const base = options.base ?? '/api';
  const token = options.token ?? null;
  const rawFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const openStream = options.openStream ?? defaultOpenStream;
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const backoff = options.backoffMs ?? BACKOFF_MS;
  const now = options.now ?? Date.now;

  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  const connectionListeners = new Set<(connection: Connection) => void>();
  let connection: Connection = { state: 'connecting' };
  let stream: StreamLike | null = null;
  let everLost = false;
  let attempts = 0;
  let watchdog: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function setConnection(next: Connection): void {
    connection = next;
    for (const listener of [...connectionListeners]) listener(next);
  }

  /** Every request carries the token; a 401 means it is missing or wrong, whatever asked. */
  const authorizedFetch: typeof fetch = async (input, init) => {
    const headers = headerRecord(init?.headers);
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await rawFetch(input, { ...init, headers, credentials: 'omit' });
    if (response.status === 401) {
      let message = 'The server refused this page’s token.';
      try {
        const body: unknown = await response.clone().json();
        if (isResult(body) && !body.ok) message = body.error.message;
      } catch {
        // not our JSON: keep the general message
      }
      refused(message);
    }
    return response;
  };

  function dispatch(event: EventName, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return; // a malformed frame is dropped; the next reconnect refetch repairs what it carried
    }
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  }

  function attach(source: StreamLike, event: EventName): void {
    source.addEventListener(event, (message) => {
      if (stream !== source) return;
      heard(source);
      dispatch(event, (message as MessageEvent<string>).data);
    });
  }

  /** Anything on the stream (an event, a heartbeat) proves the server alive for a while longer. */
  function heard(source: StreamLike): void {
    if (watchdog) clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      if (stream === source) lose(`nothing heard from the server for ${Math.round(staleAfterMs / 1000)} s`);
    }, staleAfterMs);
  }

  function stopStream(): void {
    stream?.close();
    stream = null;
    if (watchdog) clearTimeout(watchdog);
    watchdog = null;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  function lose(reason: string): void {
    stopStream();
    everLost = true;
    const wait = backoff[Math.min(attempts, backoff.length - 1)]!;
    attempts++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (connection.state === 'lost') setConnection({ ...connection, retryAt: null });
      open();
    }, wait);
    setConnection({ state: 'lost', reason, retryAt: now() + wait });
  }

  function refused(message: string): void {
    stopStream();
    if (connection.state !== 'unauthorized' || connection.message !== message)
      setConnection({ state: 'unauthorized', message });
  }

  function open(): void {
    if (stream || retryTimer || !hasListeners() || connection.state === 'unauthorized') return;
    const source = openStream(`${base}/events`, authorizedFetch);
    stream = source;
    for (const event of listeners.keys()) attach(source, event);
    source.addEventListener(HEARTBEAT_EVENT, () => {
      if (stream === source) heard(source);
    });
    source.addEventListener('open', () => {
      if (stream !== source) return;
      heard(source);
      attempts = 0;
      const back = everLost && connection.state !== 'live';
      if (connection.state !== 'live') setConnection({ state: 'live' });
      if (back) for (const listener of [...reconnectListeners]) listener();
    });
    source.addEventListener('error', (event) => {
      if (stream !== source) return;
      const code = (event as Event & { code?: number }).code;
      if (code === 401) return; // authorizedFetch has said why
      lose(code ? `the server answered ${code}` : 'the connection to the server dropped');
    });
    // a server that accepts the connection and never answers is lost as well
    heard(source);
  }

  function hasListeners(): boolean {
    return (
      reconnectListeners.size > 0 ||
      connectionListeners.size > 0 ||
      [...listeners.values()].some((set) => set.size > 0)
    );
  }

  function closeIfIdle(): void {
    if (hasListeners()) return;
    stopStream();
  }

  /** POSTs one call with the token; a network failure is the UNAVAILABLE result it becomes. */
  async function post(
    method: MethodName,
    input: unknown,
  ): Promise<{ response: Response } | { failed: Result<never> }> {
    try {
      const response = await authorizedFetch(`${base}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      return { response };
    } catch (error) {
      return {
        failed: unavailable(`Almanac is not reachable (${(error as Error).message || 'network error'})`),
      };
    }
  }

  async function invoke(method: MethodName, input: unknown): Promise<Result<unknown>> {
    const sent = await post(method, input);
    if ('failed' in sent) return sent.failed;
    const { response } = sent;
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

  async function download(method: MethodName, input: unknown): Promise<Result<DownloadedFile>> {
    const sent = await post(method, input);
    if ('failed' in sent) return sent.failed;
    const { response } = sent;
    const disposition = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
    if (!response.ok || !disposition) {
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (isResult(body) && !body.ok) return body;
      return unavailable(`The export failed (HTTP ${response.status})`);
    }
    return {
      ok: true,
      value: {
        filename: disposition[1]!,
        rows: Number(response.headers.get('x-almanac-rows') ?? 0),
        blob: await response.blob(),
      },
    };
  }

  /** Adds a listener to a set, opening the stream; the returned function removes it again. */
  function follow<T>(set: Set<T>, listener: T): () => void {
    set.add(listener);
    open();
    return () => {
      set.delete(listener);
      closeIfIdle();
    };
  }

  return {
    invoke: invoke as AlmanacApi['invoke'],
    download: download as HttpClient['download'],
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        if (stream) attach(stream, event);
      }
      return follow(set, listener as (payload: unknown) => void);
    },
    onReconnected: (listener) => follow(reconnectListeners, listener),
    onConnection: (listener) => follow(connectionListeners, listener),
    connection: () => connection,
    reconnectNow() {
      if (connection.state !== 'lost' || !retryTimer) return;
      clearTimeout(retryTimer);
      retryTimer = null;
      setConnection({ ...connection, retryAt: null });
      open();
    },
  };
}

/**
 * The token for this tab: taken from the address's fragment (`#token=…`, which never reaches a
 * server) and then removed from the address bar, or kept from earlier in this tab's session.
 */
export function takeToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null = sessionStorageOrNull(),
): string | null {
  const fromFragment = new URLSearchParams(location.hash.replace(/^#/, '')).get(TOKEN_PARAM);
  if (fromFragment) {
    try {
      storage?.setItem(TOKEN_KEY, fromFragment);
    } catch {
      // storage refused (private mode, quota): the token lives as long as this page
    }
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return fromFragment;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

let client: AlmanacApi | null = null;
let httpClient: HttpClient | null = null;

export function getClient(): AlmanacApi {
  if (client) return client;
  if (typeof window !== 'undefined' && window.almanac) {
    client = window.almanac;
  } else {
    httpClient = createHttpClient({ token: takeToken() });
    client = httpClient;
  }
  return client;
}

/** Replaces the client (tests, or a host that wires its own). */
export function setClient(next: AlmanacApi | null): void {
  client = next;
  httpClient = next && isHttpClient(next) ? next : null;
}

export function isHttpClient(api: AlmanacApi): api is HttpClient {
  return 'onConnection' in api && 'onReconnected' in api;
}

/**
 * Calls `listener` when the event stream reconnects after a loss. Electron's IPC does not drop,
 * so there it never fires.
 */
export const onReconnected: ReconnectSubscribe = (listener) => {
  getClient();
  return httpClient ? httpClient.onReconnected(listener) : () => {};
};
