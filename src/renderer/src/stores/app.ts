/** Window-wide state: the engine's status, reachability, the sidebar place and transient notices. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AlmanacApi, AppStatus, EngineStatus, MethodName } from '../../../shared/api';
import type { ScheduleInput } from '../../../shared/domain';
import type { Connection } from '../client';

export type Place = 'schedules' | 'calendar' | 'history' | 'settings';
export const PLACES: readonly Place[] = ['schedules', 'calendar', 'history', 'settings'];

/** What the schedule editor is open on: a new schedule (optionally prefilled, e.g. from a calendar slot), or an existing one. */
export type EditorTarget =
  | { mode: 'create'; preset?: Partial<ScheduleInput> }
  | { mode: 'edit'; id: string }
  | { mode: 'duplicate'; id: string };

export interface Notice {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface AppState {
  place: Place;
  status: AppStatus | null;
  /** Set while some method answers UNAVAILABLE; cleared once each of them gets through again. */
  unavailable: string | null;
  /** The event stream's word on the server (browser mode); always live under Electron. */
  connection: Connection;
  notices: Notice[];
  /** The schedule whose own page is shown in the Schedules place, or null for the list. */
  scheduleId: string | null;
  /** The editor, when open (one at a time, above any place). */
  editor: EditorTarget | null;
  setPlace(place: Place): void;
  /** Shows one schedule's page (from the list, the calendar or a run). */
  openSchedule(id: string): void;
  openEditor(target: EditorTarget): void;
  closeEditor(): void;
  loadStatus(): Promise<void>;
  applyEngineStatus(engine: EngineStatus): void;
  /** Records how the last call to `method` went: its UNAVAILABLE message, or null when it got through. */
  reportReachability(method: MethodName, message: string | null): void;
  /** Forgets every failure (before a retry, which calls again whatever still fails). */
  clearUnavailable(): void;
  setConnection(connection: Connection): void;
  /** Shows a toast; returns its id, so a later word (a run that ended) can replace its text. */
  notify(kind: Notice['kind'], text: string): number;
  /** Replaces a shown toast's words and restarts its time; a toast already gone stays gone. */
  updateNotice(id: number, kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

const NOTICE_MS = 6000;
const MAX_NOTICES = 4;

function fromHash(): { place: Place; scheduleId: string | null } {
  const hash = typeof location === 'undefined' ? '' : location.hash.replace(/^#\/?/, '');
  const [head = '', id] = hash.split('/');
  const place = (PLACES as readonly string[]).includes(head) ? (head as Place) : 'schedules';
  return { place, scheduleId: place === 'schedules' && id ? decodeURIComponent(id) : null };
}

function writeHash(path: string): void {
  if (typeof history !== 'undefined' && typeof location !== 'undefined') {
    history.replaceState(null, '', `${location.pathname}${location.search}#/${path}`);
  }
}

export function createAppStore(api: AlmanacApi): StoreApi<AppState> {
  let nextNoticeId = 1;
  const failing = new Map<MethodName, string>();
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  return createStore<AppState>()((set, get) => {
    // an address typed or pasted into this tab (#/history, #/schedules/<id>) moves the window there
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => set(fromHash()));
    return {
      ...fromHash(),
      editor: null,
      status: null,
      unavailable: null,
      connection: { state: 'live' },
      notices: [],
      setPlace(place) {
        set({ place, scheduleId: null });
        writeHash(place);
      },
      openSchedule(id) {
        set({ place: 'schedules', scheduleId: id });
        writeHash(`schedules/${encodeURIComponent(id)}`);
      },
      openEditor(target) {
        set({ editor: target });
      },
      closeEditor() {
        set({ editor: null });
      },
      async loadStatus() {
        const result = await api.invoke('app.status', {});
        if (result.ok) set({ status: result.value });
      },
      applyEngineStatus(engine) {
        const status = get().status;
        if (status) set({ status: { ...status, engine } });
      },
      reportReachability(method, message) {
        if (message === null) failing.delete(method);
        else failing.set(method, message);
        const unavailable = message ?? [...failing.values()].at(-1) ?? null;
        if (get().unavailable !== unavailable) set({ unavailable });
      },
      clearUnavailable() {
        failing.clear();
        set({ unavailable: null });
      },
      setConnection(connection) {
        set({ connection });
      },
      notify(kind, text) {
        const id = nextNoticeId++;
        set({ notices: [...get().notices, { id, kind, text }].slice(-MAX_NOTICES) });
        timers.set(
          id,
          setTimeout(() => get().dismiss(id), NOTICE_MS),
        );
        return id;
      },
      updateNotice(id, kind, text) {
        const notices = get().notices;
        if (!notices.some((notice) => notice.id === id)) return;
        set({ notices: notices.map((notice) => (notice.id === id ? { id, kind, text } : notice)) });
        clearTimeout(timers.get(id));
        timers.set(
          id,
          setTimeout(() => get().dismiss(id), NOTICE_MS),
        );
      },
      dismiss(id) {
        clearTimeout(timers.get(id));
        timers.delete(id);
        const notices = get().notices;
        if (notices.some((notice) => notice.id === id)) {
          set({ notices: notices.filter((notice) => notice.id !== id) });
        }
      },
    };
  });
}
