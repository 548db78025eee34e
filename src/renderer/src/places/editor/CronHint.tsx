/**
 * Under the cron field: the pattern in words (cronstrue) and, once it is valid, the next runs as
 * the engine's own planner computes them (`schedules.preview`: preview is the truth).
 */
import { useEffect, useState } from 'react';
import type { Occurrence } from '../../../../shared/api';
import { Trigger } from '../../../../shared/domain';
import { describeCron, hasSeconds } from '../../lib/describe';
import { formatInstant, viewerZone, zoneLabel } from '../../lib/time';
import { useStores } from '../../stores';

const PREVIEW_COUNT = 3;
const DEBOUNCE_MS = 250;

type Preview = { key: string; occurrences: Occurrence[] } | { key: string; error: string };

const NOTES: Record<NonNullable<Occurrence['note']>, string> = {
  'dst-shifted': 'moved by a DST gap',
  'dst-repeated': 'DST repeats this hour',
};

interface CronHintProps {
  id: string;
  expression: string;
  timezone: string;
  /** The field already shows an error; skip the "not complete yet" nudge. */
  quiet?: boolean;
}

export function CronHint({ id, expression, timezone, quiet = false }: CronHintProps) {
  const { api } = useStores();
  const [preview, setPreview] = useState<Preview | null>(null);

  const words = describeCron(expression);
  const trigger = { type: 'cron' as const, expression: expression.trim(), timezone: timezone.trim() };
  const valid = words !== null && Trigger.safeParse(trigger).success;
  const key = valid ? `${trigger.expression}\u0000${trigger.timezone}` : null;

  useEffect(() => {
    if (key === null) return;
    const [expr = '', zone = ''] = key.split('\u0000');
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await api.invoke('schedules.preview', {
        trigger: { type: 'cron', expression: expr, timezone: zone },
        count: PREVIEW_COUNT,
      });
      if (cancelled) return;
      setPreview(
        result.ok ? { key, occurrences: result.value.occurrences } : { key, error: result.error.message },
      );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key]);

  const viewer = viewerZone();
  const shown = preview && preview.key === key ? preview : null;
  const seconds = hasSeconds(expression);

  return (
    <div id={id} className="cron-hint">
      {expression.trim() === '' ? (
        <p className="muted">5 fields (minute hour day month weekday), or 6 with seconds first.</p>
      ) : words === null ? (
        quiet ? null : (
          <p className="muted">Not a complete cron expression yet.</p>
        )
      ) : (
        <p className="cron-words">{words}</p>
      )}
      {shown && 'occurrences' in shown ? (
        <div className="next-runs">
          <span className="next-runs-label">Next runs</span>
          <ol aria-label="Next runs">
            {shown.occurrences.map((occurrence) => (
              <li key={occurrence.at}>
                <time dateTime={occurrence.at}>
                  {formatInstant(occurrence.at, { seconds, weekday: true })}
                </time>
                {trigger.timezone !== viewer ? (
                  <span className="muted">
                    {' '}
                    · {formatInstant(occurrence.at, { seconds, zone: trigger.timezone })}{' '}
                    {zoneLabel(occurrence.at, trigger.timezone)}
                  </span>
                ) : null}
                {occurrence.note ? <span className="note"> {NOTES[occurrence.note]}</span> : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {shown && 'error' in shown ? <p className="muted">Preview unavailable: {shown.error}</p> : null}
    </div>
  );
}
