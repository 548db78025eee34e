/** The Schedules place: every schedule, fed by `schedules.*` calls and kept fresh by `schedule.changed`. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AlmanacApi, Events, Result } from '../../../shared/api';
import type { Run, Schedule, ScheduleInput } from '../../../shared/domain';

export type PendingAction = { kind: 'toggle'; enabled: boolean } | { kind: 'run' } | { kind: 'delete' };

export interface SchedulesState {
  items: Schedule[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  /** What each row is waiting for, by schedule id. */
  pending: Record<string, PendingAction>;
  /** Every name seen in this window, deleted schedules included, so their runs keep a name. */
  names: Record<string, string>;
  load(): Promise<void>;
  create(input: ScheduleInput): Promise<Result<Schedule>>;
  setEnabled(id: string, enabled: boolean): Promise<Result<Schedule>>;
  runNow(id: string): Promise<Result<Run>>;
  remove(id: string): Promise<Result<{ id: string }>>;
  applyChange(change: Events['schedule.changed']): void;
}

/** Upserts by id; an older version never overwrites a newer one (events and answers can cross). */
export function applyScheduleChange(items: Schedule[], change: Events['schedule.changed']): Schedule[] {
  const index = items.findIndex((item) => item.id === change.id);
  if (!change.schedule) return index === -1 ? items : items.filter((item) => item.id !== change.id);
  if (index === -1) return [...items, change.schedule];
  const current = items[index]!;
  if (change.schedule.version < current.version) return items;
  const next = items.slice();
  next[index] = change.schedule;
  return next;
}

export function createSchedulesStore(api: AlmanacApi): StoreApi<SchedulesState> {
  let generation = 0;
  // Changes seen while a list call is in flight, replayed over its answer so nothing is lost.
  let buffered: Events['schedule.changed'][] | null = null;

  return createStore<SchedulesState>()((set, get) => {
    const remember = (schedules: Schedule[]): Record<string, string> => {
      const names = get().names;
      if (schedules.every((schedule) => names[schedule.id] === schedule.name)) return names;
      const next = { ...names };
      for (const schedule of schedules) next[schedule.id] = schedule.name;
      return next;
    };

    const apply = (change: Events['schedule.changed']): void => {
      buffered?.push(change);
      const items = applyScheduleChange(get().items, change);
      const names = change.schedule ? remember([change.schedule]) : get().names;
      if (items !== get().items || names !== get().names) set({ items, names });
    };

    const withPending = async <T>(id: string, action: PendingAction, call: () => Promise<Result<T>>) => {
      set({ pending: { ...get().pending, [id]: action } });
      try {
        return await call();
      } finally {
        const rest = { ...get().pending };
        delete rest[id];
        set({ pending: rest });
      }
    };

    return {
      items: [],
      loaded: false,
      loading: false,
      error: null,
      pending: {},
      names: {},
      async load() {
        const gen = ++generation;
        buffered ??= [];
        set({ loading: true });
        const result = await api.invoke('schedules.list', {});
        if (gen !== generation) return;
        const replay = buffered ?? [];
        buffered = null;
        if (!result.ok) {
          set({ loading: false, error: result.error.message });
          return;
        }
        const items = replay.reduce(applyScheduleChange, result.value.items);
        set({ items, names: remember(items), loading: false, loaded: true, error: null });
      },
      async create(input) {
        const result = await api.invoke('schedules.create', input);
        if (result.ok) apply({ id: result.value.id, schedule: result.value });
        return result;
      },
      setEnabled(id, enabled) {
        return withPending(id, { kind: 'toggle', enabled }, async () => {
          const result = await api.invoke('schedules.setEnabled', { id, enabled });
          if (result.ok) apply({ id, schedule: result.value });
          return result;
        });
      },
      runNow(id) {
        return withPending(id, { kind: 'run' }, () => api.invoke('schedules.runNow', { id }));
      },
      remove(id) {
        return withPending(id, { kind: 'delete' }, async () => {
          const result = await api.invoke('schedules.delete', { id });
          if (result.ok || result.error.code === 'NOT_FOUND') apply({ id, schedule: null });
          return result;
        });
      },
      applyChange: apply,
    };
  });
}
