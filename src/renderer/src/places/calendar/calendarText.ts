/** Small pieces the calendar's parts share: labels, clock helpers and how past runs are toned. */
import { DateTime, Interval } from 'luxon';
import { useEffect, useState } from 'react';
import type { CalendarSlot } from '../../../../shared/api';
import type { RunStatus } from '../../../../shared/domain';
import type { CalendarRange } from '../../stores/calendar';

/** The clock to the minute: enough for the "now" line, without re-rendering every cell each second. */
export function useMinuteNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function slotLabel(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} min`;
}

export function rangeTitle(range: CalendarRange, zone: string, view: 'week' | 'day'): string {
  const first = DateTime.fromISO(range.days[0]!, { zone });
  if (view === 'day')
    return first.toLocaleString({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const last = DateTime.fromISO(range.days[range.days.length - 1]!, { zone });
  return Interval.fromDateTimes(first, last.endOf('day')).toLocaleString({
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
}

export function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Past runs in three tones: succeeded, failed (timed out and interrupted too), and the rest. */
export const FAILED: readonly RunStatus[] = ['failed', 'timed-out', 'interrupted'];
export function pastTones(past: CalendarSlot['past']): { ok: number; failed: number; other: number } {
  let ok = 0;
  let failed = 0;
  let other = 0;
  for (const [status, count] of Object.entries(past) as [RunStatus, number][]) {
    if (status === 'succeeded') ok += count;
    else if (FAILED.includes(status)) failed += count;
    else other += count;
  }
  return { ok, failed, other };
}

export function describePast(past: CalendarSlot['past']): string {
  return Object.entries(past)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

/** A date and time for a sentence: the year only when it is not this year. */
export function formatWhen(iso: string, zone: string): string {
  const at = DateTime.fromISO(iso, { zone });
  const thisYear = at.year === DateTime.now().setZone(zone).year;
  return at.toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(thisYear ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
  });
}
