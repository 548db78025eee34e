/**
 * Counting a trigger's occurrences in many short spans of one bounded range (the calendar's slots),
 * by arithmetic instead of one croner call per span. A cron pattern's times of day do not depend on
 * the date, so where a zone's offset is constant a span's count is (matching dates) × (matching times
 * of day in the span's wall-clock interval). Croner is asked only which dates match, once per date
 * part of an expression and range, and a DST change is handled by splitting spans at it. Near a change
 * that moves or drops a fixed time (DESIGN.md §4.3), the planner itself is asked (`countBetween`,
 * `nextOccurrence`): arithmetic is used only where it is provably the planner's answer.
 */
import { IANAZone } from 'luxon';
import type { Trigger } from '../../shared/domain';
import { countBetween, timesOfDay, type TimesOfDay } from './count';
import { cronFor, localToInstant, nextOccurrence } from './planner';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Offsets are sampled this often to find changes: no zone changes its offset twice within a day. */
const SAMPLE_STEP = DAY;

export interface SpanCounter {
  /** How many occurrences fall in [from, to). */
  count(from: number, to: number): number;
  /** The first occurrence in [from, to), or null. */
  first(from: number, to: number): number | null;
}

interface Transition {
  at: number;
  /** Offsets in milliseconds, before and from `at`. */
  before: number;
  after: number;
}

/** A zone's offset changes over the context's range, found once and shared by every trigger in that zone. */
class ZoneOffsets {
  readonly transitions: Transition[] = [];
  private readonly first: number;

  constructor(zone: string, from: number, to: number) {
    const iana = IANAZone.create(zone);
    const offsetAt = (ms: number) => iana.offset(ms) * MINUTE;
    this.first = offsetAt(from);
    if (iana.isUniversal) return;
    let previous = this.first;
    for (let t = from; t < to; t += SAMPLE_STEP) {
      const u = Math.min(t + SAMPLE_STEP, to);
      const next = offsetAt(u);
      if (next === previous) continue;
      let lo = t;
      let hi = u;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === previous) lo = mid;
        else hi = mid;
      }
      this.transitions.push({ at: hi, before: previous, after: next });
      previous = next;
    }
  }

  /** The offset at `at` (within the range). */
  at(at: number): number {
    let offset = this.first;
    for (const change of this.transitions) {
      if (at < change.at) break;
      offset = change.after;
    }
    return offset;
  }
}

/** Nicknames as croner expands them, for the date part of an expression. */
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * SUN',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Day-of-month, month and day-of-week fields: what decides whether a date matches. */
function datePartOf(expression: string): string {
  const text = expression.trim();
  const expanded = NICKNAMES[text.toLowerCase()] ?? text;
  return expanded.split(/\s+/).slice(-3).join(' ');
}

interface ParsedCron {
  times: TimesOfDay;
  /** croner's fixed-time rule (no wildcard or step in second, minute, hour): how DST moves it. */
  fixed: boolean;
  datePart: string;
  everyDay: boolean;
}

const parsed = new Map<string, ParsedCron>();

function parse(expression: string): ParsedCron {
  let entry = parsed.get(expression);
  if (!entry) {
    const times = timesOfDay(expression);
    const { pattern } = times;
    entry = {
      times,
      fixed: pattern.isFixedTime,
      datePart: datePartOf(expression),
      // `*` in both day fields and every month: no date can fail, so croner need not be asked
      everyDay: pattern.starDOM && pattern.starDOW && pattern.month.every((value) => value === 1),
    };
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(expression, entry);
  }
  return entry;
}

/**
 * Which dates a date part matches, as day numbers (days since 1970-01-01, a local date in any zone),
 * found by walking croner in UTC (no DST there): one call per matching date.
 */
class DateMatcher {
  private readonly matching = new Set<number>();
  private readonly cron;

  constructor(
    datePart: string,
    private readonly firstDay: number,
    private readonly lastDay: number,
  ) {
    this.cron = cronFor(`0 0 0 ${datePart}`, 'UTC');
    let cursor = firstDay * DAY - 1;
    for (;;) {
      const next = this.cron.nextRun(new Date(cursor))?.getTime();
      if (next === undefined || next >= (lastDay + 1) * DAY) break;
      const day = Math.floor(next / DAY);
      this.matching.add(day);
      cursor = (day + 1) * DAY - 1;
    }
  }

  matches(day: number): boolean {
    if (day >= this.firstDay && day <= this.lastDay) return this.matching.has(day);
    const next = this.cron.nextRun(new Date(day * DAY - 1))?.getTime();
    return next !== undefined && next < (day + 1) * DAY;
  }
}

/** Zone offsets and matching dates are facts of the calendar: kept across planning passes, bounded. */
const zoneCache = new Map<string, ZoneOffsets>();
const dateCache = new Map<string, DateMatcher>();
const instantCache = new Map<string, number>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= 1000) cache.clear();
    cache.set(key, (value = make()));
  }
  return value;
}

/**
 * What the counters of one planning pass share: zone offsets and matching dates over the range
 * [from, to) (widened to whole days), each computed once however many triggers use them.
 */
export class CountingContext {
  readonly from: number;
  readonly to: number;
  private readonly firstDay: number;
  private readonly lastDay: number;

  constructor(from: number, to: number) {
    this.firstDay = Math.floor(from / DAY) - 2;
    this.lastDay = Math.floor(to / DAY) + 2;
    // spans within a day of the range can be counted: offsets and dates are known there
    this.from = (this.firstDay + 1) * DAY;
    this.to = this.lastDay * DAY;
  }

  zone(zone: string): ZoneOffsets {
    return cached(zoneCache, `${zone}|${this.firstDay}|${this.lastDay}`, () => {
      return new ZoneOffsets(zone, this.firstDay * DAY, (this.lastDay + 1) * DAY);
    });
  }

  dateMatcher(datePart: string): DateMatcher {
    return cached(dateCache, `${datePart}|${this.firstDay}|${this.lastDay}`, () => {
      return new DateMatcher(datePart, this.firstDay, this.lastDay);
    });
  }
}

/** The instants a trigger's startAt and endAt allow, as [from, to). */
function allowedSpan(trigger: Trigger): [number, number] {
  const startAt = trigger.startAt ? Date.parse(trigger.startAt) : -Infinity;
  const endAt = trigger.endAt ? Date.parse(trigger.endAt) + 1 : Infinity;
  return [startAt, endAt];
}

export function spanCounter(trigger: Trigger, createdAt: number, context: CountingContext): SpanCounter {
  const [allowedFrom, allowedTo] = allowedSpan(trigger);
  switch (trigger.type) {
    case 'once': {
      const at = cached(instantCache, `${trigger.timezone}|${trigger.at}`, () =>
        localToInstant(trigger.at, trigger.timezone),
      );
      const valid = at >= allowedFrom && at < allowedTo;
      const inside = (from: number, to: number) => valid && at >= from && at < to;
      return {
        count: (from, to) => (inside(from, to) ? 1 : 0),
        first: (from, to) => (inside(from, to) ? at : null),
      };
    }
    case 'interval': {
      const anchor = trigger.startAt ? Date.parse(trigger.startAt) : createdAt;
      const every = trigger.everySeconds * 1000;
      /** Indexes k of anchor + k·every in [from, to), as [k0, k1). */
      const indexes = (from: number, to: number): [number, number] => {
        const lo = Math.max(from, anchor);
        const hi = Math.min(to, allowedTo);
        if (lo >= hi) return [0, 0];
        return [Math.ceil((lo - anchor) / every), Math.ceil((hi - anchor) / every)];
      };
      return {
        count(from, to) {
          const [k0, k1] = indexes(from, to);
          return Math.max(0, k1 - k0);
        },
        first(from, to) {
          const [k0, k1] = indexes(from, to);
          return k1 > k0 ? anchor + k0 * every : null;
        },
      };
    }
    case 'cron':
      return cronCounter(trigger, createdAt, context, allowedFrom, allowedTo);
  }
}

function cronCounter(
  trigger: Extract<Trigger, { type: 'cron' }>,
  createdAt: number,
  context: CountingContext,
  allowedFrom: number,
  allowedTo: number,
): SpanCounter {
  const cron = parse(trigger.expression);
  const offsets = context.zone(trigger.timezone);
  const dates = cron.everyDay ? null : context.dateMatcher(cron.datePart);
  const matches = (day: number) => dates === null || dates.matches(day);

  /** Matching times in the wall-clock interval [wallFrom, wallTo) (local time as if it were UTC), across dates. */
  const wallCount = (wallFrom: number, wallTo: number): number => {
    const day = Math.floor(wallFrom / DAY);
    if (wallTo <= (day + 1) * DAY) {
      // within one date, as a slot mostly is
      if (!matches(day)) return 0;
      const base = day * DAY;
      return cron.times.between(Math.ceil((wallFrom - base) / 1000), Math.ceil((wallTo - base) / 1000));
    }
    let n = 0;
    for (let day = Math.floor(wallFrom / DAY); day * DAY < wallTo; day++) {
      if (!matches(day)) continue;
      const base = day * DAY;
      const from = Math.max(wallFrom, base) - base;
      const to = Math.min(wallTo, base + DAY) - base;
      n += cron.times.between(Math.ceil(from / 1000), Math.ceil(to / 1000));
    }
    return n;
  };
  const wallFirst = (wallFrom: number, wallTo: number): number | null => {
    for (let day = Math.floor(wallFrom / DAY); day * DAY < wallTo; day++) {
      if (!matches(day)) continue;
      const base = day * DAY;
      const second = cron.times.firstAtOrAfter(Math.ceil((Math.max(wallFrom, base) - base) / 1000));
      if (second !== null && base + second * 1000 < wallTo) return base + second * 1000;
    }
    return null;
  };

  // Where the planner is asked instead: outside the context (offsets and dates unknown), and where a DST
  // change moves a fixed time (a gap) or runs it only once (an overlap) and the pattern has a time on the
  // wall-clock stretch the change affects. Sorted, and few: two ends and a change or two.
  const planned: [number, number][] = [[-Infinity, context.from]];
  if (cron.fixed) {
    for (const change of offsets.transitions) {
      const shift = Math.abs(change.after - change.before);
      const wallFrom = change.at + Math.min(change.before, change.after);
      if (wallCount(wallFrom, wallFrom + shift + 1000) > 0) {
        planned.push([change.at - shift - 1000, change.at + shift + 1000]);
      }
    }
  }
  planned.push([context.to, Infinity]);

  /** [from, to) holds no offset change of the zone. */
  const plainCount = (from: number, to: number): number => {
    let n = 0;
    let start = from;
    let offset = offsets.at(from);
    for (const change of offsets.transitions) {
      if (change.at <= start) continue;
      if (change.at >= to) break;
      n += wallCount(start + offset, change.at + offset);
      start = change.at;
      offset = change.after;
    }
    return n + wallCount(start + offset, to + offset);
  };
  const plainFirst = (from: number, to: number): number | null => {
    let start = from;
    let offset = offsets.at(from);
    for (const change of offsets.transitions) {
      if (change.at <= start) continue;
      if (change.at >= to) break;
      const wall = wallFirst(start + offset, change.at + offset);
      if (wall !== null) return wall - offset;
      start = change.at;
      offset = change.after;
    }
    const wall = wallFirst(start + offset, to + offset);
    return wall === null ? null : wall - offset;
  };
  const plannerFirst = (from: number, to: number): number | null => {
    const next = nextOccurrence(trigger, from - 1, createdAt);
    return next !== null && next < to ? next : null;
  };

  // The common case, kept short (it runs once per slot): no offset change and nothing for the planner
  // within the context, so a span is one wall-clock interval at one offset.
  const steady = offsets.transitions.length === 0 && planned.length === 2 ? offsets.at(context.from) : null;

  return {
    count(from, to) {
      const lo = Math.max(from, allowedFrom);
      const hi = Math.min(to, allowedTo);
      if (steady !== null && lo >= context.from && hi <= context.to) {
        return lo < hi ? wallCount(lo + steady, hi + steady) : 0;
      }
      let n = 0;
      let cursor = lo;
      for (const [start, end] of planned) {
        if (cursor >= hi) break;
        if (end <= cursor) continue;
        const stop = Math.min(start, hi);
        if (stop > cursor) n += plainCount(cursor, stop);
        cursor = Math.max(cursor, start);
        const until = Math.min(end, hi);
        if (until > cursor) n += countBetween(trigger, cursor - 1, until - 1, createdAt);
        cursor = Math.max(cursor, until);
      }
      return n;
    },
    first(from, to) {
      const lo = Math.max(from, allowedFrom);
      const hi = Math.min(to, allowedTo);
      if (steady !== null && lo >= context.from && hi <= context.to) {
        const wall = lo < hi ? wallFirst(lo + steady, hi + steady) : null;
        return wall === null ? null : wall - steady;
      }
      let cursor = lo;
      for (const [start, end] of planned) {
        if (cursor >= hi) break;
        if (end <= cursor) continue;
        const stop = Math.min(start, hi);
        const plain = stop > cursor ? plainFirst(cursor, stop) : null;
        if (plain !== null) return plain;
        cursor = Math.max(cursor, start);
        const until = Math.min(end, hi);
        const exact = until > cursor ? plannerFirst(cursor, until) : null;
        if (exact !== null) return exact;
        cursor = Math.max(cursor, until);
      }
      return null;
    },
  };
}
