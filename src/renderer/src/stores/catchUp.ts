/**
 * The one notice after a sleep or a restart: what the engine caught up on (`engine.catchUp`), kept
 * until dismissed. Routine ticks that merely ran late stay quiet; a later catch-up replaces it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CatchUpSummary } from '../../../shared/api';

export interface CatchUpState {
  summary: CatchUpSummary | null;
  note(summary: CatchUpSummary): void;
  dismiss(): void;
}

/** Worth a notice: anything missed, or runs caught up after a start, wake, suspend or clock jump. */
export function worthTelling(summary: CatchUpSummary): boolean {
  if (summary.ran + summary.missed + summary.skipped === 0) return false;
  return !(summary.reason === 'tick' && summary.missed === 0);
}

export function createCatchUpStore(): StoreApi<CatchUpState> {
  return createStore<CatchUpState>()((set) => ({
    summary: null,
    note(summary) {
      if (worthTelling(summary)) set({ summary });
    },
    dismiss() {
      set({ summary: null });
    },
  }));
}
