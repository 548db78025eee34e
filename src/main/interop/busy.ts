/**
 * Busy calendars, the reading part (issue 15 §5): a local `.ics` file parsed with ical.js, its
 * events expanded (RRULE, RDATE, EXDATE and moved instances by RECURRENCE-ID, in their own time
 * zones) into the busy blocks that overlap a range. Pure: text in, blocks out.
 *
 * Times are turned into instants by the best zone data at hand: an IANA zone name by luxon (the
 * zone data the planner uses), another TZID by the file's own VTIMEZONE, a floating time in
 * `floatingZone`. Events marked TRANSP:TRANSPARENT (free) or STATUS:CANCELLED are not busy.
 */
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

export interface ParsedCalendar {
  events: ICAL.Event[];
}

export interface BusyInterval {
  start: number;
  end: number;
  calendar: string;
  summary: string;
}

/** Expanding one event stops here: a FREQ=SECONDLY rule must not hang the API. */
const MAX_STEPS_PER_EVENT = 50_000;
const DAY_MS = 86_400_000;

/** Throws (with ical.js's reason) when the text is not an iCalendar object. */
export function parseCalendar(text: string): ParsedCalendar {
  const root = new ICAL.Component(ICAL.parse(text));
  const calendar = root.name === 'vcalendar' ? root : root.getFirstSubcomponent('vcalendar');
  if (!calendar) throw new Error('no VCALENDAR in it');
  const components = calendar.getAllSubcomponents('vevent');
  const masters = components.filter((component) => !component.hasProperty('recurrence-id'));
  const events = masters.map((component) => new ICAL.Event(component));
  // Moved or changed instances of a recurring event replace their occurrence.
  for (const exception of components.filter((component) => component.hasProperty('recurrence-id'))) {
    const uid = exception.getFirstPropertyValue('uid');
    const master = events.find((event) => event.uid === uid);
    if (master) master.relateException(exception);
    else events.push(new ICAL.Event(exception));
  }
  return { events };
}

/** `tzid`: the TZID parameter the time was written with (ical.js keeps the resolved zone only). */
function toInstant(time: ICAL.Time, tzid: string | undefined, floatingZone: string): number {
  const fields = {
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.isDate ? 0 : time.hour,
    minute: time.isDate ? 0 : time.minute,
    second: time.isDate ? 0 : time.second,
  };
  const zone = time.zone?.tzid;
  if (zone === 'UTC') {
    return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  }
  const named = tzid ?? (zone !== 'floating' ? zone : undefined);
  if (named && IANAZone.isValidZone(named)) return DateTime.fromObject(fields, { zone: named }).toMillis();
  if (zone && zone !== 'floating') return time.toUnixTime() * 1000;
  return DateTime.fromObject(fields, { zone: floatingZone }).toMillis();
}

const tzidOf = (event: ICAL.Event, property: string): string | undefined => {
  const value = event.component.getFirstProperty(property)?.getParameter('tzid');
  return typeof value === 'string' ? value : undefined;
};

function isBusy(component: ICAL.Component): boolean {
  const transparency = String(component.getFirstPropertyValue('transp') ?? '').toUpperCase();
  const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
  return transparency !== 'TRANSPARENT' && status !== 'CANCELLED';
}

/** End of an occurrence: DTEND, or DTSTART + DURATION, or a day for a date, or an instant. */
function endOf(
  start: number,
  details: { startDate: ICAL.Time; endDate: ICAL.Time; item: ICAL.Event },
  floatingZone: string,
): number {
  if (!details.endDate) return details.startDate.isDate ? start + DAY_MS : start;
  // A recurring instance's end is its start plus the duration, in the start's zone; a single
  // event's is its own DTEND, which may name another zone.
  const own = !details.item.isRecurring() && details.item.component.hasProperty('dtend');
  const end = toInstant(details.endDate, tzidOf(details.item, own ? 'dtend' : 'dtstart'), floatingZone);
  if (end > start) return end;
  return details.startDate.isDate ? start + DAY_MS : start;
}

/** The busy blocks of `calendars` that overlap [from, to), earliest first. */
export function busyBlocks(
  calendars: readonly { name: string; calendar: ParsedCalendar }[],
  from: number,
  to: number,
  floatingZone: string,
): BusyInterval[] {
  const blocks: BusyInterval[] = [];
  for (const { name, calendar } of calendars) {
    for (const event of calendar.events) {
      if (!event.startDate) continue;
      const push = (details: { startDate: ICAL.Time; endDate: ICAL.Time; item: ICAL.Event }) => {
        if (!isBusy(details.item.component)) return;
        const start = toInstant(details.startDate, tzidOf(details.item, 'dtstart'), floatingZone);
        const end = endOf(start, details, floatingZone);
        if (end > from && start < to && end > start) {
          blocks.push({ start, end, calendar: name, summary: details.item.summary ?? '' });
        }
      };
      if (!event.isRecurring()) {
        push({ startDate: event.startDate, endDate: event.endDate, item: event });
        continue;
      }
      const iterator = event.iterator();
      for (let step = 0; step < MAX_STEPS_PER_EVENT; step++) {
        const next = iterator.next();
        if (!next) break;
        const details = event.getOccurrenceDetails(next);
        // Occurrences come in start order; a day's margin covers zone offsets of the wall times.
        if (toInstant(next, tzidOf(event, 'dtstart'), floatingZone) >= to + DAY_MS) break;
        push(details);
      }
    }
  }
  return blocks.sort((a, b) => a.start - b.start || a.end - b.end || a.calendar.localeCompare(b.calendar));
}
