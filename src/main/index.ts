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
import { bindIpc, forwardEvents } from './transports/electron-ipc';
import { defaultDataDir } from './paths';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDirFlag = process.argv.indexOf('--data-dir');
const dataDirArg =
  process.argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length) ??
  (dataDirFlag >= 0 ? process.argv[dataDirFlag + 1] : undefined);
const dataDir = dataDirArg ? path.resolve(dataDirArg) : defaultDataDir();
// The Electron build of better-sqlite3 lives apart from the Node build that tests use.
const electronNative = path.join(electronApp.getAppPath(), '.electron-native', 'better_sqlite3.node');

let almanac: App | null = null;
let window: BrowserWindow | null = null;

function pageUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${path.join(here, '../renderer/index.html')}`;
}

function createWindow(): void {
  window = new BrowserWindow(windowOptions(path.join(here, '../preload/index.cjs')));
  window.once('ready-to-show', () => window?.show());
  const stop = forwardEvents(almanac!.subscribe, window.webContents);
  window.on('closed', () => {
    stop();
    window = null;
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(here, '../renderer/index.html'));
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
    if (!window) createWindow();
    if (window?.isMinimized()) window.restore();
    window?.show();
    window?.focus();
  });
  notification.show();
}

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  electronApp.on('second-instance', () => window?.show());
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
    powerMonitor.on('resume', () => almanac?.engine.wake());
    powerMonitor.on('unlock-screen', () => almanac?.engine.wake());
    createWindow();
  });
  electronApp.on('window-all-closed', () => {
    almanac?.close();
    electronApp.quit();
  });
}
