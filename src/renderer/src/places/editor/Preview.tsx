/**
 * The next 10 runs, as the engine's planner computes them (`schedules.preview`: preview is the
 * truth), in the schedule's zone and, when it differs, the viewer's. DST notes are sentences. The
 * call waits for a pause in typing (deferred value + debounce), so typing never waits for it.
 */
import { DateTime, FixedOffsetZone } from 'luxon';
import { useDeferredValue, useEffect, useState } from 'react';
import type { Occurrence } from '../../../../shared/api';
import { isTimeZone, Trigger } from '../../../../shared/domain';
import { viewerZone } from '../../lib/time';
import { useStores } from '../../stores';
import type { ScheduleInput } from '../../../../shared/domain';

export const PREVIEW_COUNT = 10;
const DEBOUNCE_MS = 250;

type Answer = { key: string; occurrences: Occurrence[] } | { key: string; error: string };

/** A date and time in `zone`, with the year whenever it is not this year. */
export function formatWhen(iso: string, zone: string, seconds: boolean): string {
  const time = DateTime.fromISO(iso, { zone });
  return time.toLocaleString({
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(time.year !== DateTime.now().setZone(zone).year ? { year: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  });
}

/** The DST note as a sentence: what time it runs, and why. */
export function dstSentence(occurrence: Occurrence, zone: string): string | null {
  if (!occurrence.note) return null;
  const at = DateTime.fromISO(occurrence.at, { zone });
  const runs = at.toLocaleString(DateTime.TIME_SIMPLE);
  if (occurrence.note === 'dst-shifted') {
    // The wall time asked for, read in the offset that held before the clocks jumped.
    const before = DateTime.fromMillis(at.toMillis() - 3 * 3_600_000, { zone }).offset;
    const wall = at.setZone(FixedOffsetZone.instance(before)).toLocaleString(DateTime.TIME_SIMPLE);
    return `Runs at ${runs}: ${wall} does not exist that night (the clocks jump forward).`;
  }
  return `Runs once at ${runs}, the first time: that hour happens twice that night (the clocks go back).`;
}

export function Preview({ trigger }: { trigger: ScheduleInput['trigger'] }) {
  const { api } = useStores();
  const valid = Trigger.safeParse(trigger).success;
  const key = valid ? JSON.stringify(trigger) : null;
  const deferredKey = useDeferredValue(key);
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    if (deferredKey === null) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await api.invoke('schedules.preview', {
        trigger: JSON.parse(deferredKey) as ScheduleInput['trigger'],
        count: PREVIEW_COUNT,
      });
      if (cancelled) return;
      setAnswer(
        result.ok
          ? { key: deferredKey, occurrences: result.value.occurrences }
          : { key: deferredKey, error: result.error.message },
      );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, deferredKey]);

  const zone = trigger.timezone !== undefined && isTimeZone(trigger.timezone) ? trigger.timezone : 'UTC';
  const viewer = viewerZone();
  const seconds =
    trigger.type === 'interval'
      ? trigger.everySeconds % 60 !== 0
      : trigger.type === 'cron' && trigger.expression.trim().split(/\s+/).length === 6;
  const shown = answer && answer.key === key ? answer : null;
  const stale = key !== null && !shown;

  return (
    <section className="editor-preview" aria-labelledby="editor-preview-title" aria-busy={stale || undefined}>
      <h4 id="editor-preview-title" className="editor-subtitle">
        Next runs
        {zone !== viewer ? (
          <span className="muted">
            {' '}
            · {zone} <span aria-hidden="true">/</span> your time ({viewer})
          </span>
        ) : null}
      </h4>
      {key === null ? (
        <p className="muted">The next runs appear once the schedule is complete.</p>
      ) : shown && 'error' in shown ? (
        <p className="muted">No preview: {shown.error}</p>
      ) : shown && shown.occurrences.length === 0 ? (
        <p className="muted" data-testid="preview-none">
          No runs ahead.
        </p>
      ) : shown ? (
        <ol className="editor-preview-list" data-testid="preview-list">
          {shown.occurrences.map((occurrence) => {
            const note = dstSentence(occurrence, zone);
            return (
              <li key={occurrence.at} data-at={occurrence.at}>
                <time dateTime={occurrence.at}>{formatWhen(occurrence.at, zone, seconds)}</time>
                {zone !== viewer ? (
                  <span className="muted"> · {formatWhen(occurrence.at, viewer, seconds)}</span>
                ) : null}
                {note ? <span className="editor-preview-note">{note}</span> : null}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="muted">Planning…</p>
      )}
    </section>
  );
}
