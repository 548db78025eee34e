/** The newest runs on the Schedules place, live, so a run shows up without switching places. */
import { useMemo } from 'react';
import { formatDuration, formatInstant, formatRelative } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { useScheduleNames } from '../../lib/useScheduleNames';
import { useApp, useHistory } from '../../stores';
import { StatusBadge } from '../../ui/Badge';

const RECENT = 10;

export function RecentRuns() {
  const items = useHistory((state) => state.recent);
  const loaded = useHistory((state) => state.loaded);
  const selectedId = useHistory((state) => state.selectedId);
  const select = useHistory((state) => state.select);
  const nameOf = useScheduleNames();
  const now = useNow();
  const live = useApp((state) => state.connection.state === 'live');
  const recent = useMemo(() => items.slice(0, RECENT), [items]);

  return (
    <section className="card" aria-labelledby="recent-title">
      <div className="card-head">
        <h2 id="recent-title" className="card-title">
          Recent runs
        </h2>
        {live ? <span className="muted live-dot">Live</span> : <span className="muted">Not live</span>}
      </div>
      {loaded && recent.length === 0 ? <p className="empty">No runs yet.</p> : null}
      <ul className="run-list">
        {recent.map((run) => {
          const at = run.startedAt ?? run.fireAt ?? run.queuedAt ?? run.scheduledAt;
          return (
            <li key={run.id}>
              <button
                type="button"
                className="run-item"
                data-testid="run-row"
                data-status={run.status}
                data-id={run.id}
                aria-pressed={run.id === selectedId}
                onClick={() => select(run.id === selectedId ? null : run.id)}
              >
                <span className="run-item-name">{nameOf(run.scheduleId)}</span>
                <StatusBadge status={run.status} />
                <span className="run-item-meta">
                  <time dateTime={at ?? undefined} title={formatInstant(at)}>
                    {formatRelative(at, now)}
                  </time>
                  {run.durationMs !== null ? <span> · {formatDuration(run.durationMs)}</span> : null}
                  {run.trigger !== 'schedule' ? <span> · {run.trigger}</span> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
