/**
 * The calendar's planned side (DESIGN.md §6): how many occurrences the planner puts in each slot
 * of a grid, computed by the same planner the dispatcher uses (§4.6), so the grid never disagrees
 * with what will run. Pure: schedules and instants in, counts out.
 */
import { DateTime } from 'luxon';
import type { Trigger, WhenBusy } from '../../shared/domain';
import { countBetween } from './count';
import { nextOccurrence } from './planner';
import { CountingContext, spanCounter, type SpanCounter } from './span-counter';
import type { BusySpan } from './when-busy';

export interface SlotSchedule {
  id: string;
  name: string;
  trigger: Trigger;
  createdAt: number;
  /** The next occurrence the dispatcher will claim (null: nothing more to run). */
  nextAt: number | null;
  /** Occurrences still allowed by maxRuns (Infinity when unbounded). */
  remaining: number;
  /** The policy's whenBusy (absent: run). */
  whenBusy?: WhenBusy;
  /** The occurrence claimed last (whenBusy `defer` runs one occurrence per busy span). */
  lastScheduledAt?: number | null;
}

export interface PlannedSlot {
  start: number;
  end: number;
  plannedCount: number;
  planned: { scheduleId: string; name: string; at: number }[];
  /** Of plannedCount: runs that whenBusy `defer` moved to the end of busy time in this slot. */
  deferredCount: number;
  /** Occurrences in this slot that whenBusy turns into `skipped` rows (not in plannedCount). */
  busySkippedCount: number;
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
  options: {
    budgetMs: number;
    elapsed: () => number;
    guaranteedWork?: number;
    /** Busy time (merged blocks, earliest first), for schedules whose whenBusy is not `run`. */
    busy?: readonly BusySpan[];
  },
): PlannedSlots {
  const guaranteedWork = options.guaranteedWork ?? GUARANTEED_WORK;
  const slots: PlannedSlot[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    slots.push({
      start: bounds[i]!,
      end: bounds[i + 1]!,
      plannedCount: 0,
      planned: [],
      deferredCount: 0,
      busySkippedCount: 0,
    });
  }
  const end = bounds[bounds.length - 1]!;
  const begin = Math.max(bounds[0]!, now);
  const notShown: NotShown[] = [];
  if (begin >= end) return { slots, notShown };
  const started = options.elapsed();
  const groups = new Map<string, SlotSchedule[]>();
  const busyAware: SlotSchedule[] = [];
  const spans = options.busy ?? [];
  for (const schedule of schedules) {
    if (schedule.nextAt === null || schedule.remaining <= 0 || Math.max(now, schedule.nextAt) >= end)
      continue;
    const start = Math.max(now, schedule.nextAt);
    if (
      schedule.whenBusy &&
      schedule.whenBusy !== 'run' &&
      spans.some((span) => span.end > start && span.start < end)
    ) {
      busyAware.push(schedule);
      continue;
    }
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
  for (const schedule of busyAware) {
    if (work > guaranteedWork && options.elapsed() - started > options.budgetMs) {
      notShown.push({ scheduleId: schedule.id, name: schedule.name });
      continue;
    }
    work += planBusyAware(schedule, spans, slots, bounds, begin, now, context);
  }
  return { slots, notShown };
}

/**
 * One schedule whose whenBusy acts on busy time, walked in time order from its next claim: free
 * stretches counted per slot as planGroup does; in each busy span its occurrences are skipped, or
 * (defer) the first one runs at the span's end, as `decideWhenBusy` has the dispatcher do. maxRuns
 * is used up by runs only (a skipped occurrence is not a run). Returns its slot evaluations.
 */
function planBusyAware(
  schedule: SlotSchedule,
  spans: readonly BusySpan[],
  slots: PlannedSlot[],
  bounds: number[],
  begin: number,
  now: number,
  context: CountingContext,
): number {
  const { trigger, createdAt } = schedule;
  const end = bounds[bounds.length - 1]!;
  const counter = spanCounter(trigger, createdAt, context);
  const start = Math.max(now, schedule.nextAt!);
  let left = schedule.remaining;
  let work = 1;
  /** Calls `each(slot, from, to)` for the pieces of [a, b) in the range, slot by slot. */
  const pieces = (a: number, b: number, each: (slot: number, from: number, to: number) => void) => {
    a = Math.max(a, begin);
    b = Math.min(b, end);
    for (let slot = slotOf(bounds, a); slot >= 0 && slot < slots.length && bounds[slot]! < b; slot++) {
      work++;
      each(slot, Math.max(a, bounds[slot]!), Math.min(b, bounds[slot + 1]!));
    }
  };
  const free = (a: number, b: number) => {
    if (a >= b || left <= 0) return;
    // before the range (a future week): only what it uses of maxRuns matters
    if (a < begin && Number.isFinite(left)) {
      left -= Math.min(left, countBetween(trigger, a - 1, Math.min(b, begin) - 1, createdAt));
    }
    pieces(a, b, (slot, from, to) => {
      if (left <= 0) return;
      const taken = Math.min(counter.count(from, to), left);
      if (!taken) return;
      left -= taken;
      slots[slot]!.plannedCount += taken;
      if (named(slots[slot]!, from)) sample(slots[slot]!, schedule, counter.first(from, to)!);
    });
  };
  let cursor = start;
  for (const span of spans) {
    if (span.end <= cursor) continue;
    if (span.start >= end || left <= 0) break;
    free(cursor, span.start);
    const from = Math.max(span.start, cursor);
    const first = nextOccurrence(trigger, from - 1, createdAt);
    if (first !== null && first < span.end) {
      // a span the next claim starts inside: the occurrence before it (claimed already) may have been deferred
      const previous = from > span.start ? (schedule.lastScheduledAt ?? null) : null;
      const deferred = schedule.whenBusy === 'defer' && !(previous !== null && previous >= span.start);
      pieces(from, span.end, (slot, a, b) => {
        if (left > 0) slots[slot]!.busySkippedCount += counter.count(a, b);
      });
      if (deferred && left > 0) {
        left -= 1;
        // the deferred occurrence is not skipped: it runs at the span's end
        const firstSlot = first >= begin ? slotOf(bounds, first) : -1;
        if (firstSlot >= 0) slots[firstSlot]!.busySkippedCount -= 1;
        const slot = span.end >= begin ? slotOf(bounds, span.end) : -1;
        if (slot >= 0) {
          slots[slot]!.plannedCount += 1;
          slots[slot]!.deferredCount += 1;
          if (named(slots[slot]!, span.end)) sample(slots[slot]!, schedule, span.end);
        }
      }
    }
    cursor = Math.max(cursor, span.end);
  }
  free(cursor, end);
  return work;
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
