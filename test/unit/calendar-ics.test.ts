/**
 * calendar.ics (issue 15 §4): the file Almanac writes, read back with the same library (ical.js),
 * holds exactly the planned occurrences, DST changes and repeated hours included; its VTIMEZONEs
 * carry the zone's real offsets; it stops at 5,000 events and says so.
 */
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarIcs, Result } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { nextOccurrence } from '../../src/main/engine/planner';
import { call, quietLog, startTestApp, type TestApp } from '../support/engine';

const START = '2026-03-20T12:00:00.000Z';
const reminder = { type: 'reminder', title: 'T' };

let app: TestApp;
afterEach(() => {
  app.close();
  expect(quietLog.errors).toEqual([]);
});

interface ReadEvent {
  uid: string;
  at: number;
  summary: string;
  tzid: string | null;
}

/** The events of an iCalendar text, each start resolved through the file's own VTIMEZONEs. */
function readIcs(text: string): { events: ReadEvent[]; zones: ICAL.Component[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const tzid = component.getFirstProperty('dtstart')!.getParameter('tzid');
    // A TZID must resolve to this file's VTIMEZONE, not float.
    if (tzid) expect(event.startDate.zone?.tzid).toBe(tzid);
    return {
      uid: event.uid,
      at: event.startDate.toUnixTime() * 1000,
      summary: event.summary,
      tzid: (tzid as string) ?? null,
    };
  });
  return { events, zones: calendar.getAllSubcomponents('vtimezone') };
}

/** What the planner plans for a schedule in [max(from, now), to), walked one by one. */
function planned(schedule: Schedule, from: number, to: number, now: number): number[] {
  const out: number[] = [];
  const begin = Math.max(from, now);
  // The dispatcher's next claim first (an interval's first run is one period after its creation).
  const next = Date.parse(schedule.nextFireAt!);
  let at: number | null =
    next >= begin ? next : nextOccurrence(schedule.trigger, begin - 1, Date.parse(schedule.createdAt));
  const cap = schedule.trigger.maxRuns ?? Infinity;
  while (at !== null && at < to && out.length < cap) {
    out.push(at);
    at = nextOccurrence(schedule.trigger, at, Date.parse(schedule.createdAt));
  }
  return out;
}

const create = (input: Record<string, unknown>) =>
  call<Schedule>(app, 'schedules.create', { action: reminder, ...input });

describe('calendar.ics', () => {
  it('holds exactly the planned occurrences across the spring DST change, each in its zone', async () => {
    app = startTestApp({ start: START });
    const schedules = [
      await create({
        name: 'Night job',
        trigger: { type: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' },
      }),
      await create({
        name: 'Hourly NY',
        trigger: { type: 'cron', expression: '15 */3 * * *', timezone: 'America/New_York' },
      }),
      await create({
        name: 'Every 90 min',
        trigger: { type: 'interval', everySeconds: 5400, timezone: 'Asia/Kolkata' },
      }),
      await create({
        name: 'Three times',
        trigger: { type: 'cron', expression: '0 12 * * *', timezone: 'UTC', maxRuns: 3 },
      }),
    ];
    await create({
      name: 'Paused',
      enabled: false,
      trigger: { type: 'cron', expression: '* * * * *', timezone: 'UTC' },
    });
    const from = Date.parse('2026-03-18T00:00:00Z'); // before now: the past is not planned
    const to = Date.parse('2026-04-03T00:00:00Z');
    const ics = await call<CalendarIcs>(app, 'calendar.ics', {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    });
    const { events, zones } = readIcs(ics.text);

    const expected = schedules
      .flatMap((schedule) =>
        planned(schedule, from, to, Date.parse(START)).map((at) => ({
          uid: `${schedule.id}-${at}@almanac`,
          at,
          summary: schedule.name,
        })),
      )
      .sort((a, b) => a.at - b.at || a.uid.localeCompare(b.uid));
    const got = events
      .map(({ uid, at, summary }) => ({ uid, at, summary }))
      .sort((a, b) => a.at - b.at || a.uid.localeCompare(b.uid));
    expect(got).toEqual(expected);
    expect(ics).toMatchObject({ events: expected.length, truncated: false });
    expect(ics.message).toBeUndefined();

    // By the rules, not only by the planner: 02:30 Berlin does not exist on 29 March; it runs at 03:00 CEST.
    const night = events
      .filter((event) => event.summary === 'Night job')
      .map((event) => new Date(event.at).toISOString());
    expect(night.slice(0, 3)).toEqual([
      '2026-03-21T01:30:00.000Z',
      '2026-03-22T01:30:00.000Z',
      '2026-03-23T01:30:00.000Z',
    ]);
    expect(night).toContain('2026-03-29T01:00:00.000Z');
    expect(night).toContain('2026-03-30T00:30:00.000Z');
    expect(events.filter((event) => event.summary === 'Three times')).toHaveLength(3);
    expect(
      events
        .filter((event) => event.summary === 'Night job')
        .every((event) => event.tzid === 'Europe/Berlin'),
    ).toBe(true);
    expect(zones.map((zone) => zone.getFirstPropertyValue('tzid')).sort()).toEqual([
      'America/New_York',
      'Asia/Kolkata',
      'Europe/Berlin',
      'UTC',
    ]);
    // Berlin's change is in the file: from +01:00 to +02:00 at 02:00 local on 29 March.
    const berlin = zones.find((zone) => zone.getFirstPropertyValue('tzid') === 'Europe/Berlin')!;
    const daylight = berlin
      .getAllSubcomponents('daylight')
      .map((component) => [
        component.getFirstPropertyValue('dtstart')!.toString(),
        component.getFirstPropertyValue('tzoffsetfrom')!.toString(),
        component.getFirstPropertyValue('tzoffsetto')!.toString(),
        component.getFirstPropertyValue('tzname'),
      ]);
    expect(daylight).toEqual([['2026-03-29T02:00:00', '+01:00', '+02:00', 'CEST']]);
  });

  it('both instances of a repeated hour (autumn) read back as themselves', async () => {
    app = startTestApp({ start: '2026-10-24T12:00:00.000Z' });
    const hourly = await create({
      name: 'Half past',
      trigger: { type: 'cron', expression: '30 * * * *', timezone: 'Europe/Berlin' },
    });
    const ics = await call<CalendarIcs>(app, 'calendar.ics', {
      from: '2026-10-24T22:00:00Z',
      to: '2026-10-25T03:00:00Z',
    });
    const { events } = readIcs(ics.text);
    expect(events.map((event) => new Date(event.at).toISOString())).toEqual([
      '2026-10-24T22:30:00.000Z',
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:30:00.000Z', // 02:30 CET, the repeat: both written in UTC
      '2026-10-25T02:30:00.000Z',
    ]);
    expect(events.map((event) => event.tzid)).toEqual([
      'Europe/Berlin',
      'Europe/Berlin',
      null,
      null,
      'Europe/Berlin',
    ]);
    expect(events.map((event) => event.at)).toEqual(
      planned(
        hourly,
        Date.parse('2026-10-24T22:00:00Z'),
        Date.parse('2026-10-25T03:00:00Z'),
        Date.parse('2026-10-24T12:00:00Z'),
      ),
    );
  });

  it('stops at 5,000 events, the earliest, and says how many the range holds', async () => {
    app = startTestApp({ start: START });
    const second = await create({
      name: 'Every second',
      trigger: { type: 'cron', expression: '* * * * * *', timezone: 'UTC' },
    });
    await create({ name: 'Daily', trigger: { type: 'cron', expression: '0 0 * * *', timezone: 'UTC' } });
    const ics = await call<CalendarIcs>(app, 'calendar.ics', { from: START, to: '2026-03-21T12:00:00Z' });
    expect(ics.truncated).toBe(true);
    expect(ics.events).toBe(5000);
    // Every second after now (12:00:01 … 11:59:59 the next day: 86,399), and one midnight.
    expect(ics.message).toBe(
      'The file holds the first 5,000 of 86,400 planned runs in this range; choose a shorter range or fewer schedules for the rest.',
    );
    const { events } = readIcs(ics.text);
    expect(events).toHaveLength(5000);
    expect(events[0]!.at).toBe(Date.parse(START) + 1000);
    expect(events[4999]!.at).toBe(Date.parse(START) + 5000 * 1000);
    expect(new Set(events.map((event) => event.uid)).size).toBe(5000);
    expect(events.every((event) => event.uid.startsWith(second.id))).toBe(true);
  });

  it('takes a set of schedules, and refuses unknown ones and bad ranges', async () => {
    app = startTestApp({ start: START });
    const a = await create({
      name: 'A',
      trigger: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
    });
    await create({ name: 'B', trigger: { type: 'cron', expression: '0 10 * * *', timezone: 'UTC' } });
    const only = await call<CalendarIcs>(app, 'calendar.ics', {
      from: START,
      to: '2026-03-23T12:00:00Z',
      scheduleIds: [a.id],
    });
    expect(readIcs(only.text).events.map((event) => event.summary)).toEqual(['A', 'A', 'A']);
    const empty = await call<CalendarIcs>(app, 'calendar.ics', {
      from: START,
      to: '2026-03-23T12:00:00Z',
      scheduleIds: [],
    });
    expect(empty.events).toBe(0);
    expect(readIcs(empty.text).events).toEqual([]);
    const codes = async (input: unknown) => {
      const result = (await app.dispatch('calendar.ics', input)) as Result<unknown>;
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await codes({ from: START, to: '2026-03-23T12:00:00Z', scheduleIds: ['nope'] })).toBe('NOT_FOUND');
    expect(await codes({ from: START, to: START })).toBe('VALIDATION');
    expect(await codes({ from: START, to: '2027-03-22T12:00:00Z' })).toBe('VALIDATION');
    expect(await codes({ from: START, to: '2026-03-23T12:00:00Z', zone: 'UTC' })).toBe('VALIDATION');
  });
});
