import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BACKOFF_MS,
  createHttpClient,
  getClient,
  setClient,
  takeToken,
  type Connection,
  type OpenStream,
  type StreamLike,
} from '../../src/renderer/src/client';
import type { AlmanacApi } from '../../src/shared/api';
import { STALE_AFTER_MS } from '../../src/shared/browser-mode';

const TOKEN = 'a-token-of-at-least-thirty-two-chars';

/** An event stream driven by the test; it records the fetch it was given, as the real one uses it. */
class FakeStream implements StreamLike {
  closed = false;
  private listeners = new Map<string, ((event: Event) => void)[]>();
  constructor(
    readonly url: string,
    readonly fetch: typeof globalThis.fetch,
  ) {}
  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  fire(type: string, data?: unknown, extra: Record<string, unknown> = {}): void {
    const event =
      data === undefined
        ? Object.assign(new Event(type), extra)
        : new MessageEvent(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function streams() {
  const opened: FakeStream[] = [];
  const openStream: OpenStream = (url, fetch) => {
    const stream = new FakeStream(url, fetch);
    opened.push(stream);
    return stream;
  };
  return { opened, openStream, last: () => opened.at(-1)! };
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  setClient(null);
  delete window.almanac;
  window.sessionStorage.clear();
  vi.useRealTimers();
});

describe('HTTP client (browser mode): JSON RPC at /api/<method> with the bearer token', () => {
  it('POSTs the JSON input with Authorization: Bearer and no cookie (credentials omitted)', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: { items: [] } }));
    const client = createHttpClient({ fetch, token: TOKEN, openStream: streams().openStream });
    const result = await client.invoke('schedules.list', { search: 'backup' });

    expect(result).toEqual({ ok: true, value: { items: [] } });
    expect(fetch).toHaveBeenCalledWith('/api/schedules.list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: '{"search":"backup"}',
      credentials: 'omit',
    });
  });

  it('sends no Authorization header when the page has no token, and {} when there is no input', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: {} }));
    const client = createHttpClient({ fetch, openStream: streams().openStream });
    await client.invoke('runs.list', undefined);
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.body).toBe('{}');
    expect(init.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('returns the error body of a 4xx answer as is', async () => {
    const error = {
      code: 'VALIDATION',
      message: 'name: Name must not be empty',
      issues: [{ path: 'name', message: 'x' }],
    };
    const client = createHttpClient({
      fetch: async () => jsonResponse({ ok: false, error }, 400),
      openStream: streams().openStream,
    });
    expect(await client.invoke('schedules.get', { id: 'x' })).toEqual({ ok: false, error });
  });

  it('turns a network failure into UNAVAILABLE, a gateway error too, and other junk into INTERNAL', async () => {
    const down = createHttpClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
      openStream: streams().openStream,
    });
    expect(await down.invoke('app.status', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('Failed to fetch') },
    });
    const gateway = createHttpClient({
      fetch: async () => new Response('Bad gateway', { status: 502 }),
      openStream: streams().openStream,
    });
    expect(await gateway.invoke('app.status', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    const junk = createHttpClient({
      fetch: async () => jsonResponse({ hello: 1 }),
      openStream: streams().openStream,
    });
    expect(await junk.invoke('app.status', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('a 401 puts the client in "unauthorized" with the server’s words, and the stream stops', async () => {
    const message =
      'Almanac needs its token: open the address that `npm start` printed (it ends in #token=…).';
    const s = streams();
    const client = createHttpClient({
      fetch: async () => jsonResponse({ ok: false, error: { code: 'UNAVAILABLE', message } }, 401),
      openStream: s.openStream,
    });
    const seen: Connection[] = [];
    client.onConnection((connection) => seen.push(connection));
    await client.invoke('app.status', {});
    expect(client.connection()).toEqual({ state: 'unauthorized', message });
    expect(s.last().closed).toBe(true);
    expect(seen.at(-1)).toEqual({ state: 'unauthorized', message });
  });
});

describe('the event stream: one shared stream at /api/events, with the token', () => {
  it('shares one stream, parses each named event, and closes it when the last listener leaves', () => {
    const s = streams();
    const client = createHttpClient({ fetch: vi.fn(), openStream: s.openStream, token: TOKEN });
    const runs: unknown[] = [];
    const changes: unknown[] = [];
    const offRuns = client.on('run.changed', (run) => runs.push(run));
    const offChanges = client.on('schedule.changed', (change) => changes.push(change));

    expect(s.opened).toHaveLength(1);
    const stream = s.last();
    expect(stream.url).toBe('/api/events');
    stream.fire('run.changed', { id: 'r1' });
    stream.fire('schedule.changed', { id: 's1', schedule: null });
    expect(runs).toEqual([{ id: 'r1' }]);
    expect(changes).toEqual([{ id: 's1', schedule: null }]);

    offRuns();
    stream.fire('run.changed', { id: 'r2' });
    expect(runs).toHaveLength(1);
    expect(stream.closed).toBe(false);
    offChanges();
    expect(stream.closed).toBe(true);
  });

  it('the stream’s requests carry Authorization: Bearer too (EventSource alone cannot send it)', async () => {
    const fetch = vi.fn(
      async () => new Response('', { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    );
    const s = streams();
    const client = createHttpClient({ fetch, openStream: s.openStream, token: TOKEN });
    client.on('run.changed', () => {});
    await s
      .last()
      .fetch(new URL('http://127.0.0.1:4999/api/events'), { headers: { Accept: 'text/event-stream' } });
    const init = (fetch.mock.calls[0] as unknown as [URL, RequestInit])[1];
    expect(init.headers).toEqual({ accept: 'text/event-stream', authorization: `Bearer ${TOKEN}` });
    expect(init.credentials).toBe('omit');
  });
});

describe('connection state machine: lost within seconds, back by itself', () => {
  function setup() {
    vi.useFakeTimers();
    const s = streams();
    const client = createHttpClient({
      fetch: vi.fn(),
      openStream: s.openStream,
      token: TOKEN,
      now: () => Date.now(),
    });
    const states: Connection['state'][] = [];
    const reconnected = vi.fn();
    client.onConnection((connection) => states.push(connection.state));
    client.onReconnected(reconnected);
    return { client, s, states, reconnected };
  }

  it('connecting → live on open; a dropped stream is lost at once, retried after 0.5 s, and "reconnected" fires once it opens', () => {
    const { client, s, states, reconnected } = setup();
    expect(client.connection()).toEqual({ state: 'connecting' });
    s.last().fire('open');
    expect(client.connection()).toEqual({ state: 'live' });
    expect(reconnected).not.toHaveBeenCalled();

    s.last().fire('error');
    expect(client.connection()).toEqual({
      state: 'lost',
      reason: 'the connection to the server dropped',
      retryAt: Date.now() + BACKOFF_MS[0],
    });
    expect(s.opened[0]!.closed).toBe(true);
    vi.advanceTimersByTime(BACKOFF_MS[0] - 1);
    expect(s.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(s.opened).toHaveLength(2);
    expect(client.connection()).toMatchObject({ state: 'lost', retryAt: null });
    s.last().fire('open');
    expect(client.connection()).toEqual({ state: 'live' });
    expect(reconnected).toHaveBeenCalledTimes(1);
    expect(states).toEqual(['live', 'lost', 'lost', 'live']);
  });

  it('a silent server (no heartbeat, no event) is lost after STALE_AFTER_MS; each heartbeat or event buys that long again', () => {
    const { client, s } = setup();
    s.last().fire('open');
    vi.advanceTimersByTime(STALE_AFTER_MS - 1000);
    s.last().fire('heartbeat', {});
    vi.advanceTimersByTime(STALE_AFTER_MS - 1000);
    expect(client.connection().state).toBe('live');
    client.on('run.changed', () => {});
    s.last().fire('run.changed', { id: 'r' });
    vi.advanceTimersByTime(STALE_AFTER_MS - 1);
    expect(client.connection().state).toBe('live');
    vi.advanceTimersByTime(1);
    expect(client.connection()).toMatchObject({
      state: 'lost',
      reason: 'nothing heard from the server for 5 s',
    });
    expect(s.last().closed).toBe(true);
  });

  it('a server that takes the connection and never answers is lost too', () => {
    const { client } = setup();
    vi.advanceTimersByTime(STALE_AFTER_MS);
    expect(client.connection().state).toBe('lost');
  });

  it('backs off 0.5, 1, 2, 4, then every 5 s while the server stays away; an open resets it', () => {
    const { s } = setup();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const before = s.opened.length;
      s.last().fire('error');
      let waited = 0;
      while (s.opened.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
    s.last().fire('open');
    s.last().fire('error');
    vi.advanceTimersByTime(500);
    expect(s.opened).toHaveLength(9);
  });

  it('"Retry now" skips the wait', () => {
    const { client, s } = setup();
    s.last().fire('open');
    s.last().fire('error');
    s.last().fire('error'); // ignored: that stream is closed already
    expect(s.opened).toHaveLength(1);
    client.reconnectNow();
    expect(s.opened).toHaveLength(2);
    expect(client.connection()).toMatchObject({ state: 'lost', retryAt: null });
  });

  it('a 401 on the stream is "unauthorized": no retrying', async () => {
    vi.useFakeTimers();
    const s = streams();
    const message = 'That is not this server’s token: open the address …';
    const fetch = vi.fn(async () =>
      jsonResponse({ ok: false, error: { code: 'UNAVAILABLE', message } }, 401),
    );
    const client = createHttpClient({ fetch, openStream: s.openStream, token: 'an-old-token' });
    client.onConnection(() => {});
    await s.last().fetch('/api/events', {}); // what the stream does first
    s.last().fire('error', undefined, { code: 401 }); // then it reports the status
    vi.advanceTimersByTime(60_000);
    expect(client.connection()).toEqual({ state: 'unauthorized', message });
    expect(s.opened).toHaveLength(1);
    expect(s.last().closed).toBe(true);
  });

  it('events from a stream already given up are ignored', () => {
    const { client, s } = setup();
    const seen: unknown[] = [];
    client.on('run.changed', (run) => seen.push(run));
    const first = s.last();
    first.fire('open');
    first.fire('error');
    first.fire('run.changed', { id: 'stale' });
    vi.advanceTimersByTime(500);
    s.last().fire('run.changed', { id: 'fresh' });
    expect(seen).toEqual([{ id: 'fresh' }]);
  });
});

describe('the token: from the fragment, into sessionStorage, out of the address bar', () => {
  it('takes #token=… from the address, keeps it for the tab and removes it from the address bar', () => {
    window.history.replaceState(null, '', `/?x=1#token=${TOKEN}`);
    expect(takeToken()).toBe(TOKEN);
    expect(window.location.href).not.toContain(TOKEN);
    expect(window.location.pathname + window.location.search + window.location.hash).toBe('/?x=1');
    expect(window.sessionStorage.getItem('almanac.token')).toBe(TOKEN);
    // a reload of the clean address finds it again
    expect(takeToken()).toBe(TOKEN);
  });

  it('leaves a place fragment alone and finds no token where there is none', () => {
    window.history.replaceState(null, '', '/#/calendar');
    expect(takeToken()).toBeNull();
    expect(window.location.hash).toBe('#/calendar');
  });

  it('still works when storage is refused', () => {
    const storage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const history = { state: null, replaceState: vi.fn() };
    expect(takeToken({ hash: `#token=${TOKEN}`, pathname: '/', search: '' }, history, storage)).toBe(TOKEN);
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(takeToken({ hash: '', pathname: '/', search: '' }, history, storage)).toBeNull();
  });
});

describe('getClient', () => {
  it('uses window.almanac when the Electron preload exposed it', () => {
    const preload: AlmanacApi = { invoke: vi.fn(), on: vi.fn() } as unknown as AlmanacApi;
    window.almanac = preload;
    expect(getClient()).toBe(preload);
  });

  it('falls back to the HTTP client in browser mode, with the token from the address', async () => {
    window.history.replaceState(null, '', `/#token=${TOKEN}`);
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: 'x' }));
    vi.stubGlobal('fetch', fetch);
    try {
      const client = getClient();
      expect('onReconnected' in client).toBe(true);
      await client.invoke('app.status', {});
      expect(fetch).toHaveBeenCalledWith(
        '/api/app.status',
        expect.objectContaining({
          method: 'POST',
          headers: expect.objectContaining({ authorization: `Bearer ${TOKEN}` }),
        }),
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
