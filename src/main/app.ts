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
import {
  consoleLogger,
  systemClock,
  unknownConditions,
  type BusyTime,
  type Clock,
  type Logger,
  type SystemConditions,
} from './engine/ports';
import { createRunner } from './engine/runners';
import { startHousekeeping, type Housekeeping } from './housekeeping';
import { BusyCalendars } from './interop/busy-calendars';
import { plainLogger } from './plain-log';
import path from 'node:path';
import { checkInBackground, type BackgroundCheck } from './store/background-check';
import { DATABASE_FILE } from './store/recovery';
import { sessionMarker } from './store/session-marker';
import {
  acquireEngineLock,
  applyPendingRestore,
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
  /**
   * Power source and idle time, for run conditions (issue 16 §2): the desktop's powerMonitor. Absent
   * (browser mode): every reading is 'unknown' and runs with conditions go ahead.
   */
  conditions?: SystemConditions;
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
  /**
   * The background integrity check's answer (null: intact, a string: damage, undefined: none ran,
   * as after an unclean shutdown, when the check ran before opening).
   */
  readonly integrityChecked: Promise<string | null | undefined>;
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
  // A session that did not close cleanly gets the full integrity check now; a clean one only the
  // header check, with the full one in a worker once started (so a large history starts fast).
  const session = sessionMarker(options.dataDir);
  try {
    // A restore the person asked for last time happens now, before anything opens the file.
    const restored = applyPendingRestore(options.dataDir, {
      nativeBinding: options.nativeBinding,
      now: clock.now(),
    });
    // A damaged file is moved aside and the newest intact backup restored before anything opens it.
    const checkStarted = performance.now();
    recovery = recoverDatabase(options.dataDir, {
      nativeBinding: options.nativeBinding,
      now: clock.now(),
      depth: session.unclean ? 'full' : 'header',
    });
    if (session.unclean)
      log.info(
        `The last session did not close cleanly: checked the whole database in ${Math.round(performance.now() - checkStarted)} ms`,
      );
    recovery.notices.unshift(...restored);
    for (const notice of recovery.notices) {
      if (notice.level === 'error') log.error(notice.message);
      else log.warn(notice.message);
    }
    store = Store.open(options.dataDir, {
      nativeBinding: options.nativeBinding,
      progress: (message) => log.info(`Upgrading the database: ${message}`),
    });
    session.open();
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
  // Busy calendars are read here, once: the grid shows their blocks, and whenBusy (engine and
  // planner) asks them through the BusyTime port. Floating times are read in the machine's zone.
  const busyCalendars = new BusyCalendars({
    timers: clock,
    onChange: (calendar) => emit('busy.changed', { calendar: calendar.name, path: calendar.path }),
  });
  busyCalendars.configure(store.settings.get().busyCalendars);
  const busyTime: BusyTime = { blocks: (from, to) => busyCalendars.blocks(from, to, systemZone()).busy };
  const conditions = options.conditions ?? unknownConditions;
  const engine = new Engine({
    store,
    clock,
    runner: createRunner(),
    emit,
    log,
    maxConcurrentRuns: store.settings.get().maxConcurrentRuns,
    timerCapMs: options.wakeSignals ? TIMER_CAP_WITH_WAKE_SIGNALS_MS : TIMER_CAP_MS,
    busy: busyTime,
    conditions,
  });
  const handlers = createHandlers({
    engine,
    store,
    clock,
    info: {
      version: options.version,
      dataDir: options.dataDir,
      mode: options.mode,
      notices,
      conditionsSupported: conditions.supported,
    },
    emit,
    exportFile: options.exportFile,
    busy: busyCalendars,
    busyTime,
    nativeBinding: options.nativeBinding,
  });
  const dispatch = createDispatch(handlers, log);
  const downloads = createDownloads(
    { 'runs.export': (input: RunsExportInput) => openRunsExport(engine, store, input, clock.now()) },
    log,
  );
  let housekeeping: Housekeeping | null = null;
  let backups: BackupSchedule | null = null;
  let check: BackgroundCheck | null = null;
  return {
    start: () => {
      engine.start();
      if (!session.unclean && !check) {
        check = checkInBackground(path.join(options.dataDir, DATABASE_FILE), {
          nativeBinding: options.nativeBinding,
        });
        void check.result.then((problem) => {
          if (!problem) return;
          const message =
            'The database has damage. Almanac keeps working on it, and will restore the newest intact backup ' +
            `when it next starts; restart it soon. (SQLite: ${problem})`;
          session.checkFullyNextTime(problem);
          log.error(message);
          notices.push({ level: 'error', message, at: new Date(clock.now()).toISOString() });
        });
      }
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
      check?.stop();
      housekeeping?.stop();
      backups?.stop();
      busyCalendars.close();
      engine.stop();
      store.close();
      session.closeCleanly();
      lock.release();
    },
    get integrityChecked() {
      return check?.result ?? Promise.resolve(undefined);
    },
  };
}

/** The machine's zone: what a floating time in a busy calendar means. */
const systemZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function plainNotification(notification: NotificationEvent): NotificationEvent {
  return { ...notification, title: plainText(notification.title), body: plainText(notification.body) };
}
