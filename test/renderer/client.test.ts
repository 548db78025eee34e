import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpClient, getClient, setClient } from '../../src/renderer/src/client';
import type { AlmanacApi } from '../../src/shared/api';

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent | Event) => void)[]>();

  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent | Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }

  fire(type: string, data?: unknown): void {
    if (type === 'open') this.readyState = FakeEventSource.OPEN;
    const event =
      data === undefined ? new Event(type) : new MessageEvent(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

const ES = FakeEventSource as unknown as typeof EventSource;

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  FakeEventSource.instances = [];
  setClient(null);
  delete window.almanac;
  vi.useRealTimers();
});

describe('HTTP client (browser mode): JSON RPC at /api/<method>', () => {
  it('POSTs the JSON input to /api/<method> with same-origin credentials and returns the Result', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: { items: [] } }));
    const client = createHttpClient({ fetch, EventSource: ES });
    const result = await client.invoke('schedules.list', { search: 'backup' });

    expect(result).toEqual({ ok: true, value: { items: [] } });
    expect(fetch).toHaveBeenCalledWith('/api/schedules.list', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"search":"backup"}',
      credentials: 'same-origin',
    });
  });

  it('sends {} when there is no input', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: {} }));
    const client = createHttpClient({ fetch, EventSource: ES });
    await client.invoke('runs.list', undefined);
    expect((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body).toBe('{}');
  });

  it('returns the error body of a 4xx answer as is', async () => {
    const error = {
      code: 'VALIDATION',
      message: 'name: Name must not be empty',
      issues: [{ path: 'name', message: 'x' }],
    };
    const client = createHttpClient({
      fetch: async () => jsonResponse({ ok: false, error }, 400),
      EventSource: ES,
    });
    expect(await client.invoke('schedules.get', { id: 'x' })).toEqual({ ok: false, error });
  });

  it('turns a network failure into UNAVAILABLE', async () => {
    const client = createHttpClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
      EventSource: ES,
    });
    const result = await client.invoke('app.status', {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('UNAVAILABLE');
      expect(result.error.message).toContain('Failed to fetch');
    }
  });

  it('turns a non-JSON gateway error into UNAVAILABLE and other junk into INTERNAL', async () => {
    const gateway = createHttpClient({
      fetch: async () => new Response('Bad gateway', { status: 502 }),
      EventSource: ES,
    });
    const junk = createHttpClient({ fetch: async () => jsonResponse({ hello: 1 }), EventSource: ES });
    expect((await gateway.invoke('app.status', {})) as unknown).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    expect((await junk.invoke('app.status', {})) as unknown).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });
});

describe('HTTP client events: one shared EventSource at /api/events', () => {
  it('shares one stream, parses each named event, and closes it when the last listener leaves', () => {
    const client = createHttpClient({ fetch: vi.fn(), EventSource: ES });
    const runs: unknown[] = [];
    const changes: unknown[] = [];
    const offRuns = client.on('run.changed', (run) => runs.push(run));
    const offChanges = client.on('schedule.changed', (change) => changes.push(change));

    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('/api/events');

    source.fire('run.changed', { id: 'r1' });
    source.fire('schedule.changed', { id: 's1', schedule: null });
    expect(runs).toEqual([{ id: 'r1' }]);
    expect(changes).toEqual([{ id: 's1', schedule: null }]);

    offRuns();
    source.fire('run.changed', { id: 'r2' });
    expect(runs).toHaveLength(1);
    expect(source.closed).toBe(false);
    offChanges();
    expect(source.closed).toBe(true);
  });

  it('signals "reconnected" when the stream opens again after an error, not on the first open', () => {
    const client = createHttpClient({ fetch: vi.fn(), EventSource: ES });
    const reconnected = vi.fn();
    client.on('run.changed', () => {});
    client.onReconnected(reconnected);
    const source = FakeEventSource.instances[0]!;

    source.fire('open');
    expect(reconnected).not.toHaveBeenCalled();
    source.readyState = FakeEventSource.CONNECTING;
    source.fire('error');
    source.fire('open');
    expect(reconnected).toHaveBeenCalledTimes(1);
  });

  it('opens a fresh stream when the browser gives up on one, then signals "reconnected"', () => {
    vi.useFakeTimers();
    const client = createHttpClient({ fetch: vi.fn(), EventSource: ES, retryMs: 1000 });
    const reconnected = vi.fn();
    const seen: unknown[] = [];
    client.on('run.changed', (run) => seen.push(run));
    client.onReconnected(reconnected);
    const first = FakeEventSource.instances[0]!;
    first.fire('open');
    first.readyState = FakeEventSource.CLOSED;
    first.fire('error');

    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.instances).toHaveLength(2);
    const second = FakeEventSource.instances[1]!;
    second.fire('open');
    expect(reconnected).toHaveBeenCalledTimes(1);
    second.fire('run.changed', { id: 'r9' });
    expect(seen).toEqual([{ id: 'r9' }]);
  });
});

describe('getClient', () => {
  it('uses window.almanac when the Electron preload exposed it', () => {
    const preload: AlmanacApi = { invoke: vi.fn(), on: vi.fn() } as unknown as AlmanacApi;
    window.almanac = preload;
    expect(getClient()).toBe(preload);
  });

  it('falls back to the HTTP client in browser mode', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: 'x' }));
    vi.stubGlobal('fetch', fetch);
    try {
      const client = getClient();
      expect('onReconnected' in client).toBe(true);
      await client.invoke('app.status', {});
      expect(fetch).toHaveBeenCalledWith('/api/app.status', expect.objectContaining({ method: 'POST' }));
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
