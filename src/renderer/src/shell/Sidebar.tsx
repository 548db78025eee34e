/** The places, and a small footer saying which engine this window talks to. */
import type { Place } from '../stores/app';
import { useApp, useSchedules } from '../stores';

const LABELS: Record<Place, string> = {
  schedules: 'Schedules',
  calendar: 'Calendar',
  history: 'History',
  settings: 'Settings',
};

export function Sidebar() {
  const place = useApp((state) => state.place);
  const setPlace = useApp((state) => state.setPlace);
  const status = useApp((state) => state.status);
  const connection = useApp((state) => state.connection.state);
  const callsFail = useApp((state) => state.unavailable !== null);
  const unreachable = callsFail || connection === 'lost';
  const scheduleCount = useSchedules((state) => state.items.length);

  const engine = status?.engine;
  const engineText =
    connection === 'unauthorized'
      ? 'No access (token needed)'
      : unreachable
        ? 'Unreachable'
        : !engine
          ? 'Connecting…'
          : engine.running
            ? engine.active > 0
              ? `Running ${engine.active} now`
              : 'Idle'
            : 'Stopped';
  const engineTone =
    connection === 'unauthorized' || unreachable || (engine && !engine.running)
      ? 'bad'
      : engine?.active
        ? 'busy'
        : 'ok';

  return (
    <aside className="sidebar">
      <div className="brand">
        <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" className="brand-mark">
          <rect
            x="3"
            y="4.5"
            width="18"
            height="16"
            rx="3.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
          />
          <path
            d="M3 9.5h18M8 2.8v3.4M16 2.8v3.4"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
          />
          <path
            d="M12 12.2v3.3l2.2 1.4"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
            fill="none"
          />
        </svg>
        <span>Almanac</span>
      </div>
      <nav aria-label="Places">
        <ul className="nav">
          {(Object.keys(LABELS) as Place[]).map((key) => (
            <li key={key}>
              <button
                type="button"
                className="nav-item"
                aria-current={place === key ? 'page' : undefined}
                onClick={() => setPlace(key)}
              >
                <span>{LABELS[key]}</span>
                {key === 'schedules' && scheduleCount > 0 ? (
                  <span className="count">{scheduleCount}</span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <footer className="sidebar-foot" aria-label="Engine">
        <div className={`engine engine-${engineTone}`}>
          <span className="dot" aria-hidden="true" />
          <span>Engine: {engineText}</span>
        </div>
        {status ? (
          <>
            <div className="foot-line">
              {status.mode === 'desktop' ? 'Desktop' : 'Browser mode'} · v{status.version}
            </div>
            <div className="foot-line data-dir" title={status.dataDir}>
              {status.dataDir}
            </div>
          </>
        ) : null}
      </footer>
    </aside>
  );
}
