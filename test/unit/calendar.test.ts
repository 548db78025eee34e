/**
 * The calendar's planned side is the planner's truth (DESIGN.md §4.6): per-slot counts equal the
 * occurrences the dispatcher would claim, whether the schedule is walked or counted per slot.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Trigger } from '../../src/shared/domain';
import { planSlots, slotBoundaries, type SlotSchedule } from '../../src/main/engine/calendar';
import { nextOccurrence } from '../../src/main/engine/planner';

const budget = { budgetMs: 60_000, elapsed: () => performance.now() };

function bruteForce(schedule: SlotSchedule, bounds: number[], now: number): number[] {
  const counts = new Array(bounds.length - 1).fill(0);
  const begin = Math.max(bounds[0]!, now);
  let left = schedule.remaining;
  for (
    let at = nextOccurrence(schedule.trigger, begin - 1, schedule.createdAt);
    at !== null && at < bounds[bounds.length - 1]! && left > 0;
    at = nextOccurrence(schedule.trigger, at, schedule.createdAt), left--
  ) {
    const index = bounds.findIndex((start, i) => start <= at! && at! < bounds[i + 1]!);
    counts[index]++;
  }
  return counts;
}

describe('slot boundaries', () => {
  it('cut each local day from midnight, so rows line up across a DST change', () => {
    const zone = 'Europe/Berlin';
    const from = DateTime.fromISO('2026-03-28T00:00', { zone }).toMillis();
    const to = DateTime.fromISO('2026-03-31T00:00', { zone }).toMillis();
    const bounds = slotBoundaries(from, to, 360, zone);
    const local = bounds.map((ms) => DateTime.fromMillis(ms, { zone }).toFormat('dd HH:mm'));
    // 29 March has 23 hours: its last slot is an hour short, and the next day still starts at 00:00
    expect(local).toEqual([
      '28 00:00',
      '28 06:00',
      '28 12:00',
      '28 18:00',
      '29 00:00',
      '29 07:00',
      '29 13:00',
      '29 19:00',
      '30 00:00',
      '30 06:00',
      '30 12:00',
      '30 18:00',
      '31 00:00',
    ]);
  });

  it('cover the range exactly, strictly increasing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_780_000_000_000, max: 1_800_000_000_000 }),
        fc.integer({ min: 1, max: 5 * 86_400_000 }),
        fc.constantFrom(5, 30, 60, 240, 1440),
        fc.constantFrom('UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'),
        (from, span, slot, zone) => {
          const bounds = slotBoundaries(from, from + span, slot, zone);
          expect(bounds[0]).toBe(from);
          expect(bounds[bounds.length - 1]).toBe(from + span);
          for (let i = 1; i < bounds.length; i++) expect(bounds[i]!).toBeGreaterThan(bounds[i - 1]!);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('planned counts', () => {
  const triggers: Trigger[] = [
    { type: 'cron', expression: '*/7 * * * *', timezone: 'Europe/Berlin' },
    { type: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' },
    { type: 'cron', expression: '0 */2 * * 1-5', timezone: 'America/New_York' },
    { type: 'cron', expression: '*/20 * * * * *', timezone: 'UTC' },
    { type: 'interval', everySeconds: 2700, timezone: 'UTC' },
    { type: 'once', at: '2026-03-29T02:30', timezone: 'Europe/Berlin' },
  ];

  it('equal the planner’s own occurrences, walked or counted, across a DST week', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...triggers),
        fc.constantFrom(15, 60, 360),
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
        (trigger, slot, nowOffset, remaining) => {
          const zone = trigger.timezone;
          const from = DateTime.fromISO('2026-03-27T00:00', { zone }).toMillis();
          const to = DateTime.fromISO('2026-03-31T00:00', { zone }).toMillis();
          const bounds = slotBoundaries(from, to, slot, zone);
          const now = from + nowOffset;
          const createdAt = Date.parse('2026-03-01T00:00:00Z');
          const schedule: SlotSchedule = {
            id: 's',
            name: 'S',
            trigger,
            createdAt,
            nextAt: nextOccurrence(trigger, now - 1, createdAt),
            remaining: remaining ?? Infinity,
          };
          const { slots, notShown } = planSlots([schedule], bounds, now, budget);
          expect(notShown).toEqual([]);
          expect(slots.map((s) => s.plannedCount)).toEqual(bruteForce(schedule, bounds, now));
          for (const s of slots) {
            expect(s.planned.length).toBeLessThanOrEqual(Math.min(3, s.plannedCount));
            for (const item of s.planned)
              expect(item.at >= s.start && item.at < s.end && item.at >= now).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts the setup of issue 12: two schedules every minute and one every 2 minutes read 75 per half hour', () => {
    const zone = 'Europe/Berlin';
    const from = DateTime.fromISO('2026-12-07T00:00', { zone }).toMillis();
    const bounds = slotBoundaries(from, from + 7 * 86_400_000, 30, zone);
    const now = from - 3_600_000;
    const schedule = (id: string, expression: string): SlotSchedule => {
      const trigger: Trigger = { type: 'cron', expression, timezone: zone };
      return {
        id,
        name: id,
        trigger,
        createdAt: 0,
        nextAt: nextOccurrence(trigger, now, 0),
        remaining: Infinity,
      };
    };
    const { slots, notShown } = planSlots(
      [schedule('A', '* * * * *'), schedule('B', '* * * * *'), schedule('C', '*/2 * * * *')],
      bounds,
      now,
      budget,
    );
    expect(notShown).toEqual([]);
    expect(slots).toHaveLength(7 * 48);
    expect(new Set(slots.map((s) => s.plannedCount))).toEqual(new Set([75]));
    // each slot names its schedules by their first occurrence there
    expect(slots[1]!.planned).toEqual([
      { scheduleId: 'A', name: 'A', at: from + 30 * 60_000 },
      { scheduleId: 'B', name: 'B', at: from + 30 * 60_000 },
      { scheduleId: 'C', name: 'C', at: from + 30 * 60_000 },
    ]);
  });

  it('counts identical triggers per schedule: each from its own next claim, each to its own maxRuns', () => {
    const trigger: Trigger = { type: 'cron', expression: '* * * * *', timezone: 'UTC' };
    const bounds = slotBoundaries(0, 4 * 3_600_000, 60, 'UTC');
    const base = { trigger, createdAt: 0, name: 'Every minute' };
    const { slots } = planSlots(
      [
        { ...base, id: 'a', nextAt: 0, remaining: Infinity },
        // the clock was set back: its next claim is 90 minutes ahead, nothing before it runs again
        { ...base, id: 'b', nextAt: 90 * 60_000, remaining: Infinity },
        // 100 runs left, all after the range starts
        { ...base, id: 'c', nextAt: 0, remaining: 100 },
        // its range starts in the future: 30 of its 40 runs are used up before that
        { ...base, id: 'd', nextAt: -30 * 60_000, remaining: 40 },
      ],
      bounds,
      -30 * 60_000,
      budget,
    );
    expect(slots.map((s) => s.plannedCount)).toEqual([60 + 0 + 60 + 10, 60 + 30 + 40, 60 + 60, 60 + 60]);
  });

  it('stops at its budget and names the schedules it did not count', () => {
    const many: SlotSchedule[] = Array.from({ length: 50 }, (_, i) => ({
      id: `s${i}`,
      name: `S${i}`,
      trigger: { type: 'cron', expression: `${i % 60} * * * *`, timezone: 'UTC' },
      createdAt: 0,
      nextAt: 0,
      remaining: Infinity,
    }));
    let clock = 0;
    const bounds = slotBoundaries(0, 86_400_000, 60, 'UTC');
    const elapsed = () => (clock += 1); // each schedule "costs" 1 ms
    // an ordinary set is planned in full however long it takes: only a pass past its guaranteed work stops
    expect(planSlots(many, bounds, 0, { budgetMs: 10, elapsed }).notShown).toEqual([]);
    const result = planSlots(many, bounds, 0, { budgetMs: 10, elapsed, guaranteedWork: 100 });
    const counted = 50 - result.notShown.length;
    expect(counted).toBeGreaterThan(4); // 100 evaluations first: 24 slots and one schedule each
    expect(counted).toBeLessThan(50);
    // those counted are complete; the rest are named, in order
    expect(result.slots.reduce((sum, s) => sum + s.plannedCount, 0)).toBe(counted * 24);
    expect(result.notShown).toEqual(
      many.slice(counted).map((schedule) => ({ scheduleId: schedule.id, name: schedule.name })),
    );
  });
});
