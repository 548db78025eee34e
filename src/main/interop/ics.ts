/**
 * `calendar.ics` (issue 15 §4): the planned occurrences of a range as an iCalendar file, built with
 * ical.js components (never by string concatenation). Occurrences come from the planner's
 * `nextOccurrence`, walked as the calendar grid walks them (from the schedule's next claim, within
 * maxRuns), merged earliest first across schedules and capped at `ICS_MAX_EVENTS`.
 *
 * Each event is written in its schedule's zone, with a VTIMEZONE per zone generated from the same
 * zone data the planner uses (luxon), listing the offset in force at the start and every change in
 * the range. A wall time that occurs twice (the repeated hour of a DST overlap) is read as one
 * instance or the other depending on the reader, so both of its occurrences are written in UTC.
 */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import type { CalendarIcs } from '../../shared/api';
import { countBetween } from '../engine/count';
import { MinHeap } from '../engine/heap';
import { nextOccurrence } from '../engine/planner';
import type { ScheduleRecord } from '../store';

export const ICS_MAX_EVENTS = 5000;
const HOUR = 3_600_000;
const PRODID = '-//Almanac//Almanac planned runs//EN';

type Planned = Pick<
  ScheduleRecord,
  'id' | 'name' | 'trigger' | 'action' | 'createdAt' | 'nextAt' | 'firedCount'
>;

export interface IcsOccurrence {
  schedule: Planned;
  at: number;
}

/**
 * Occurrences at or after `max(from, now)` and before `to`, earliest first, at most `limit`, and
 * whether more were left out. Work is `limit + schedules` planner calls, however dense a schedule.
 */
export function plannedOccurrences(
  schedules: readonly Planned[],
  from: number,
  to: number,
  now: number,
  limit: number,
): { occurrences: IcsOccurrence[]; more: boolean } {
  const begin = Math.max(from, now);
  const heap = new MinHeap<{ at: number; index: number; left: number }>(
    (a, b) => a.at - b.at || a.index - b.index,
  );
  schedules.forEach((schedule, index) => {
    const left = (schedule.trigger.maxRuns ?? Infinity) - schedule.firedCount;
    if (schedule.nextAt === null || left <= 0) return;
    const first =
      schedule.nextAt >= begin
        ? schedule.nextAt
        : nextOccurrence(schedule.trigger, begin - 1, schedule.createdAt);
    if (first !== null && first < to) heap.push({ at: first, index, left });
  });
  const occurrences: IcsOccurrence[] = [];
  while (heap.size) {
    const top = heap.pop()!;
    if (occurrences.length === limit) return { occurrences, more: true };
    const schedule = schedules[top.index]!;
    occurrences.push({ schedule, at: top.at });
    if (top.left <= 1) continue;
    const next = nextOccurrence(schedule.trigger, top.at, schedule.createdAt);
    if (next !== null && next < to) heap.push({ at: next, index: top.index, left: top.left - 1 });
  }
  return { occurrences, more: false };
}

const offsetAt = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).offset;

/** Instants in (from, to] where the zone's offset changes, to the millisecond. */
export function offsetChanges(zone: string, from: number, to: number): number[] {
  const changes: number[] = [];
  const step = 6 * HOUR;
  for (let at = from; at < to; at += step) {
    const end = Math.min(at + step, to);
    if (offsetAt(at, zone) === offsetAt(end, zone)) continue;
    let lo = at;
    let hi = end;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid, zone) === offsetAt(lo, zone)) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
  }
  return changes;
}

const wallTime = (local: DateTime) =>
  ICAL.Time.fromData({
    year: local.year,
    month: local.month,
    day: local.day,
    hour: local.hour,
    minute: local.minute,
    second: local.second,
    isDate: false,
  });

/** CET, EDT, BST … where a locale knows one; else the offset as GMT+5:30. */
function abbreviation(local: DateTime): string {
  const names = ['en-US', 'en-GB'].map((locale) => local.setLocale(locale).offsetNameShort ?? '');
  return names.find((name) => name && !/^GMT[+-]/.test(name)) ?? names[0] ?? local.toFormat('ZZ');
}

/** One observance: from `at` on, the zone is at `offset`, coming `from` the previous one. */
function observance(zone: string, at: number, fromMinutes: number): ICAL.Component {
  const local = DateTime.fromMillis(at, { zone });
  const component = new ICAL.Component(local.isInDST ? 'daylight' : 'standard');
  // RFC 5545: an onset is the local time in the offset before it.
  component.addPropertyWithValue(
    'dtstart',
    wallTime(DateTime.fromMillis(at, { zone: 'utc' }).plus({ minutes: fromMinutes })),
  );
  component.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(fromMinutes * 60));
  component.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(local.offset * 60));
  component.addPropertyWithValue('tzname', abbreviation(local));
  return component;
}

/**
 * A VTIMEZONE for `zone` that is exact from `from` to `to`, and the spans of instants whose wall
 * time occurs twice there (either side of each change that turns the clock back).
 */
export function vtimezone(
  zone: string,
  from: number,
  to: number,
): { component: ICAL.Component; repeated: [number, number][] } {
  const component = new ICAL.Component('vtimezone');
  component.addPropertyWithValue('tzid', zone);
  // A day before the first event, at a whole UTC day.
  const start = Math.floor(from / (24 * HOUR)) * 24 * HOUR - 24 * HOUR;
  component.addSubcomponent(observance(zone, start, offsetAt(start, zone)));
  const repeated: [number, number][] = [];
  for (const change of offsetChanges(zone, start, to + 24 * HOUR)) {
    const before = offsetAt(change - 1, zone);
    component.addSubcomponent(observance(zone, change, before));
    const back = (before - offsetAt(change, zone)) * 60_000;
    if (back > 0) repeated.push([change - back, change + back]);
  }
  return { component, repeated };
}

function actionWords(action: Planned['action']): string {
  switch (action.type) {
    case 'command':
      return `Runs: ${action.command}`;
    case 'http':
      return `${action.method} ${action.url}`;
    case 'reminder':
      return `Reminder: ${action.title}`;
    case 'watch':
      return `Watches ${action.probe.type === 'http' ? action.probe.url : action.probe.command}`;
  }
}

export function buildIcs(
  schedules: readonly Planned[],
  range: { from: number; to: number; now: number },
): CalendarIcs {
  const { occurrences, more } = plannedOccurrences(
    schedules,
    range.from,
    range.to,
    range.now,
    ICS_MAX_EVENTS,
  );
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  calendar.addPropertyWithValue('x-wr-calname', 'Almanac: planned runs');
  const zones = new Map<string, { timezone: ICAL.Timezone; repeated: [number, number][] }>();
  for (const { schedule } of occurrences) {
    const zone = schedule.trigger.timezone;
    if (zones.has(zone)) continue;
    const { component, repeated } = vtimezone(zone, Math.max(range.from, range.now), range.to);
    calendar.addSubcomponent(component);
    zones.set(zone, { timezone: new ICAL.Timezone(component), repeated });
  }
  const stamp = ICAL.Time.fromJSDate(new Date(range.now), true);
  for (const { schedule, at } of occurrences) {
    const zone = schedule.trigger.timezone;
    const local = DateTime.fromMillis(at, { zone });
    const event = new ICAL.Component('vevent');
    event.addPropertyWithValue('uid', `${schedule.id}-${at}@almanac`);
    event.addPropertyWithValue('dtstamp', stamp);
    const { timezone, repeated } = zones.get(zone)!;
    const wall = wallTime(local);
    wall.zone = timezone;
    const twice = repeated.some(([first, last]) => at >= first && at < last);
    if (twice || wall.toUnixTime() * 1000 !== Math.floor(at / 1000) * 1000) {
      // Readers differ on which instance a repeated wall time means: UTC says it exactly.
      event.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(new Date(at), true));
    } else {
      event.addPropertyWithValue('dtstart', wall).setParameter('tzid', zone);
    }
    event.addPropertyWithValue('summary', schedule.name);
    event.addPropertyWithValue('description', actionWords(schedule.action));
    event.addPropertyWithValue('transp', 'TRANSPARENT');
    calendar.addSubcomponent(event);
  }
  const total = more ? countInRange(schedules, range) : occurrences.length;
  return {
    text: calendar.toString(),
    events: occurrences.length,
    truncated: more,
    ...(more
      ? {
          message: `The file holds the first ${ICS_MAX_EVENTS.toLocaleString('en')} of ${total.toLocaleString('en')} planned runs in this range; choose a shorter range or fewer schedules for the rest.`,
        }
      : {}),
  };
}

/** How many occurrences fall in the range, counted without walking them (engine/count.ts). */
function countInRange(
  schedules: readonly Planned[],
  range: { from: number; to: number; now: number },
): number {
  const begin = Math.max(range.from, range.now);
  let total = 0;
  for (const schedule of schedules) {
    const left = (schedule.trigger.maxRuns ?? Infinity) - schedule.firedCount;
    if (schedule.nextAt === null || left <= 0) continue;
    const start = Math.max(begin, schedule.nextAt);
    total += Math.min(left, countBetween(schedule.trigger, start - 1, range.to - 1, schedule.createdAt));
  }
  return total;
}
