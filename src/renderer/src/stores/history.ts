/**
 * The History place (and a schedule's own history, and the Schedules place's "Recent runs"): runs
 * newest first, paged through `runs.list` cursors as the list scrolls, narrowed by a filter, kept
 * fresh by `run.changed`, with one open run whose output streams in. The filter and the scroll
 * position live here, so leaving the place and coming back finds both as they were.
 */
import { DateTime } from 'luxon';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AlmanacApi, MethodInput, RunOutputChunk } from '../../../shared/api';
import type { Run, RunDetail, RunStatus, RunTrigger } from '../../../shared/domain';

export const PAGE_SIZE = 50;
/** Live inserts beyond this many rows drop the oldest; paging then restarts from the top. */
export const LIVE_CAP = 1000;
/** How many of the newest runs "Recent runs" keeps, whatever the History filter. */
export const RECENT_CAP = 50;

export type RangeChoice = 'all' | 'hour' | 'day' | 'week' | 'custom';
export const RANGE_MS: Record<'hour' | 'day' | 'week', number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

export interface HistoryFilter {
  scheduleId: string | null;
  status: RunStatus[];
  trigger: RunTrigger[];
  range: RangeChoice;
  /** A custom range's ends, as `datetime-local` values in the viewer's zone ('' = open). */
  customFrom: string;
  customTo: string;
  /** Exactly these runs (a catch-up notice's link), with words for what they are. */
  ids: string[] | null;
  idsLabel: string | null;
}

export const EMPTY_FILTER: HistoryFilter = {
  scheduleId: null,
  status: [],
  trigger: [],
  range: 'all',
  customFrom: '',
  customTo: '',
  ids: null,
  idsLabel: null,
};

type ListInput = NonNullable<MethodInput<'runs.list'>>;
export type FilterInput = Omit<ListInput, 'cursor' | 'limit'>;

/** A `datetime-local` value read in `zone` (the viewer's), as an ISO instant; undefined when blank or not a time. */
export function localToIso(value: string, zone?: string): string | undefined {
  if (!value) return undefined;
  const time = DateTime.fromISO(value, zone ? { zone } : {});
  return time.isValid ? time.toUTC().toISO()! : undefined;
}

/** The filter as `runs.list` takes it: only the fields that narrow. */
export function filterInput(filter: HistoryFilter, now: number, zone?: string): FilterInput {
  const input: FilterInput = {};
  if (filter.scheduleId) input.scheduleId = filter.scheduleId;
  if (filter.status.length) input.status = filter.status;
  if (filter.trigger.length) input.trigger = filter.trigger;
  if (filter.ids) input.ids = filter.ids;
  if (filter.range === 'custom') {
    const from = localToIso(filter.customFrom, zone);
    const to = localToIso(filter.customTo, zone);
    if (from) input.from = from;
    if (to) input.to = to;
  } else if (filter.range !== 'all') {
    input.from = new Date(now - RANGE_MS[filter.range]).toISOString();
  }
  return input;
}

const listedAtMs = (run: Run) =>
  Date.parse(run.fireAt ?? run.scheduledAt ?? run.queuedAt ?? run.finishedAt ?? '1970-01-01T00:00:00Z');

/** Whether a run that arrives live belongs in a list loaded with `input`. */
export function matchesFilter(run: Run, input: FilterInput): boolean {
  if (input.scheduleId && run.scheduleId !== input.scheduleId) return false;
  if (input.status && !input.status.includes(run.status)) return false;
  if (input.trigger && !input.trigger.includes(run.trigger)) return false;
  if (input.ids && !input.ids.includes(run.id)) return false;
  const at = listedAtMs(run);
  if (input.from && at < Date.parse(input.from)) return false;
  if (input.to && at >= Date.parse(input.to)) return false;
  return true;
}

export interface HistoryState {
  items: Run[];
  nextCursor: string | null;
  /** Older rows were dropped from the live view; "Load more" must restart from the newest page. */
  trimmed: boolean;
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  /** The filter as the person set it (a refused one stays, with its errors beside its fields). */
  filter: HistoryFilter;
  /** VALIDATION issues of the last refused filter, by field (`scheduleId`, `to`, `cursor` …). */
  filterErrors: Record<string, string>;
  /** The list's scroll offset, kept while the place is away. */
  scrollTop: number;
  /** The newest runs whatever the filter ("Recent runs" on the Schedules place). */
  recent: Run[];
  selectedId: string | null;
  detail: RunDetail | null;
  detailLoading: boolean;
  detailError: string | null;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  setFilter(patch: Partial<HistoryFilter>): Promise<void>;
  resetFilter(): Promise<void>;
  setScrollTop(top: number): void;
  /** The filter the rows on screen were loaded with, as `runs.list` took it (what an export writes). */
  shownInput(): FilterInput;
  select(id: string | null): void;
  refreshDetail(): Promise<void>;
  applyRun(run: Run): void;
  applyOutput(chunk: RunOutputChunk): void;
}

/** A run only moves forward: queued → running → finished. Events and answers can arrive crossed. */
function progress(status: RunStatus): number {
  if (status === 'queued') return 0;
  if (status === 'running') return 1;
  return 2;
}

/** Updates a run in place, or puts a run not seen before at the top (it is the newest). */
export function upsertRun(items: Run[], run: Run): Run[] {
  const index = items.findIndex((item) => item.id === run.id);
  if (index === -1) return [run, ...items];
  if (progress(run.status) < progress(items[index]!.status)) return items;
  const next = items.slice();
  next[index] = run;
  return next;
}

/** Updates a run only where it is already listed. */
function updateRun(items: Run[], run: Run): Run[] {
  return items.some((item) => item.id === run.id) ? upsertRun(items, run) : items;
}

/** Appends `chunk` to `output` without repeating what `output` already ends with. */
export function appendOutput(output: string, chunk: string): string {
  for (let overlap = Math.min(output.length, chunk.length); overlap > 0; overlap--) {
    if (output.endsWith(chunk.slice(0, overlap))) return output + chunk.slice(overlap);
  }
  return output + chunk;
}

export interface HistoryOptions {
  /** Narrows every request, whatever the filter says (a schedule's own page). */
  fixed?: Pick<FilterInput, 'scheduleId'>;
  now?: () => number;
  /** The zone custom ranges are read in; the viewer's by default. */
  zone?: () => string | undefined;
}

export function createHistoryStore(api: AlmanacApi, options: HistoryOptions = {}): StoreApi<HistoryState> {
  const now = options.now ?? Date.now;
  let listGeneration = 0;
  let bufferedRuns: Run[] | null = null;
  let detailGeneration = 0;
  // Output that streamed in while the open run's detail was being fetched.
  let bufferedOutput: string | null = null;
  // What the rows on screen were loaded with (a refused filter leaves them, and this, as they were).
  let shown: FilterInput = { ...options.fixed };

  const inputOf = (filter: HistoryFilter): FilterInput => ({
    ...filterInput(filter, now(), options.zone?.()),
    ...options.fixed,
  });
  const isEmpty = (input: FilterInput) => Object.keys(input).length === 0;

  return createStore<HistoryState>()((set, get) => ({
    items: [],
    nextCursor: null,
    trimmed: false,
    loaded: false,
    loading: false,
    loadingMore: false,
    error: null,
    filter: EMPTY_FILTER,
    filterErrors: {},
    scrollTop: 0,
    recent: [],
    selectedId: null,
    detail: null,
    detailLoading: false,
    detailError: null,

    async load() {
      const gen = ++listGeneration;
      bufferedRuns ??= [];
      const input = inputOf(get().filter);
      set({ loading: true });
      const result = await api.invoke('runs.list', { ...input, limit: PAGE_SIZE });
      if (gen !== listGeneration) return;
      const replay = bufferedRuns ?? [];
      bufferedRuns = null;
      if (!result.ok) {
        // The last good page stays; a refused filter says why beside its field.
        const issues = result.error.code === 'VALIDATION' ? (result.error.issues ?? []) : [];
        set({
          loading: false,
          error: issues.length ? null : result.error.message,
          filterErrors: Object.fromEntries(issues.map((issue) => [issue.path, issue.message])),
        });
        return;
      }
      shown = input;
      const items = replay.filter((run) => matchesFilter(run, input)).reduce(upsertRun, result.value.items);
      set({
        items,
        nextCursor: result.value.nextCursor,
        trimmed: false,
        loading: false,
        loaded: true,
        error: null,
        filterErrors: {},
        ...(isEmpty(input) ? { recent: items.slice(0, RECENT_CAP) } : {}),
      });
    },

    async loadMore() {
      const { nextCursor, loadingMore, trimmed } = get();
      if (trimmed) return get().load();
      if (!nextCursor || loadingMore) return;
      const gen = listGeneration;
      set({ loadingMore: true });
      const result = await api.invoke('runs.list', { ...shown, limit: PAGE_SIZE, cursor: nextCursor });
      if (gen !== listGeneration) return;
      if (!result.ok) {
        set({ loadingMore: false, error: result.error.message });
        return;
      }
      const known = new Set(get().items.map((run) => run.id));
      set({
        items: [...get().items, ...result.value.items.filter((run) => !known.has(run.id))],
        nextCursor: result.value.nextCursor,
        loadingMore: false,
        error: null,
      });
    },

    async setFilter(patch) {
      const filter = { ...get().filter, ...patch };
      // Narrowing by hand leaves a catch-up notice's exact list.
      if (!('ids' in patch) && Object.keys(patch).length)
        Object.assign(filter, { ids: null, idsLabel: null });
      set({ filter, scrollTop: 0 });
      await get().load();
    },

    async resetFilter() {
      set({ filter: EMPTY_FILTER, scrollTop: 0 });
      await get().load();
    },

    shownInput: () => shown,

    setScrollTop(top) {
      if (top !== get().scrollTop) set({ scrollTop: top });
    },

    select(id) {
      if (id === get().selectedId) return;
      detailGeneration++;
      bufferedOutput = null;
      set({ selectedId: id, detail: null, detailError: null, detailLoading: false });
      if (id) void get().refreshDetail();
    },

    async refreshDetail() {
      const id = get().selectedId;
      if (!id) return;
      const gen = ++detailGeneration;
      bufferedOutput = '';
      set({ detailLoading: true });
      const result = await api.invoke('runs.get', { id });
      if (gen !== detailGeneration) return;
      const streamed = bufferedOutput ?? '';
      bufferedOutput = null;
      if (!result.ok) {
        set({ detailLoading: false, detailError: result.error.message });
        return;
      }
      const detail = result.value;
      set({
        detail: streamed ? { ...detail, output: appendOutput(detail.output, streamed) } : detail,
        detailLoading: false,
        detailError: null,
      });
    },

    applyRun(run) {
      if (options.fixed?.scheduleId && run.scheduleId !== options.fixed.scheduleId) return;
      bufferedRuns?.push(run);
      const current = get().items;
      // A run already listed follows its changes; a new one joins only where the filter wants it.
      let items = matchesFilter(run, shown) ? upsertRun(current, run) : updateRun(current, run);
      let trimmed = get().trimmed;
      if (items.length > LIVE_CAP) {
        items = items.slice(0, LIVE_CAP);
        trimmed = true;
      }
      const recent = upsertRun(get().recent, run).slice(0, RECENT_CAP);
      set({
        recent,
        ...(items !== current ? { items, trimmed, nextCursor: trimmed ? null : get().nextCursor } : {}),
      });
      const { selectedId, detail } = get();
      if (run.id !== selectedId) return;
      // Show the new status at once, then fetch the authoritative detail (exit code, output tail).
      if (detail && progress(run.status) >= progress(detail.status)) set({ detail: { ...detail, ...run } });
      void get().refreshDetail();
    },

    applyOutput({ runId, chunk }) {
      if (runId !== get().selectedId) return;
      if (bufferedOutput !== null) bufferedOutput += chunk;
      const detail = get().detail;
      if (detail) set({ detail: { ...detail, output: detail.output + chunk } });
    },
  }));
}
