/**
 * Electron's entry: wires store + engine + API (app.ts) to a window, IPC, notifications and the
 * power monitor. Behaviour lives behind ports that run under Node; this file stays thin.
 */
import {
  app as electronApp,
  BrowserWindow,
  ipcMain,
  Notification,
  powerMonitor,
  session,
  shell,
} from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type App } from './app';
import {
  CONTENT_SECURITY_POLICY,
  hardenContents,
  hardenSession,
  isOwnPage,
  windowOptions,
} from './desktop/security';
import { createTray } from './desktop/tray';
import { hideOnClose } from './desktop/tray-model';
import { defaultDataDir } from './paths';
import { toSchedule } from './store';
import { bindIpc, forwardEvents } from './transports/electron-ipc';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDirFlag = process.argv.indexOf('--data-dir');
const dataDirArg =
  process.argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length) ??
  (dataDirFlag >= 0 ? process.argv[dataDirFlag + 1] : undefined);
const dataDir = dataDirArg ? path.resolve(dataDirArg) : defaultDataDir();
// The Electron build of better-sqlite3 lives apart from the Node build that tests use; packaged,
// it sits unpacked beside the asar (a native module cannot load from inside one).
const appDir = electronApp.getAppPath();
const electronNative = path.join(
  appDir.replace(/app\.asar$/, 'app.asar.unpacked'),
  '.electron-native',
  'better_sqlite3.node',
);

let almanac: App | null = null;
let window: BrowserWindow | null = null;
let quitting = false;

function pageUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${path.join(here, '../renderer/index.html')}`;
}

function createWindow(): void {
  window = new BrowserWindow(windowOptions(path.join(here, '../preload/index.cjs')));
  window.once('ready-to-show', () => window?.show());
  window.on('close', (event) => {
    if (almanac && hideOnClose(almanac.store.settings.get(), quitting)) {
      event.preventDefault();
      window?.hide();
    }
  });
  const stop = forwardEvents(almanac!.subscribe, window.webContents);
  window.on('closed', () => {
    stop();
    window = null;
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(here, '../renderer/index.html'));
}

function openWindow(): void {
  if (!window) createWindow();
  if (window?.isMinimized()) window.restore();
  window?.show();
  window?.focus();
}

/** Pauses or resumes every schedule through the handler table, so events and versions stay right. */
async function setAllEnabled(enabled: boolean): Promise<void> {
  if (!almanac) return;
  for (const record of almanac.engine.listSchedules()) {
    if (record.enabled !== enabled)
      await almanac.dispatch('schedules.setEnabled', { id: record.id, enabled });
  }
}

/** The tray follows the engine: redrawn at most once a second after schedule, run or engine events. */
function startTray(app: App): void {
  const tray = createTray(path.join(appDir, 'resources'), {
    open: openWindow,
    pauseAll: () => void setAllEnabled(false),
    resumeAll: () => void setAllEnabled(true),
    quit: () => electronApp.quit(),
  });
  let pending: NodeJS.Timeout | null = null;
  const redraw = () => {
    pending = null;
    tray.update(app.engine.status(), app.engine.listSchedules().map(toSchedule));
  };
  redraw();
  app.subscribe((event) => {
    if (event === 'run.output' || pending) return;
    pending = setTimeout(redraw, 1000);
  });
  electronApp.on('will-quit', () => tray.destroy());
}

/** Shown notifications stay referenced until closed: a collected one no longer reports its click. */
const shown = new Set<Notification>();

/** A notification event as a native notification; clicking it brings the window forward. */
function showNotification(title: string, body: string): void {
  if (!Notification.isSupported()) return;
  const silent = almanac?.store.settings.get().notifications.silent ?? false;
  const notification = new Notification({ title, body, silent });
  shown.add(notification);
  notification.on('close', () => shown.delete(notification));
  notification.on('click', () => {
    shown.delete(notification);
    openWindow();
  });
  notification.show();
}

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  electronApp.on('second-instance', openWindow);
  electronApp.on('before-quit', () => (quitting = true));
  // Every page, present or future: no navigation, no new windows, no webviews.
  electronApp.on('web-contents-created', (_, contents) => {
    hardenContents(contents, (url) => void shell.openExternal(url));
  });
  void electronApp.whenReady().then(() => {
    hardenSession(session.defaultSession);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
    try {
      almanac = startApp({
        dataDir,
        mode: 'desktop',
        version: electronApp.getVersion(),
        nativeBinding: fs.existsSync(electronNative) ? electronNative : undefined,
        notify: showNotification,
      });
    } catch (error) {
      console.error((error as Error).message);
      electronApp.exit(1);
      return;
    }
    bindIpc(ipcMain, almanac.dispatch, (frameUrl) => isOwnPage(frameUrl, pageUrl()));
    almanac.start();
    const app = almanac;
    const loginItem = () =>
      electronApp.setLoginItemSettings({ openAtLogin: app.store.settings.get().launchAtLogin });
    loginItem();
    app.subscribe((event) => {
      if (event === 'settings.changed') loginItem();
    });
    startTray(app);
    powerMonitor.on('resume', () => almanac?.engine.wake());
    powerMonitor.on('unlock-screen', () => almanac?.engine.wake());
    createWindow();
  });
  electronApp.on('window-all-closed', () => {
    almanac?.close();
    electronApp.quit();
  });
}
