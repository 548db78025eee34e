/**
 * Properties of the planner over random triggers and instants, biased towards DST transitions in many zones
 * (whole-hour, half-hour, 45-minute offsets; transitions at midnight; 30-minute shifts).
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  jitterFor,
  localToInstant,
  nextOccurrence,
  noteFor,
  occurrencesBetween,
  preview,
} from '../../src/main/engine/planner';
import type { Trigger } from '../../src/shared/domain';
import { offsetAt, transitions } from '../support/zones';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NEVER = Number.MAX_SAFE_INTEGER;

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Havana',
  'America/St_Johns',
  'Pacific/Chatham',
  'Africa/Casablanca',
  'Asia/Kolkata',
  'UTC',
];

const iso = (ms: number): string => new Date(ms).toISOString();

const RANGE_START = Date.UTC(2026, 0, 1);
const RANGE_END = Date.UTC(2028, 0, 1);
const TRANSITIONS = new Map(ZONES.map((zone) => [zone, transitions(zone, RANGE_START, RANGE_END)]));

// ---- arbitraries ----------------------------------------------------------------------------------

/** An instant: either anywhere in 2026–2027, or within a day or so of one of the zone's transitions. */
interface InstantSpec {
  near: boolean;
  pick: number;
  delta: number;
  anywhere: number;
}
const instantSpec: fc.Arbitrary<InstantSpec> = fc.record({
  near: fc.boolean(),
  pick: fc.nat(),
  // whole minutes and seconds matter as much as odd milliseconds
  delta: fc.oneof(
    fc.integer({ min: -36, max: 36 }).map((h) => h * 15 * MINUTE),
    fc.integer({ min: -36 * HOUR, max: 36 * HOUR }),
  ),
  anywhere: fc.integer({ min: RANGE_START, max: RANGE_END - 10 * DAY }),
});
function resolve(spec: InstantSpec, zone: string): number {
  const list = TRANSITIONS.get(zone)!;
  if (!spec.near || list.length === 0) return spec.anywhere;
  return list[spec.pick % list.length]! + spec.delta;
}

const minuteField = fc.constantFrom('0', '30', '*/15', '7,37', '0-2', '*/20', '59', '*', '15,45', '*/30');
const hourField = fc.constantFrom('*', '2', '1-3', '*/2', '0,12', '23', '0', '1', '0-2', '22-23', '*/3');
const domField = fc.constantFrom('*', '*', '*', '1', 'L', '15W', '1-7', '*/10');
const monthField = fc.constantFrom('*', '*', '*', '3,4,9,10,11', '*/2');
const dowField = fc.constantFrom('*', '*', '*', 'MON', '1-5', 'SUN#1', '6#L', 'SAT,SUN');
const secondField = fc.constantFrom('0', '*/30', '15,45', '*/20', '5');

const expressionArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(minuteField, hourField, domField, monthField, dowField).map((f) => f.join(' ')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(secondField, fc.constantFrom('0', '*/10', '1-3', '30', '*'), hourField, fc.constant('* * *'))
      .map((f) => f.join(' ')),
  },
  { weight: 1, arbitrary: fc.constantFrom('@hourly', '@daily', '@weekly', '@monthly') },
);

const zoneArb = fc.constantFrom(...ZONES);

const cronArb: fc.Arbitrary<Trigger> = fc
  .record({ expression: expressionArb, timezone: zoneArb })
  .map(({ expression, timezone }) => ({ type: 'cron', expression, timezone }));

const intervalArb: fc.Arbitrary<Trigger> = fc
  .record({
    everySeconds: fc.constantFrom(1, 7, 60, 300, 900, 3600, 5400, 86_400, 90_061),
    timezone: zoneArb,
    startAt: fc.option(fc.integer({ min: RANGE_START, max: RANGE_END }), { nil: undefined }),
  })
  .map(({ everySeconds, timezone, startAt }) => ({
    type: 'interval',
    everySeconds,
    timezone,
    ...(startAt === undefined ? {} : { startAt: iso(startAt) }),
  }));

/** A local date-time, often inside or next to a gap or an overlap. */
const onceArb: fc.Arbitrary<Trigger> = fc
  .record({
    timezone: zoneArb,
    at: instantSpec,
    seconds: fc.boolean(),
    wallShift: fc.integer({ min: -90, max: 90 }),
  })
  .map(({ timezone, at, seconds, wallShift }) => {
    const instant = resolve(at, timezone);
    // the wall clock of the instant, nudged in wall time so gap times (which no instant shows) come up too
    const local = DateTime.fromMillis(instant, { zone: timezone })
      .setZone('utc', { keepLocalTime: true })
      .plus({ minutes: wallShift });
    return {
      type: 'once',
      at: local.toFormat(seconds ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm"),
      timezone,
    } as Trigger;
  });

/** A local date-time within a couple of hours of a transition's wall clock: often in a gap or an overlap. */
const onceNearArb: fc.Arbitrary<Trigger> = fc
  .record({
    timezone: fc.constantFrom(...ZONES.filter((zone) => TRANSITIONS.get(zone)!.length > 0)),
    pick: fc.nat(),
    minutes: fc.integer({ min: -150, max: 150 }),
    second: fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }),
  })
  .map(({ timezone, pick, minutes, second }) => {
    const list = TRANSITIONS.get(timezone)!;
    const at = list[pick % list.length]!;
    // the wall clock just before the change, as if UTC
    const wall = DateTime.fromMillis(at - 1 + offsetAt(at - 1, timezone) * MINUTE + 1, { zone: 'utc' }).plus({
      minutes,
      seconds: second ?? 0,
    });
    return {
      type: 'once',
      at: wall.toFormat(second === undefined ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss"),
      timezone,
    } as Trigger;
  });

const triggerArb = fc.oneof(
  { weight: 4, arbitrary: cronArb },
  { weight: 1, arbitrary: intervalArb },
  { weight: 1, arbitrary: fc.oneof(onceArb, onceNearArb) },
);

/** How far to enumerate so that the reference enumeration stays cheap for dense triggers. */
function windowFor(trigger: Trigger): number {
  if (trigger.type === 'interval') return Math.min(3 * DAY, trigger.everySeconds * 1000 * 200);
  if (trigger.type === 'once') return 400 * DAY;
  const fields = trigger.expression.split(' ');
  if (fields.length === 6 || fields[0] === '*') return 3 * HOUR;
  return 4 * DAY;
}

const label = (trigger: Trigger, ...instants: number[]) =>
  `${JSON.stringify(trigger)} @ ${instants.map(iso).join(', ')}`;

const RUNS = { numRuns: 250 };
const CREATED = Date.UTC(2025, 11, 1);

// ---- properties ------------------------------------------------------------------------------------

describe('planner properties', () => {
  it('occurrences strictly increase, all after the starting instant, within the asked bound', () => {
    fc.assert(
      fc.property(triggerArb, instantSpec, (trigger, spec) => {
        const after = resolve(spec, trigger.timezone);
        const until = after + windowFor(trigger);
        const runs = occurrencesBetween(trigger, after, until, CREATED, 400);
        for (let i = 0; i < runs.length; i++) {
          expect(runs[i]!, label(trigger, after)).toBeGreaterThan(i === 0 ? after : runs[i - 1]!);
          expect(runs[i]!).toBeLessThanOrEqual(until);
          expect(Number.isInteger(runs[i])).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('nextOccurrence(t, x) > x, and nothing is skipped between x and it (any earlier start agrees on the suffix)', () => {
    fc.assert(
      fc.property(triggerArb, instantSpec, fc.integer({ min: 1, max: 2 * DAY }), (trigger, spec, back) => {
        const x = resolve(spec, trigger.timezone);
        const next = nextOccurrence(trigger, x, CREATED);
        if (next !== null) expect(next, label(trigger, x)).toBeGreaterThan(x);

        const window = windowFor(trigger);
        const until = (next ?? x) + Math.min(window, 6 * HOUR);
        const fromX = occurrencesBetween(trigger, x, until, CREATED, 10_000);
        expect(fromX[0] ?? null, label(trigger, x)).toBe(next !== null && next <= until ? next : null);

        // from a random earlier instant
        const earlier = x - Math.min(back, window);
        const fromEarlier = occurrencesBetween(trigger, earlier, until, CREATED, 10_000);
        expect(
          fromEarlier.filter((at) => at > x),
          label(trigger, earlier, x),
        ).toEqual(fromX);

        // from the last occurrence at or before x, the dispatcher's own cursor
        const previous = fromEarlier.filter((at) => at <= x).at(-1);
        if (previous !== undefined) {
          expect(nextOccurrence(trigger, previous, CREATED), label(trigger, previous, x)).toBe(
            fromX[0] ?? next,
          );
        }
      }),
      RUNS,
    );
  });

  it('preview(t, from, n) is the first n of occurrencesBetween(t, from - 1, ∞) and of the dispatcher chain', () => {
    fc.assert(
      fc.property(triggerArb, instantSpec, fc.integer({ min: 1, max: 30 }), (trigger, spec, n) => {
        const from = resolve(spec, trigger.timezone);
        const planned = preview(trigger, from, n);
        const between = occurrencesBetween(trigger, from - 1, NEVER, from, n);
        expect(
          planned.map((p) => p.at),
          label(trigger, from),
        ).toEqual(between);
        // the dispatcher's chain: each occurrence computed from the previous scheduled instant
        const chain: number[] = [];
        let cursor = from - 1;
        while (chain.length < n) {
          const next = nextOccurrence(trigger, cursor, from);
          if (next === null) break;
          chain.push(next);
          cursor = next;
        }
        expect(chain).toEqual(between);
        // notes are the planner's own, and intervals never get one
        for (const p of planned) {
          expect(p.note).toBe(noteFor(trigger, p.at));
          if (trigger.type === 'interval') expect(p.note).toBeUndefined();
        }
        // an explicit createdAt gives the same for cron and once (it only anchors intervals)
        if (trigger.type !== 'interval') {
          expect(preview(trigger, from, n, CREATED)).toEqual(planned);
        }
      }),
      RUNS,
    );
  });

  it('never runs before startAt nor after endAt; for cron and once the bounds only filter', () => {
    fc.assert(
      fc.property(
        triggerArb,
        instantSpec,
        fc.integer({ min: -DAY, max: 3 * DAY }),
        fc.integer({ min: 1, max: 3 * DAY }),
        (base, spec, startDelta, length) => {
          const x = resolve(spec, base.timezone);
          const startAt = x + startDelta;
          const endAt = startAt + length;
          const trigger: Trigger = { ...base, startAt: iso(startAt), endAt: iso(endAt) };
          // a window that holds startAt and, for sparse triggers, endAt
          const window = windowFor(base);
          const from = startAt - Math.floor(window / 3);
          const until = from + window;
          const bounded = occurrencesBetween(trigger, from, until, CREATED, 100_000);
          for (const at of bounded) {
            expect(at, label(trigger, from)).toBeGreaterThanOrEqual(startAt);
            expect(at, label(trigger, from)).toBeLessThanOrEqual(endAt);
          }
          const next = nextOccurrence(trigger, endAt, CREATED);
          expect(next).toBeNull();
          if (base.type !== 'interval') {
            const free = occurrencesBetween(base, from, until, CREATED, 100_000);
            expect(bounded, label(trigger, from)).toEqual(free.filter((at) => at >= startAt && at <= endAt));
          } else {
            // an interval is anchored at startAt
            if (bounded.length > 0) expect((bounded[0]! - startAt) % (base.everySeconds * 1000)).toBe(0);
            if (from < startAt && until >= startAt) expect(bounded[0]).toBe(startAt);
          }
        },
      ),
      RUNS,
    );
  });

  it('jitterFor is deterministic, within [0, jitterSeconds·1000), and before the next occurrence', () => {
    fc.assert(
      fc.property(
        triggerArb,
        instantSpec,
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 86_400 }),
        (trigger, spec, id, jitterSeconds) => {
          const x = resolve(spec, trigger.timezone);
          const scheduledAt = nextOccurrence(trigger, x, CREATED);
          if (scheduledAt === null) return;
          const nextAt = nextOccurrence(trigger, scheduledAt, CREATED);
          const jitter = jitterFor(id, scheduledAt, jitterSeconds, nextAt);
          expect(jitterFor(id, scheduledAt, jitterSeconds, nextAt)).toBe(jitter);
          expect(Number.isInteger(jitter)).toBe(true);
          expect(jitter).toBeGreaterThanOrEqual(0);
          expect(jitter).toBeLessThan(jitterSeconds * 1000);
          if (nextAt !== null)
            expect(jitter, label(trigger, scheduledAt, nextAt)).toBeLessThan(nextAt - scheduledAt);
          // unclamped, the same id and instant give the same raw value; no jitter asked, none given
          const raw = jitterFor(id, scheduledAt, jitterSeconds, null);
          expect(raw).toBeLessThan(jitterSeconds * 1000);
          if (nextAt !== null) expect(jitter).toBe(Math.min(raw, nextAt - scheduledAt - 1));
          expect(jitterFor(id, scheduledAt, 0, nextAt)).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it('a once trigger runs at its local time: a gap moves it to the gap end, an overlap takes the first instance', () => {
    fc.assert(
      fc.property(fc.oneof(onceArb, onceNearArb), (trigger) => {
        if (trigger.type !== 'once') return;
        const zone = trigger.timezone;
        // independent of the planner: every instant whose wall clock reads the requested local time
        const wallMs = Date.parse(`${trigger.at}Z`);
        const offsets = new Set([-2, -1, 0, 1, 2].map((d) => offsetAt(wallMs + d * DAY, zone)));
        const instants = [...offsets]
          .map((o) => wallMs - o * MINUTE)
          .filter((u) => u + offsetAt(u, zone) * MINUTE === wallMs)
          .sort((a, b) => a - b);
        let expected: number;
        let note: string | undefined;
        if (instants.length === 0) {
          const gapEnd = TRANSITIONS.get(zone)!.find((t) => Math.abs(t - wallMs) < DAY);
          expect(gapEnd, trigger.at).toBeDefined();
          expected = gapEnd!;
          note = 'dst-shifted';
        } else {
          expected = instants[0]!;
          note = instants.length > 1 ? 'dst-repeated' : undefined;
        }
        expect(localToInstant(trigger.at, zone), JSON.stringify(trigger)).toBe(expected);
        expect(nextOccurrence(trigger, expected - 1, CREATED)).toBe(expected);
        expect(nextOccurrence(trigger, expected, CREATED)).toBeNull();
        expect(preview(trigger, expected - DAY, 3)).toEqual([
          note ? { at: expected, note } : { at: expected },
        ]);
      }),
      { numRuns: 500 },
    );
  });

  it('jitter spreads: different ids or instants give different values', () => {
    const values = new Set<number>();
    for (let i = 0; i < 200; i++) values.add(jitterFor(`schedule-${i}`, Date.UTC(2026, 0, 1), 3600, null));
    expect(values.size).toBeGreaterThan(190);
    const perInstant = new Set<number>();
    for (let i = 0; i < 200; i++)
      perInstant.add(jitterFor('one', Date.UTC(2026, 0, 1) + i * MINUTE, 3600, null));
    expect(perInstant.size).toBeGreaterThan(190);
  });
});
