/**
 * Starts the real src/main/index.ts under the fake electron, as Electron would: a fresh module
 * graph (so the entry's top level runs again), argv with `--data-dir`, then `ready`. The page's
 * preload is loaded once the window has loaded, so tests drive the app through `window.almanac`,
 * as the renderer does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, vi } from 'vitest';
import type { AlmanacApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/api';
import type { DesktopHooks } from '../../src/shared/ipc';
import type * as FakeElectron from './fake-electron';

const root = path.resolve(import.meta.dirname, '../..');
const temps: string[] = [];

export function tempDir(prefix = 'almanac-desktop-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface LaunchOptions {
  dataDir?: string;
  /** What requestSingleInstanceLock answers: false when another instance holds it. */
  singleInstance?: boolean;
  isPackaged?: boolean;
  env?: Record<string, string>;
  /** Runs on the fresh module graph before index.ts loads (to spy on what it will use). */
  before?: () => Promise<void>;
  /** Wait for the window's page and load its preload (default); false when no window should come. */
  expectPage?: boolean;
}

/** Waits for a condition; generous, because a busy 2-core machine is slow, never wrong. */
export function until<T>(check: () => T, timeout = 15_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 20 });
}

export interface Launched {
  electron: typeof FakeElectron;
  dataDir: string;
  appDir: string;
  /** The first window, as the fake records it. */
  window(): FakeElectron.FakeBrowserWindow;
  /** The page's `window.almanac`, as the preload exposed it. */
  page(): AlmanacApi & DesktopHooks;
  /** A contract call through the page, throwing on an error value. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  tray(): FakeElectron.FakeTray;
  /** Quits through app.quit() and waits for the `quit` event. */
  quit(): Promise<void>;
}

export async function launch(options: LaunchOptions = {}): Promise<Launched> {
  vi.resetModules();
  const electron = await import('./fake-electron');
  const dataDir = options.dataDir ?? path.join(tempDir(), 'data');
  // The app folder holds the real tray icons and nothing else (no .electron-native build to load).
  const appDir = tempDir('almanac-app-');
  fs.symlinkSync(path.join(root, 'resources'), path.join(appDir, 'resources'));
  electron.app.appPath = appDir;
  electron.app.isPackaged = options.isPackaged ?? false;
  electron.app.holdsSingleInstanceLock = options.singleInstance ?? true;
  await options.before?.();

  const argv = process.argv;
  const env = { ...process.env };
  process.argv = [process.execPath, appDir, '--data-dir', dataDir];
  Object.assign(process.env, options.env);
  try {
    await import('../../src/main/index');
  } finally {
    process.argv = argv;
    for (const key of Object.keys(options.env ?? {})) {
      if (key in env) process.env[key] = env[key];
      else delete process.env[key];
    }
  }
  electron.app.becomeReady();

  let exposed: (AlmanacApi & DesktopHooks) | null = null;
  const launched: Launched = {
    electron,
    dataDir,
    appDir,
    window: () => {
      const window = electron.BrowserWindow.getAllWindows()[0];
      if (!window) throw new Error('no window');
      return window;
    },
    page: () => {
      if (!exposed) throw new Error('the page has not loaded');
      return exposed;
    },
    async call(method, input) {
      const result = await launched.page().invoke(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
      return result.value;
    },
    tray: () => {
      const tray = electron.Tray.created[0];
      if (!tray) throw new Error('no tray');
      return tray;
    },
    async quit() {
      if (electron.app.quitted) return;
      electron.app.quit();
      await until(() => expect(electron.app.quitted).toBe(true));
    },
  };
  if (options.expectPage ?? true) {
    await until(() => expect(launched.window().webContents.getURL()).toBeTruthy());
    await until(() => expect(launched.window().webContents.isLoading()).toBe(false));
    await import('../../src/preload/index');
    exposed = electron.contextBridge.exposed.get('almanac') as AlmanacApi & DesktopHooks;
  }
  return launched;
}
