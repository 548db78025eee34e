/**
 * Which run list the History parts read: the History place's own (the root store), or a schedule
 * page's, whose list is fixed to that schedule. The same list, filters and detail serve both.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { useStores } from '../../stores';
import type { HistoryState } from '../../stores/history';

export const HistoryListContext = createContext<StoreApi<HistoryState> | null>(null);

export function useHistoryStore(): StoreApi<HistoryState> {
  const own = useContext(HistoryListContext);
  const { history } = useStores();
  return own ?? history;
}

export function useRuns<T>(selector: (state: HistoryState) => T): T {
  return useStore(useHistoryStore(), selector);
}
