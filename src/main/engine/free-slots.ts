/**
 * "Suggest a free slot" (issue 15 §5): the next spans of `durationMinutes` inside working hours,
 * clear of every busy block and not in the past, on the quietest part of the planned load. Pure:
 * the load comes in as counted spans (the calendar's planner, `planSlots`), busy blocks as
 * intervals, so the handler and the tests give it the same things.
 *
 * The rule: candidates start on a `stepMinutes` grid of local time in each working day. Each
 * candidate's load is the number of planned occurrences in the spans it overlaps. Among the
 * candidates, only those with the lowest load found are offered ("away from the heaviest load"),
 * the earliest first, and no two offered slots overlap.
 */
import { DateTime } from 'luxon';

const MINUTE = 60_000;

export interface FreeSlotQuery {
  from: number;
  to: number;
  now: number;
  zone: string;
  durationMinutes: number;
  /** Candidates start on this grid of local time (minutes past midnight). */
  stepMinutes: number;
  count: number;
  workingHours: { start: string; end: string; days: readonly number[] };
  busy: readonly { start: number; end: number }[];
  /** Planned occurrences per span, spans in time order (the calendar's slots). */
  load: readonly { start: number; end: number; plannedCount: number }[];
}

export interface FreeSlot {
  start: number;
  end: number;
  /** Planned occurrences in [start, end) (by the spans it overlaps). */
  load: number;
}

function clockOf(text: string): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = text.split(':').map(Number);
  return { hour, minute };
}

/** Every candidate in working hours, in time order, with its load; busy and past ones left out. */
export function freeCandidates(query: FreeSlotQuery): FreeSlot[] {
  const { zone, durationMinutes, stepMinutes, workingHours } = query;
  const duration = durationMinutes * MINUTE;
  const earliest = Math.max(query.from, query.now);
  const out: FreeSlot[] = [];
  const busy = [...query.busy].sort((a, b) => a.start - b.start);
  const load = query.load;
  let spanIndex = 0;
  const startClock = clockOf(workingHours.start);
  const endClock = clockOf(workingHours.end);
  for (
    let day = DateTime.fromMillis(query.from, { zone }).startOf('day');
    day.toMillis() < query.to;
    day = day.plus({ days: 1 })
  ) {
    if (!workingHours.days.includes(day.weekday)) continue;
    const workEnd = Math.min(day.set(endClock).toMillis(), query.to);
    for (let minutes = 0; ; minutes += stepMinutes) {
      // on the local grid, so a DST day still offers 09:00, 09:30 …
      const start = day.set(startClock).plus({ minutes }).toMillis();
      const end = start + duration;
      if (end > workEnd) break;
      if (start < earliest) continue;
      if (busy.some((block) => block.start < end && block.end > start)) continue;
      while (spanIndex < load.length && load[spanIndex]!.end <= start) spanIndex++;
      let planned = 0;
      for (let i = spanIndex; i < load.length && load[i]!.start < end; i++) {
        if (load[i]!.end > start) planned += load[i]!.plannedCount;
      }
      out.push({ start, end, load: planned });
    }
  }
  return out;
}

export function findFreeSlots(query: FreeSlotQuery): FreeSlot[] {
  const candidates = freeCandidates(query);
  if (!candidates.length) return [];
  const quietest = Math.min(...candidates.map((candidate) => candidate.load));
  const picked: FreeSlot[] = [];
  for (const candidate of candidates) {
    if (picked.length >= query.count) break;
    if (candidate.load !== quietest) continue;
    const last = picked[picked.length - 1];
    if (last && candidate.start < last.end) continue;
    picked.push(candidate);
  }
  return picked;
}
