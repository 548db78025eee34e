/**
 * The `whenBusy` policy (issue 15 §5), as pure decisions: what an occurrence that falls inside busy
 * time does. The dispatcher, the preview and the calendar grid all ask `decideWhenBusy`, so what the
 * editor and the grid show is what will run (DESIGN.md §4.6).
 *
 * Busy time is the union of the busy calendars' blocks: blocks that overlap or touch make one span,
 * so a deferred run never lands at the start of the next meeting. An occurrence at instant `at` is
 * inside a span when start ≤ at < end (a block's end is free time).
 * - `run`: busy time changes nothing.
 * - `skip`: a `skipped` row whose reason names the block.
 * - `defer`: the first occurrence inside a span runs at the span's end, its row saying so; later
 *   occurrences inside the same span are `skipped` (one run after the meeting, not a pile of them,
 *   as catch-up's `latest` does after a sleep).
 */
import type { WhenBusy } from '../../shared/domain';
import type { BusyInterval, BusyTime } from './ports';

export interface BusySpan {
  start: number;
  end: number;
  /** The blocks that make it up, earliest first. */
  blocks: BusyInterval[];
}

export type BusyDecision =
  | { action: 'run' }
  | { action: 'defer'; until: number; block: BusyInterval; reason: string }
  | { action: 'skip'; block: BusyInterval; reason: string };

const RUN: BusyDecision = { action: 'run' };
const DAY_MS = 86_400_000;

/** Blocks (any order) merged into spans: overlapping or touching blocks are one span. */
export function busySpans(blocks: readonly BusyInterval[]): BusySpan[] {
  const sorted = blocks.filter((block) => block.end > block.start).sort((a, b) => a.start - b.start);
  const spans: BusySpan[] = [];
  for (const block of sorted) {
    const last = spans[spans.length - 1];
    if (last && block.start <= last.end) {
      last.end = Math.max(last.end, block.end);
      last.blocks.push(block);
    } else spans.push({ start: block.start, end: block.end, blocks: [block] });
  }
  return spans;
}

/** How a reason names a block: its summary and calendar, or the calendar alone. */
export function busyLabel(block: BusyInterval): string {
  return block.summary.trim() ? `"${block.summary.trim()}" (${block.calendar})` : block.calendar;
}

/** The span holding `at` (start ≤ at < end), by binary search over sorted spans. */
export function spanAt(spans: readonly BusySpan[], at: number): BusySpan | null {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid]!;
    if (at < span.start) hi = mid - 1;
    else if (at >= span.end) lo = mid + 1;
    else return span;
  }
  return null;
}

/**
 * What an occurrence at `at` does under `whenBusy`. `previousAt` is the schedule's occurrence before
 * this one (null when none): when it lies in the same span, that one was already deferred.
 */
export function decideWhenBusy(
  whenBusy: WhenBusy | undefined,
  at: number,
  previousAt: number | null,
  spans: readonly BusySpan[],
): BusyDecision {
  if (!whenBusy || whenBusy === 'run') return RUN;
  const span = spanAt(spans, at);
  if (!span) return RUN;
  // The block the occurrence falls in (in a span every instant is inside one of its blocks).
  const block = span.blocks.find((b) => b.start <= at && at < b.end) ?? span.blocks[0]!;
  const label = busyLabel(block);
  if (whenBusy === 'skip') return { action: 'skip', block, reason: `busy: ${label}` };
  if (previousAt !== null && previousAt >= span.start && previousAt < at) {
    return {
      action: 'skip',
      block,
      reason: `busy: ${label}; an earlier occurrence in this busy time already runs at its end`,
    };
  }
  return { action: 'defer', until: span.end, block, reason: `deferred to the end of busy time: ${label}` };
}

/**
 * The spans around `at`, asked of the busy calendars: a day either side, widened while a span
 * reaches the edge of what was asked (back-to-back all-day events), up to two weeks each way.
 */
export function spansAround(busy: BusyTime, at: number): BusySpan[] {
  let from = at - DAY_MS;
  let to = at + DAY_MS;
  for (let widen = 0; ; widen++) {
    const spans = busySpans(busy.blocks(from, to));
    const span = spanAt(spans, at);
    if (!span || widen >= 4 || (span.start > from && span.end < to)) return spans;
    if (span.start <= from) from -= 3 * DAY_MS;
    if (span.end >= to) to += 3 * DAY_MS;
  }
}

export interface BusyAnnotated {
  at: number;
  busy?: Exclude<BusyDecision, { action: 'run' }>;
}

/** A preview's occurrences (oldest first, consecutive) with what busy time does to each. */
export function annotateWhenBusy(
  occurrences: readonly number[],
  whenBusy: WhenBusy | undefined,
  previousAt: number | null,
  spans: readonly BusySpan[],
): BusyAnnotated[] {
  let previous = previousAt;
  return occurrences.map((at) => {
    const decision = decideWhenBusy(whenBusy, at, previous, spans);
    previous = at;
    return decision.action === 'run' ? { at } : { at, busy: decision };
  });
}
