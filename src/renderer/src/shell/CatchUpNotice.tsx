/**
 * After a sleep or a restart, one notice says what the engine caught up on — "While the computer
 * slept for 3 h: 5 runs caught up, 12 missed, 2 skipped" — and links to exactly those rows.
 */
import type { CatchUpSummary } from '../../../shared/api';
import { formatDuration } from '../lib/time';
import { useApp, useStores } from '../stores';
import { useStore } from 'zustand';
import { EMPTY_FILTER } from '../stores/history';

function span(ms: number): string {
  if (ms < 60_000) return formatDuration(ms);
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = ms / 3_600_000;
  if (hours < 48) return `${hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The notice's sentence. */
export function catchUpText(summary: CatchUpSummary): string {
  const gap = summary.at && summary.since ? Date.parse(summary.at) - Date.parse(summary.since) : null;
  const when =
    summary.reason === 'start'
      ? 'While Almanac was not running'
      : summary.reason === 'clock-jump'
        ? 'After the clock jumped'
        : summary.reason === 'tick'
          ? 'While Almanac was held up'
          : 'While the computer slept';
  const parts = [
    `${plural(summary.ran, 'run')} caught up`,
    `${summary.missed.toLocaleString()} missed`,
    `${summary.skipped.toLocaleString()} skipped`,
  ];
  return `${when}${gap !== null && gap > 0 ? ` for ${span(gap)}` : ''}: ${parts.join(', ')}`;
}

export function CatchUpNotice() {
  const stores = useStores();
  const summary = useStore(stores.catchUp, (state) => state.summary);
  const dismiss = useStore(stores.catchUp, (state) => state.dismiss);
  const setPlace = useApp((state) => state.setPlace);
  if (!summary) return null;
  const ids = summary.runIds ?? [];
  const show = () => {
    setPlace('history');
    void stores.history.getState().setFilter({
      ...EMPTY_FILTER,
      ids,
      idsLabel: `The ${plural(ids.length, 'row')} of the catch-up at ${new Date(summary.at ?? Date.now()).toLocaleTimeString()}`,
    });
  };
  return (
    <div className="banner catch-up-notice" role="status" data-testid="catch-up-notice">
      <span>{catchUpText(summary)}.</span>
      <span className="push-right">
        {ids.length ? (
          <button type="button" className="button small" onClick={show}>
            Show {ids.length === 1 ? 'it' : `these ${ids.length.toLocaleString()}`}
            {summary.more ? ` (of ${(ids.length + summary.more).toLocaleString()})` : ''}
          </button>
        ) : null}{' '}
        <button
          type="button"
          className="button small ghost"
          onClick={dismiss}
          aria-label="Dismiss the catch-up notice"
        >
          Dismiss
        </button>
      </span>
    </div>
  );
}
