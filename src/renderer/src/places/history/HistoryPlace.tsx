/** All runs, newest first, filtered and virtualized; statistics above; the open run's detail beside. */
import { useScheduleNames } from '../../lib/useScheduleNames';
import { ExportButtons } from './ExportButtons';
import { HistoryFilters } from './HistoryFilters';
import { HistoryList } from './HistoryList';
import { useRuns } from './historyContext';
import { RunDetail } from './RunDetail';
import { StatsPanel } from './StatsPanel';
import './history.css';

export function HistoryPlace() {
  const loading = useRuns((state) => state.loading);
  const load = useRuns((state) => state.load);
  const error = useRuns((state) => state.error);
  const scheduleId = useRuns((state) => state.filter.scheduleId);
  const nameOf = useScheduleNames();

  return (
    <div className="place place-history">
      <header className="place-head">
        <h1>History</h1>
        <button type="button" className="button small ghost" onClick={() => void load()} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
        <ExportButtons />
      </header>
      <section className="card history-card" aria-labelledby="runs-title">
        <div className="card-head">
          <h2 id="runs-title" className="card-title">
            Runs
          </h2>
          <RunCount />
        </div>
        <HistoryFilters />
        {error ? <p className="inline-error">Could not load runs: {error}</p> : null}
        <HistoryList />
      </section>
      <StatsPanel
        scheduleId={scheduleId}
        title={scheduleId ? `${nameOf(scheduleId)}, last 30 days` : 'All schedules, last 30 days'}
      />
      <RunDetail />
    </div>
  );
}

/** Its own component: a page of rows arriving re-renders this line, not the filters and charts. */
export function RunCount() {
  const loaded = useRuns((state) => state.loaded);
  const count = useRuns((state) => state.items.length);
  const more = useRuns((state) => state.nextCursor !== null);
  return (
    <span className="muted" aria-live="polite">
      {loaded ? `${count.toLocaleString()}${more ? '+' : ''} shown, newest first` : 'Loading…'}
    </span>
  );
}
