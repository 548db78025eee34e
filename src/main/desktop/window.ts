/**
 * The one window (DESIGN.md §7): hardened options, shown once painted, hidden to the tray on close
 * when the settings say so, events forwarded while it lives, and pointed at a run on request.
 */
import { BrowserWindow } from 'electron';
import { IPC_CHANNELS } from '../../shared/ipc';
import type { Subscribe } from '../api/dispatch';
import { forwardEvents } from '../transports/electron-ipc';
import { windowOptions } from '../desktop-rules/security';

export class MainWindow {
  private window: BrowserWindow | null = null;

  constructor(
    private readonly preload: string,
    private readonly url: string,
    private readonly subscribe: Subscribe,
    /** Asked on each close: hide to the tray instead? */
    private readonly hideOnClose: () => boolean,
  ) {}

  create(): BrowserWindow {
    const window = new BrowserWindow(windowOptions(this.preload));
    this.window = window;
    window.once('ready-to-show', () => window.show());
    window.on('close', (event) => {
      if (!this.hideOnClose()) return;
      event.preventDefault();
      window.hide();
    });
    const stop = forwardEvents(this.subscribe, window.webContents);
    window.on('closed', () => {
      stop();
      this.window = null;
    });
    void window.loadURL(this.url);
    return window;
  }

  open(): BrowserWindow {
    const window = this.window ?? this.create();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  }

  /** Shows the window on one run; a page still loading gets it once loaded (its preload keeps it). */
  showRun(runId: string): void {
    const { webContents } = this.open();
    const send = () => webContents.send(IPC_CHANNELS.openRun, runId);
    if (webContents.isLoading()) webContents.once('did-finish-load', send);
    else send();
  }
}
