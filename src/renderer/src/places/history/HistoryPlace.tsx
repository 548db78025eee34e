/** All runs, newest first, paged by cursor; the open run's detail slides in beside the table. */
import { memo } from 'react';
import type { Run } from '../../../../shared/domain';
import { formatCompact, formatDuration, formatInstant, isoDate } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { useScheduleNames } from '../../lib/useScheduleNames';
import { useHistory } from '../../stores';
import { StatusBadge } from '../../ui/Badge';
import { RunDetail } from './RunDetail';

export function HistoryPlace() {
  const items = useHistory((state) => state.items);
  const loaded = useHistory((state) => state.loaded);
  const loading = useHistory((state) => state.loading);
  const error = useHistory((state) => state.error);
  const nextCursor = useHistory((state) => state.nextCursor);
  const trimmed = useHistory((state) => state.trimmed);
  const loadingMore = useHistory((state) => state.loadingMore);
  const selectedId = useHistory((state) => state.selectedId);
  const load = useHistory((state) => state.load);
  const loadMore = useHistory((state) => state.loadMore);
  const nameOf = useScheduleNames();
  const today = isoDate(useNow());

  return (
    <div className="place place-history">
      <header className="place-head">
        <h1>History</h1>
        <button type="button" className="button small ghost" onClick={() => void load()} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>
      <section className="card" aria-labelledby="runs-title">
        <div className="card-head">
          <h2 id="runs-title" className="card-title">
            Runs
          </h2>
          <span className="muted">{loaded ? `${items.length} shown, newest first` : 'Loading…'}</span>
        </div>
        {error ? <p className="inline-error">Could not load runs: {error}</p> : null}
        {loaded && items.length === 0 ? (
          <p className="empty">No runs yet. Runs appear here as schedules fire.</p>
        ) : (
          <div className="table-wrap">
            <table className="table runs-table">
              <thead>
                <tr>
                  <th scope="col">Schedule</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Status</th>
                  <th scope="col">Scheduled</th>
                  <th scope="col">Started</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    Exit
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((run) => (
                  <RunRow
                    key={run.id}
                    run={run}
                    name={nameOf(run.scheduleId)}
                    selected={run.id === selectedId}
                    today={today}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor || trimmed ? (
          <div className="table-foot">
            <button
              type="button"
              className="button small"
              onClick={() => void loadMore()}
              disabled={loadingMore}
              aria-busy={loadingMore || undefined}
            >
              {loadingMore ? 'Loading…' : trimmed ? 'Reload from newest' : 'Load more'}
            </button>
          </div>
        ) : null}
      </section>
      <RunDetail />
    </div>
  );
}

interface RunRowProps {
  run: Run;
  name: string;
  selected: boolean;
  /** The viewer's date, so times of today show without a date. */
  today: string;
}

const RunRow = memo(function RunRow({ run, name, selected, today }: RunRowProps) {
  const select = useHistory((state) => state.select);
  const open = () => select(run.id);
  const scheduled = run.fireAt ?? run.scheduledAt;
  return (
    <tr
      data-testid="run-row"
      data-status={run.status}
      data-id={run.id}
      className={`clickable${selected ? ' selected' : ''}`}
      onClick={open}
    >
      <th scope="row">
        <button type="button" className="link-button" onClick={open} aria-pressed={selected}>
          {name}
        </button>
      </th>
      <td>{run.attempt > 1 ? `${run.trigger} #${run.attempt}` : run.trigger}</td>
      <td>
        <StatusBadge status={run.status} />
        {run.missedCount !== null && run.missedCount > 1 ? (
          <span className="sub"> ×{run.missedCount}</span>
        ) : null}
      </td>
      <td className="time-cell" title={scheduled ? formatInstant(scheduled, { weekday: true }) : undefined}>
        {scheduled ? formatCompact(scheduled, today) : <span className="muted">manual</span>}
      </td>
      <td
        className="time-cell"
        title={run.startedAt ? formatInstant(run.startedAt, { weekday: true }) : undefined}
      >
        {formatCompact(run.startedAt, today)}
      </td>
      <td className="num" title={run.durationMs === null ? undefined : `${run.durationMs} ms`}>
        {formatDuration(run.durationMs)}
      </td>
      <td className="num mono">{run.exitCode ?? (run.signal ? run.signal : '—')}</td>
    </tr>
  );
});
