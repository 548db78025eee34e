/**
 * The calendar's planned side (DESIGN.md §6): how many occurrences the planner puts in each slot
 * of a grid, computed by the same planner the dispatcher uses (§4.6), so the grid never disagrees
 * with what will run. Pure: schedules and instants in, counts out.
 */
import { DateTime } from 'luxon';
import type { Trigger } from '../../shared/domain';
import { countBetween } from './count';
import { CountingContext, spanCounter } from './span-counter';

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

/** How many schedules a slot names (each by its first occurrence there), earliest first. */
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

export interface NotShown {
  scheduleId: string;
  name: string;
}

export interface PlannedSlots {
  slots: PlannedSlot[];
  /** Schedules left out because planning reached its budget; empty when every count is complete. */
  notShown: NotShown[];
}

/**
 * Schedules whose triggers give the same instants (type, timing, zone, startAt, endAt; for intervals
 * the anchor) are counted once; maxRuns, jitter and the schedule's own progress are applied per schedule.
 */
function timingKey(trigger: Trigger, createdAt: number): string {
  const start = trigger.startAt ? Date.parse(trigger.startAt) : '';
  const end = trigger.endAt ? Date.parse(trigger.endAt) : '';
  switch (trigger.type) {
    case 'cron':
      return `cron|${trigger.timezone}|${start}|${end}|${trigger.expression}`;
    case 'interval':
      return `interval|${trigger.everySeconds}|${start === '' ? createdAt : start}|${end}`;
    case 'once':
      return `once|${trigger.timezone}|${start}|${end}|${trigger.at}`;
  }
}

/**
 * Plans the occurrences still to run into the slots: for each schedule, the planner's occurrences
 * from `max(now, nextAt)` on (nothing before its next claim runs again), the first `remaining` of
 * them (maxRuns less what already ran), counted per slot without enumerating them. Work is bounded
 * by `budgetMs` of wall time (measured with `elapsed`): schedules not reached by then are named in
 * `notShown` rather than stalling the API.
 */
export function planSlots(
  schedules: readonly SlotSchedule[],
  bounds: number[],
  now: number,
  options: { budgetMs: number; elapsed: () => number },
): PlannedSlots {
  const slots: PlannedSlot[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    slots.push({ start: bounds[i]!, end: bounds[i + 1]!, plannedCount: 0, planned: [] });
  }
  const end = bounds[bounds.length - 1]!;
  const begin = Math.max(bounds[0]!, now);
  const notShown: NotShown[] = [];
  if (begin >= end) return { slots, notShown };
  const started = options.elapsed();
  const groups = new Map<string, SlotSchedule[]>();
  for (const schedule of schedules) {
    if (schedule.nextAt === null || schedule.remaining <= 0 || Math.max(now, schedule.nextAt) >= end)
      continue;
    const key = timingKey(schedule.trigger, schedule.createdAt);
    const members = groups.get(key);
    if (members) members.push(schedule);
    else groups.set(key, [schedule]);
  }
  const context = new CountingContext(begin, end);
  for (const members of groups.values()) {
    if (options.elapsed() - started > options.budgetMs) {
      for (const schedule of members) notShown.push({ scheduleId: schedule.id, name: schedule.name });
      continue;
    }
    planGroup(members, slots, bounds, begin, now, context);
  }
  return { slots, notShown };
}

/** One trigger counted per slot from `begin`, then each schedule that shares it added from its own start. */
function planGroup(
  members: readonly SlotSchedule[],
  slots: PlannedSlot[],
  bounds: number[],
  begin: number,
  now: number,
  context: CountingContext,
): void {
  const { trigger, createdAt } = members[0]!;
  const counter = spanCounter(trigger, createdAt, context);
  const firstSlot = slotOf(bounds, begin);
  const counts = new Float64Array(slots.length);
  const firsts = new Float64Array(slots.length);
  for (let i = firstSlot; i < slots.length; i++) {
    const from = Math.max(slots[i]!.start, begin);
    counts[i] = counter.count(from, slots[i]!.end);
    if (counts[i]) firsts[i] = counter.first(from, slots[i]!.end)!;
  }
  for (const schedule of members) {
    const start = Math.max(now, schedule.nextAt!);
    const from = Math.max(begin, start);
    let left = schedule.remaining;
    // maxRuns: occurrences between the next claim and the range use up runs before it
    if (Number.isFinite(left) && start < from) left -= countBetween(trigger, start - 1, from - 1, createdAt);
    const own = slotOf(bounds, from);
    for (let i = own; i < slots.length && left > 0; i++) {
      let count = counts[i]!;
      let first = firsts[i]!;
      if (i === own && from > Math.max(slots[i]!.start, begin)) {
        count = counter.count(from, slots[i]!.end);
        first = count ? counter.first(from, slots[i]!.end)! : 0;
      }
      if (!count) continue;
      const taken = Math.min(count, left);
      left -= taken;
      slots[i]!.plannedCount += taken;
      sample(slots[i]!, schedule, first);
    }
  }
}

/** Keeps the slot's first few schedules by their first occurrence in it, earliest first. */
function sample(slot: PlannedSlot, schedule: SlotSchedule, at: number): void {
  const planned = slot.planned;
  if (planned.length >= SAMPLES_PER_SLOT && planned[planned.length - 1]!.at <= at) return;
  let index = planned.length;
  while (index > 0 && planned[index - 1]!.at > at) index--;
  planned.splice(index, 0, { scheduleId: schedule.id, name: schedule.name, at });
  if (planned.length > SAMPLES_PER_SLOT) planned.pop();
}
