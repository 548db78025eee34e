/**
 * whenBusy in the dispatcher (issue 15 §5): a real busy .ics (a weekly RRULE across the March DST
 * change, an EXDATE, a moved instance), a real SQLite file and the injected clock. Each occurrence
 * of four Mondays ends as the rule says over ical.js's own expansion of the file: run on time,
 * deferred to the block's end (its row says so, naming the block), or a skipped row naming it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run, Schedule } from '../../src/shared/api';
import { nextOccurrence } from '../../src/main/engine/planner';
import { call, quietLog, startTestApp, type TestApp } from '../support/engine';
import { noneRunning, runsOf } from '../support/engine-runs';
import { icalBusy } from '../support/ical-oracle';

const WORK = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/busy/work.ics'), 'utf8');
const ZONE = 'Europe/Berlin';
const MONDAYS = ['2026-03-16', '2026-03-23', '2026-03-30', '2026-04-06'];
const local = (day: string, time: string) => DateTime.fromISO(`${day}T${time}`, { zone: ZONE }).toMillis();
const FROM = local(MONDAYS[0]!, '00:00');
const TO = local('2026-04-07', '00:00');
const ORACLE = icalBusy(WORK, FROM - 86_400_000, TO + 86_400_000);
const iso = (ms: number) => new Date(ms).toISOString();

type Row = [
  scheduledAt: string,
  status: string,
  fireAt: string | null,
  startedAt: string | null,
  reason: string | null,
];

/** What each occurrence must become, by the rule, over ical.js's blocks (none of them touch). */
function expectedRows(expression: string, whenBusy: 'run' | 'defer' | 'skip'): Row[] {
  const trigger = { type: 'cron' as const, expression, timezone: ZONE };
  const rows: Row[] = [];
  let previous: number | null = null;
  for (
    let at = nextOccurrence(trigger, FROM, 0);
    at !== null && at < TO;
    at = nextOccurrence(trigger, at, 0)
  ) {
    const block = whenBusy === 'run' ? undefined : ORACLE.find((b) => b.start <= at! && at! < b.end);
    const name = block && `"${block.summary}" (Work)`;
    const prev = previous;
    previous = at;
    if (!block) rows.push([iso(at), 'succeeded', iso(at), iso(at), null]);
    else if (whenBusy === 'skip') rows.push([iso(at), 'skipped', iso(at), null, `busy: ${name}`]);
    else if (prev !== null && prev >= block.start) {
      rows.push([
        iso(at),
        'skipped',
        iso(at),
        null,
        `busy: ${name}; an earlier occurrence in this busy time already runs at its end`,
      ]);
    } else {
      rows.push([
        iso(at),
        'succeeded',
        iso(block.end),
        iso(block.end),
        `deferred to the end of busy time: ${name}`,
      ]);
    }
  }
  return rows;
}

/** A schedule's rows by occurrence (history lists them by when they ran). */
const shown = (runs: Run[]): Row[] =>
  runs
    .map((run): Row => [run.scheduledAt!, run.status, run.fireAt, run.startedAt, run.reason])
    .sort((a, b) => a[0].localeCompare(b[0]));

describe('whenBusy in the dispatcher', () => {
  let app: TestApp;
  afterEach(() => {
    app.close();
    expect(quietLog.errors).toEqual([]);
  });

  it('defers and skips exactly the occurrences ical.js puts in busy time, across an EXDATE, a moved instance and DST', async () => {
    app = startTestApp({ start: FROM - 3_600_000 });
    const file = path.join(app.dataDir, 'work.ics');
    fs.writeFileSync(file, WORK);
    await call(app, 'settings.update', { busyCalendars: [{ path: file, name: 'Work' }] });
    const cases = [
      ['Plain', '30 9 * * 1', 'run'],
      ['Skip', '30 9 * * 1', 'skip'],
      ['Defer', '0,20,40 9 * * 1', 'defer'],
      ['Late', '0 9,11 * * 1', 'defer'],
    ] as const;
    const schedules: Schedule[] = [];
    for (const [name, expression, whenBusy] of cases) {
      schedules.push(
        await call<Schedule>(app, 'schedules.create', {
          name,
          trigger: { type: 'cron', expression, timezone: ZONE },
          action: { type: 'reminder', title: name },
          policy: { whenBusy, overlap: 'skip' },
        }),
      );
    }
    // Each Monday morning minute by minute (nothing is due between them): jump to 08:50, then walk to 13:00.
    for (const day of MONDAYS) {
      app.clock.suspend(local(day, '08:50') - app.clock.now());
      app.engine.wake();
      while (app.clock.now() < local(day, '13:00')) {
        app.clock.advance(60_000);
        await noneRunning(app);
      }
    }
    await app.engine.whenIdle();
    for (const [i, [, expression, whenBusy]] of cases.entries()) {
      expect(shown(await runsOf(app, schedules[i]!.id))).toEqual(expectedRows(expression, whenBusy));
    }
    // The file's rules were exercised: the EXDATE Monday ran on time, the moved instance deferred 11:00
    const late = shown(await runsOf(app, schedules[3]!.id));
    expect(late.find((row) => row[0] === iso(local('2026-03-23', '09:00')))?.[1]).toBe('succeeded');
    expect(late.find((row) => row[0] === iso(local('2026-04-06', '11:00')))?.[3]).toBe(
      iso(local('2026-04-06', '12:30')),
    );
  });

  it('judges a catch-up by when it would run: woken inside a block, it is deferred to the block’s end', async () => {
    const day = '2026-03-30'; // after the DST change; the block is 09:00–10:00 in Berlin
    app = startTestApp({ start: local(day, '06:00') });
    const file = path.join(app.dataDir, 'work.ics');
    fs.writeFileSync(file, WORK);
    await call(app, 'settings.update', { busyCalendars: [{ path: file, name: 'Work' }] });
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'Early',
      trigger: { type: 'cron', expression: '0 7 * * 1', timezone: ZONE },
      action: { type: 'reminder', title: 'Early' },
      policy: { whenBusy: 'defer', catchUp: 'latest' },
    });
    // 07:00 is free, but the machine sleeps through it and wakes at 09:30, inside the block
    app.clock.suspend(local(day, '09:30') - app.clock.now());
    app.engine.wake();
    const block = ORACLE.find((b) => b.start <= local(day, '09:30') && local(day, '09:30') < b.end)!;
    expect(block.end).toBe(local(day, '10:00'));
    while (app.clock.now() < block.end + 60_000) {
      app.clock.advance(60_000);
      await noneRunning(app);
    }
    const [run] = await runsOf(app, s.id);
    expect(run).toMatchObject({
      trigger: 'catch-up',
      status: 'succeeded',
      scheduledAt: iso(local(day, '07:00')),
      fireAt: iso(block.end),
      startedAt: iso(block.end),
      reason: `deferred to the end of busy time: "${block.summary}" (Work)`,
    });
  });
});
