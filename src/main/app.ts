/**
 * Wiring shared by both entries (Electron's index.ts and browser mode's serve.ts): store, engine,
 * handler table and an event bus the transports subscribe to.
 */
import type { AppNotice, AppStatus, EventName, Events, NotificationEvent } from '../shared/api';
import { plainText } from '../shared/text';
import { createDispatch, createDownloads, type Dispatch, type Downloads } from './api/dispatch';
import { openRunsExport, type ExportFilePort, type RunsExportInput } from './api/export-runs';
import { createHandlers } from './api/handlers';
import { Engine, TIMER_CAP_MS, TIMER_CAP_WITH_WAKE_SIGNALS_MS } from './engine/engine';
import { consoleLogger, systemClock, type Clock, type Logger } from './engine/ports';
import { createRunner } from './engine/runners';
import { startHousekeeping, type Housekeeping } from './housekeeping';
import { plainLogger } from './plain-log';
import {
  acquireEngineLock,
  recoverDatabase,
  scheduleBackups,
  securePrivateDir,
  Store,
  type BackupSchedule,
  type EngineLock,
  type Recovery,
} from './store';

export type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface AppOptions {
  dataDir: string;
  mode: AppStatus['mode'];
  version: string;
  clock?: Clock;
  log?: Logger;
  nativeBinding?: string;
  /** The OS reports resume and unlock (the desktop app): the engine's timer may then wait up to 60 s. */
  wakeSignals?: boolean;
  /**
   * How `notification` events (reminders, watch messages, the notify policy) reach the person:
   * native notifications on the desktop; in browser mode the page shows them, and this logs them.
   */
  notify?: (title: string, body: string, notification: NotificationEvent) => void;
  /** The desktop's save dialog for `runs.export` (browser mode serves it as a download instead). */
  exportFile?: ExportFilePort;
}

export interface App {
  engine: Engine;
  store: Store;
  dispatch: Dispatch;
  /** Methods answered with a file over HTTP (browser mode's `runs.export`). */
  downloads: Downloads;
  subscribe(listener: Listener): () => void;
  /** Starts the engine (recovery and catch-up happen here): subscribe first to see their events. */
  start(): void;
  /** Retention on its timer, once started. */
  readonly housekeeping: Housekeeping | null;
  close(): void;
}

export function startApp(options: AppOptions): App {
  const clock = options.clock ?? systemClock;
  const log = plainLogger(options.log ?? consoleLogger);
  // Private before anything is created in it: the database holds commands, headers and output.
  const tightened = securePrivateDir(options.dataDir);
  if (tightened) log.warn(tightened);
  // The lock comes first: a second engine must refuse before it touches the database.
  const lock: EngineLock = acquireEngineLock(options.dataDir, { nativeBinding: options.nativeBinding });
  let store: Store;
  let recovery: Recovery;
  try {
    // A damaged file is moved aside and the newest intact backup restored before anything opens it.
    recovery = recoverDatabase(options.dataDir, { nativeBinding: options.nativeBinding, now: clock.now() });
    for (const notice of recovery.notices) {
      if (notice.level === 'error') log.error(notice.message);
      else log.warn(notice.message);
    }
    store = Store.open(options.dataDir, { nativeBinding: options.nativeBinding });
  } catch (error) {
    lock.release();
    throw error;
  }
  /** Told to the person through app.status (and the log): restored backups and the like. */
  const notices: AppNotice[] = [];
  const openedAt = new Date(clock.now()).toISOString();
  for (const notice of recovery.notices) notices.push({ ...notice, at: openedAt });
  const listeners = new Set<Listener>();
  const emit: Listener = (event, payload) => {
    // A notification is shown as plain text (natively, in the page, in the log): its title and body
    // can quote a schedule's name and a run's output, whose escapes must not reach a terminal or the
    // notification centre. The run's stored output keeps them.
    if (event === 'notification') payload = plainNotification(payload as NotificationEvent) as typeof payload;
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        log.error(`listener for ${event} failed`, error);
      }
    }
  };
  const notify =
    options.notify ?? ((title: string, body: string) => log.info(`[notification] ${title}: ${body}`));
  // The master switch (settings.notifications.enabled) silences delivery; the event itself still flows.
  listeners.add((event, payload) => {
    if (event !== 'notification') return;
    const notification = payload as NotificationEvent;
    if (store.settings.get().notifications.enabled)
      notify(notification.title, notification.body, notification);
  });
  const engine = new Engine({
    store,
    clock,
    runner: createRunner(),
    emit,
    log,
    maxConcurrentRuns: store.settings.get().maxConcurrentRuns,
    timerCapMs: options.wakeSignals ? TIMER_CAP_WITH_WAKE_SIGNALS_MS : TIMER_CAP_MS,
  });
  const handlers = createHandlers({
    engine,
    store,
    clock,
    info: { version: options.version, dataDir: options.dataDir, mode: options.mode, notices },
    emit,
    exportFile: options.exportFile,
  });
  const dispatch = createDispatch(handlers, log);
  const downloads = createDownloads(
    { 'runs.export': (input: RunsExportInput) => openRunsExport(engine, store, input, clock.now()) },
    log,
  );
  let housekeeping: Housekeeping | null = null;
  let backups: BackupSchedule | null = null;
  return {
    start: () => {
      engine.start();
      housekeeping ??= startHousekeeping(store, clock, log);
      backups ??= scheduleBackups({
        db: store.db,
        dataDir: options.dataDir,
        clock,
        log,
        nativeBinding: options.nativeBinding,
      });
    },
    get housekeeping() {
      return housekeeping;
    },
    engine,
    store,
    dispatch,
    downloads,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      housekeeping?.stop();
      backups?.stop();
      engine.stop();
      store.close();
      lock.release();
    },
  };
}

function plainNotification(notification: NotificationEvent): NotificationEvent {
  return { ...notification, title: plainText(notification.title), body: plainText(notification.body) };
}
