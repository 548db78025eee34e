/**
 * How the Schedules place shows its list: which group and state, in which order. Kept in a store, so
 * the choice survives leaving the place and coming back.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Action, Schedule } from '../../../shared/domain';

/** A schedule's state as the list filters it: the engine's state, or "failing" (its last run failed). */
export type StateFilter = 'all' | 'active' | 'paused' | 'completed' | 'failing';
export const STATE_FILTERS: readonly StateFilter[] = ['all', 'active', 'paused', 'completed', 'failing'];
export type ListSort = 'next' | 'name';
/** Every group, schedules with no group, or one group by name. */
export type GroupFilter = { kind: 'all' } | { kind: 'none' } | { kind: 'group'; name: string };

export interface ScheduleListState {
  group: GroupFilter;
  state: StateFilter;
  sort: ListSort;
  setGroup(group: GroupFilter): void;
  setState(state: StateFilter): void;
  setSort(sort: ListSort): void;
}

export function createScheduleListStore(): StoreApi<ScheduleListState> {
  return createStore<ScheduleListState>()((set) => ({
    group: { kind: 'all' },
    state: 'all',
    sort: 'next',
    setGroup: (group) => set({ group }),
    setState: (state) => set({ state }),
    setSort: (sort) => set({ sort }),
  }));
}

const FAILED = new Set(['failed', 'timed-out', 'interrupted']);

/** True when the schedule's last run ended badly. */
export function isFailing(schedule: Schedule): boolean {
  return schedule.lastStatus !== null && FAILED.has(schedule.lastStatus);
}

export function matchesState(schedule: Schedule, state: StateFilter): boolean {
  if (state === 'all') return true;
  if (state === 'failing') return isFailing(schedule);
  return schedule.state === state;
}

export function matchesGroup(schedule: Schedule, group: GroupFilter): boolean {
  if (group.kind === 'all') return true;
  if (group.kind === 'none') return schedule.group === null;
  return schedule.group === group.name;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** By name, in the viewer's language (numbers in names in numeric order), then by id. */
export function byName(a: Schedule, b: Schedule): number {
  return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Soonest next run first; schedules with no next run (paused, completed) last, by name. */
export function byNextRun(a: Schedule, b: Schedule): number {
  const x = a.state === 'active' ? a.nextFireAt : null;
  const y = b.state === 'active' ? b.nextFireAt : null;
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    const diff = Date.parse(x) - Date.parse(y);
    if (diff !== 0) return diff;
  }
  return byName(a, b);
}

export function visibleSchedules(
  items: Schedule[],
  view: Pick<ScheduleListState, 'group' | 'state' | 'sort'>,
): Schedule[] {
  return items
    .filter((schedule) => matchesGroup(schedule, view.group) && matchesState(schedule, view.state))
    .sort(view.sort === 'name' ? byName : byNextRun);
}

/** The groups in use, sorted by name. */
export function groupsOf(items: Schedule[]): string[] {
  const groups = new Set<string>();
  for (const schedule of items) if (schedule.group !== null) groups.add(schedule.group);
  return [...groups].sort(collator.compare);
}

export const ACTION_KIND: Record<Action['type'], string> = {
  command: 'Command',
  http: 'HTTP',
  reminder: 'Reminder',
  watch: 'Watch',
};
