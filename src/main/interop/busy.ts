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
import { DateTime } from 'luxon';
import { isTimeZone } from '../../shared/domain';

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
  // ical.js would relate every RECURRENCE-ID of the file to every event (without a UID check):
  // start each with none and relate them by UID below.
  const events = masters.map(
    (component) => new ICAL.Event(component, { strictExceptions: true, exceptions: [] }),
  );
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
  if (named && isTimeZone(named)) return DateTime.fromObject(fields, { zone: named }).toMillis();
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

/** Where a walk through an event's occurrences can resume: after `step` occurrences. */
interface Checkpoint {
  step: number;
  /** Wall time (see wallKey) of the occurrence just before the resumed walk. */
  wall: number;
  /** The expansion's state, as ical.js writes it (a deep copy: its live state is shared). */
  state: string;
}

const CHECKPOINT_EVERY = 64;
/** Per parsed event: walks of later ranges start near them, not at DTSTART (parsed events never change). */
const checkpoints = new WeakMap<ICAL.Event, Checkpoint[]>();

function checkpointsOf(event: ICAL.Event): Checkpoint[] {
  let marks = checkpoints.get(event);
  if (!marks) checkpoints.set(event, (marks = []));
  return marks;
}

/** The last checkpoint whose occurrence is before `wall`. */
function lastBefore(marks: Checkpoint[], wall: number): Checkpoint | undefined {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.wall < wall) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? marks[lo - 1] : undefined;
}

/** A time's wall clock read as if it were UTC: cheap, and within a day of its instant. */
const wallKey = (time: ICAL.Time) =>
  Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);

function durationMs(event: ICAL.Event): number {
  try {
    return Math.max(0, event.duration.toSeconds() * 1000);
  } catch {
    return DAY_MS;
  }
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
      // Occurrences come in start order. Those that end well before `from` are passed over by
      // their wall time alone (two days cover any zone offset), without the cost of an instant;
      // and the walk resumes from the last checkpoint before `from` rather than from DTSTART.
      const moved = event.exceptions as unknown as Record<string, ICAL.Event>;
      const anyMoved = Object.keys(moved).length > 0;
      const exact = event.rangeExceptions.length > 0;
      const span = durationMs(event) + 2 * DAY_MS;
      const seen = new Set<string>();
      const marks = checkpointsOf(event);
      const resume = exact ? undefined : lastBefore(marks, from - span);
      const iterator = resume ? new ICAL.RecurExpansion(JSON.parse(resume.state)) : event.iterator();
      const zone = event.startDate.zone;
      try {
        for (let step = resume?.step ?? 0; step < MAX_STEPS_PER_EVENT; step++) {
          let next = iterator.next();
          if (!next) break;
          // A resumed walk knows its zone only by name; give a copy the event's own (the
          // iterator's own time must stay as it is, or its next comparisons go wrong).
          if (resume && zone && next.zone?.tzid !== zone.tzid) {
            next = next.clone();
            next.zone = zone;
          }
          const wall = wallKey(next);
          if (step % CHECKPOINT_EVERY === 0 && (!marks.length || marks[marks.length - 1]!.step < step)) {
            marks.push({ step: step + 1, wall, state: JSON.stringify(iterator.toJSON()) });
          }
          if (wall > to + 2 * DAY_MS) break;
          const id = anyMoved ? next.toString() : '';
          if (id && id in moved) seen.add(id);
          else if (!exact && wall + span < from) continue;
          push(event.getOccurrenceDetails(next));
        }
      } catch {
        // A rule ical.js cannot expand (it gives up after many tries) marks nothing busy.
      }
      // A moved instance whose original time lies beyond the walk may have moved into the range.
      for (const [id, instance] of Object.entries(moved)) {
        if (!seen.has(id)) push({ startDate: instance.startDate, endDate: instance.endDate, item: instance });
      }
    }
  }
  return blocks.sort((a, b) => a.start - b.start || a.end - b.end || a.calendar.localeCompare(b.calendar));
}
