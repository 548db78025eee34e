/**
 * Counting occurrences without enumerating them one by one: a minutely job off for a month must
 * not cost 43,200 croner calls (~40 µs each). In cron, the times of day a pattern matches do not
 * depend on the day, so while the zone's offset does not change the count between two times of day
 * is arithmetic over the second/minute/hour fields; croner is asked only for the next matching day.
 * A day with a DST change is split at the change and each side counted the same way.
 */
import { CronPattern } from 'croner';
import { DateTime, IANAZone } from 'luxon';
import type { Trigger } from '../../shared/domain';
import { localToInstant, nextOccurrence } from './planner';

interface TimeOfDayTable {
  /** prefix[i] = how many allowed values are < i */
  seconds: Int32Array;
  minutes: Int32Array;
  hours: Int32Array;
  s: Uint8Array;
  m: Uint8Array;
  h: Uint8Array;
}

const tables = new Map<string, TimeOfDayTable>();

function prefix(values: readonly number[]): Int32Array {
  const out = new Int32Array(values.length + 1);
  for (let i = 0; i < values.length; i++) out[i + 1] = out[i]! + (values[i] ? 1 : 0);
  return out;
}

function tableFor(expression: string): TimeOfDayTable {
  let table = tables.get(expression);
  if (!table) {
    const pattern = new CronPattern(expression, undefined, { mode: '5-or-6-parts' });
    table = {
      seconds: prefix(pattern.second),
      minutes: prefix(pattern.minute),
      hours: prefix(pattern.hour),
      s: Uint8Array.from(pattern.second),
      m: Uint8Array.from(pattern.minute),
      h: Uint8Array.from(pattern.hour),
    };
    if (tables.size > 10_000) tables.clear();
    tables.set(expression, table);
  }
  return table;
}

/** How many matching times of day are ≤ h:m:s. */
function atOrBefore(t: TimeOfDayTable, h: number, m: number, s: number): number {
  const perMinute = t.seconds[60]!;
  const perHour = t.minutes[60]! * perMinute;
  let n = t.hours[h]! * perHour;
  if (t.h[h]) {
    n += t.minutes[m]! * perMinute;
    if (t.m[m]) n += t.seconds[s + 1]!;
  }
  return n;
}

/**
 * How many occurrences fall in (after, until]. Exact; cost is about one croner call per matching
 * day (two on a DST-change day), not one per occurrence.
 */
export function countBetween(trigger: Trigger, after: number, until: number, createdAt: number): number {
  if (until <= after) return 0;
  const endAt = trigger.endAt ? Date.parse(trigger.endAt) : null;
  const last = endAt !== null ? Math.min(until, endAt) : until;
  switch (trigger.type) {
    case 'once': {
      const at = localToInstant(trigger.at, trigger.timezone);
      const first = nextOccurrence(trigger, after, createdAt);
      return first !== null && first === at && at <= last ? 1 : 0;
    }
    case 'interval': {
      const first = nextOccurrence(trigger, after, createdAt);
      if (first === null || first > last) return 0;
      return Math.floor((last - first) / (trigger.everySeconds * 1000)) + 1;
    }
    case 'cron':
      return countCron(trigger, after, last, createdAt);
  }
}

function countCron(
  trigger: Extract<Trigger, { type: 'cron' }>,
  after: number,
  until: number,
  createdAt: number,
): number {
  const zone = trigger.timezone;
  const table = tableFor(trigger.expression);
  const ianaZone = IANAZone.create(zone);
  const offsetAt = (ms: number) => ianaZone.offset(ms);
  let count = 0;
  let cursor = after;
  for (;;) {
    const next = nextOccurrence(trigger, cursor, createdAt);
    if (next === null || next > until) return count;
    const local = DateTime.fromMillis(next, { zone });
    const dayEnd = nextLocalDate(next, local, zone, offsetAt);
    // A segment from `next` on which the offset does not change: the rest of its day, or up to the day's
    // DST change. On it the local clock runs without a jump, so each matching time of day after `next`'s is
    // one occurrence (a fixed time never lands in the repeated hour; a wildcard one runs there, once each).
    let stop = Math.min(until, dayEnd - 1);
    if (offsetAt(stop) !== local.offset) stop = lastWithOffset(next, stop, local.offset, offsetAt);
    const end = DateTime.fromMillis(stop, { zone });
    // `next` itself is one occurrence, even when a gap moved it off the pattern (then the moved times of day
    // are all before its own and are not counted again)
    count +=
      atOrBefore(table, end.hour, end.minute, end.second) -
      atOrBefore(table, local.hour, local.minute, local.second) +
      1;
    if (stop === until) return count;
    cursor = stop;
  }
}

/**
 * The first instant of the local date after `local`'s. On a day without an offset change that is
 * arithmetic (checked: the offset just before and at it is `local`'s); otherwise it is asked of luxon,
 * and not as startOf('day') + 1 day, which overshoots when a gap opens at midnight (America/Santiago
 * 2026-09-06 starts at 01:00) and may take the later instance of a repeated midnight (America/Havana
 * 2026-11-01).
 */
function nextLocalDate(at: number, local: DateTime, zone: string, offsetAt: (ms: number) => number): number {
  const intoDay = ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
  const midnight = at - intoDay + 86_400_000;
  if (offsetAt(midnight) === local.offset && offsetAt(midnight - 1) === local.offset) return midnight;
  const nextDate = DateTime.fromISO(local.toISODate()!, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
  return localToInstant(`${nextDate}T00:00`, zone);
}

/** The last instant in [from, to) still at `offset`, given that `from` has it and `to` does not (bisection). */
function lastWithOffset(from: number, to: number, offset: number, offsetAt: (ms: number) => number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === offset) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The times of day a cron expression matches, as seconds of the day, for callers that do their own
 * day and offset arithmetic (the calendar counts each slot this way), with the parsed pattern.
 */
export interface TimesOfDay {
  /** Parsed with the planner's options (its fixed-time rule decides how DST moves a time). */
  pattern: CronPattern;
  /** How many matching seconds of the day are in [fromSecond, toSecond), both within 0–86,400. */
  between(fromSecond: number, toSecond: number): number;
  /** The first matching second of the day at or after `second`, or null when none is left that day. */
  firstAtOrAfter(second: number): number | null;
}

export function timesOfDay(expression: string): TimesOfDay {
  const pattern = new CronPattern(expression, undefined, {
    mode: '5-or-6-parts',
    fixedTimeRule: 'no-wildcard',
  });
  const table: TimeOfDayTable = {
    seconds: prefix(pattern.second),
    minutes: prefix(pattern.minute),
    hours: prefix(pattern.hour),
    s: Uint8Array.from(pattern.second),
    m: Uint8Array.from(pattern.minute),
    h: Uint8Array.from(pattern.hour),
  };
  const upTo = (second: number): number =>
    second < 0 ? 0 : atOrBefore(table, Math.floor(second / 3600), Math.floor(second / 60) % 60, second % 60);
  return {
    pattern,
    between: (fromSecond, toSecond) =>
      toSecond <= fromSecond ? 0 : upTo(toSecond - 1) - upTo(fromSecond - 1),
    firstAtOrAfter(second) {
      const h0 = Math.floor(second / 3600);
      const m0 = Math.floor(second / 60) % 60;
      const s0 = second % 60;
      for (let h = h0; h < 24; h++) {
        if (!table.h[h]) continue;
        for (let m = h === h0 ? m0 : 0; m < 60; m++) {
          if (!table.m[m]) continue;
          for (let s = h === h0 && m === m0 ? s0 : 0; s < 60; s++) {
            if (table.s[s]) return (h * 60 + m) * 60 + s;
          }
        }
      }
      return null;
    },
  };
}
