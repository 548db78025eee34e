/**
 * Occurrences of one schedule counted back from an instant, and their jitter: pure time math over
 * a trigger, the instant it was created and the first occurrence still to account for (its nextAt).
 */
import type { Trigger } from '../../shared/domain';
import { countBetween } from './count';
import { cronFor, jitterFor, nextOccurrence, occurrencesBetween } from './planner';

/** A schedule as the occurrence math sees it. */
export interface Series {
  id: string;
  trigger: Trigger;
  createdAt: number;
  /** The first occurrence not yet accounted for: nothing before it is counted. */
  from: number;
}

/** The deterministic jitter of an occurrence (0 without jitterSeconds), clamped before the next one. */
export function jitterAt(series: Omit<Series, 'from'>, at: number, following?: number | null): number {
  const seconds = series.trigger.jitterSeconds ?? 0;
  if (!seconds) return 0;
  const next = following !== undefined ? following : nextOccurrence(series.trigger, at, series.createdAt);
  return jitterFor(series.id, at, seconds, next);
}

/** The newest occurrence at or before `until`, without walking from the start. */
export function latestAtOrBefore(series: Series, until: number): number | null {
  return newest(series, until, 1)[0] ?? null;
}

/** The occurrence just before `at` (or null). */
export function before(series: Series, at: number): number | null {
  return newest(series, at - 1, 1)[0] ?? null;
}

/**
 * Up to `n` newest occurrences in [from, until], oldest first. Walks forward when the span is
 * short; otherwise steps back from `until` by doubling windows, counting with arithmetic.
 */
export function newest(series: Series, until: number, n: number): number[] {
  const { from, trigger, createdAt } = series;
  if (until < from) return [];
  if (trigger.endAt) until = Math.min(until, Date.parse(trigger.endAt));
  if (trigger.type === 'interval') {
    const anchor = trigger.startAt ? Date.parse(trigger.startAt) : createdAt;
    const every = trigger.everySeconds * 1000;
    const out: number[] = [];
    for (
      let at = anchor + Math.floor((until - anchor) / every) * every;
      at >= from && out.length < n;
      at -= every
    ) {
      out.unshift(at);
    }
    return out;
  }
  if (trigger.type === 'cron') {
    // croner walks backwards in one call; accept its answer only if the forward planner agrees link by link
    const back = cronFor(trigger.expression, trigger.timezone)
      .previousRuns(n, new Date(until + 1))
      .map((date) => date.getTime())
      .filter((at) => at >= from)
      .reverse();
    const chained =
      back.length > 0 &&
      nextOccurrence(trigger, back[0]! - 1, createdAt) === back[0] &&
      back.every((at, i) => {
        const next = nextOccurrence(trigger, at, createdAt);
        return i + 1 < back.length ? next === back[i + 1] : next === null || next > until;
      });
    const complete = back.length === n || nextOccurrence(trigger, from - 1, createdAt) === back[0];
    if (chained && complete) return back;
  }
  const total = countBetween(trigger, from - 1, until, createdAt);
  if (total <= n + 16) {
    return occurrencesBetween(trigger, from - 1, until, createdAt, total).slice(-n);
  }
  // find a start after which at most a few more than n occurrences remain
  let span = 60_000;
  let start = until - span;
  while (start > from && countBetween(trigger, start, until, createdAt) < n) {
    span *= 4;
    start = until - span;
  }
  start = Math.max(start, from - 1);
  const list = occurrencesBetween(trigger, start, until, createdAt, Number.MAX_SAFE_INTEGER);
  return list.slice(-n);
}
