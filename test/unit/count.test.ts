/**
 * countBetween(trigger, after, until, createdAt) counts the occurrences in (after, until] without enumerating
 * them: it must equal occurrencesBetween(...).length for every trigger and span, and stay cheap.
 */
import { Cron } from 'croner';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countBetween } from '../../src/main/engine/count';
import { occurrencesBetween } from '../../src/main/engine/planner';
import type { Trigger } from '../../src/shared/domain';
import {
  DAY,
  DST_ZONES,
  HOUR,
  KOLKATA,
  LORD_HOWE,
  MINUTE,
  NEW_YORK,
  SANTIAGO,
  localDay,
  transitions,
} from '../support/zones';

const SECOND = 1000;

const ZONES = [...DST_ZONES, KOLKATA, 'UTC'];

const iso = (ms: number): string => new Date(ms).toISOString();
const cron = (expression: string, timezone: string, extra: Partial<Trigger> = {}): Trigger =>
  ({ type: 'cron', expression, timezone, ...extra }) as Trigger;

/** For the property only: a midnight overlap, half-hour and 45-minute offsets, negative DST. */
const MORE_ZONES = ['America/Havana', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Casablanca'];
const PROPERTY_ZONES = [...ZONES, ...MORE_ZONES];

const TRANSITIONS = [...DST_ZONES, ...MORE_ZONES].flatMap((zone) =>
  transitions(zone, Date.UTC(2026, 0, 1), Date.UTC(2028, 0, 1)).map((at) => ({ zone, at })),
);

function expectCountMatches(trigger: Trigger, after: number, until: number, createdAt = 0): number {
  const enumerated = occurrencesBetween(trigger, after, until, createdAt, 1_000_000).length;
  const counted = countBetween(trigger, after, until, createdAt);
  expect(counted, `${JSON.stringify(trigger)} (${iso(after)}, ${iso(until)}]`).toBe(enumerated);
  return counted;
}

describe('countBetween equals the number of enumerated occurrences', () => {
  const patterns = [
    '* * * * *',
    '*/7 * * * *',
    '0 * * * *',
    '@hourly',
    '@daily',
    '@weekly',
    '@monthly',
    '30 2 * * *',
    '30 1 * * *',
    '0 0 * * *',
    '30 0 * * *',
    '30 23 * * *',
    '15,45 1-3 * * *',
    '0 1-3 * * *',
    '0 */2 * * *',
    '*/30 * * * *',
    '15,45 8-17 * * 1-5',
    '0 9 1 * MON',
    '0 9 L * *',
    '0 9 15W * *',
    '0 9 LW * *',
    '0 9 * * MON#2',
    '0 9 * * 5#L',
    '0 0 29 2 *',
    '5 4 * 3,4,9,10,11 SUN',
  ];

  /** How far around a transition to compare: enumeration (the reference) costs one croner call per occurrence. */
  const reachOf = (expression: string): number => {
    const [minute, hour] = expression.split(' ');
    if (minute === '*' || minute === '*/7') return 12 * HOUR;
    if (expression === '@hourly' || hour === '*' || hour === '*/2') return 4 * DAY;
    return 20 * DAY;
  };

  describe.each(ZONES)('%s', (zone) => {
    it.each(patterns)(
      '%s over days to weeks around each transition, and over each transition day',
      (expression) => {
        const trigger = cron(expression, zone);
        const zoneTransitions = transitions(zone, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
        const centres = zoneTransitions.length
          ? zoneTransitions
          : [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1)];
        const reach = reachOf(expression);
        const dense = reach < DAY;
        for (const centre of centres) {
          expectCountMatches(trigger, centre - reach + 12_345, centre + reach - 777);
          expectCountMatches(trigger, centre - HOUR - 1, centre + HOUR);
          const date = DateTime.fromMillis(centre, { zone }).toISODate()!;
          for (const d of dense ? [0] : [-1, 0, 1]) {
            const day = DateTime.fromISO(date, { zone: 'utc' }).plus({ days: d }).toISODate()!;
            const [start, end] = localDay(zone, day);
            expectCountMatches(trigger, start - 1, end - 1);
            if (dense) continue;
            expectCountMatches(trigger, start, end);
            // spans that start and end mid-day
            expectCountMatches(trigger, start + 90 * MINUTE + 500, end - 5 * HOUR - 1);
          }
        }
      },
    );
  });

  it('counts a local day that starts after midnight (America/Santiago 2026-09-06 begins at 01:00)', () => {
    const [start, end] = localDay(SANTIAGO, '2026-09-06');
    expect(iso(start)).toBe('2026-09-06T04:00:00.000Z');
    expect(end - start).toBe(23 * HOUR);
    expect(countBetween(cron('0 * * * *', SANTIAGO), start - 1, end - 1, 0)).toBe(23);
    expect(countBetween(cron('* * * * *', SANTIAGO), start - 1, end - 1, 0)).toBe(23 * 60);
    expect(countBetween(cron('0 0 * * *', SANTIAGO), start - 1, end - 1, 0)).toBe(1);
    // and the following day, counted from inside the short one
    expect(countBetween(cron('0 * * * *', SANTIAGO), start + HOUR - 1, end + DAY - 1, 0)).toBe(22 + 24);
  });

  it('counts a local day whose midnight repeats (America/Havana 2026-11-01), from anywhere in it', () => {
    const [start, end] = localDay('America/Havana', '2026-11-01');
    expect(iso(start)).toBe('2026-11-01T04:00:00.000Z');
    expect(end - start).toBe(25 * HOUR);
    for (const expression of ['0 * * * *', '*/20 * * * *', '30 0 * * *', '0,30 0,1 * * *', '*/30 0 * * *']) {
      const trigger = cron(expression, 'America/Havana');
      for (let after = start - 1; after < start + 3 * HOUR; after += 10 * MINUTE) {
        expectCountMatches(trigger, after, end + 2 * DAY);
      }
    }
    expect(countBetween(cron('0 * * * *', 'America/Havana'), start - 1, end - 1, 0)).toBe(25);
  });

  it.each(DST_ZONES)('counts a seconds pattern (*/15 * * * * *) across the transition days in %s', (zone) => {
    for (const centre of transitions(zone, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))) {
      const trigger = cron('*/15 * * * * *', zone);
      expectCountMatches(trigger, centre - 4 * HOUR - 7_500, centre + 3 * HOUR + 3 * SECOND);
      expectCountMatches(trigger, centre - 2 * DAY, centre - 2 * DAY + 6 * HOUR);
      expectCountMatches(cron('0,30 */20 1-3 * * *', zone), centre - 3 * DAY, centre + 3 * DAY);
    }
  });

  it('ORs day-of-month with day-of-week (`0 9 1 * MON` runs on the 1st and on Mondays)', () => {
    const trigger = cron('0 9 1 * MON', 'UTC');
    // March 2026: Sunday 1st; Mondays 2, 9, 16, 23, 30
    expect(countBetween(trigger, Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 1), 0)).toBe(6);
    expectCountMatches(trigger, Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31));
  });

  it('honours startAt and endAt', () => {
    for (const zone of [NEW_YORK, LORD_HOWE]) {
      for (const [expression, startAt, endAt] of [
        ['*/5 * * * *', '2026-03-05T10:17:31.250Z', '2026-03-11T03:00:00.000Z'],
        ['0 * * * *', '2026-03-05T10:17:31.250Z', '2026-03-11T03:00:00.000Z'],
        ['30 2 * * *', '2026-03-05T10:17:31.250Z', '2026-03-11T03:00:00.000Z'],
        ['*/20 * * * * *', '2026-03-08T03:17:31.250Z', '2026-03-08T09:00:00.000Z'],
      ] as const) {
        const trigger = cron(expression, zone, { startAt, endAt });
        expectCountMatches(trigger, Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 20));
        expectCountMatches(trigger, Date.parse(startAt) - 1, Date.parse(endAt));
        expectCountMatches(trigger, Date.parse(startAt) + 10 * MINUTE, Date.parse(endAt) - 10 * MINUTE);
        expect(countBetween(trigger, Date.parse(endAt), Date.parse(endAt) + 10 * DAY, 0)).toBe(0);
        expect(countBetween(trigger, 0, Date.parse(startAt) - 1, 0)).toBe(0);
      }
    }
    const hourly = cron('0 * * * *', 'UTC', {
      startAt: '2026-03-01T00:00:00Z',
      endAt: '2026-03-02T00:00:00Z',
    });
    expect(countBetween(hourly, 0, Date.UTC(2027, 0, 1), 0)).toBe(25);
  });

  it('counts intervals and once triggers', () => {
    const anchor = Date.parse('2026-03-07T22:13:14.500Z');
    const interval: Trigger = {
      type: 'interval',
      everySeconds: 3600,
      timezone: NEW_YORK,
      startAt: iso(anchor),
    };
    expect(countBetween(interval, anchor - 1, anchor + DAY - 1, 0)).toBe(24);
    expect(countBetween(interval, anchor, anchor + DAY, 0)).toBe(24);
    expect(countBetween(interval, anchor - 10 * DAY, anchor, 0)).toBe(1);
    const bounded: Trigger = { ...interval, everySeconds: 7, endAt: iso(anchor + 10 * HOUR) };
    for (const [after, until] of [
      [anchor - 5, anchor + 20 * HOUR],
      [anchor + 123_456, anchor + 9 * HOUR + 59 * MINUTE],
      [anchor + 10 * HOUR, anchor + 11 * HOUR],
    ] as const) {
      expectCountMatches(bounded, after, until);
    }
    const createdAt = Date.parse('2026-03-01T00:00:00.123Z');
    const unanchored: Trigger = { type: 'interval', everySeconds: 61, timezone: 'UTC' };
    expectCountMatches(unanchored, createdAt - DAY, createdAt + 2 * DAY, createdAt);
    expectCountMatches(unanchored, createdAt + 61_000, createdAt + 2 * DAY + 5, createdAt);

    const once: Trigger = { type: 'once', at: '2026-03-08T02:30', timezone: NEW_YORK };
    const at = Date.parse('2026-03-08T07:00:00Z');
    expect(countBetween(once, at - 1, at, 0)).toBe(1);
    expect(countBetween(once, at, at + DAY, 0)).toBe(0);
    expect(countBetween(once, at - DAY, at - 1, 0)).toBe(0);
    expect(countBetween({ ...once, endAt: iso(at - 1) }, 0, at + DAY, 0)).toBe(0);
    expect(countBetween({ ...once, startAt: iso(at + 1) }, 0, at + DAY, 0)).toBe(0);
  });

  it('is zero for empty and reversed spans', () => {
    expect(countBetween(cron('* * * * * *', 'UTC'), 1_000_000, 1_000_000, 0)).toBe(0);
    expect(countBetween(cron('* * * * * *', 'UTC'), 2_000_000, 1_000_000, 0)).toBe(0);
    expect(countBetween(cron('0 0 31 2 *', 'UTC'), 0, Date.UTC(2030, 0, 1), 0)).toBe(0);
  });
});

describe('countBetween stays cheap', () => {
  afterEach(() => vi.restoreAllMocks());

  const cases = [
    // 30 local days from local midnight: elapsed minutes are what a minutely job runs on
    { label: 'across spring-forward', zone: NEW_YORK, from: '2026-03-01', to: '2026-03-31', dstHour: -60 },
    { label: 'across fall-back', zone: NEW_YORK, from: '2026-10-15', to: '2026-11-14', dstHour: 60 },
    { label: 'without a transition', zone: NEW_YORK, from: '2026-06-01', to: '2026-07-01', dstHour: 0 },
  ];

  it.each(cases)(
    'counts a minutely job over 30 local days $label exactly, in far fewer than 43,200 croner calls',
    (c) => {
      const after = DateTime.fromISO(c.from, { zone: c.zone }).toMillis();
      const until = DateTime.fromISO(c.to, { zone: c.zone }).toMillis();
      // independent arithmetic: one run per elapsed minute in (after, until]
      const elapsedMinutes = (until - after) / MINUTE;
      expect(elapsedMinutes).toBe(30 * 24 * 60 + c.dstHour);

      const spy = vi.spyOn(Cron.prototype, 'nextRun');
      const counted = countBetween(cron('* * * * *', c.zone), after, until, 0);
      const calls = spy.mock.calls.length;
      spy.mockRestore();

      expect(counted).toBe(elapsedMinutes);
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThan(2000);
    },
  );

  it.each(cases)('counts a per-second job over 30 local days $label exactly, in far fewer calls too', (c) => {
    const after = DateTime.fromISO(c.from, { zone: c.zone }).toMillis();
    const until = DateTime.fromISO(c.to, { zone: c.zone }).toMillis();
    const spy = vi.spyOn(Cron.prototype, 'nextRun');
    const counted = countBetween(cron('* * * * * *', c.zone), after, until, 0);
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    expect(counted).toBe((until - after) / SECOND);
    // about one call per day, and one more for each side of a DST change
    expect(calls).toBeLessThan(100);
  });

  it('splits a DST-change day instead of enumerating it (minutely, Lord Howe and Santiago)', () => {
    for (const zone of [LORD_HOWE, SANTIAGO]) {
      for (const at of transitions(zone, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))) {
        const spy = vi.spyOn(Cron.prototype, 'nextRun');
        const counted = countBetween(cron('* * * * *', zone), at - 2 * DAY, at + 2 * DAY, 0);
        const calls = spy.mock.calls.length;
        spy.mockRestore();
        expect(counted).toBe((4 * DAY) / MINUTE);
        expect(calls).toBeLessThan(20);
      }
    }
  });

  it('counts a minutely job over a year in a few thousand calls at most, and an interval in O(1)', () => {
    const after = Date.parse('2026-01-01T00:00:00Z');
    const until = Date.parse('2027-01-01T00:00:00Z');
    const spy = vi.spyOn(Cron.prototype, 'nextRun');
    expect(countBetween(cron('* * * * *', 'UTC'), after, until, 0)).toBe(365 * 1440);
    expect(spy.mock.calls.length).toBeLessThan(2 * 366);
    spy.mockClear();
    const interval: Trigger = { type: 'interval', everySeconds: 1, timezone: NEW_YORK, startAt: iso(after) };
    expect(countBetween(interval, after, until, 0)).toBe(365 * 86_400);
    expect(spy.mock.calls.length).toBe(0);
  });
});

// ---- the property --------------------------------------------------------------------------------

const minuteField = fc.constantFrom('0', '30', '*/15', '7,37', '0-2', '*/20', '59', '*');
const hourField = fc.constantFrom('*', '2', '1-3', '*/2', '0,12', '23', '9-17', '0', '1', '*/5');
const domField = fc.constantFrom('*', '*', '*', '1', 'L', '15W', '1-7', '31', '*/10');
const monthField = fc.constantFrom('*', '*', '*', '3,4,9,10,11', '*/2', '11');
const dowField = fc.constantFrom('*', '*', '*', 'MON', '1-5', 'SUN#1', '6#L', 'SAT,SUN');
const secondField = fc.constantFrom('0', '*/30', '15,45', '*/20');

const patternArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(minuteField, hourField, domField, monthField, dowField).map((f) => f.join(' ')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        secondField,
        fc.constantFrom('0', '*/10', '1-3', '30'),
        hourField,
        domField,
        monthField,
        dowField,
      )
      .map((f) => f.join(' ')),
  },
  { weight: 1, arbitrary: fc.constantFrom('@hourly', '@daily', '@weekly', '@monthly') },
);

const afterArb = fc.oneof(
  // near a real transition, where the counting must fall back or split
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -6 * DAY, max: 2 * DAY }))
      .map(([t, d]) => ({ zone: t.zone as string | null, at: t.at + d })),
  },
  fc
    .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
    .map((at) => ({ zone: null as string | null, at })),
);

describe('countBetween property', () => {
  it('equals occurrencesBetween(...).length for random patterns, zones and spans up to 10 days', () => {
    fc.assert(
      fc.property(
        patternArb,
        afterArb,
        fc.constantFrom(...PROPERTY_ZONES),
        fc.integer({ min: 1, max: 10 * DAY }),
        fc.option(fc.integer({ min: -2 * DAY, max: 10 * DAY }), { nil: undefined }),
        (expression, start, randomZone, span, endOffset) => {
          const zone = start.zone ?? randomZone;
          // dense patterns get shorter spans so enumeration (the reference) stays affordable
          const dense = expression.split(' ').length === 6 || expression.startsWith('* ');
          const length = dense ? span % (2 * DAY) : span;
          const after = start.at;
          const until = after + length;
          const trigger = cron(
            expression,
            zone,
            endOffset === undefined ? {} : { endAt: iso(after + endOffset) },
          );
          const enumerated = occurrencesBetween(trigger, after, until, 0, 1_000_000).length;
          expect(
            countBetween(trigger, after, until, 0),
            `${expression} ${zone} (${iso(after)}, ${iso(until)}]`,
          ).toBe(enumerated);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equals it for spans starting or ending within hours of a transition (inside gaps and repeated hours)', () => {
    fc.assert(
      fc.property(
        patternArb,
        fc.constantFrom(...TRANSITIONS),
        fc.integer({ min: -3 * 60, max: 3 * 60 }),
        fc.integer({ min: 0, max: 59_999 }),
        fc.integer({ min: 1, max: 36 * HOUR }),
        fc.boolean(),
        (expression, t, minutes, jitter, span, endsNear) => {
          const near = t.at + minutes * MINUTE + (jitter % 3 === 0 ? 0 : jitter);
          const [after, until] = endsNear ? [near - span, near] : [near, near + span];
          const trigger = cron(expression, t.zone);
          const enumerated = occurrencesBetween(trigger, after, until, 0, 1_000_000).length;
          expect(
            countBetween(trigger, after, until, 0),
            `${expression} ${t.zone} (${iso(after)}, ${iso(until)}]`,
          ).toBe(enumerated);
        },
      ),
      { numRuns: 300 },
    );
  });
});
