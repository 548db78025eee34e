/**
 * A stand-in for the `electron` module, aliased in vitest's `desktop` project (vitest.config.ts):
 * Electron's runtime cannot be downloaded everywhere, so the real src/main/index.ts runs against this.
 * It covers what Almanac uses, records calls, and lets tests emit events.
 *
 * Every member it covers implements the installed electron.d.ts (`implements Pick<Electron.X, …>`,
 * `satisfies Pick<typeof Electron.X, …>`), so an Electron upgrade that changes one fails `tsc` here.
 * Where Almanac relies on Electron's documented behaviour, the fake keeps it: schemes are privileged
 * only before ready (once), protocol and session only after; app.quit() emits before-quit, closes
 * every window (any may refuse), then will-quit, and no window-all-closed while quitting; a destroyed
 * Tray or WebContents throws; IPC arguments and answers are structured-cloned.
 */
import os from 'node:os';
import type * as Electron from 'electron';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** An Electron event: `preventDefault()` and `defaultPrevented`, plus the event's own fields. */
export function electronEvent<P extends object = object>(params?: P): Electron.Event<P> {
  let prevented = false;
  const event = { ...params } as Electron.Event<P>;
  return Object.defineProperties(event, {
    preventDefault: { value: () => (prevented = true) },
    defaultPrevented: { get: () => prevented },
  });
}

function destroyedError(): TypeError {
  return new TypeError('Object has been destroyed');
}

// ── app ─────────────────────────────────────────────────────────────────────

class FakeApp
  extends EventEmitter
  implements
    Pick<
      Electron.App,
      | 'isPackaged'
      | 'whenReady'
      | 'isReady'
      | 'getAppPath'
      | 'getPath'
      | 'getVersion'
      | 'requestSingleInstanceLock'
      | 'setLoginItemSettings'
      | 'quit'
      | 'exit'
    >
{
  /** Knobs a test sets before index.ts loads. */
  isPackaged = false;
  appPath = process.cwd();
  holdsSingleInstanceLock = true;
  /** What the app did. */
  readonly loginItemSettings: Electron.Settings[] = [];
  quitRequests = 0;
  exitCode: number | null = null;
  /** `quit` was emitted: the process would end here. */
  quitted = false;
  quitting = false;

  private ready = false;
  private markReady!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.markReady = resolve));

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  isReady(): boolean {
    return this.ready;
  }

  getAppPath(): string {
    return this.appPath;
  }

  getVersion(): string {
    return '0.0.0-fake';
  }

  /** Every named folder is the test's temp folder. */
  getPath(_name: Parameters<Electron.App['getPath']>[0]): string {
    return os.tmpdir();
  }

  requestSingleInstanceLock(_additionalData?: Record<string, unknown>): boolean {
    return this.holdsSingleInstanceLock;
  }

  setLoginItemSettings(settings: Electron.Settings): void {
    this.loginItemSettings.push(settings);
  }

  exit(exitCode = 0): void {
    this.exitCode = exitCode;
  }

  quit(): void {
    this.quitRequests++;
    if (this.quitting || this.quitted) return;
    const beforeQuit = electronEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    setImmediate(() => {
      for (const window of FakeBrowserWindow.getAllWindows()) window.close();
      const willQuit = electronEvent();
      // a window that refused to close cancels the quit, as does a will-quit handler
      if (FakeBrowserWindow.getAllWindows().length === 0) this.emit('will-quit', willQuit);
      if (FakeBrowserWindow.getAllWindows().length > 0 || willQuit.defaultPrevented) {
        this.quitting = false;
        return;
      }
      this.quitted = true;
      this.emit('quit', electronEvent(), 0);
    });
  }

  /** Test side: Electron finished starting. */
  becomeReady(): void {
    this.ready = true;
    this.emit('ready', electronEvent(), {});
    this.markReady();
  }
}

export const app = new FakeApp();

function requireReady(what: string): void {
  if (!app.isReady()) throw new Error(`${what} can only be used after the app is ready`);
}

// ── windows and their pages ────────────────────────────────────────────────

/** The page's side of IPC: the preload's `ipcRenderer`. Almanac has one window, so one page. */
class FakeIpcRenderer extends EventEmitter implements Pick<Electron.IpcRenderer, 'invoke'> {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const contents = FakeBrowserWindow.getAllWindows()[0]?.webContents;
    const handler = ipcMain.handlers.get(channel);
    if (!contents || !handler) {
      return Promise.reject(new Error(`Error invoking remote method '${channel}': No handler registered`));
    }
    const event = { sender: contents, senderFrame: { url: contents.getURL() } };
    return Promise.resolve()
      .then(() => handler(event as unknown as Electron.IpcMainInvokeEvent, ...structuredClone(args)))
      .then((answer) => structuredClone(answer));
  }
}

export const ipcRenderer = new FakeIpcRenderer();

class FakeWebContents
  extends EventEmitter
  implements
    Pick<
      Electron.WebContents,
      'id' | 'loadURL' | 'getURL' | 'isLoading' | 'isDestroyed' | 'send' | 'setWindowOpenHandler'
    >
{
  private static count = 0;
  readonly id = ++FakeWebContents.count;
  /** Every message main sent to the page, delivered or not. */
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse) | null = null;
  destroyed = false;
  private url = '';
  private loading = false;

  loadURL(url: string, _options?: Electron.LoadURLOptions): Promise<void> {
    this.url = url;
    this.loading = true;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.loading = false;
        if (this.destroyed) return resolve(); // a destroyed page finishes nothing
        this.emit('did-finish-load', electronEvent());
        resolve();
      }),
    );
  }

  getURL(): string {
    return this.url;
  }

  isLoading(): boolean {
    return this.loading;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Reaches the page's ipcRenderer once it has loaded; sent mid-load, it is lost, as in Electron. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw destroyedError();
    this.sent.push([channel, ...args]);
    if (this.loading) return;
    const event = { sender: ipcRenderer, senderId: 0, ports: [] };
    ipcRenderer.emit(channel, event, ...structuredClone(args));
  }

  setWindowOpenHandler(
    handler: (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse,
  ): void {
    this.windowOpenHandler = handler;
  }
}

class FakeBrowserWindow
  extends EventEmitter
  implements
    Pick<
      Electron.BrowserWindow,
      | 'id'
      | 'loadURL'
      | 'show'
      | 'hide'
      | 'focus'
      | 'restore'
      | 'minimize'
      | 'isMinimized'
      | 'isVisible'
      | 'isFocused'
      | 'isDestroyed'
      | 'close'
      | 'destroy'
    >
{
  private static readonly open: FakeBrowserWindow[] = [];
  private static count = 0;
  static getAllWindows(): FakeBrowserWindow[] {
    return [...FakeBrowserWindow.open];
  }

  readonly id = ++FakeBrowserWindow.count;
  readonly webContents = new FakeWebContents();
  private visible: boolean;
  private minimized = false;
  private focused = false;
  private destroyed = false;

  constructor(readonly options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    this.visible = options.show ?? true;
    FakeBrowserWindow.open.push(this);
    app.emit('browser-window-created', electronEvent(), this);
    app.emit('web-contents-created', electronEvent(), this.webContents);
  }

  loadURL(url: string, options?: Electron.LoadURLOptions): Promise<void> {
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
    return this.webContents.loadURL(url, options);
  }

  show(): void {
    this.alive();
    this.visible = true;
    this.focused = true;
  }

  hide(): void {
    this.alive();
    this.visible = false;
    this.focused = false;
  }

  focus(): void {
    this.alive();
    this.focused = true;
  }

  restore(): void {
    this.alive();
    this.minimized = false;
  }

  minimize(): void {
    this.alive();
    this.minimized = true;
    this.focused = false;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  isVisible(): boolean {
    return this.visible && !this.destroyed;
  }

  isFocused(): boolean {
    return this.focused;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** As the person clicking the close button: `close` may be prevented. */
  close(): void {
    if (this.destroyed) return;
    const event = electronEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    FakeBrowserWindow.open.splice(FakeBrowserWindow.open.indexOf(this), 1);
    this.emit('closed');
    if (FakeBrowserWindow.open.length > 0 || app.quitting) return;
    if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
    else app.quit();
  }

  private alive(): void {
    if (this.destroyed) throw destroyedError();
  }
}

export { FakeBrowserWindow as BrowserWindow };
export type { FakeBrowserWindow, FakeWebContents };

// ── IPC ─────────────────────────────────────────────────────────────────────

type InvokeHandler = (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter implements Pick<Electron.IpcMain, 'handle' | 'removeHandler'> {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export const ipcMain = new FakeIpcMain();

class FakeContextBridge implements Pick<Electron.ContextBridge, 'exposeInMainWorld'> {
  /** What the page's `window` received, by key. */
  readonly exposed = new Map<string, unknown>();

  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (this.exposed.has(apiKey)) {
      throw new Error('Cannot bind an API on top of an existing property on the window object');
    }
    this.exposed.set(apiKey, api);
  }
}

export const contextBridge = new FakeContextBridge();

// ── tray, menus, images, notifications ─────────────────────────────────────

class FakeNativeImage implements Pick<Electron.NativeImage, 'isEmpty'> {
  constructor(readonly path: string) {}

  isEmpty(): boolean {
    return !fs.existsSync(this.path);
  }
}

export const nativeImage = {
  createFromPath: (imagePath: string): Electron.NativeImage =>
    new FakeNativeImage(imagePath) as unknown as Electron.NativeImage,
} satisfies Pick<typeof Electron.nativeImage, 'createFromPath'>;
export type { FakeNativeImage };

class FakeMenu {
  constructor(readonly template: Electron.MenuItemConstructorOptions[]) {}

  static buildFromTemplate(
    template: Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>,
  ): Electron.Menu {
    return new FakeMenu(template as Electron.MenuItemConstructorOptions[]) as unknown as Electron.Menu;
  }

  /** Test side: the items' labels, separators as '—'. */
  labels(): string[] {
    return this.template.map((item) => (item.type === 'separator' ? '—' : (item.label ?? '')));
  }

  /** Test side: the person picks an item. */
  click(label: string): void {
    const item = this.template.find((candidate) => candidate.label === label);
    if (!item) throw new Error(`no menu item "${label}" in ${this.labels().join(' | ')}`);
    if (item.enabled === false || !item.click) throw new Error(`menu item "${label}" cannot be clicked`);
    item.click({} as Electron.MenuItem, undefined, {} as Electron.KeyboardEvent);
  }
}

export const Menu = FakeMenu satisfies Pick<typeof Electron.Menu, 'buildFromTemplate'>;
export type { FakeMenu };

class FakeTray
  extends EventEmitter
  implements Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy' | 'isDestroyed'>
{
  static readonly created: FakeTray[] = [];
  image: Electron.NativeImage | string;
  toolTip = '';
  contextMenu: FakeMenu | null = null;
  private destroyed = false;

  constructor(image: Electron.NativeImage | string, _guid?: string) {
    super();
    this.image = image;
    FakeTray.created.push(this);
  }

  setImage(image: Electron.NativeImage | string): void {
    this.alive();
    this.image = image;
  }

  setToolTip(toolTip: string): void {
    this.alive();
    this.toolTip = toolTip;
  }

  setContextMenu(menu: Electron.Menu | null): void {
    this.alive();
    this.contextMenu = menu as unknown as FakeMenu | null;
  }

  destroy(): void {
    this.destroyed = true;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  private alive(): void {
    if (this.destroyed) throw destroyedError();
  }
}

export { FakeTray as Tray };
export type { FakeTray };

class FakeNotification extends EventEmitter implements Pick<Electron.Notification, 'show' | 'close'> {
  static supported = true;
  static readonly shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }

  constructor(readonly options: Electron.NotificationConstructorOptions = {}) {
    super();
  }

  show(): void {
    FakeNotification.shown.push(this);
  }

  close(): void {
    this.emit('close', electronEvent());
  }

  /** Test side: the person clicks it. */
  click(): void {
    this.emit('click', electronEvent());
  }
}

export const Notification = FakeNotification satisfies Pick<typeof Electron.Notification, 'isSupported'>;
export type { FakeNotification };

// ── system ──────────────────────────────────────────────────────────────────

class FakePowerMonitor
  extends EventEmitter
  implements Pick<Electron.PowerMonitor, 'getSystemIdleTime' | 'isOnBatteryPower' | 'onBatteryPower'>
{
  idleSeconds = 0;
  /** Knob: on battery (true) or mains power; `switchPower` also emits the event Electron would. */
  onBatteryPower = false;

  getSystemIdleTime(): number {
    return this.idleSeconds;
  }

  isOnBatteryPower(): boolean {
    return this.onBatteryPower;
  }

  /** Test side: the power source changed, as Electron tells it ('on-battery' or 'on-ac'). */
  switchPower(source: 'battery' | 'ac'): void {
    this.onBatteryPower = source === 'battery';
    this.emit(source === 'battery' ? 'on-battery' : 'on-ac');
  }
}

export const powerMonitor = new FakePowerMonitor();

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

class FakeProtocol implements Pick<
  Electron.Protocol,
  'registerSchemesAsPrivileged' | 'handle' | 'unhandle' | 'isProtocolHandled'
> {
  readonly privileged: Electron.CustomScheme[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();
  private registered = false;

  registerSchemesAsPrivileged(customSchemes: Electron.CustomScheme[]): void {
    if (app.isReady())
      throw new Error('protocol.registerSchemesAsPrivileged must be called before app is ready');
    if (this.registered) throw new Error('protocol.registerSchemesAsPrivileged can be called only once');
    this.registered = true;
    this.privileged.push(...customSchemes);
  }

  handle(scheme: string, handler: ProtocolHandler): void {
    requireReady('protocol.handle');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }

  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** Test side: what a page that requests `url` gets. */
  async request(url: string): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${url})`);
    return handler(new Request(url));
  }
}

export const protocol = new FakeProtocol();

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

class FakeNet implements Pick<Electron.Net, 'fetch'> {
  /** file: URLs read from disk with a content type, as Chromium's file loader does; others go to Node's fetch. */
  async fetch(input: string | Request, init?: RequestInit): Promise<Response> {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.startsWith('file:')) return fetch(input, init);
    const file = fileURLToPath(url);
    const body = await fs.promises.readFile(file).catch(() => {
      throw new TypeError(`net::ERR_FILE_NOT_FOUND (${url})`);
    });
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    return new Response(body, { headers: { 'content-type': type } });
  }
}

export const net = new FakeNet();

type PermissionRequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0];

class FakeSession implements Pick<
  Electron.Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler'
> {
  permissionRequestHandler: PermissionRequestHandler = null;
  permissionCheckHandler: PermissionCheckHandler = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }
}

const defaultSession = new FakeSession();
export const session = {
  get defaultSession(): FakeSession {
    requireReady('session.defaultSession');
    return defaultSession;
  },
};

class FakeShell implements Pick<Electron.Shell, 'openExternal'> {
  readonly opened: string[] = [];

  openExternal(url: string, _options?: Electron.OpenExternalOptions): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
}

export const shell = new FakeShell();

class FakeDialog implements Pick<Electron.Dialog, 'showErrorBox' | 'showSaveDialog'> {
  readonly errors: { title: string; content: string }[] = [];
  readonly saveDialogs: Electron.SaveDialogOptions[] = [];
  /** What the next save dialogs answer: a path, or null for Cancel. */
  saveAnswer: string | null = null;

  showSaveDialog(
    windowOrOptions: Electron.BaseWindow | Electron.SaveDialogOptions,
    maybeOptions?: Electron.SaveDialogOptions,
  ): Promise<Electron.SaveDialogReturnValue> {
    const options = maybeOptions ?? (windowOrOptions as Electron.SaveDialogOptions);
    this.saveDialogs.push(options);
    const filePath = this.saveAnswer ?? '';
    return Promise.resolve({ canceled: this.saveAnswer === null, filePath });
  }

  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  }
}

export const dialog = new FakeDialog();
