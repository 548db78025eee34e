/**
 * whenBusy through the API (issue 15 §5): with a real busy .ics (a weekly RRULE across the March
 * DST change, an EXDATE, a moved instance), `schedules.preview` and `calendar.slots` show exactly
 * the occurrences ical.js's own expansion puts in busy time as deferred or skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarSlots, Occurrence, Schedule } from '../../src/shared/api';
import { nextOccurrence } from '../../src/main/engine/planner';
import { icalBusy, type OracleBlock } from '../support/ical-oracle';
import { call, quietLog, startTestApp, type TestApp } from '../support/engine';

const WORK = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/busy/work.ics'), 'utf8');
const ZONE = 'Europe/Berlin';
const FROM = Date.parse('2026-03-15T23:00:00Z'); // Monday 16 March, 00:00 in Berlin
const TO = Date.parse('2026-04-12T22:00:00Z'); // four weeks later, across the DST change
const ORACLE = icalBusy(WORK, FROM - 86_400_000, TO + 86_400_000);

/** What each occurrence should do, by the rule, over ical.js's blocks (none in the file touch). */
function expected(occurrences: number[], whenBusy: 'defer' | 'skip') {
  let previous: number | null = null;
  return occurrences.map((at) => {
    const block: OracleBlock | undefined = ORACLE.find((b) => b.start <= at && at < b.end);
    const prev = previous;
    previous = at;
    if (!block) return { at, action: 'run' as const };
    if (whenBusy === 'skip' || (prev !== null && prev >= block.start)) {
      return { at, action: 'skip' as const, block };
    }
    return { at, action: 'defer' as const, block, runsAt: block.end };
  });
}

function occurrencesOf(expression: string, from: number, to: number): number[] {
  const trigger = { type: 'cron' as const, expression, timezone: ZONE };
  const out: number[] = [];
  for (
    let at = nextOccurrence(trigger, from - 1, 0);
    at !== null && at < to;
    at = nextOccurrence(trigger, at, 0)
  )
    out.push(at);
  return out;
}

describe('whenBusy in the preview and the grid', () => {
  let app: TestApp;
  afterEach(() => {
    app.close();
    expect(quietLog.errors).toEqual([]);
  });

  const setup = async () => {
    app = startTestApp({ start: FROM - 3_600_000 });
    const file = path.join(app.dataDir, 'work.ics');
    fs.writeFileSync(file, WORK);
    await call(app, 'settings.update', { busyCalendars: [{ path: file, name: 'Work' }] });
  };

  it.each([
    ['skip', '30 9 * * 1'],
    ['defer', '0,20,40 9 * * 1'],
    ['defer', '0 9,11 * * 1'],
  ] as const)('schedules.preview marks %s for %s as ical.js’s blocks say', async (whenBusy, expression) => {
    await setup();
    const occurrences = occurrencesOf(expression, FROM, TO);
    const { occurrences: shown } = await call<{ occurrences: Occurrence[] }>(app, 'schedules.preview', {
      trigger: { type: 'cron', expression, timezone: ZONE },
      from: new Date(FROM).toISOString(),
      count: occurrences.length,
      whenBusy,
    });
    const want = expected(occurrences, whenBusy);
    expect(shown.map((o) => Date.parse(o.at))).toEqual(occurrences);
    expect(shown.map((o) => o.busy?.action ?? 'run')).toEqual(want.map((w) => w.action));
    shown.forEach((o, i) => {
      const w = want[i]!;
      if (w.action === 'run') return;
      expect(o.busy).toMatchObject({ calendar: 'Work', summary: w.block.summary });
      expect(o.busy!.reason).toContain(w.block.summary);
      if (w.action === 'defer') expect(Date.parse(o.busy!.runsAt!)).toBe(w.runsAt);
    });
    // the file's rules really are exercised: something in busy time, and the EXDATE's Monday free
    expect(want.some((w) => w.action !== 'run')).toBe(true);
    const exdate = DateTime.fromISO('2026-03-23T09:00', { zone: ZONE }).toMillis();
    expect(ORACLE.some((b) => b.start <= exdate && exdate < b.end)).toBe(false);
    // without whenBusy nothing is marked
    const plain = await call<{ occurrences: Occurrence[] }>(app, 'schedules.preview', {
      trigger: { type: 'cron', expression, timezone: ZONE },
      from: new Date(FROM).toISOString(),
      count: occurrences.length,
    });
    expect(plain.occurrences.every((o) => o.busy === undefined)).toBe(true);
  });

  it('calendar.slots counts deferred runs at the block’s end and leaves skipped ones out, per hour', async () => {
    await setup();
    const make = (name: string, expression: string, whenBusy: 'defer' | 'skip') =>
      call<Schedule>(app, 'schedules.create', {
        name,
        trigger: { type: 'cron', expression, timezone: ZONE },
        action: { type: 'reminder', title: name },
        policy: { whenBusy },
      });
    await make('Skip', '30 9 * * 1', 'skip');
    await make('Defer', '0,20,40 9 * * 1', 'defer');
    await make('Late', '0 9,11 * * 1', 'defer');
    const slots = await call<CalendarSlots>(app, 'calendar.slots', {
      from: new Date(FROM).toISOString(),
      to: new Date(TO).toISOString(),
      timezone: ZONE,
      slotMinutes: 30,
    });
    const want = new Map<number, { planned: number; deferred: number; skipped: number }>();
    const slotStart = (at: number) =>
      slots.slots.find((s) => Date.parse(s.start) <= at && at < Date.parse(s.end))!.start;
    const bump = (at: number, key: 'planned' | 'deferred' | 'skipped') => {
      const start = Date.parse(slotStart(at));
      const entry = want.get(start) ?? { planned: 0, deferred: 0, skipped: 0 };
      entry[key]++;
      want.set(start, entry);
    };
    for (const [expression, whenBusy] of [
      ['30 9 * * 1', 'skip'],
      ['0,20,40 9 * * 1', 'defer'],
      ['0 9,11 * * 1', 'defer'],
    ] as const) {
      for (const w of expected(occurrencesOf(expression, FROM, TO), whenBusy)) {
        if (w.action === 'skip') bump(w.at, 'skipped');
        else if (w.action === 'run') bump(w.at, 'planned');
        else {
          bump(w.runsAt, 'planned');
          bump(w.runsAt, 'deferred');
        }
      }
    }
    const got = slots.slots
      .filter((s) => s.plannedCount || s.deferredCount || s.busySkippedCount)
      .map((s) => [s.start, s.plannedCount, s.deferredCount, s.busySkippedCount]);
    const wanted = [...want.entries()]
      .sort(([a], [b]) => a - b)
      .map(([start, w]) => [new Date(start).toISOString(), w.planned, w.deferred, w.skipped]);
    expect(got).toEqual(wanted);
    expect(got.some(([, , deferred]) => (deferred as number) > 0)).toBe(true);
  });
});
