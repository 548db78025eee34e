/**
 * One set of stores per window, bound to one client. `start()` subscribes to the contract's events
 * and loads what the places show; a reconnect of the event stream reloads it (nothing is replayed).
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AlmanacApi, MethodName, Result } from '../../../shared/api';
import type { DesktopHooks } from '../../../shared/ipc';
import { isHttpClient, type HttpClient, type ReconnectSubscribe } from '../client';
import { createCatchUpStore, type CatchUpState } from './catchUp';
import { createAppStore, type AppState } from './app';
import { createCalendarStore, type CalendarState } from './calendar';
import { createHistoryStore, type HistoryState } from './history';
import { noticeFor, showBrowserNotification } from './notifications';
import { createScheduleListStore, type ScheduleListState } from './scheduleList';
import { createSchedulesStore, type SchedulesState } from './schedules';
import { createSettingsStore, type SettingsState } from './settings';

export interface Stores {
  /** The client every store calls through; it reports reachability to the app store. */
  api: AlmanacApi;
  app: StoreApi<AppState>;
  schedules: StoreApi<SchedulesState>;
  /** How the Schedules place filters and sorts its list. */
  scheduleList: StoreApi<ScheduleListState>;
  history: StoreApi<HistoryState>;
  calendar: StoreApi<CalendarState>;
  settings: StoreApi<SettingsState>;
  /** Asks for what the first place shows at once, before the first render (start() then skips those loads). */
  preload(): void;
  /** Subscribes to events and loads everything; returns the unsubscribe. */
  start(): () => void;
  reload(): Promise<void>;
  /** Tries to reach a lost server now rather than after the wait (browser mode). */
  reconnectNow(): void;
  /** Browser mode's downloads (`runs.export`); the desktop answers `runs.export` with a save dialog. */
  download: HttpClient['download'] | null;
  /** The last catch-up worth telling (after a sleep or a restart), until dismissed. */
  catchUp: StoreApi<CatchUpState>;
}

export function createStores(client: AlmanacApi, onReconnected?: ReconnectSubscribe): Stores {
  const api: AlmanacApi = {
    invoke: (async (method: MethodName, input: unknown) => {
      let result: Result<unknown>;
      try {
        result = await client.invoke(method, input as never);
      } catch (error) {
        result = { ok: false, error: { code: 'UNAVAILABLE', message: (error as Error).message } };
      }
      const down = result.ok ? null : result.error.code === 'UNAVAILABLE' ? result.error.message : null;
      app.getState().reportReachability(method, down);
      return result;
    }) as AlmanacApi['invoke'],
    on: (event, listener) => client.on(event, listener),
  };

  const app = createAppStore(api);
  const schedules = createSchedulesStore(api);
  const scheduleList = createScheduleListStore();
  const history = createHistoryStore(api);
  const settings = createSettingsStore(api);
  const calendar = createCalendarStore(api, settings);
  const catchUp = createCatchUpStore();
  const download = isHttpClient(client) ? client.download : null;

  const reload = async (): Promise<void> => {
    app.getState().clearUnavailable();
    await Promise.all([
      app.getState().loadStatus(),
      schedules.getState().load(),
      history.getState().load(),
      history.getState().refreshDetail(),
      settings.getState().loaded ? settings.getState().load() : Promise.resolve(),
      calendar.getState().reload(),
    ]);
  };

  const start = (): (() => void) => {
    const offs = [
      api.on('schedule.changed', (change) => {
        schedules.getState().applyChange(change);
        calendar.getState().noteChange();
      }),
      api.on('run.changed', (run) => {
        history.getState().applyRun(run);
        calendar.getState().noteChange();
      }),
      api.on('settings.changed', (next) => settings.getState().applyChanged(next)),
      // A busy calendar's file changed on disk: its blocks on the grid changed.
      api.on('busy.changed', () => calendar.getState().noteChange()),
      api.on('run.output', (chunk) => history.getState().applyOutput(chunk)),
      api.on('engine.status', (engine) => app.getState().applyEngineStatus(engine)),
      api.on('notification', (notification) => {
        const notice = noticeFor(notification, app.getState().status?.mode);
        if (!notice) return;
        app.getState().notify(notice.kind, notice.text);
        showBrowserNotification(notification);
      }),
      api.on('engine.catchUp', (summary) => catchUp.getState().note(summary)),
      // Browser mode: the event stream says when the server is lost, and when it is back.
      isHttpClient(client)
        ? client.onConnection((connection) => app.getState().setConnection(connection))
        : () => {},
      onReconnected?.(() => {
        void reload().then(() =>
          app.getState().notify('success', 'Reconnected to Almanac; everything shown was reloaded.'),
        );
      }) ?? (() => {}),
      // Desktop: a clicked native notification opens its run (the preload's hook; browser mode has none).
      (client as Partial<DesktopHooks>).onOpenRun?.((runId) => {
        app.getState().setPlace('history');
        history.getState().select(runId);
      }) ?? (() => {}),
    ];
    if (isHttpClient(client)) app.getState().setConnection(client.connection());
    if (!preloaded) {
      void app.getState().loadStatus();
      void schedules.getState().load();
      void history.getState().load();
    }
    preloaded = false;
    return () => offs.forEach((off) => off());
  };

  let preloaded = false;
  const preload = (): void => {
    preloaded = true;
    void app.getState().loadStatus();
    void schedules.getState().load();
    void history.getState().load();
  };

  const reconnectNow = (): void => {
    if (isHttpClient(client)) client.reconnectNow();
    else void reload();
  };

  return {
    api,
    app,
    schedules,
    scheduleList,
    history,
    calendar,
    settings,
    preload,
    catchUp,
    download,
    start,
    reload,
    reconnectNow,
  };
}

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside <StoresContext>');
  return stores;
}

export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useStores().app, selector);
}

export function useSchedules<T>(selector: (state: SchedulesState) => T): T {
  return useStore(useStores().schedules, selector);
}

export function useScheduleList<T>(selector: (state: ScheduleListState) => T): T {
  return useStore(useStores().scheduleList, selector);
}

export function useHistory<T>(selector: (state: HistoryState) => T): T {
  return useStore(useStores().history, selector);
}

export function useCalendar<T>(selector: (state: CalendarState) => T): T {
  return useStore(useStores().calendar, selector);
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useStores().settings, selector);
}
