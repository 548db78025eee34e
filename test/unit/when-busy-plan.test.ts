/**
 * The grid shows what whenBusy does (issue 15 §5, DESIGN.md §4.6): per slot, planned runs (deferred
 * ones at the end of busy time), deferred runs and skipped occurrences equal a walk of the planner's
 * occurrences through the dispatcher's own decision, `decideWhenBusy`.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Trigger, WhenBusy } from '../../src/shared/domain';
import { planSlots, slotBoundaries, type SlotSchedule } from '../../src/main/engine/calendar';
import { nextOccurrence } from '../../src/main/engine/planner';
import type { BusyInterval } from '../../src/main/engine/ports';
import { busySpans, decideWhenBusy, type BusySpan } from '../../src/main/engine/when-busy';

const budget = { budgetMs: 60_000, elapsed: () => performance.now() };

/** Every occurrence from the next claim on, one by one, through the dispatcher's decision. */
function walk(schedule: SlotSchedule, bounds: number[], now: number, spans: BusySpan[]) {
  const n = bounds.length - 1;
  const planned = new Array<number>(n).fill(0);
  const deferred = new Array<number>(n).fill(0);
  const skipped = new Array<number>(n).fill(0);
  const begin = Math.max(bounds[0]!, now);
  const end = bounds[n]!;
  const slotOf = (at: number) =>
    at < begin || at >= end ? -1 : bounds.findIndex((start, i) => start <= at && at < bounds[i + 1]!);
  let left = schedule.remaining;
  let previous = schedule.lastScheduledAt ?? null;
  const start = Math.max(now, schedule.nextAt!);
  for (
    let at = nextOccurrence(schedule.trigger, start - 1, schedule.createdAt);
    at !== null && at < end && left > 0;
    at = nextOccurrence(schedule.trigger, at, schedule.createdAt)
  ) {
    const decision = decideWhenBusy(schedule.whenBusy, at, previous, spans);
    previous = at;
    if (decision.action === 'skip') {
      if (slotOf(at) >= 0) skipped[slotOf(at)]!++;
      continue;
    }
    left--;
    const runsAt = decision.action === 'defer' ? decision.until : at;
    if (slotOf(runsAt) < 0) continue;
    planned[slotOf(runsAt)]!++;
    if (decision.action === 'defer') deferred[slotOf(runsAt)]!++;
  }
  return { planned, deferred, skipped };
}

const triggers: Trigger[] = [
  { type: 'cron', expression: '*/7 * * * *', timezone: 'Europe/Berlin' },
  { type: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' },
  { type: 'cron', expression: '0 9-17 * * 1-5', timezone: 'Europe/Berlin' },
  { type: 'cron', expression: '0 */2 * * 1-5', timezone: 'America/New_York' },
  { type: 'interval', everySeconds: 2700, timezone: 'UTC' },
];

describe('calendar slots under whenBusy', () => {
  it('equal the dispatcher’s decisions walked one by one, across a DST week', () => {
    const zone = 'Europe/Berlin';
    const from = DateTime.fromISO('2026-03-27T00:00', { zone }).toMillis();
    const to = DateTime.fromISO('2026-03-31T00:00', { zone }).toMillis();
    const block = fc
      .record({
        start: fc.integer({ min: -86_400_000, max: 5 * 86_400_000 }),
        length: fc.integer({ min: 60_000, max: 6 * 3_600_000 }),
        summary: fc.constantFrom('Standup', 'Review', ''),
      })
      .map((b): BusyInterval => ({
        start: from + b.start,
        end: from + b.start + b.length,
        summary: b.summary,
        calendar: 'Work',
      }));
    fc.assert(
      fc.property(
        fc.constantFrom(...triggers),
        fc.constantFrom<WhenBusy>('defer', 'skip'),
        fc.array(block, { maxLength: 12 }),
        fc.constantFrom(15, 60, 360),
        fc.integer({ min: -86_400_000, max: 3 * 86_400_000 }),
        fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
        (trigger, whenBusy, blocks, slot, nowOffset, remaining) => {
          const bounds = slotBoundaries(from, to, slot, zone);
          const now = from + nowOffset;
          const createdAt = Date.parse('2026-03-01T00:00:00Z');
          const nextAt = nextOccurrence(trigger, now - 1, createdAt);
          const schedule: SlotSchedule = {
            id: 's',
            name: 'S',
            trigger,
            createdAt,
            nextAt,
            remaining: remaining ?? Infinity,
            whenBusy,
            lastScheduledAt: nextAt === null ? null : (prevOf(trigger, nextAt, createdAt) ?? null),
          };
          const spans = busySpans(blocks);
          const { slots, notShown } = planSlots([schedule], bounds, now, { ...budget, busy: spans });
          expect(notShown).toEqual([]);
          const expected = walk(schedule, bounds, now, spans);
          expect(slots.map((s) => s.plannedCount)).toEqual(expected.planned);
          expect(slots.map((s) => s.deferredCount)).toEqual(expected.deferred);
          expect(slots.map((s) => s.busySkippedCount)).toEqual(expected.skipped);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('show a weekday 09:00 job deferred past a standup and skipped in a second one that day', () => {
    const zone = 'Europe/Berlin';
    const from = DateTime.fromISO('2026-03-30T00:00', { zone }).toMillis(); // a Monday
    const to = from + 86_400_000;
    const local = (time: string) => DateTime.fromISO(`2026-03-30T${time}`, { zone }).toMillis();
    const trigger: Trigger = { type: 'cron', expression: '0 9,10 * * *', timezone: zone };
    const spans = busySpans([
      { start: local('08:45'), end: local('10:30'), summary: 'Planning', calendar: 'Work' },
    ]);
    const schedule: SlotSchedule = {
      id: 's',
      name: 'S',
      trigger,
      createdAt: 0,
      nextAt: local('09:00'),
      remaining: Infinity,
      whenBusy: 'defer',
    };
    const bounds = slotBoundaries(from, to, 30, zone);
    const { slots } = planSlots([schedule], bounds, from, { ...budget, busy: spans });
    const at = (time: string) => slots.find((s) => s.start === local(time))!;
    expect(at('09:00')).toMatchObject({ plannedCount: 0, busySkippedCount: 0 });
    expect(at('10:00')).toMatchObject({ plannedCount: 0, busySkippedCount: 1 });
    expect(at('10:30')).toMatchObject({ plannedCount: 1, deferredCount: 1 });
    expect(at('10:30').planned).toEqual([{ scheduleId: 's', name: 'S', at: local('10:30') }]);
  });
});

function prevOf(trigger: Trigger, at: number, createdAt: number): number | null {
  // the occurrence before `at`, by walking a day back (enough for these triggers)
  let previous: number | null = null;
  for (
    let t = nextOccurrence(trigger, at - 2 * 86_400_000, createdAt);
    t !== null && t < at;
    t = nextOccurrence(trigger, t, createdAt)
  )
    previous = t;
  return previous;
}
