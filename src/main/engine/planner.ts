/**
 * The planner: pure time math, (trigger, instants) → occurrences. The dispatcher and every preview
 * call this same code (DESIGN.md §4.6). DST rules (§4.3) come from croner's fixed-time handling:
 * a pattern whose second, minute and hour fields hold no wildcard or step is a fixed time (a gap
 * moves it to the first instant after the gap; an overlap runs it once, at its first instance);
 * any other pattern keeps elapsed cadence (skips gap times, runs both instances of a repeated one).
 */
import { Cron } from 'croner';
import { DateTime } from 'luxon';
import type { Occurrence } from '../../shared/api';
import type { Trigger } from '../../shared/domain';

export type OccurrenceNote = NonNullable<Occurrence['note']>;

export interface PlannedOccurrence {
  at: number;
  note?: OccurrenceNote;
}

const cronCache = new Map<string, Cron>();

/** Croner objects are immutable once built; caching saves a parse per call on the hot path. */
export function cronFor(expression: string, timezone: string): Cron {
  const key = `${timezone}\u0000${expression}`;
  let cron = cronCache.get(key);
  if (!cron) {
    cron = new Cron(expression, {
      paused: true,
      timezone,
      domAndDow: false,
      mode: '5-or-6-parts',
      fixedTimeRule: 'no-wildcard',
    });
    if (cronCache.size > 10_000) cronCache.clear();
    cronCache.set(key, cron);
  }
  return cron;
}

/** A local date-time in a zone → instant. A time in a DST gap moves to the gap's end; a repeated time takes its first instance. */
export function localToInstant(local: string, zone: string): number {
  const wall = DateTime.fromISO(local, { zone });
  if (!wall.isValid) throw new RangeError(`Invalid local date-time ${local} in ${zone}`);
  const wanted = DateTime.fromISO(local, { zone: 'utc' });
  const sameWall = (dt: DateTime) =>
    dt.toFormat("yyyy-MM-dd'T'HH:mm:ss") === wanted.toFormat("yyyy-MM-dd'T'HH:mm:ss");
  if (!sameWall(wall)) {
    // In a gap: luxon moved it forward by the gap length; the first instant after the gap is the transition.
    return transitionBefore(wall.toMillis(), zone);
  }
  // In an overlap luxon may pick either instance; take the earlier one.
  const shift = (wall.offset - wall.minus({ hours: 3 }).offset) * 60_000;
  if (shift < 0) {
    const earlier = DateTime.fromMillis(wall.toMillis() + shift, { zone });
    if (sameWall(earlier)) return earlier.toMillis();
  }
  return wall.toMillis();
}

/** The last offset change at or before `at` within the preceding 3 hours (binary search to the millisecond). */
function transitionBefore(at: number, zone: string): number {
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  let lo = at - 3 * 3_600_000;
  let hi = at;
  const target = offsetAt(at);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function anchorOf(trigger: Trigger, createdAt: number): number {
  if (trigger.startAt) return Date.parse(trigger.startAt);
  return createdAt;
}

/**
 * The first occurrence strictly after `after`, honouring startAt and endAt (maxRuns is the
 * dispatcher's, since it counts what was fired). `createdAt` anchors intervals without startAt.
 */
export function nextOccurrence(trigger: Trigger, after: number, createdAt: number): number | null {
  const startAt = trigger.startAt ? Date.parse(trigger.startAt) : null;
  const endAt = trigger.endAt ? Date.parse(trigger.endAt) : null;
  let next: number | null;
  switch (trigger.type) {
    case 'interval': {
      const anchor = anchorOf(trigger, createdAt);
      const every = trigger.everySeconds * 1000;
      next = after < anchor ? anchor : anchor + (Math.floor((after - anchor) / every) + 1) * every;
      break;
    }
    case 'once': {
      const at = localToInstant(trigger.at, trigger.timezone);
      next = at > after && (startAt === null || at >= startAt) ? at : null;
      break;
    }
    case 'cron': {
      const cron = cronFor(trigger.expression, trigger.timezone);
      // croner's `nextRun(d)` is strictly after d, at whole seconds
      const from = startAt !== null && startAt > after ? startAt - 1 : after;
      const date = cron.nextRun(new Date(from));
      next = date ? date.getTime() : null;
      break;
    }
  }
  if (next !== null && endAt !== null && next > endAt) return null;
  return next;
}

/** Up to `limit` occurrences in (after, until], oldest first. */
export function occurrencesBetween(
  trigger: Trigger,
  after: number,
  until: number,
  createdAt: number,
  limit: number,
): number[] {
  const out: number[] = [];
  let cursor = after;
  while (out.length < limit) {
    const next = nextOccurrence(trigger, cursor, createdAt);
    if (next === null || next > until) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

/** Notes for a preview: a fixed time moved by a gap, or a wall time that occurs twice. */
export function noteFor(trigger: Trigger, at: number): OccurrenceNote | undefined {
  if (trigger.type === 'interval') return undefined;
  const zone = trigger.timezone;
  const local = DateTime.fromMillis(at, { zone });
  const before = DateTime.fromMillis(at - 3 * 3_600_000, { zone }).offset;
  const after = DateTime.fromMillis(at + 3 * 3_600_000, { zone }).offset;
  if (before === after) return undefined;
  if (trigger.type === 'cron') {
    const cron = cronFor(trigger.expression, zone);
    // croner's match() reads wall-clock fields in the job's zone: a miss means the gap moved it.
    if (!cron.match(new Date(at))) return 'dst-shifted';
  } else {
    const requested = DateTime.fromISO(trigger.at, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
    if (local.toFormat("yyyy-MM-dd'T'HH:mm:ss") !== requested) return 'dst-shifted';
  }
  const shift = Math.abs(before - after) * 60_000;
  const wall = local.toFormat("yyyy-MM-dd'T'HH:mm:ss");
  for (const other of [at - shift, at + shift]) {
    if (DateTime.fromMillis(other, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss") === wall)
      return 'dst-repeated';
  }
  return undefined;
}

export function preview(
  trigger: Trigger,
  from: number,
  count: number,
  createdAt = from,
): PlannedOccurrence[] {
  return occurrencesBetween(trigger, from - 1, Number.MAX_SAFE_INTEGER, createdAt, count).map((at) => {
    const note = noteFor(trigger, at);
    return note ? { at, note } : { at };
  });
}

/**
 * Deterministic jitter: derived from schedule id and scheduled instant, so every restart agrees.
 * Clamped so a run never fires at or after the next occurrence.
 */
export function jitterFor(
  id: string,
  scheduledAt: number,
  jitterSeconds: number,
  nextAt: number | null,
): number {
  if (!jitterSeconds) return 0;
  let hash = 2166136261;
  const key = `${id}@${scheduledAt}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  let jitter = (hash >>> 0) % (jitterSeconds * 1000);
  if (nextAt !== null) jitter = Math.min(jitter, Math.max(0, nextAt - scheduledAt - 1));
  return jitter;
}
