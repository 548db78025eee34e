/**
 * Preview is the truth (DESIGN.md §4.6), for the calendar grid: over random sets of schedules, each
 * slot's planned count is the sum over schedules of the planner's own occurrences in that slot,
 * found here by brute force (`nextOccurrence`, one occurrence at a time) and bucketed into the same
 * slots. Sparse and dense cron (steps, lists, ranges, L, W, #, nicknames, seconds), intervals and
 * once triggers; identical triggers on several schedules; startAt and endAt; maxRuns with runs
 * already used; a next claim behind or ahead of now; many zones, and ranges across DST changes.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planSlots, slotBoundaries, type SlotSchedule } from '../../src/main/engine/calendar';
import { nextOccurrence, occurrencesBetween } from '../../src/main/engine/planner';
import type { Trigger } from '../../src/shared/domain';
import { DAY, HOUR, MINUTE, transitions } from '../support/zones';

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Havana',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'UTC',
];
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_END = Date.UTC(2027, 0, 1);
const TRANSITIONS = new Map(ZONES.map((zone) => [zone, transitions(zone, YEAR_START, YEAR_END)]));
const unbounded = { budgetMs: Number.POSITIVE_INFINITY, elapsed: () => performance.now() };

/**
 * How long a range is decides how dense its schedules may be, so that enumerating every occurrence
 * (one croner call each) stays affordable: a week of sparse schedules, a day of minutely ones, an
 * hour of schedules that fire every few seconds.
 */
type Span = 'week' | 'day' | 'hour';
const SPAN_MS: Record<Span, number> = { week: 7 * DAY, day: DAY, hour: HOUR };

const minute = fc.constantFrom('0', '30', '15,45', '*/20', '5-7', '59');
const hour = fc.constantFrom('*', '2', '1-3', '*/6', '9-17', '0', '23', '0,12', '1-23/2');
const dayOfMonth = fc.constantFrom('*', '*', '*', '1', 'L', '15W', '1-10', 'LW');
const month = fc.constantFrom('*', '*', '*', '*/2', '3,10,11', '1-6');
const dayOfWeek = fc.constantFrom('*', '*', '1-5', 'MON', '5#2', '5L', '0,6', 'SUN');
const sparseCron = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(minute, hour, dayOfMonth, month, dayOfWeek).map((f) => f.join(' ')) },
  { weight: 1, arbitrary: fc.constantFrom('@daily', '@hourly', '@weekly', '@monthly', '30 0 */4 * * *') },
);
const minutelyCron = fc.constantFrom(
  '* * * * *',
  '*/2 * * * *',
  '*/7 * * * *',
  '* 1-3 * * *',
  '* 2 * * *',
  '0-59 0-23 * * *',
  '*/3 9-17 * * 1-5',
  '30 * * * * *',
);
const secondlyCron = fc.constantFrom(
  '* * * * * *',
  '*/5 * * * * *',
  '*/15 * 1-3 * * *',
  '0-59 * 2 * * *',
  '*/10 0-59 0-23 * * *',
);

const cronFor = (span: Span) =>
  span === 'week'
    ? sparseCron
    : span === 'day'
      ? fc.oneof({ weight: 2, arbitrary: sparseCron }, { weight: 2, arbitrary: minutelyCron })
      : fc.oneof(sparseCron, minutelyCron, secondlyCron);
const everyFor = (span: Span) =>
  fc.constantFrom(
    ...(span === 'week'
      ? [600, 3600, 5400, 86_400, 7 * 3600]
      : span === 'day'
        ? [7, 30, 60, 90, 600, 3600]
        : [1, 2, 5, 7, 60, 90]),
  );

/** What a schedule is, before it is placed in the range (fractions of the range become instants). */
interface ScheduleSpec {
  kind: 'cron' | 'interval' | 'once';
  expression: string;
  every: number;
  zone: string;
  /** Fraction of the range: the once trigger's local time, startAt, endAt, the interval's anchor. */
  at: number;
  startAt: number | null;
  endAt: number | null;
  jitter: boolean;
  maxRuns: number | null;
  used: number;
  /** Where the next claim is: the planner's next after now, one behind now, one ahead, or none. */
  next: 'next' | 'overdue' | 'ahead' | 'done';
  /** Share the trigger (and creation time) of an earlier schedule of the set. */
  sameAs: number | null;
}

const fraction = fc.double({ min: -0.3, max: 1.3, noNaN: true });

function scheduleSpec(span: Span, zone: string): fc.Arbitrary<ScheduleSpec> {
  return fc.record({
    kind: fc.constantFrom('cron', 'cron', 'cron', 'interval', 'once'),
    expression: cronFor(span),
    every: everyFor(span),
    zone: fc.oneof(
      { weight: 3, arbitrary: fc.constant(zone) },
      { weight: 1, arbitrary: fc.constantFrom(...ZONES) },
    ),
    at: fraction,
    startAt: fc.option(fraction, { freq: 3 }),
    endAt: fc.option(fraction, { freq: 3 }),
    jitter: fc.boolean(),
    maxRuns: fc.option(fc.integer({ min: 1, max: span === 'week' ? 60 : 400 }), { freq: 2 }),
    used: fc.integer({ min: 0, max: 5 }),
    next: fc.constantFrom('next', 'next', 'next', 'overdue', 'ahead', 'done'),
    sameAs: fc.option(fc.nat(), { freq: 2 }),
  });
}

interface Case {
  span: Span;
  zone: string;
  viewer: string;
  slotMinutes: number;
  /** The range's centre: on one of the zone's DST changes (plus `shift`), or anywhere in 2026. */
  nearChange: boolean;
  pick: number;
  anywhere: number;
  shift: number;
  /** Where now is, as a fraction of the range (before it, inside it, after it). */
  now: number;
  specs: ScheduleSpec[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    span: fc.constantFrom<Span>('week', 'week', 'day', 'day', 'hour'),
    zone: fc.constantFrom(...ZONES),
    viewer: fc.constantFrom(...ZONES),
    slotMinutes: fc.constantFrom(5, 15, 30, 60, 240, 1440),
    nearChange: fc.boolean(),
    pick: fc.nat(),
    anywhere: fc.integer({ min: YEAR_START, max: YEAR_END - 8 * DAY }),
    shift: fc.integer({ min: -2 * HOUR, max: 2 * HOUR }),
    now: fc.double({ min: -0.5, max: 1.1, noNaN: true }),
  })
  .chain((base) =>
    fc
      .array(scheduleSpec(base.span, base.zone), { minLength: 1, maxLength: base.span === 'hour' ? 5 : 8 })
      .map((specs) => ({ ...base, specs })),
  );

interface Built {
  bounds: number[];
  now: number;
  schedules: SlotSchedule[];
}

function build(c: Case): Built {
  const changes = TRANSITIONS.get(c.zone)!;
  const centre = c.nearChange && changes.length ? changes[c.pick % changes.length]! + c.shift : c.anywhere;
  const length = SPAN_MS[c.span];
  // a week or a day starts at the viewer's midnight, as the renderer asks; an hour anywhere
  const from =
    c.span === 'hour'
      ? centre - length / 2
      : DateTime.fromMillis(centre - length / 2, { zone: c.viewer })
          .startOf('day')
          .toMillis();
  const to = from + length;
  const bounds = slotBoundaries(from, to, Math.min(c.slotMinutes, c.span === 'hour' ? 15 : 1440), c.viewer);
  const now = Math.round(from + c.now * length) + 123;
  const instant = (f: number) => Math.round(from + f * length);
  const schedules: SlotSchedule[] = [];
  c.specs.forEach((spec, index) => {
    const shared = spec.sameAs === null || index === 0 ? null : schedules[spec.sameAs % index]!;
    let trigger: Trigger;
    let createdAt = from - 10 * DAY + 777;
    if (shared) {
      trigger = shared.trigger;
      createdAt = shared.createdAt;
    } else {
      const bounded = {
        ...(spec.startAt !== null ? { startAt: new Date(instant(spec.startAt) + 250).toISOString() } : {}),
        ...(spec.endAt !== null ? { endAt: new Date(instant(spec.endAt)).toISOString() } : {}),
        ...(spec.jitter ? { jitterSeconds: 30 } : {}),
        ...(spec.maxRuns !== null ? { maxRuns: spec.maxRuns } : {}),
      };
      if (spec.kind === 'cron') {
        trigger = { type: 'cron', expression: spec.expression, timezone: spec.zone, ...bounded };
      } else if (spec.kind === 'interval') {
        trigger = { type: 'interval', everySeconds: spec.every, timezone: spec.zone, ...bounded };
        // an interval without startAt is anchored at creation
        createdAt = instant(spec.at) - 3 * DAY;
      } else {
        // a local time in the zone: on a DST day it may fall in a gap or an overlap
        const local = DateTime.fromMillis(instant(spec.at), { zone: spec.zone }).toFormat(
          "yyyy-MM-dd'T'HH:mm",
        );
        trigger = { type: 'once', at: local, timezone: spec.zone, ...bounded };
      }
    }
    let nextAt: number | null = null;
    if (spec.next === 'next') nextAt = nextOccurrence(trigger, now - 1, createdAt);
    if (spec.next === 'overdue') nextAt = nextOccurrence(trigger, now - 1 - 90 * MINUTE, createdAt);
    if (spec.next === 'ahead') nextAt = nextOccurrence(trigger, now + 0.2 * length, createdAt);
    schedules.push({
      id: `s${index}`,
      name: `Schedule ${index}`,
      trigger,
      createdAt,
      nextAt,
      remaining: Math.max(0, (trigger.maxRuns ?? Infinity) - (trigger.maxRuns ? spec.used : 0)),
    });
  });
  return { bounds, now, schedules };
}

interface Expected {
  counts: number[];
  /** Per slot, each schedule's first counted occurrence there. */
  firsts: Map<string, number>[];
}

/**
 * The definition, by enumeration: a schedule runs the planner's occurrences from max(now, nextAt) on,
 * the first `remaining` of them; those inside the range land in the slot that holds them.
 */
function bruteForce({ bounds, now, schedules }: Built): Expected {
  const slotCount = bounds.length - 1;
  const counts = new Array<number>(slotCount).fill(0);
  const firsts = Array.from({ length: slotCount }, () => new Map<string, number>());
  const end = bounds[slotCount]!;
  const enumerated = new Map<string, number[]>();
  for (const schedule of schedules) {
    if (schedule.nextAt === null || schedule.remaining <= 0) continue;
    const start = Math.max(now, schedule.nextAt);
    const key = `${JSON.stringify(schedule.trigger)}|${schedule.createdAt}|${start}`;
    let all = enumerated.get(key);
    if (!all) {
      all = occurrencesBetween(schedule.trigger, start - 1, end - 1, schedule.createdAt, 1_000_000);
      enumerated.set(key, all);
    }
    let slot = 0;
    for (const at of all.slice(0, Math.min(all.length, schedule.remaining))) {
      if (at < bounds[0]!) continue;
      while (bounds[slot + 1]! <= at) slot++;
      counts[slot]!++;
      if (!firsts[slot]!.has(schedule.id)) firsts[slot]!.set(schedule.id, at);
    }
  }
  return { counts, firsts };
}

describe('calendar grid counts equal the planner’s occurrences (brute force)', () => {
  it('for random sets of schedules, in many zones, across DST changes', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const built = build(c);
        const expected = bruteForce(built);
        const { slots, notShown } = planSlots(built.schedules, built.bounds, built.now, unbounded);
        expect(slots.map((slot) => slot.plannedCount)).toEqual(expected.counts);
        expect(notShown).toEqual([]);
        slots.forEach((slot, i) => {
          // each named schedule by its first occurrence in the slot; the earliest three of those
          const wanted = [...expected.firsts[i]!.values()].sort((a, b) => a - b).slice(0, 3);
          expect(slot.planned.map((item) => item.at)).toEqual(wanted);
          for (const item of slot.planned) expect(expected.firsts[i]!.get(item.scheduleId)).toBe(item.at);
        });
      }),
      { numRuns: 120 },
    );
  }, 300_000);
});
