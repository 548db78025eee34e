/**
 * The calendar's planned side (DESIGN.md §6): how many occurrences the planner puts in each slot
 * of a grid, computed by the same planner the dispatcher uses (§4.6), so the grid never disagrees
 * with what will run. Pure: schedules and instants in, counts out.
 */
import { DateTime } from 'luxon';
import type { Trigger } from '../../shared/domain';
import { CountingContext, spanCounter, type SpanCounter } from './span-counter';

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
 * Slot evaluations a pass always completes before its time budget may stop it. The bench's week of 200
 * schedules (dense ones included) takes about 30,000; a pass of 500,000 stays well under a second.
 */
const GUARANTEED_WORK = 500_000;
/** Runs used before a range up to this far ahead are counted per day; further, the planner counts them. */
const MAX_LEAD_MS = 400 * 86_400_000;

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
 * them (maxRuns less what already ran), counted per slot without enumerating them.
 *
 * Truncation is a last resort against stalling the API: a pass stops (naming the schedules it did not
 * reach in `notShown`) only once it has done more than `guaranteedWork` slot evaluations and has run
 * past `budgetMs` (measured with `elapsed`). So an ordinary set of schedules is always planned in
 * full, however busy the machine or cold the process; only a very large one can be cut short.
 */
export function planSlots(
  schedules: readonly SlotSchedule[],
  bounds: number[],
  now: number,
  options: { budgetMs: number; elapsed: () => number; guaranteedWork?: number },
): PlannedSlots {
  const guaranteedWork = options.guaranteedWork ?? GUARANTEED_WORK;
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
  // Between now and a future range, for the runs maxRuns schedules use up before it: made when needed.
  let lead: CountingContext | null = null;
  const leadContext = () => (lead ??= new CountingContext(Math.max(now, begin - MAX_LEAD_MS), begin));
  let work = 0;
  for (const members of groups.values()) {
    if (work > guaranteedWork && options.elapsed() - started > options.budgetMs) {
      for (const schedule of members) notShown.push({ scheduleId: schedule.id, name: schedule.name });
      continue;
    }
    work += planGroup(members, slots, bounds, begin, now, context, leadContext);
  }
  return { slots, notShown };
}

/**
 * One trigger counted per slot from `begin`, then each schedule that shares it added from its own
 * start. Returns the slot evaluations it made (the measure of planning work).
 */
function planGroup(
  members: readonly SlotSchedule[],
  slots: PlannedSlot[],
  bounds: number[],
  begin: number,
  now: number,
  context: CountingContext,
  leadContext: () => CountingContext,
): number {
  const { trigger, createdAt } = members[0]!;
  const counter = spanCounter(trigger, createdAt, context);
  const end = bounds[bounds.length - 1]!;
  // The slots holding occurrences, each with its count from `begin`: slot after slot while they hold
  // some, and from an empty one straight to the next occurrence's, so a sparse trigger costs about its
  // occurrences and a dense one its slots. A slot's first occurrence is found only if it is named.
  const held: { slot: number; count: number; first: number }[] = [];
  for (let slot = slotOf(bounds, begin); slot >= 0 && slot < slots.length; slot++) {
    const slotEnd = bounds[slot + 1]!;
    const count = counter.count(Math.max(bounds[slot]!, begin), slotEnd);
    if (count > 0) {
      held.push({ slot, count, first: NaN });
      continue;
    }
    const next = counter.first(slotEnd, end);
    if (next === null) break;
    while (bounds[slot + 1]! <= next) slot++;
    held.push({ slot, count: counter.count(bounds[slot]!, bounds[slot + 1]!), first: next });
  }
  for (const schedule of members) {
    const start = Math.max(now, schedule.nextAt!);
    const from = Math.max(begin, start);
    let left = schedule.remaining;
    // maxRuns: occurrences between the next claim and the range use up runs before it
    if (Number.isFinite(left) && start < from) {
      left -= runsUsed(spanCounter(trigger, createdAt, leadContext()), start, from, left);
    }
    for (const entry of held) {
      if (left <= 0) break;
      const slotStart = Math.max(bounds[entry.slot]!, begin);
      const slotEnd = bounds[entry.slot + 1]!;
      if (slotEnd <= from) continue;
      const own = from > slotStart; // this schedule starts inside the slot
      const count = own ? counter.count(from, slotEnd) : entry.count;
      if (!count) continue;
      const taken = Math.min(count, left);
      left -= taken;
      const slot = slots[entry.slot]!;
      slot.plannedCount += taken;
      if (!named(slot, Math.max(slotStart, from))) continue;
      if (own) sample(slot, schedule, counter.first(from, slotEnd)!);
      else
        sample(
          slot,
          schedule,
          Number.isNaN(entry.first) ? (entry.first = counter.first(slotStart, slotEnd)!) : entry.first,
        );
    }
  }
  return held.length * (members.length + 1) + 1;
}

/**
 * Occurrences in [start, from), counted only as far as `remaining`: in growing steps, so that a dense
 * schedule far ahead of its range stops after a day, not after counting months of runs one day at a time.
 */
function runsUsed(counter: SpanCounter, start: number, from: number, remaining: number): number {
  let used = 0;
  let step = 86_400_000;
  for (let cursor = start; cursor < from && used < remaining; step *= 2) {
    const until = Math.min(from, cursor + step);
    used += counter.count(cursor, until);
    cursor = until;
  }
  return used;
}

/** Whether a schedule whose first occurrence in the slot is at or after `earliest` could be named there. */
function named(slot: PlannedSlot, earliest: number): boolean {
  return slot.planned.length < SAMPLES_PER_SLOT || slot.planned[SAMPLES_PER_SLOT - 1]!.at > earliest;
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
