/**
 * The desktop entry, executed (issue 16): the real src/main/index.ts against a temp data directory,
 * with a fake `electron` standing in for the runtime. Each test holds one piece of DESIGN.md §7.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TIMER_CAP_MS, TIMER_CAP_WITH_WAKE_SIGNALS_MS } from '../../src/main/engine/engine';
import { CONTENT_SECURITY_POLICY, windowOptions } from '../../src/main/desktop-rules/security';
import type { MethodInput } from '../../src/shared/api';
import { IPC_CHANNELS } from '../../src/shared/ipc';
import { electronEvent, type FakeNativeImage } from './fake-electron';
import { launch, removeTempDirs, tempDir, until, type Launched } from './launch';

const root = path.resolve(import.meta.dirname, '../..');
const running: Launched[] = [];

async function start(options?: Parameters<typeof launch>[0]): Promise<Launched> {
  const app = await launch(options);
  running.push(app);
  return app;
}

afterEach(async () => {
  for (const app of running.splice(0)) await app.quit();
  removeTempDirs();
});

/** A schedule that fires once a year (so never during a test) and runs `command` when asked. */
function commandSchedule(name: string, command: string): MethodInput<'schedules.create'> {
  return {
    name,
    trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
    action: { type: 'command', command, shell: true },
  };
}

function trayIcon(app: Launched): string {
  return path.basename((app.tray().image as unknown as FakeNativeImage).path);
}

describe('the window', () => {
  it('is created with windowOptions() and loads the app’s own page over app://', async () => {
    const app = await start();
    const [window, ...others] = app.electron.BrowserWindow.getAllWindows();
    expect(others).toEqual([]);
    expect(window!.options).toEqual(windowOptions(path.join(root, 'src/preload/index.cjs')));
    expect(window!.webContents.getURL()).toBe('app://almanac/index.html');
    await until(() => expect(window!.isVisible()).toBe(true)); // shown once painted

    // the scheme was privileged before ready, and its handler serves the renderer folder only
    expect(app.electron.protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const page = await app.electron.protocol.request('app://almanac/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<div id="root">');
    expect((await app.electron.protocol.request('app://almanac/../../package.json')).status).toBe(404);
    expect((await app.electron.protocol.request('app://almanac/%2e%2e/%2e%2e/package.json')).status).toBe(
      404,
    );
  });

  it('a packaged app ignores ELECTRON_RENDERER_URL; a development run follows it', async () => {
    const env = { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' };
    const packaged = await start({ isPackaged: true, env, expectPage: false });
    await until(() => expect(packaged.window().webContents.getURL()).toBe('app://almanac/index.html'));
    await packaged.quit();
    const dev = await start({ isPackaged: false, env, expectPage: false });
    await until(() => expect(dev.window().webContents.getURL()).toBe('http://127.0.0.1:5173/'));
  });

  it('answers IPC from its own page only', async () => {
    const app = await start();
    await expect(app.call('schedules.list', {})).resolves.toEqual({ items: [] });
    // the same window, navigated elsewhere (navigation is denied, but IPC does not rely on that)
    await app.window().webContents.loadURL('https://evil.example/');
    const answer = await app.page().invoke('schedules.list', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('runs.export asks for a file with the save dialog and writes the filtered runs there; Cancel writes nothing', async () => {
    const app = await start();
    const schedule = await app.call('schedules.create', commandSchedule('Exported', 'echo hi'));
    const run = await app.call('schedules.runNow', { id: schedule.id });
    await until(async () => expect((await app.call('runs.get', { id: run.id })).status).toBe('succeeded'));
    const dialog = app.electron.dialog;
    dialog.saveAnswer = null;
    await expect(app.call('runs.export', { scheduleId: schedule.id, format: 'json' })).resolves.toEqual({
      rows: 0,
      path: null,
    });
    const file = path.join(tempDir(), 'runs.json');
    dialog.saveAnswer = file;
    await expect(app.call('runs.export', { scheduleId: schedule.id, format: 'json' })).resolves.toEqual({
      rows: 1,
      path: file,
    });
    expect(dialog.saveDialogs.at(-1)).toMatchObject({ filters: [{ name: 'JSON', extensions: ['json'] }] });
    expect(path.basename(dialog.saveDialogs.at(-1)!.defaultPath!)).toMatch(/^almanac-runs-.*\.json$/);
    const listed = await app.call('runs.list', { scheduleId: schedule.id });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(listed.items);
  });

  it('denies navigation and new windows, opening only safe links in the browser', async () => {
    const app = await start();
    const contents = app.window().webContents;
    const navigate = electronEvent({ url: 'https://evil.example/' });
    contents.emit('will-navigate', navigate);
    expect(navigate.defaultPrevented).toBe(true);
    const open = (url: string) => contents.windowOpenHandler!({ url } as Electron.HandlerDetails);
    expect(open('https://example.com/help')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(app.electron.shell.opened).toEqual(['https://example.com/help']);
  });

  it('refuses every permission request on the default session', async () => {
    const app = await start();
    const { permissionRequestHandler } = app.electron.session.defaultSession;
    let granted: boolean | null = null;
    permissionRequestHandler!({} as Electron.WebContents, 'media', (answer) => (granted = answer), {
      requestingUrl: 'app://almanac/index.html',
    } as Electron.PermissionRequest);
    expect(granted).toBe(false);
  });
});

describe('the tray', () => {
  it('shows idle, running and failed as runs go', async () => {
    const app = await start();
    expect(trayIcon(app)).toBe('tray-idle.png');
    expect((app.tray().image as unknown as FakeNativeImage).isEmpty()).toBe(false);
    const release = path.join(tempDir(), 'release');
    const blocker = await app.call(
      'schedules.create',
      commandSchedule('Blocker', `while [ ! -f '${release}' ]; do sleep 0.02; done`),
    );
    await app.call('schedules.runNow', { id: blocker.id });
    await until(() => expect(trayIcon(app)).toBe('tray-running.png'));
    expect(app.tray().toolTip).toBe('Almanac: running 1');
    fs.writeFileSync(release, '');
    await until(() => expect(trayIcon(app)).toBe('tray-idle.png'));

    const broken = await app.call('schedules.create', commandSchedule('Broken', 'exit 3'));
    await app.call('schedules.runNow', { id: broken.id });
    await until(() => expect(trayIcon(app)).toBe('tray-failed.png'));
    expect(app.tray().toolTip).toBe('Almanac: a schedule failed');
  });

  it('lists the next runs, and "Pause all" pauses every schedule', async () => {
    const app = await start();
    await app.call('schedules.create', {
      ...commandSchedule('Yearly', 'true'),
      trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
    });
    await app.call('schedules.create', {
      ...commandSchedule('Hourly', 'true'),
      trigger: { type: 'cron', expression: '0 * * * *', timezone: 'UTC' },
    });
    const menu = () => app.tray().contextMenu!;
    await until(() =>
      expect(menu().labels().slice(0, 2)).toEqual([
        expect.stringMatching(/ {2}Hourly$/),
        expect.stringMatching(/ {2}Yearly$/),
      ]),
    );
    expect(menu().labels()).toContain('Pause all');

    menu().click('Pause all');
    await until(async () => {
      const { items } = await app.call('schedules.list', {});
      expect(items.map((schedule) => schedule.enabled)).toEqual([false, false]);
    });
    await until(() => expect(menu().labels()).toContain('Resume all'));
    expect(menu().labels()[0]).toBe('Nothing scheduled');
  });
});

describe('notifications', () => {
  it('a failed run posts one native notification; clicking it shows the window on that run', async () => {
    const app = await start();
    const opened: string[] = [];
    app.page().onOpenRun((runId) => opened.push(runId));
    const broken = await app.call('schedules.create', commandSchedule('Broken', 'exit 3'));
    const run = await app.call('schedules.runNow', { id: broken.id });
    const { Notification } = app.electron;
    await until(() => expect(Notification.shown).toHaveLength(1));
    const [notification] = Notification.shown;
    expect(notification!.options.title).toContain('Broken');

    app.window().close(); // to the tray
    expect(app.window().isVisible()).toBe(false);
    notification!.click();
    expect(app.window().isVisible()).toBe(true);
    expect(app.window().isFocused()).toBe(true);
    expect(opened).toEqual([run.id]);
    // the run finished and the tray redrew: still the one notification
    await until(() => expect(trayIcon(app)).toBe('tray-failed.png'));
    expect(Notification.shown).toHaveLength(1);
  });

  it('the preload keeps a run to open until the page listens', async () => {
    const app = await start();
    app.window().webContents.send(IPC_CHANNELS.openRun, 'run-1');
    const opened: string[] = [];
    const stop = app.page().onOpenRun((runId) => opened.push(runId));
    expect(opened).toEqual(['run-1']);
    stop();
    app.window().webContents.send(IPC_CHANNELS.openRun, 'run-2');
    expect(opened).toEqual(['run-1']);
    expect([...app.electron.contextBridge.exposed.keys()]).toEqual(['almanac']);
    expect(Object.keys(app.page()).sort()).toEqual(['invoke', 'on', 'onOpenRun']);
  });
});

describe('wake signals', () => {
  it('power monitor resume and unlock-screen each wake the engine', async () => {
    const app = await start();
    const { Engine } = await import('../../src/main/engine/engine');
    const wake = vi.spyOn(Engine.prototype, 'wake');
    app.electron.powerMonitor.emit('resume', electronEvent());
    expect(wake).toHaveBeenCalledTimes(1);
    app.electron.powerMonitor.emit('unlock-screen', electronEvent());
    expect(wake).toHaveBeenCalledTimes(2);
  });

  it('with those signals, the engine’s idle timer waits up to 60 s, not 5 s (DESIGN.md §4.4)', async () => {
    const delays: number[] = [];
    await start({
      before: async () => {
        const { systemClock } = await import('../../src/main/engine/ports');
        const setTimer = systemClock.setTimer;
        vi.spyOn(systemClock, 'setTimer').mockImplementation((callback, ms) => {
          delays.push(ms);
          return setTimer(callback, ms);
        });
      },
    });
    expect(TIMER_CAP_WITH_WAKE_SIGNALS_MS).toBe(60_000);
    expect(delays).toContain(TIMER_CAP_WITH_WAKE_SIGNALS_MS);
    expect(delays).not.toContain(TIMER_CAP_MS);
  });
});

describe('one instance', () => {
  it('a second instance brings the first one’s window forward', async () => {
    const app = await start();
    app.window().minimize();
    app.window().hide();
    app.electron.app.emit('second-instance', electronEvent(), [], root, {});
    expect(app.window().isMinimized()).toBe(false);
    expect(app.window().isVisible()).toBe(true);
    expect(app.window().isFocused()).toBe(true);
  });

  it('an instance that does not get the lock quits and starts no engine', async () => {
    const app = await start({ singleInstance: false, expectPage: false });
    await until(() => expect(app.electron.app.quitted).toBe(true));
    expect(app.electron.BrowserWindow.getAllWindows()).toEqual([]);
    expect(app.electron.ipcMain.handlers.size).toBe(0);
    expect(app.electron.protocol.privileged).toEqual([]);
    expect(fs.existsSync(app.dataDir)).toBe(false);
  });

  it('a data directory held by another engine is said in a dialog, and the app exits', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const { acquireEngineLock } = await import('../../src/main/store');
    const held = acquireEngineLock(dataDir);
    try {
      const app = await start({ dataDir, expectPage: false });
      await until(() => expect(app.electron.app.exitCode).toBe(1));
      expect(app.electron.dialog.errors).toEqual([
        { title: 'Almanac could not start', content: expect.stringMatching(/already running/) },
      ]);
      expect(app.electron.BrowserWindow.getAllWindows()).toEqual([]);
    } finally {
      held.release();
    }
  });
});

describe('closing and quitting', () => {
  it('closing the window hides it to the tray; the engine keeps running', async () => {
    const app = await start();
    app.window().close();
    expect(app.window().isDestroyed()).toBe(false);
    expect(app.window().isVisible()).toBe(false);
    expect(app.electron.app.quitRequests).toBe(0);
    await expect(app.call('app.status', {})).resolves.toMatchObject({ engine: { running: true } });
  });

  it('Quit in the tray stops the engine cleanly and frees the data directory', async () => {
    const app = await start();
    const { acquireEngineLock } = await import('../../src/main/store');
    expect(() => acquireEngineLock(app.dataDir)).toThrow(/already running/);
    app.tray().contextMenu!.click('Quit');
    await until(() => expect(app.electron.app.quitted).toBe(true));
    expect(app.electron.BrowserWindow.getAllWindows()).toEqual([]);
    expect(app.tray().isDestroyed()).toBe(true);
    expect(fs.existsSync(path.join(app.dataDir, 'engine.pid'))).toBe(false);
    acquireEngineLock(app.dataDir).release(); // the lock is free again
  });

  it('a click on the tray icon brings a hidden window back', async () => {
    const app = await start();
    app.window().close(); // hidden to the tray
    expect(app.window().isVisible()).toBe(false);
    app.tray().emit('click');
    expect(app.window().isVisible()).toBe(true);
  });

  it('a window that was destroyed is forgotten: Open makes a new one that gets the events', async () => {
    const app = await start();
    const created = await app.call('schedules.create', commandSchedule('kept', 'true'));
    const first = app.window();
    first.destroy();
    app.tray().contextMenu!.click('Open Almanac');
    const [second, ...others] = app.electron.BrowserWindow.getAllWindows();
    expect(others).toEqual([]);
    expect(second).not.toBe(first);
    await until(() => expect(second!.isVisible()).toBe(true));
    app.tray().contextMenu!.click('Pause all');
    await until(() =>
      expect(second!.webContents.sent).toContainEqual([
        IPC_CHANNELS.event,
        'schedule.changed',
        expect.objectContaining({ id: created.id }),
      ]),
    );
  });

  it('with close-to-tray off, closing the window quits and stops the engine', async () => {
    const app = await start();
    await app.call('settings.update', { closeToTray: false });
    app.window().close();
    await until(() => expect(app.electron.app.quitted).toBe(true));
    const { acquireEngineLock } = await import('../../src/main/store');
    acquireEngineLock(app.dataDir).release();
  });
});

describe('launch at login', () => {
  it('follows the launchAtLogin setting through setLoginItemSettings', async () => {
    const app = await start();
    expect(app.electron.app.loginItemSettings).toEqual([{ openAtLogin: false }]);
    await app.call('settings.update', { launchAtLogin: true });
    expect(app.electron.app.loginItemSettings.at(-1)).toEqual({ openAtLogin: true });
    await app.call('settings.update', { launchAtLogin: false });
    expect(app.electron.app.loginItemSettings.at(-1)).toEqual({ openAtLogin: false });
  });
});
