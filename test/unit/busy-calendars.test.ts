/**
 * Busy calendars, the reading part (issue 15 §5): a local .ics with a weekly RRULE across a DST
 * change, an EXDATE, a moved instance, an Outlook-style zone, all-day, free and cancelled events
 * gives exactly the busy blocks the rules say; files are read again when they change on disk (the
 * poll on an injected clock, and fs.watch); settings refuse a path that cannot be a busy calendar.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarSlots, Result, Settings } from '../../src/shared/api';
import { busyBlocks, parseCalendar } from '../../src/main/interop/busy';
import { BUSY_POLL_MS, BusyCalendars } from '../../src/main/interop/busy-calendars';
import { call, quietLog, startTestApp, tempDir, type TestApp } from '../support/engine';
import { FakeClock } from '../support/fake-clock';

const WORK = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/busy/work.ics'), 'utf8');
const FROM = Date.parse('2026-03-16T00:00:00Z');
const TO = Date.parse('2026-04-13T00:00:00Z');
const iso = (at: number) => new Date(at).toISOString();

/** Each block as [start, end, summary], in UTC. */
const shown = (blocks: { start: number; end: number; summary: string }[]) =>
  blocks.map((block) => [iso(block.start), iso(block.end), block.summary]);

/** What the fixture means in [FROM, TO), by the rules (Berlin is UTC+1 until 29 March, then UTC+2). */
const EXPECTED = [
  ['2026-03-16T08:00:00.000Z', '2026-03-16T09:00:00.000Z', 'Weekly planning'],
  // floating 08:00 read in Europe/Berlin
  ['2026-03-20T07:00:00.000Z', '2026-03-20T07:30:00.000Z', 'Floating standup'],
  // 23 March is an EXDATE; 18 March is free (TRANSPARENT); 19 March is CANCELLED
  ['2026-03-25T16:00:00.000Z', '2026-03-25T16:45:00.000Z', 'Dentist'],
  // after the DST change: 09:00 CEST
  ['2026-03-30T07:00:00.000Z', '2026-03-30T08:00:00.000Z', 'Weekly planning'],
  // "W. Europe Standard Time", from the file's own VTIMEZONE
  ['2026-04-01T12:00:00.000Z', '2026-04-01T13:00:00.000Z', 'Quarterly review'],
  // all day on 3 April in Berlin
  ['2026-04-02T22:00:00.000Z', '2026-04-03T22:00:00.000Z', 'Good Friday'],
  // the 6 April instance moved to 11:00–12:30 by RECURRENCE-ID
  ['2026-04-06T09:00:00.000Z', '2026-04-06T10:30:00.000Z', 'Weekly planning (moved)'],
];

describe('busyBlocks', () => {
  it('expands RRULE, EXDATE and RECURRENCE-ID through a DST change, each in its zone', () => {
    const calendar = parseCalendar(WORK);
    const blocks = busyBlocks([{ name: 'Work', calendar }], FROM, TO, 'Europe/Berlin');
    expect(shown(blocks)).toEqual(EXPECTED);
    expect(blocks.every((block) => block.calendar === 'Work')).toBe(true);
  });

  it('takes blocks that overlap the range, even ones that began before it', () => {
    const calendar = parseCalendar(WORK);
    const inside = busyBlocks(
      [{ name: 'Work', calendar }],
      Date.parse('2026-03-16T08:30:00Z'),
      Date.parse('2026-03-16T08:31:00Z'),
      'UTC',
    );
    expect(shown(inside)).toEqual([EXPECTED[0]]);
    const touching = busyBlocks(
      [{ name: 'Work', calendar }],
      Date.parse('2026-03-16T09:00:00Z'),
      Date.parse('2026-03-16T10:00:00Z'),
      'UTC',
    );
    expect(touching).toEqual([]);
    // The weekly rule ends on 1 June.
    const late = busyBlocks(
      [{ name: 'Work', calendar }],
      Date.parse('2026-06-01T00:00:00Z'),
      Date.parse('2026-07-01T00:00:00Z'),
      'UTC',
    );
    expect(late).toEqual([]);
  });

  it('merges calendars in time order and refuses text that is not iCalendar', () => {
    const other = parseCalendar(
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260316T073000Z\r\nDTEND:20260316T083000Z\r\nSUMMARY:Gym\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    );
    const blocks = busyBlocks(
      [
        { name: 'Work', calendar: parseCalendar(WORK) },
        { name: 'Home', calendar: other },
      ],
      FROM,
      Date.parse('2026-03-17T00:00:00Z'),
      'Europe/Berlin',
    );
    expect(blocks.map((block) => [block.calendar, block.summary])).toEqual([
      ['Home', 'Gym'],
      ['Work', 'Weekly planning'],
    ]);
    expect(() => parseCalendar('hello')).toThrow();
  });
});

describe('long histories', () => {
  /** A weekly Outlook-zone meeting since 2024 (so walks pass checkpoints), one week cancelled, one moved. */
  const HISTORY = WORK.replace(
    'END:VCALENDAR',
    [
      'BEGIN:VEVENT',
      'UID:sync@example.com',
      'DTSTAMP:20240101T000000Z',
      'DTSTART;TZID=W. Europe Standard Time:20240103T170000',
      'DTEND;TZID=W. Europe Standard Time:20240103T173000',
      'RRULE:FREQ=WEEKLY;BYDAY=WE',
      'EXDATE;TZID=W. Europe Standard Time:20260325T170000',
      'SUMMARY:Sync',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:sync@example.com',
      'DTSTAMP:20240101T000000Z',
      'RECURRENCE-ID;TZID=W. Europe Standard Time:20250101T170000',
      'DTSTART;TZID=W. Europe Standard Time:20260408T080000',
      'DTEND;TZID=W. Europe Standard Time:20260408T090000',
      'SUMMARY:Sync (moved a long way)',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n'),
  );
  const sync = (blocks: { start: number; end: number; summary: string }[]) =>
    shown(blocks.filter((block) => block.summary.startsWith('Sync')));

  it('a walk resumed from a checkpoint gives what a walk from DTSTART gives', () => {
    const fresh = busyBlocks([{ name: 'Work', calendar: parseCalendar(HISTORY) }], FROM, TO, 'Europe/Berlin');
    const walked = parseCalendar(HISTORY);
    for (const year of ['2024-06-01', '2025-03-01', '2025-11-01']) {
      const at = Date.parse(`${year}T00:00:00Z`);
      busyBlocks([{ name: 'Work', calendar: walked }], at, at + 7 * 86_400_000, 'Europe/Berlin');
    }
    const resumed = busyBlocks([{ name: 'Work', calendar: walked }], FROM, TO, 'Europe/Berlin');
    expect(shown(resumed)).toEqual(shown(fresh));
    expect(sync(resumed)).toEqual([
      ['2026-03-18T16:00:00.000Z', '2026-03-18T16:30:00.000Z', 'Sync'],
      // 25 March is an EXDATE; from 1 April 17:00 is CEST
      ['2026-04-01T15:00:00.000Z', '2026-04-01T15:30:00.000Z', 'Sync'],
      // the instance of 1 January 2025, moved into this range
      ['2026-04-08T06:00:00.000Z', '2026-04-08T07:00:00.000Z', 'Sync (moved a long way)'],
      ['2026-04-08T15:00:00.000Z', '2026-04-08T15:30:00.000Z', 'Sync'],
    ]);
  });
});

describe('BusyCalendars: files read again when they change', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  function workFile(): string {
    const dir = tempDir('almanac-busy-');
    dirs.push(dir);
    const file = path.join(dir, 'work.ics');
    fs.writeFileSync(file, WORK);
    return file;
  }
  /** Rewrites the file with one summary changed, and a later mtime (so a same-size write is seen). */
  function rename(file: string, from: string, to: string, mtime: number) {
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
    fs.utimesSync(file, mtime / 1000, mtime / 1000);
  }

  it('the poll, on the injected clock, sees a change that watching did not report', () => {
    const file = workFile();
    const clock = new FakeClock('2026-03-20T12:00:00Z');
    const changed: string[] = [];
    const noWatch = {
      stat: (f: string) => {
        const s = fs.statSync(f);
        return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile() };
      },
      read: (f: string) => fs.readFileSync(f, 'utf8'),
      watch: () => {
        throw new Error('no watching here');
      },
    };
    const busy = new BusyCalendars({
      timers: clock,
      files: noWatch,
      onChange: (calendar) => changed.push(calendar.name),
    });
    busy.configure([{ path: file, name: 'Work' }]);
    expect(busy.blocks(FROM, TO, 'Europe/Berlin').busy.map((block) => block.summary)).toContain('Dentist');
    rename(file, 'SUMMARY:Dentist', 'SUMMARY:Doctor', Date.now() + 60_000);
    // Not yet: nothing has looked.
    expect(busy.blocks(FROM, TO, 'Europe/Berlin').busy.map((block) => block.summary)).toContain('Dentist');
    clock.advance(BUSY_POLL_MS);
    expect(changed).toEqual(['Work']);
    expect(busy.blocks(FROM, TO, 'Europe/Berlin').busy.map((block) => block.summary)).toContain('Doctor');
    // A file that goes away is a problem to show, not an error.
    fs.rmSync(file);
    clock.advance(BUSY_POLL_MS);
    expect(busy.blocks(FROM, TO, 'Europe/Berlin')).toEqual({
      busy: [],
      problems: [{ calendar: 'Work', path: file, message: 'There is no file at this path' }],
    });
    busy.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fs.watch reports a change without waiting for the poll', async () => {
    const file = workFile();
    const clock = new FakeClock('2026-03-20T12:00:00Z');
    let changes = 0;
    const busy = new BusyCalendars({ timers: clock, onChange: () => changes++ });
    busy.configure([{ path: file, name: 'Work' }]);
    rename(file, 'SUMMARY:Dentist', 'SUMMARY:Doctor', Date.now() + 60_000);
    for (let i = 0; i < 400 && changes === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(changes).toBeGreaterThan(0);
    expect(busy.blocks(FROM, TO, 'Europe/Berlin').busy.map((block) => block.summary)).toContain('Doctor');
    busy.close();
  });
});

describe('busy calendars through settings and calendar.slots', () => {
  let app: TestApp;
  afterEach(() => {
    app.close();
    expect(quietLog.errors).toEqual([]);
  });

  it('settings refuse a path that cannot be read as a busy calendar, naming the field', async () => {
    app = startTestApp({ start: '2026-03-20T12:00:00.000Z' });
    const dir = tempDir('almanac-busy-');
    const big = path.join(dir, 'big.ics');
    fs.writeFileSync(big, 'x'.repeat(5 * 1024 * 1024 + 1));
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'just some notes');
    const good = path.join(dir, 'work.ics');
    fs.writeFileSync(good, WORK);
    const refused = async (busyCalendars: unknown, where: string, message: string | RegExp) => {
      const result = (await app.dispatch('settings.update', { busyCalendars })) as Result<Settings>;
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('VALIDATION');
      expect(result.error.issues).toContainEqual({ path: where, message: expect.stringMatching(message) });
    };
    await refused(
      [{ path: path.join(dir, 'missing.ics'), name: 'Gone' }],
      'busyCalendars.0.path',
      'There is no file at this path',
    );
    await refused(
      [
        { path: good, name: 'Work' },
        { path: big, name: 'Big' },
      ],
      'busyCalendars.1.path',
      'This file is larger than 5 MB',
    );
    await refused([{ path: text, name: 'Notes' }], 'busyCalendars.0.path', /^Not an iCalendar file/);
    await refused(
      [{ path: dir, name: 'Folder' }],
      'busyCalendars.0.path',
      'This is a folder, not an .ics file',
    );
    await refused([{ path: 'work.ics', name: 'Relative' }], 'busyCalendars.0.path', /full path/);
    await refused(
      [
        { path: good, name: 'A' },
        { path: good, name: 'B' },
      ],
      'busyCalendars.1.path',
      'This file is already in the list',
    );
    await refused([{ path: good, name: ' ' }], 'busyCalendars.0.name', 'Name the calendar');
    await refused(
      [{ path: good, name: 'Work', colour: 'red' }],
      'busyCalendars.0.colour',
      'Unknown field "colour"',
    );
    expect((await call<Settings>(app, 'settings.get', {})).busyCalendars).toEqual([]);

    const saved = await call<Settings>(app, 'settings.update', {
      busyCalendars: [{ path: good, name: 'Work' }],
    });
    expect(saved.busyCalendars).toEqual([{ path: good, name: 'Work' }]);
    const slots = await call<CalendarSlots>(app, 'calendar.slots', {
      from: '2026-03-16T00:00:00Z',
      to: '2026-04-13T00:00:00Z',
      timezone: 'Europe/Berlin',
      slotMinutes: 1440,
    });
    expect(slots.busy.map((block) => [block.start, block.end, block.summary])).toEqual(EXPECTED);
    expect(slots.busy.every((block) => block.calendar === 'Work')).toBe(true);
    expect(slots.busyProblems).toEqual([]);

    // The file changes on disk: the next poll reads it again and tells the page.
    fs.writeFileSync(good, WORK.replace('SUMMARY:Dentist', 'SUMMARY:Doctor'));
    fs.utimesSync(good, Date.now() / 1000 + 60, Date.now() / 1000 + 60);
    app.clock.advance(BUSY_POLL_MS);
    expect(app.of('busy.changed')).toContainEqual({ calendar: 'Work', path: good });
    const again = await call<CalendarSlots>(app, 'calendar.slots', {
      from: '2026-03-25T00:00:00Z',
      to: '2026-03-26T00:00:00Z',
      timezone: 'UTC',
    });
    expect(again.busy).toEqual([
      {
        start: '2026-03-25T16:00:00.000Z',
        end: '2026-03-25T16:45:00.000Z',
        calendar: 'Work',
        summary: 'Doctor',
      },
    ]);

    // Settings persist across a restart, and the calendar is read again at start.
    const dataDir = app.dataDir;
    app.close();
    app = startTestApp({ start: '2026-03-20T12:00:00.000Z', dataDir });
    expect((await call<Settings>(app, 'settings.get', {})).busyCalendars).toEqual([
      { path: good, name: 'Work' },
    ]);
    const restarted = await call<CalendarSlots>(app, 'calendar.slots', {
      from: '2026-03-25T00:00:00Z',
      to: '2026-03-26T00:00:00Z',
      timezone: 'UTC',
    });
    expect(restarted.busy.map((block) => block.summary)).toEqual(['Doctor']);
    // Removing the list stops reading it.
    await call(app, 'settings.update', { busyCalendars: [] });
    const cleared = await call<CalendarSlots>(app, 'calendar.slots', {
      from: '2026-03-25T00:00:00Z',
      to: '2026-03-26T00:00:00Z',
      timezone: 'UTC',
    });
    expect(cleared.busy).toEqual([]);
  });
});

describe('busy calendars stop with the app', () => {
  it('app.close() lets go of the poll timer and the file watcher of every busy calendar', async () => {
    const app = startTestApp({ start: '2026-03-20T12:00:00.000Z' });
    const file = path.join(tempDir('almanac-busy-close-'), 'work.ics');
    fs.writeFileSync(file, WORK);
    const before = app.clock.pendingDelays();
    await call<Settings>(app, 'settings.update', { busyCalendars: [{ path: file, name: 'Work' }] });
    // the poll is armed on the app's clock: one more timer, BUSY_POLL_MS away
    expect(app.clock.pendingDelays().filter((ms) => ms === BUSY_POLL_MS).length).toBe(
      before.filter((ms) => ms === BUSY_POLL_MS).length + 1,
    );
    app.close();
    expect(app.clock.pendingTimers()).toBe(0);
    // a change on disk after close is read by no one: no busy.changed (the watcher is closed)
    const seen = app.of('busy.changed').length;
    fs.writeFileSync(file, WORK.replace('SUMMARY:Dentist', 'SUMMARY:Doctor'));
    app.clock.advance(BUSY_POLL_MS * 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.of('busy.changed').length).toBe(seen);
  });
});
