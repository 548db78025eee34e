/**
 * The History place (and the Schedules place's "Recent runs"): runs newest first, paged through
 * `runs.list` cursors, kept fresh by `run.changed`, with one open run whose output streams in.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AlmanacApi, RunOutputChunk } from '../../../shared/api';
import type { Run, RunDetail, RunStatus } from '../../../shared/domain';

export const PAGE_SIZE = 50;
/** Live inserts beyond this many rows drop the oldest; paging then restarts from the top. */
export const LIVE_CAP = 1000;

export interface HistoryState {
  items: Run[];
  nextCursor: string | null;
  /** Older rows were dropped from the live view; "Load more" must restart from the newest page. */
  trimmed: boolean;
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  selectedId: string | null;
  detail: RunDetail | null;
  detailLoading: boolean;
  detailError: string | null;
  load(): Promise<void>;
  loadMore(): Promise<void>;
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

/** Appends `chunk` to `output` without repeating what `output` already ends with. */
export function appendOutput(output: string, chunk: string): string {
  for (let overlap = Math.min(output.length, chunk.length); overlap > 0; overlap--) {
    if (output.endsWith(chunk.slice(0, overlap))) return output + chunk.slice(overlap);
  }
  return output + chunk;
}

export function createHistoryStore(api: AlmanacApi): StoreApi<HistoryState> {
  let listGeneration = 0;
  let bufferedRuns: Run[] | null = null;
  let detailGeneration = 0;
  // Output that streamed in while the open run's detail was being fetched.
  let bufferedOutput: string | null = null;

  return createStore<HistoryState>()((set, get) => ({
    items: [],
    nextCursor: null,
    trimmed: false,
    loaded: false,
    loading: false,
    loadingMore: false,
    error: null,
    selectedId: null,
    detail: null,
    detailLoading: false,
    detailError: null,

    async load() {
      const gen = ++listGeneration;
      bufferedRuns ??= [];
      set({ loading: true });
      const result = await api.invoke('runs.list', { limit: PAGE_SIZE });
      if (gen !== listGeneration) return;
      const replay = bufferedRuns ?? [];
      bufferedRuns = null;
      if (!result.ok) {
        set({ loading: false, error: result.error.message });
        return;
      }
      set({
        items: replay.reduce(upsertRun, result.value.items),
        nextCursor: result.value.nextCursor,
        trimmed: false,
        loading: false,
        loaded: true,
        error: null,
      });
    },

    async loadMore() {
      const { nextCursor, loadingMore, trimmed } = get();
      if (trimmed) return get().load();
      if (!nextCursor || loadingMore) return;
      const gen = listGeneration;
      set({ loadingMore: true });
      const result = await api.invoke('runs.list', { limit: PAGE_SIZE, cursor: nextCursor });
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
      bufferedRuns?.push(run);
      let items = upsertRun(get().items, run);
      let trimmed = get().trimmed;
      if (items.length > LIVE_CAP) {
        items = items.slice(0, LIVE_CAP);
        trimmed = true;
      }
      if (items !== get().items) set({ items, trimmed, nextCursor: trimmed ? null : get().nextCursor });
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
