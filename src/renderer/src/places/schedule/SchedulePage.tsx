/**
 * One schedule's own page (DESIGN.md §6): its settings in words, its next runs from
 * `schedules.preview`, its statistics and its own history (the History list, fixed to it).
 */
import { useEffect, useMemo, useState } from 'react';
import type { Occurrence } from '../../../../shared/api';
import { formatInstant, viewerZone } from '../../lib/time';
import { useApp, useSchedules, useStores } from '../../stores';
import { createHistoryStore } from '../../stores/history';
import { StateBadge } from '../../ui/Badge';
import { HistoryFilters } from '../history/HistoryFilters';
import { HistoryList } from '../history/HistoryList';
import { HistoryListContext, useRuns } from '../history/historyContext';
import { RunDetail } from '../history/RunDetail';
import { StatsPanel } from '../history/StatsPanel';
import '../history/history.css';
import './schedule.css';
import { actionWords, policyWords, whenWords } from './settingsWords';

export function SchedulePage({ id }: { id: string }) {
  const stores = useStores();
  const schedule = useSchedules((state) => state.items.find((item) => item.id === id) ?? null);
  const loaded = useSchedules((state) => state.loaded);
  const setPlace = useApp((state) => state.setPlace);
  const openEditor = useApp((state) => state.openEditor);
  // Its own list, fixed to this schedule, fed by the same events as the History place's.
  const history = useMemo(
    () => createHistoryStore(stores.api, { fixed: { scheduleId: id } }),
    [stores.api, id],
  );
  const [next, setNext] = useState<Occurrence[] | null>(null);
  const version = schedule?.version;

  useEffect(() => {
    void history.getState().load();
    const offs = [
      stores.api.on('run.changed', (run) => history.getState().applyRun(run)),
      stores.api.on('run.output', (chunk) => history.getState().applyOutput(chunk)),
    ];
    return () => offs.forEach((off) => off());
  }, [history, stores.api]);

  useEffect(() => {
    if (!schedule) return;
    let live = true;
    void stores.api.invoke('schedules.preview', { trigger: schedule.trigger, count: 5 }).then((result) => {
      if (live) setNext(result.ok ? result.value.occurrences : []);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new version may change the trigger
  }, [stores.api, id, version]);

  if (!schedule) {
    return (
      <div className="place schedule-page">
        <header className="place-head">
          <button type="button" className="button small ghost" onClick={() => setPlace('schedules')}>
            ← Schedules
          </button>
          <h1>{loaded ? 'No such schedule' : 'Loading…'}</h1>
        </header>
        {loaded ? <p className="empty">It may have been deleted. Its runs stay in History.</p> : null}
      </div>
    );
  }

  // the schedule's own zone first (DESIGN §4), the viewer's beside it when they differ
  const viewer = viewerZone();
  const zone = schedule.trigger.timezone ?? viewer;
  const seconds =
    (schedule.trigger.type === 'cron' && schedule.trigger.expression.trim().split(/\s+/).length === 6) ||
    (schedule.trigger.type === 'interval' && schedule.trigger.everySeconds % 60 !== 0);
  return (
    <HistoryListContext value={history}>
      <div className="place schedule-page" data-testid="schedule-page">
        <header className="place-head">
          <button type="button" className="button small ghost" onClick={() => setPlace('schedules')}>
            ← Schedules
          </button>
          <h1>{schedule.name}</h1>
          <StateBadge state={schedule.state} />
          <button
            type="button"
            className="button small push-right"
            onClick={() => openEditor({ mode: 'edit', id: schedule.id })}
          >
            Edit
          </button>
        </header>
        <div className="schedule-top">
          <section className="card" aria-labelledby="settings-title">
            <div className="card-head">
              <h2 id="settings-title" className="card-title">
                Settings
              </h2>
              {schedule.group ? <span className="muted">Group {schedule.group}</span> : null}
            </div>
            <ul className="schedule-words" data-testid="schedule-words">
              <li>{whenWords(schedule)}</li>
              <li>{actionWords(schedule.action)}</li>
              {policyWords(schedule.policy).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {schedule.notes ? <p className="schedule-notes">{schedule.notes}</p> : null}
          </section>
          <section className="card" aria-labelledby="next-title">
            <div className="card-head">
              <h2 id="next-title" className="card-title">
                Next runs
              </h2>
              <span className="muted">
                {zone}
                {zone !== viewer ? ` · ${viewer}` : ''}
              </span>
            </div>
            {!schedule.enabled ? (
              <p className="muted">Paused: nothing will run until it is resumed.</p>
            ) : null}
            {next === null ? (
              <p className="muted">Loading…</p>
            ) : next.length === 0 ? (
              <p className="muted">No more runs planned.</p>
            ) : (
              <ol className="schedule-next" data-testid="schedule-next">
                {next.map((occurrence) => (
                  <li key={occurrence.at}>
                    {formatInstant(occurrence.at, { weekday: true, zone, seconds })}
                    {zone !== viewer ? (
                      <span className="muted">
                        {' '}
                        · {formatInstant(occurrence.at, { zone: viewer, seconds })}
                      </span>
                    ) : null}
                    {occurrence.note ? (
                      <span className="muted">
                        {' '}
                        (
                        {occurrence.note === 'dst-shifted'
                          ? 'moved by a DST change'
                          : 'repeated hour: runs once'}
                        )
                      </span>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
        <StatsPanel scheduleId={schedule.id} title="Last 30 days" />
        <section className="card history-card" aria-labelledby="own-runs-title">
          <div className="card-head">
            <h2 id="own-runs-title" className="card-title">
              Its runs
            </h2>
            <OwnCount />
          </div>
          <HistoryFilters fixedSchedule />
          <HistoryList label={`Runs of ${schedule.name}`} />
        </section>
        <RunDetail />
      </div>
    </HistoryListContext>
  );
}

function OwnCount() {
  const count = useRuns((state) => state.items.length);
  const more = useRuns((state) => state.nextCursor !== null);
  const loaded = useRuns((state) => state.loaded);
  return (
    <span className="muted" aria-live="polite">
      {loaded ? `${count.toLocaleString()}${more ? '+' : ''} shown, newest first` : 'Loading…'}
    </span>
  );
}
