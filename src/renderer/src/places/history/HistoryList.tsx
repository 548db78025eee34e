/**
 * A run list, virtualized (TanStack Virtual): only the rows in view exist in the DOM, so a million
 * runs scroll like fifty. The next `runs.list` page is asked for as its end comes into view, and the
 * scroll offset is kept in the store for when the person comes back.
 */
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { Run } from '../../../../shared/domain';
import { formatDuration } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { useScheduleNames } from '../../lib/useScheduleNames';
import { useApp } from '../../stores';
import { StatusBadge } from '../../ui/Badge';
import { useHistoryStore, useRuns } from './historyContext';
import { formatWhen, TRIGGER_LABELS } from './words';

export const ROW_HEIGHT = 38;
/** Ask for the next page when this many rows or fewer are left below the view. */
const PREFETCH_ROWS = 40;
const FALLBACK_RECT = { width: 900, height: 600 };

export function HistoryList({ label = 'Runs' }: { label?: string }) {
  const store = useHistoryStore();
  const items = useRuns((state) => state.items);
  const loaded = useRuns((state) => state.loaded);
  const nextCursor = useRuns((state) => state.nextCursor);
  const trimmed = useRuns((state) => state.trimmed);
  const loadingMore = useRuns((state) => state.loadingMore);
  const loadMore = useRuns((state) => state.loadMore);
  const filter = useRuns((state) => state.filter);
  const selectedId = useRuns((state) => state.selectedId);
  const nameOf = useScheduleNames();
  // Minute precision is enough to tell "today" from other days; rows do not re-render every second.
  const now = Math.floor(useNow() / 60_000) * 60_000;
  const scrollRef = useRef<HTMLDivElement>(null);
  const offset = useRef(store.getState().scrollTop);
  const more = nextCursor !== null || trimmed;

  // Stable between pages: a new key function makes the virtualizer re-measure every row on every frame.
  const getItemKey = useCallback((index: number) => items[index]?.id ?? 'more', [items]);
  // TanStack Virtual returns a new object each render by design; rows below read it every render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length + (more ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialOffset: () => offset.current,
    initialRect: FALLBACK_RECT,
    // A box not laid out yet (or a page without layout) measures 0: show a screenful rather than nothing.
    observeElementRect: (instance, callback) =>
      observeElementRect(instance, (rect) => callback(rect.height > 0 ? rect : FALLBACK_RECT)),
    getItemKey,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const last = virtualRows.at(-1)?.index ?? 0;

  useEffect(() => {
    if (more && !loadingMore && last >= items.length - PREFETCH_ROWS) void loadMore();
  }, [more, loadingMore, last, items.length, loadMore]);

  // Coming back: the list is where it was left.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && offset.current) element.scrollTop = offset.current;
  }, []);

  // A new filter starts at the top.
  const firstFilter = useRef(filter);
  useLayoutEffect(() => {
    if (firstFilter.current === filter) return;
    firstFilter.current = filter;
    offset.current = 0;
    virtualizer.scrollToOffset(0);
  }, [filter, virtualizer]);

  // The offset survives leaving the place.
  useEffect(() => () => store.getState().setScrollTop(offset.current), [store]);

  if (loaded && items.length === 0 && !more) {
    return (
      <p className="empty" data-testid="history-empty">
        {store.getState().shownInput() && Object.keys(store.getState().shownInput()).length
          ? 'No runs match these filters.'
          : 'No runs yet. Runs appear here as schedules fire.'}
      </p>
    );
  }

  return (
    <div
      className="history-table"
      role="table"
      aria-label={label}
      aria-rowcount={more ? -1 : items.length + 1}
      data-testid="history-list"
    >
      <div className="history-row history-head" role="row" aria-rowindex={1}>
        <span role="columnheader">Schedule</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Trigger</span>
        <span role="columnheader">Scheduled</span>
        <span role="columnheader">Started</span>
        <span role="columnheader" className="num">
          Duration
        </span>
        <span role="columnheader" className="num">
          Exit
        </span>
      </div>
      <div
        ref={scrollRef}
        className="history-scroll"
        data-testid="history-scroll"
        onScroll={(event) => (offset.current = event.currentTarget.scrollTop)}
      >
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualRows.map((row) => {
            const run = items[row.index];
            return (
              <div
                key={row.key}
                className="history-slot"
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              >
                {run ? (
                  <RunRow
                    run={run}
                    index={row.index}
                    name={nameOf(run.scheduleId)}
                    selected={run.id === selectedId}
                    now={now}
                  />
                ) : (
                  <div className="history-row history-loading" role="row" aria-rowindex={row.index + 2}>
                    <span role="cell">
                      {loadingMore ? 'Loading more runs…' : trimmed ? 'Reloading…' : ''}
                    </span>
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {more ? (
        <div className="table-foot">
          <button
            type="button"
            className="button small ghost"
            onClick={() => void loadMore()}
            disabled={loadingMore}
            aria-busy={loadingMore || undefined}
          >
            {loadingMore ? 'Loading…' : trimmed ? 'Reload from newest' : 'Load more'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

interface RunRowProps {
  run: Run;
  index: number;
  name: string;
  selected: boolean;
  now: number;
}

const RunRow = memo(function RunRow({ run, index, name, selected, now }: RunRowProps) {
  const select = useRuns((state) => state.select);
  const openSchedule = useApp((state) => state.openSchedule);
  const open = () => select(run.id);
  const scheduled = run.fireAt ?? run.scheduledAt;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="run-row"
      data-status={run.status}
      data-id={run.id}
      className={`history-row clickable${selected ? ' selected' : ''}`}
      onClick={open}
    >
      <span role="rowheader" className="history-name">
        <button
          type="button"
          className="link-button"
          title={`Open the page of ${name}`}
          onClick={(event) => {
            event.stopPropagation();
            openSchedule(run.scheduleId);
          }}
        >
          {name}
        </button>
      </span>
      <span role="cell">
        <button
          type="button"
          className="history-open"
          aria-pressed={selected}
          aria-label={`Open run: ${name}, ${run.status}${scheduled ? `, ${formatWhen(scheduled, now)}` : ''}`}
          onClick={(event) => {
            event.stopPropagation();
            open();
          }}
        >
          <StatusBadge status={run.status} />
        </button>
        {run.missedCount !== null && run.missedCount > 1 ? (
          <span className="sub"> ×{run.missedCount}</span>
        ) : null}
      </span>
      <span role="cell">
        {run.trigger === 'retry' || run.attempt > 1
          ? `${TRIGGER_LABELS[run.trigger]} #${run.attempt}`
          : TRIGGER_LABELS[run.trigger]}
      </span>
      <span role="cell" className="time-cell">
        {scheduled ? formatWhen(scheduled, now) : <span className="muted">manual</span>}
      </span>
      <span role="cell" className="time-cell">
        {formatWhen(run.startedAt, now)}
      </span>
      <span role="cell" className="num">
        {formatDuration(run.durationMs)}
      </span>
      <span role="cell" className="num mono">
        {run.httpStatus ?? run.exitCode ?? run.signal ?? '—'}
      </span>
    </div>
  );
});
