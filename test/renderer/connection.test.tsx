/**
 * Browser mode's page and a lost server (issue 12 §2): the page shows one banner the moment the
 * event stream loses its server, reconnects by itself, reloads what it shows and says so; a page
 * whose token is refused says what to open.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createHttpClient, type OpenStream, type StreamLike } from '../../src/renderer/src/client';
import type { MethodName } from '../../src/shared/api';
import { FakeApi, makeSchedule } from './fakeApi';

class FakeStream implements StreamLike {
  closed = false;
  private listeners = new Map<string, ((event: Event) => void)[]>();
  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  fire(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener(new Event(type));
  }
}

/** A browser-mode server made of a FakeApi behind fetch, which can go away and come back. */
function server(api: FakeApi) {
  const streams: FakeStream[] = [];
  let up = true;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (!up) throw new TypeError('Failed to fetch');
    const method = String(input).replace(/^\/api\//, '') as MethodName;
    const result = await api.invoke(method, JSON.parse(String(init?.body ?? '{}')) as never);
    return new Response(JSON.stringify(result), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const openStream: OpenStream = () => {
    const stream = new FakeStream();
    streams.push(stream);
    if (up) queueMicrotask(() => stream.fire('open'));
    else queueMicrotask(() => stream.fire('error'));
    return stream;
  };
  const client = createHttpClient({ fetch, openStream, token: 't'.repeat(32), backoffMs: [20] });
  return {
    client,
    streams,
    kill() {
      up = false;
      act(() => streams.at(-1)!.fire('error'));
    },
    restart() {
      up = true;
    },
  };
}

describe('a lost server', () => {
  it('shows one banner at once, says "Unreachable" and "Not live"; back, it reloads and says it reconnected', async () => {
    const api = new FakeApi();
    const served = server(api);
    render(<App client={served.client} onReconnected={served.client.onReconnected} />);
    await screen.findByText('Engine: Idle');
    await screen.findByText('Live');
    expect(screen.queryByRole('alert')).toBeNull();

    served.kill();
    const banner = await screen.findByTestId('connection-lost');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('Lost the connection to Almanac’s server');
    expect(screen.getByText('Engine: Unreachable')).toBeTruthy();
    expect(screen.getByText('Not live')).toBeTruthy();
    // calls fail meanwhile too; still one banner, not two
    await act(async () => {
      await served.client.invoke('schedules.list', {});
    });
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    // it keeps trying by itself while the server is away
    await waitFor(() => expect(served.streams.length).toBeGreaterThan(2));
    expect(screen.getAllByRole('alert')).toHaveLength(1);

    api.schedules = [makeSchedule({ name: 'Made while the page was away' })];
    served.restart();
    await waitFor(() => expect(screen.queryByTestId('connection-lost')).toBeNull());
    expect(await screen.findByText('Reconnected to Almanac; everything shown was reloaded.')).toBeTruthy();
    const row = await screen.findByTestId('schedule-row');
    expect(within(row).getByText('Made while the page was away')).toBeTruthy();
    expect(screen.getByText('Live')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('"Retry now" tries at once', async () => {
    const api = new FakeApi();
    const served = server(api);
    const client = createHttpClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
      openStream: () => {
        const stream = new FakeStream();
        served.streams.push(stream);
        queueMicrotask(() => stream.fire('error'));
        return stream;
      },
      backoffMs: [60_000],
    });
    render(<App client={client} onReconnected={client.onReconnected} />);
    const banner = await screen.findByTestId('connection-lost');
    expect(banner.textContent).toMatch(/Reconnecting in 6\d s…/);
    const before = served.streams.length;
    act(() => within(banner).getByRole('button', { name: 'Retry now' }).click());
    expect(served.streams.length).toBe(before + 1);
  });
});

describe('a page without its token', () => {
  it('says what to open, in the server’s words, and nothing else alarms', async () => {
    const message =
      'Almanac needs its token: open the address that `npm start` printed (it ends in #token=…).';
    const client = createHttpClient({
      fetch: async () =>
        new Response(JSON.stringify({ ok: false, error: { code: 'UNAVAILABLE', message } }), { status: 401 }),
      openStream: () => new FakeStream(),
    });
    render(<App client={client} onReconnected={client.onReconnected} />);
    const banner = await screen.findByTestId('token-needed');
    expect(banner.textContent).toBe(`This page needs its token. ${message}`);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByText('Engine: No access (token needed)')).toBeTruthy();
  });
});
