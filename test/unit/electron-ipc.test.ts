/**
 * The Electron transport under Node: a fake ipcMain (Electron cannot run here) in front of the real
 * handler table, store and engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isOwnPage } from '../../src/main/desktop-rules/security';
import { bindIpc, forwardEvents } from '../../src/main/transports/electron-ipc';
import { IPC_CHANNELS } from '../../src/shared/ipc';
import { startTestApp, type TestApp } from '../support/engine';

const PAGE = 'app://almanac/index.html';

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
    invoke: (frameUrl: string | undefined, ...args: unknown[]) =>
      Promise.resolve(
        handlers.get(IPC_CHANNELS.invoke)!({ senderFrame: frameUrl ? { url: frameUrl } : null }, ...args),
      ),
  };
}

let app: TestApp;
afterEach(() => app?.close());

describe('ipcMain handler', () => {
  it('answers calls from the app’s own page through the handler table, validating the input', async () => {
    app = startTestApp();
    const ipc = fakeIpcMain();
    bindIpc(ipc as never, app.dispatch, (url) => isOwnPage(url, PAGE));
    const created = (await ipc.invoke(PAGE, 'schedules.create', {
      name: 'From IPC',
      trigger: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
      action: { type: 'reminder', title: 'Hi' },
    })) as { ok: boolean; value: { name: string } };
    expect(created).toMatchObject({ ok: true, value: { name: 'From IPC' } });
    const refused = (await ipc.invoke(PAGE, 'schedules.create', { name: '' })) as {
      ok: boolean;
      error: { code: string; issues: { path: string }[] };
    };
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('VALIDATION');
    expect(refused.error.issues.map((issue) => issue.path)).toContain('name');
  });

  it('refuses a frame that is not the app’s page before touching the handler table', async () => {
    app = startTestApp();
    const ipc = fakeIpcMain();
    const seen: string[] = [];
    bindIpc(
      ipc as never,
      async (method, input) => {
        seen.push(method);
        return app.dispatch(method, input);
      },
      (url) => isOwnPage(url, PAGE),
    );
    for (const frame of [
      'https://evil.example/',
      'file:///opt/Almanac/resources/app.asar/out/renderer/index.html',
      'app://evil/index.html',
      'other://almanac/index.html',
      undefined,
    ]) {
      const answer = (await ipc.invoke(frame, 'schedules.list', {})) as {
        ok: boolean;
        error: { code: string };
      };
      expect(answer).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    }
    expect(await ipc.invoke(PAGE, 42, {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(seen).toEqual([]);
  });

  it('unbinds cleanly, so a reload can bind again', () => {
    app = startTestApp();
    const ipc = fakeIpcMain();
    const unbind = bindIpc(ipc as never, app.dispatch, () => true);
    unbind();
    expect(() => bindIpc(ipc as never, app.dispatch, () => true)).not.toThrow();
  });
});

describe('event forwarding', () => {
  it('sends contract events on the event channel until the page is destroyed or unsubscribed', async () => {
    app = startTestApp();
    const sent: unknown[][] = [];
    let destroyed = false;
    const stop = forwardEvents(app.subscribe, {
      isDestroyed: () => destroyed,
      send: (...args: unknown[]) => sent.push(args),
    } as never);
    await app.dispatch('settings.update', { closeToTray: false });
    // the engine may announce its status too; the settings change is sent once, on the event channel
    const settings = sent.filter((args) => args[1] === 'settings.changed');
    expect(settings).toHaveLength(1);
    expect(settings[0]![0]).toBe(IPC_CHANNELS.event);
    expect(settings[0]![2]).toMatchObject({ closeToTray: false });
    const delivered = sent.length;
    destroyed = true;
    await app.dispatch('settings.update', { closeToTray: true });
    expect(sent).toHaveLength(delivered);
    destroyed = false;
    stop();
    await app.dispatch('settings.update', { launchAtLogin: true });
    expect(sent).toHaveLength(delivered);
  });
});
