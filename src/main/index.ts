/**
 * Electron's entry: wires store + engine + API (app.ts) to the window, tray, notifications, IPC, the
 * app:// protocol and the power monitor. Decisions live in desktop-rules/, Electron adapters in
 * desktop/; test/desktop runs this file against a fake electron.
 */
import { app as electronApp, dialog, ipcMain, net, powerMonitor, protocol, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startApp, type App } from './app';
import { exportDialog } from './desktop/export-dialog';
import { powerConditions } from './desktop/conditions';
import { showNotification } from './desktop/notifications';
import { APP_SCHEME, pageUrl, serveRenderer } from './desktop-rules/protocol';
import { hardenContents, hardenSession, isOwnPage } from './desktop-rules/security';
import { startTray } from './desktop/tray';
import { hideOnClose } from './desktop-rules/tray-model';
import { MainWindow } from './desktop/window';
import { defaultDataDir } from './paths';
import { bindIpc } from './transports/electron-ipc';

const here = path.dirname(fileURLToPath(import.meta.url));
// All of argv: a packaged app has no script path in it, and Chromium's own switches are ignored.
const { values } = parseArgs({
  args: process.argv,
  options: { 'data-dir': { type: 'string' } },
  strict: false,
  allowPositionals: true,
});
const dataDir = typeof values['data-dir'] === 'string' ? path.resolve(values['data-dir']) : defaultDataDir();
// The Electron build of better-sqlite3 lives apart from the Node build that tests use; packaged,
// it sits unpacked beside the asar (a native module cannot load from inside one).
const appDir = electronApp.getAppPath();
const electronNative = path.join(
  appDir.replace(/app\.asar$/, 'app.asar.unpacked'),
  '.electron-native',
  'better_sqlite3.node',
);
const page = pageUrl(electronApp.isPackaged, process.env);
let mainWindow: MainWindow | null = null;
let quitting = false;

function start(): void {
  hardenSession(session.defaultSession);
  protocol.handle(
    APP_SCHEME.scheme,
    serveRenderer(path.join(here, '../renderer'), (url) => net.fetch(url)),
  );
  let almanac: App;
  try {
    almanac = startApp({
      dataDir,
      mode: 'desktop',
      version: electronApp.getVersion(),
      wakeSignals: true,
      exportFile: exportDialog(
        dialog,
        () => null,
        () => electronApp.getPath('downloads'),
      ),
      conditions: powerConditions(powerMonitor),
      nativeBinding: fs.existsSync(electronNative) ? electronNative : undefined,
      notify: (title, body, { runId }) =>
        showNotification(title, body, almanac.store.settings.get().notifications.silent, () =>
          mainWindow?.showRun(runId),
        ),
    });
  } catch (error) {
    dialog.showErrorBox('Almanac could not start', (error as Error).message);
    electronApp.exit(1);
    return;
  }
  const hide = () => hideOnClose(almanac.store.settings.get(), quitting);
  const window = new MainWindow(path.join(here, '../preload/index.cjs'), page, almanac.subscribe, hide);
  mainWindow = window;
  bindIpc(ipcMain, almanac.dispatch, (frameUrl) => isOwnPage(frameUrl, page));
  almanac.start();
  const loginItem = () =>
    electronApp.setLoginItemSettings({ openAtLogin: almanac.store.settings.get().launchAtLogin });
  loginItem();
  almanac.subscribe((event) => {
    if (event === 'settings.changed') loginItem();
  });
  const stopTray = startTray(path.join(appDir, 'resources'), almanac, {
    open: () => window.open(),
    quit: () => electronApp.quit(),
  });
  powerMonitor.on('resume', () => almanac.engine.wake());
  powerMonitor.on('unlock-screen', () => almanac.engine.wake());
  electronApp.on('will-quit', () => {
    stopTray();
    almanac.close();
  });
  window.create();
}

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  protocol.registerSchemesAsPrivileged([APP_SCHEME]);
  electronApp.on('second-instance', () => mainWindow?.open());
  electronApp.on('before-quit', () => (quitting = true));
  // Every page, present or future: no navigation, no new windows, no webviews.
  electronApp.on('web-contents-created', (_, contents) => {
    hardenContents(contents, (url) => void shell.openExternal(url));
  });
  void electronApp.whenReady().then(start);
}
