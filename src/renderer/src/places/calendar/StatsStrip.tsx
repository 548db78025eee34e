/** The range's run statistics above the grid, from `runs.stats`. */
import { formatDuration } from '../../lib/time';
import { useCalendar } from '../../stores';
import { FAILED } from './calendarText';

export function StatsStrip() {
  const stats = useCalendar((state) => state.stats);
  const error = useCalendar((state) => state.statsError);
  const loading = useCalendar((state) => state.statsLoading);
  const failed = stats ? FAILED.reduce((sum, status) => sum + (stats.byStatus[status] ?? 0), 0) : 0;
  return (
    <section className="cal-stats" aria-label="Runs in this range" aria-busy={loading || undefined}>
      {error ? (
        <p className="inline-error">Could not load statistics: {error}</p>
      ) : (
        <dl>
          <div>
            <dt>Runs</dt>
            <dd data-testid="stat-total">{stats ? stats.total : '—'}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd data-testid="stat-success">
              {stats?.successRate === null || !stats ? '—' : `${Math.round(stats.successRate * 100)}%`}
            </dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd className={failed ? 'cal-stat-bad' : undefined}>{stats ? failed : '—'}</dd>
          </div>
          <div>
            <dt>Median duration</dt>
            <dd data-testid="stat-p50">{formatDuration(stats?.durationMs?.p50)}</dd>
          </div>
          <div>
            <dt>p95 duration</dt>
            <dd data-testid="stat-p95">{formatDuration(stats?.durationMs?.p95)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
