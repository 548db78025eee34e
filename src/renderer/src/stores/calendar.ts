/**
 * The Calendar place: a week (or a day) of slots in the viewer's zone from `calendar.slots`, with
 * the range's run statistics from `runs.stats`. Schedule and run events refresh it, throttled, and
 * only while the place is shown; a hidden calendar just remembers that it is stale.
 */
import { DateTime } from 'luxon';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AlmanacApi, CalendarSlot, CalendarSlots, RunStats } from '../../../shared/api';
import { viewerZone } from '../lib/time';
import type { SettingsState } from './settings';

export type CalendarView = 'week' | 'day';

/** Events refresh the grid at most this often. */
export const REFRESH_THROTTLE_MS = 2000;
/** While shown, the grid is refetched this often anyway: "ahead of now" moves with the clock. */
const PERIODIC_REFRESH_MS = 5 * 60_000;

export interface CalendarRange {
  /** ISO instants, UTC, as the API takes them. */
  from: string;
  to: string;
  /** The local dates shown, one per column (ISO `yyyy-mm-dd`). */
  days: string[];
}

/** The local days of `view` around `anchor` (a local ISO date) in `zone`: weeks start on Monday. */
export function rangeOf(view: CalendarView, anchor: string, zone: string): CalendarRange {
  const day = DateTime.fromISO(anchor, { zone }).startOf('day');
  const start = view === 'week' ? day.startOf('week') : day;
  const count = view === 'week' ? 7 : 1;
  const days = Array.from({ length: count }, (_, i) => start.plus({ days: i }).toISODate()!);
  return {
    from: start.toUTC().toISO()!,
    to: start.plus({ days: count }).toUTC().toISO()!,
    days,
  };
}

/** The slots of each local day, in order: slot k of a day is row k of the grid. */
export function slotsByDay(slots: readonly CalendarSlot[], zone: string): Map<string, CalendarSlot[]> {
  const byDay = new Map<string, CalendarSlot[]>();
  for (const slot of slots) {
    const day = DateTime.fromISO(slot.start, { zone }).toISODate() ?? '';
    let list = byDay.get(day);
    if (!list) byDay.set(day, (list = []));
    list.push(slot);
  }
  return byDay;
}

function todayIn(zone: string): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

/** The slot whose booking form is open, where it opens, and a time to start from. */
export interface Booking {
  start: string;
  up: boolean;
  /** Local HH:mm (from a suggested free slot); else the form picks the slot's start. */
  time?: string;
}

export interface CalendarState {
  view: CalendarView;
  /** A local date inside the range shown. */
  anchor: string;
  zone: string;
  /** A slot size chosen here for this window; null follows the `calendar.slotMinutes` setting. */
  slotOverride: number | null;
  data: CalendarSlots | null;
  /** The range `data` belongs to (it is kept on screen while the next range loads). */
  dataRange: CalendarRange | null;
  loading: boolean;
  error: string | null;
  stats: RunStats | null;
  statsLoading: boolean;
  statsError: string | null;
  /** True while the place is on screen. */
  active: boolean;
  booking: Booking | null;
  openBooking(booking: Booking | null): void;
  /** Opens the booking form at instant `at` (ISO): shows its day first when it is not on screen. */
  bookAt(at: string): void;
  range(): CalendarRange;
  /** The slot size the grid should use, once known. */
  slotMinutes(): number | null;
  /** The place is on screen: loads if needed and starts refreshing; returns the matching "hidden". */
  activate(): () => void;
  load(): Promise<void>;
  /** Something changed on the engine's side: refresh soon (throttled), or on next show. */
  noteChange(): void;
  /** After a reconnect: reload now if shown, else on next show. */
  reload(): Promise<void>;
  setView(view: CalendarView): void;
  shift(direction: -1 | 1): void;
  goToday(): void;
  setSlotMinutes(minutes: number | null): void;
}

export function createCalendarStore(
  api: AlmanacApi,
  settings: StoreApi<SettingsState>,
  zone: string = viewerZone(),
): StoreApi<CalendarState> {
  let generation = 0;
  let lastLoadAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let periodic: ReturnType<typeof setInterval> | null = null;
  let stale = true;
  /** An instant to open the booking form at, once the range holding it is loaded. */
  let pendingBookAt: string | null = null;
  const bookingFor = (at: string, data: CalendarSlots | null, zone: string): Booking | null => {
    const ms = Date.parse(at);
    const slot = data?.slots.find((s) => Date.parse(s.start) <= ms && ms < Date.parse(s.end));
    return slot
      ? { start: slot.start, up: false, time: DateTime.fromMillis(ms, { zone }).toFormat('HH:mm') }
      : null;
  };
  const clock = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

  const store = createStore<CalendarState>()((set, get) => ({
    view: 'week',
    anchor: todayIn(zone),
    zone,
    slotOverride: null,
    data: null,
    dataRange: null,
    loading: false,
    error: null,
    stats: null,
    statsLoading: false,
    statsError: null,
    active: false,
    booking: null,

    openBooking(booking) {
      set({ booking });
    },

    bookAt(at) {
      const { zone, data, dataRange } = get();
      const ms = Date.parse(at);
      if (dataRange && Date.parse(dataRange.from) <= ms && ms < Date.parse(dataRange.to)) {
        const booking = bookingFor(at, data, zone);
        if (booking) {
          set({ booking });
          return;
        }
      }
      pendingBookAt = at;
      set({ anchor: DateTime.fromMillis(ms, { zone }).toISODate()!, booking: null });
      void get().load();
    },

    range() {
      return rangeOf(get().view, get().anchor, get().zone);
    },

    slotMinutes() {
      return (
        get().slotOverride ??
        settings.getState().settings?.calendar.slotMinutes ??
        get().data?.slotMinutes ??
        null
      );
    },

    activate() {
      set({ active: true });
      if (stale || !get().data) void get().load();
      periodic = setInterval(() => get().noteChange(), PERIODIC_REFRESH_MS);
      return () => {
        if (periodic) clearInterval(periodic);
        periodic = null;
        if (timer) clearTimeout(timer);
        timer = null;
        set({ active: false });
      };
    },

    async load() {
      const gen = ++generation;
      stale = false;
      lastLoadAt = clock();
      if (timer) clearTimeout(timer);
      timer = null;
      const range = get().range();
      const slotMinutes = get().slotOverride ?? settings.getState().settings?.calendar.slotMinutes;
      set({ loading: true, statsLoading: true });
      const [slots, stats] = await Promise.all([
        api.invoke('calendar.slots', {
          from: range.from,
          to: range.to,
          timezone: get().zone,
          ...(slotMinutes ? { slotMinutes } : {}),
        }),
        api.invoke('runs.stats', { from: range.from, to: range.to, timezone: get().zone }),
      ]);
      if (gen !== generation) return;
      if (slots.ok) {
        set({ data: slots.value, dataRange: range, loading: false, error: null });
        if (pendingBookAt) {
          set({ booking: bookingFor(pendingBookAt, slots.value, get().zone) });
          pendingBookAt = null;
        }
      } else set({ loading: false, error: slots.error.message });
      if (stats.ok) set({ stats: stats.value, statsLoading: false, statsError: null });
      else set({ statsLoading: false, statsError: stats.error.message });
    },

    noteChange() {
      if (!get().active) {
        stale = true;
        return;
      }
      if (timer) return;
      const wait = lastLoadAt + REFRESH_THROTTLE_MS - clock();
      if (wait <= 0) {
        void get().load();
        return;
      }
      timer = setTimeout(() => {
        timer = null;
        void get().load();
      }, wait);
    },

    async reload() {
      if (get().active) await get().load();
      else stale = true;
    },

    setView(view) {
      if (view === get().view) return;
      set({ view });
      void get().load();
    },

    shift(direction) {
      const step = get().view === 'week' ? { weeks: direction } : { days: direction };
      set({ anchor: DateTime.fromISO(get().anchor, { zone: get().zone }).plus(step).toISODate()! });
      void get().load();
    },

    goToday() {
      set({ anchor: todayIn(get().zone) });
      void get().load();
    },

    setSlotMinutes(minutes) {
      set({ slotOverride: minutes });
      void get().load();
    },
  }));

  // A new slot size in the settings wins over a choice made here; the grid follows it.
  settings.subscribe((state, previous) => {
    const now = state.settings?.calendar.slotMinutes;
    if (now === undefined || now === previous.settings?.calendar.slotMinutes) return;
    if (previous.settings) store.setState({ slotOverride: null });
    const shown = store.getState().data?.slotMinutes;
    if (shown !== undefined && shown !== store.getState().slotMinutes()) {
      if (store.getState().active) void store.getState().load();
      else stale = true;
    }
  });

  return store;
}
