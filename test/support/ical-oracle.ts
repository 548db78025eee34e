/**
 * Busy time as ical.js alone reads it (test oracle for whenBusy): each VEVENT expanded with its
 * own iterator, moved instances related by RECURRENCE-ID, times turned into instants by the file's
 * own VTIMEZONE components (ical.js's zone math, not luxon's), free and cancelled events left out.
 */
import ICAL from 'ical.js';

export interface OracleBlock {
  start: number;
  end: number;
  summary: string;
}

export function icalBusy(text: string, from: number, to: number): OracleBlock[] {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const components = root.getAllSubcomponents('vevent');
  const events = components
    .filter((c) => !c.hasProperty('recurrence-id'))
    .map((c) => new ICAL.Event(c, { strictExceptions: true, exceptions: [] }));
  for (const c of components.filter((c) => c.hasProperty('recurrence-id'))) {
    events.find((e) => e.uid === c.getFirstPropertyValue('uid'))?.relateException(c);
  }
  const busy = (c: ICAL.Component) =>
    String(c.getFirstPropertyValue('transp') ?? '').toUpperCase() !== 'TRANSPARENT' &&
    String(c.getFirstPropertyValue('status') ?? '').toUpperCase() !== 'CANCELLED';
  const out: OracleBlock[] = [];
  const push = (start: ICAL.Time, end: ICAL.Time, item: ICAL.Event) => {
    if (!busy(item.component)) return;
    const block = { start: start.toUnixTime() * 1000, end: end.toUnixTime() * 1000, summary: item.summary };
    if (block.end > from && block.start < to) out.push(block);
  };
  for (const event of events) {
    if (!event.isRecurring()) {
      push(event.startDate, event.endDate, event);
      continue;
    }
    const it = event.iterator();
    for (let next = it.next(); next && next.toUnixTime() * 1000 < to; next = it.next()) {
      const details = event.getOccurrenceDetails(next);
      push(details.startDate, details.endDate, details.item);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
