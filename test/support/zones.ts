/** Zone helpers shared by the planner and counting tests: offset changes and local dates, to the millisecond. */
import { DateTime } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The DST matrix of the engine issue: both hemispheres, a 30-minute shift, a change at midnight, and no DST. */
export const NEW_YORK = 'America/New_York';
export const LONDON = 'Europe/London';
export const LORD_HOWE = 'Australia/Lord_Howe';
export const SANTIAGO = 'America/Santiago';
export const KOLKATA = 'Asia/Kolkata';
export const DST_ZONES = [NEW_YORK, LONDON, LORD_HOWE, SANTIAGO];

export const offsetAt = (ms: number, zone: string): number => DateTime.fromMillis(ms, { zone }).offset;

/** Every offset change in a zone between two instants, to the millisecond. */
export function transitions(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  const step = 6 * HOUR;
  for (let t = from; t < to; t += step) {
    const before = offsetAt(t, zone);
    if (offsetAt(t + step, zone) === before) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid, zone) === before) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

/** [start, end) of a local calendar date, as instants (a date may start after midnight when a gap eats it). */
export function localDay(zone: string, date: string): [number, number] {
  const next = DateTime.fromISO(date, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
  return [startOfDate(zone, date), startOfDate(zone, next)];
}

/**
 * The earliest instant whose local date is `date`. Not luxon's startOf('day') alone: it resolves an ambiguous
 * midnight (America/Havana 2026-11-01 repeats 00:00–00:59) to the later instance.
 */
export function startOfDate(zone: string, date: string): number {
  let hi = DateTime.fromISO(date, { zone }).startOf('day').toMillis();
  let lo = hi - 3 * HOUR;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (DateTime.fromMillis(mid, { zone }).toISODate()! >= date) hi = mid;
    else lo = mid;
  }
  return hi;
}
