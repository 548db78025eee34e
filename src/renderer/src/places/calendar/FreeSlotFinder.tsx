/**
 * "Suggest a free slot" (issue 15 §5): asks `calendar.freeSlots` for the next spans of a chosen
 * length inside working hours, clear of busy blocks and on the quietest planned load, and offers
 * each one. Exported for the editor too: it passes `onPick` and gets the slot's start.
 */
import { DateTime } from 'luxon';
import { useEffect, useId, useState } from 'react';
import type { FreeSlots } from '../../../../shared/api';
import { useStores } from '../../stores';

const DURATIONS = [15, 30, 60, 90, 120];
/** When the range asked for has no free slot (or is in the past), the next two weeks are searched. */
const FALLBACK_DAYS = 14;

export interface FreeSlotFinderProps {
  /** The range to search (ISO instants); the part before now is skipped. */
  from: string;
  to: string;
  zone: string;
  /** What the pick button says for a slot, e.g. "Book". */
  pickLabel: string;
  onPick(slot: { start: string; end: string }): void;
  initialDuration?: number;
}

type Found = { range: 'asked' | 'next'; result: FreeSlots };

export function FreeSlotFinder({
  from,
  to,
  zone,
  pickLabel,
  onPick,
  initialDuration = 30,
}: FreeSlotFinderProps) {
  const { api } = useStores();
  const uid = useId();
  const [duration, setDuration] = useState(initialDuration);
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    const ask = (start: string, end: string) =>
      api.invoke('calendar.freeSlots', {
        from: start,
        to: end,
        durationMinutes: duration,
        timezone: zone,
        count: 5,
      });
    void (async () => {
      const now = Date.now();
      const start = new Date(Math.max(Date.parse(from), now)).toISOString();
      let result = Date.parse(to) > now ? await ask(start, to) : null;
      let range: Found['range'] = 'asked';
      if (!result || (result.ok && result.value.slots.length === 0)) {
        range = 'next';
        result = await ask(
          new Date(now).toISOString(),
          new Date(now + FALLBACK_DAYS * 86_400_000).toISOString(),
        );
      }
      if (!live) return;
      setLoading(false);
      if (result.ok) {
        setFound({ range, result: result.value });
        setError(null);
      } else setError(result.error.message);
    })();
    return () => {
      live = false;
    };
  }, [api, from, to, zone, duration]);

  const format = (iso: string, withDay: boolean) => {
    const at = DateTime.fromISO(iso, { zone });
    return at.toLocaleString({
      ...(withDay ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
      ...(withDay && at.year !== DateTime.now().setZone(zone).year ? { year: 'numeric' } : {}),
      hour: 'numeric',
      minute: '2-digit',
    });
  };

  return (
    <div className="free-finder" aria-busy={loading || undefined}>
      <label className="free-duration" htmlFor={`${uid}-duration`}>
        <span>Length</span>
        <select
          id={`${uid}-duration`}
          value={duration}
          onChange={(event) => {
            setLoading(true);
            setDuration(Number(event.target.value));
          }}
        >
          {DURATIONS.map((minutes) => (
            <option key={minutes} value={minutes}>
              {minutes < 60 ? `${minutes} min` : `${minutes / 60} h`}
            </option>
          ))}
        </select>
      </label>
      {error ? (
        <p className="inline-error" role="alert">
          Could not look for free slots: {error}
        </p>
      ) : loading && !found ? (
        <p className="muted">Looking…</p>
      ) : found ? (
        <>
          <p className="muted small" role="status">
            {found.result.slots.length === 0
              ? `No free ${duration}-minute slot in working hours in the next ${FALLBACK_DAYS} days.`
              : found.range === 'next'
                ? `None in the range shown; the next ${FALLBACK_DAYS} days have these:`
                : 'In working hours, clear of busy blocks, where the least is planned:'}
          </p>
          <ul className="free-list" aria-label="Free slots">
            {found.result.slots.map((slot) => (
              <li key={slot.start} data-testid="free-slot" data-start={slot.start}>
                <span>
                  {format(slot.start, true)}–{format(slot.end, false)}
                  <span className="muted small">
                    {slot.load === 0 ? ' · nothing planned' : ` · ${slot.load} planned`}
                  </span>
                </span>
                <button
                  type="button"
                  className="button small"
                  aria-label={`${pickLabel} ${format(slot.start, true)}`}
                  onClick={() => onPick(slot)}
                >
                  {pickLabel}
                </button>
              </li>
            ))}
          </ul>
          {found.result.notCounted.length ? (
            <p className="note small">
              The load of {found.result.notCounted.length} schedules was not counted (planning stopped early).
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
