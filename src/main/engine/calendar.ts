/**
 * The calendar's planned side (DESIGN.md §6): how many occurrences the planner puts in each slot
 * of a grid, computed by the same planner the dispatcher uses (§4.6), so the grid never disagrees
 * with what will run. Pure: schedules and instants in, counts out.
 */
import { DateTime } from 'luxon';
import type { Trigger } from '../../shared/domain';
import { countBetween } from './count';
import { nextOccurrence } from './planner';

export interface SlotSchedule {
  id: string;
  name: string;
  trigger: Trigger;
  createdAt: number;
  /** The next occurrence the dispatcher will claim (null: nothing more to run). */
  nextAt: number | null;
  /** Occurrences still allowed by maxRuns (Infinity when unbounded). */
  remaining: number;
}

export interface PlannedSlot {
  start: number;
  end: number;
  plannedCount: number;
  planned: { scheduleId: string; name: string; at: number }[];
}

/** A schedule with more occurrences than this in the range is counted per slot, not walked. */
const WALK_LIMIT = 256;
const SAMPLES_PER_SLOT = 3;

/**
 * Slot boundaries from `from` to `to` in `zone`: each local day is cut into slots of `slotMinutes`
 * from its midnight, so rows line up across days; on a DST day the last slot absorbs the extra hour
 * or is shortened by the missing one.
 */
export function slotBoundaries(from: number, to: number, slotMinutes: number, zone: string): number[] {
  const bounds: number[] = [from];
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  while (bounds[bounds.length - 1]! < to) {
    const nextDay = day.plus({ days: 1 }).toMillis();
    const dayStart = day.toMillis();
    for (let k = 1; ; k++) {
      const edge = Math.min(dayStart + k * slotMinutes * 60_000, nextDay, to);
      if (edge > bounds[bounds.length - 1]!) bounds.push(edge);
      if (edge >= nextDay || edge >= to) break;
    }
    day = day.plus({ days: 1 });
  }
  return bounds;
}

/** Index of the slot holding `at` (bounds[i] ≤ at < bounds[i+1]), or -1. */
function slotOf(bounds: number[], at: number): number {
  let lo = 0;
  let hi = bounds.length - 2;
  if (hi < 0 || at < bounds[0]! || at >= bounds[bounds.length - 1]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Plans occurrences at or after `now` into the slots. Work is bounded by `budgetMs` of wall time
 * (measured with `elapsed`); what does not fit sets `truncated` instead of stalling the API.
 */
export function planSlots(
  schedules: readonly SlotSchedule[],
  bounds: number[],
  now: number,
  options: { budgetMs: number; elapsed: () => number },
): { slots: PlannedSlot[]; truncated: boolean } {
  const slots: PlannedSlot[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    slots.push({ start: bounds[i]!, end: bounds[i + 1]!, plannedCount: 0, planned: [] });
  }
  const end = bounds[bounds.length - 1]!;
  const begin = Math.max(bounds[0]!, now);
  if (begin >= end) return { slots, truncated: false };
  const started = options.elapsed();
  const perSlotCounts = new Map<string, number[]>();
  let truncated = false;

  for (const schedule of schedules) {
    if (options.elapsed() - started > options.budgetMs) {
      truncated = true;
      break;
    }
    if (schedule.nextAt === null || schedule.remaining <= 0) continue;
    const limit = Math.min(WALK_LIMIT, schedule.remaining);
    const found: number[] = [];
    let next: number | null =
      schedule.nextAt >= begin
        ? schedule.nextAt
        : nextOccurrence(schedule.trigger, begin - 1, schedule.createdAt);
    while (next !== null && next < end && found.length < limit) {
      found.push(next);
      next = nextOccurrence(schedule.trigger, next, schedule.createdAt);
    }
    const exhausted = next === null || next >= end || found.length >= schedule.remaining;
    if (exhausted) {
      for (const at of found) place(slots, bounds, schedule, at);
      continue;
    }
    // Dense: count per slot instead of walking every occurrence; identical triggers share the work.
    const key = `${JSON.stringify(schedule.trigger)}|${schedule.trigger.type === 'interval' ? schedule.createdAt : ''}|${begin}`;
    let counts = perSlotCounts.get(key);
    if (!counts) {
      counts = slots.map((slot) =>
        slot.end <= begin
          ? 0
          : countBetween(schedule.trigger, Math.max(slot.start, begin) - 1, slot.end - 1, schedule.createdAt),
      );
      perSlotCounts.set(key, counts);
    }
    let left = schedule.remaining;
    counts.forEach((count, i) => {
      const taken = Math.min(count, left);
      slots[i]!.plannedCount += taken;
      left -= taken;
    });
    for (const at of found.slice(0, SAMPLES_PER_SLOT)) sample(slots, bounds, schedule, at);
  }
  return { slots, truncated };
}

function place(slots: PlannedSlot[], bounds: number[], schedule: SlotSchedule, at: number): void {
  const index = slotOf(bounds, at);
  if (index < 0) return;
  slots[index]!.plannedCount++;
  sample(slots, bounds, schedule, at);
}

function sample(slots: PlannedSlot[], bounds: number[], schedule: SlotSchedule, at: number): void {
  const index = slotOf(bounds, at);
  if (index < 0) return;
  const planned = slots[index]!.planned;
  if (planned.length >= SAMPLES_PER_SLOT && planned[planned.length - 1]!.at <= at) return;
  planned.push({ scheduleId: schedule.id, name: schedule.name, at });
  planned.sort((a, b) => a.at - b.at);
  if (planned.length > SAMPLES_PER_SLOT) planned.pop();
}
