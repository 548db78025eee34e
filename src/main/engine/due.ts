/**
 * What falls due: a schedule's due occurrences → the claims to make, and one missed row for the
 * late ones its catch-up policy does not run (DESIGN.md §4.2). Pure: the engine weighs each claim
 * against the overlap policy (a claim may become a skipped row) and writes the rows.
 */
import type { Policy, Trigger } from '../../shared/domain';
import { countBetween } from './count';
import { nextOccurrence, occurrencesBetween } from './planner';
import { before, jitterAt, latestAtOrBefore, newest, type Series } from './occurrences';

/** A due schedule, as plain data. */
export interface DueSchedule {
  id: string;
  trigger: Trigger;
  policy: Pick<Policy, 'graceSeconds' | 'catchUp' | 'catchUpLimit' | 'catchUpWindowSeconds'>;
  createdAt: number;
  /** Its first occurrence not yet accounted for, and the instant it fires (with jitter). */
  nextAt: number;
  nextFireAt: number;
  /** Occurrences run so far (for maxRuns). */
  firedCount: number;
}

export interface Claim {
  /** The occurrence (scheduledAt). */
  at: number;
  fireAt: number;
  trigger: 'schedule' | 'catch-up';
}

export interface Missed {
  first: number;
  last: number;
  count: number;
}

export interface DueDecision {
  /** Oldest first: late ones the catch-up policy runs, then the ones on time. */
  claims: Claim[];
  /** The late occurrences that do not run, as one row; null when none. */
  missed: Missed | null;
  /** The newest due occurrence (lastScheduledAt). */
  latest: number;
  /** The occurrence after `latest`, or null; the engine plans none once maxRuns is reached. */
  next: number | null;
  /** More than one occurrence was due (a catch-up), rather than the one on the hot path. */
  many: boolean;
}

/**
 * Decides one schedule's due occurrences at `now`. `following` is the occurrence after nextAt
 * (cached by the engine: with it, the common case of one due occurrence costs no croner call).
 * Null when nothing is due after all.
 */
export function decideDue(schedule: DueSchedule, now: number, following: number | null): DueDecision | null {
  const { policy, trigger } = schedule;
  const first = schedule.nextAt;
  const maxRuns = trigger.maxRuns ?? Infinity;
  if (following === null || following > now) {
    // The common case: exactly one occurrence is due.
    const late = now - schedule.nextFireAt > policy.graceSeconds * 1000;
    const inWindow = !policy.catchUpWindowSeconds || now - first <= policy.catchUpWindowSeconds * 1000;
    const one: DueDecision = { claims: [], missed: null, latest: first, next: following, many: false };
    if (late && (policy.catchUp === 'none' || !inWindow)) {
      one.missed = { first, last: first, count: 1 };
    } else if (schedule.firedCount < maxRuns) {
      one.claims.push({ at: first, fireAt: schedule.nextFireAt, trigger: late ? 'catch-up' : 'schedule' });
    }
    return one;
  }
  const series: Series = { id: schedule.id, trigger, createdAt: schedule.createdAt, from: first };
  const graceCutoff = now - policy.graceSeconds * 1000;
  const windowCutoff = policy.catchUpWindowSeconds ? now - policy.catchUpWindowSeconds * 1000 : -Infinity;
  const latest = latestAtOrBefore(series, now);
  if (latest === null) return null;
  const total = countBetween(trigger, first - 1, latest, schedule.createdAt);

  let claims: { at: number; trigger: 'schedule' | 'catch-up' }[] = [];
  let missed: Missed | null = null;
  // Only occurrences inside the grace window (plus jitter) can be on time: enumerate just those.
  const jitterMax = (trigger.jitterSeconds ?? 0) * 1000;
  const onTime = occurrencesBetween(
    trigger,
    Math.max(first - 1, graceCutoff - jitterMax - 1),
    latest,
    schedule.createdAt,
    Number.MAX_SAFE_INTEGER,
  ).filter((at) => at + jitterAt(series, at) >= graceCutoff);
  const lateCount = total - onTime.length;
  if (lateCount > 0) {
    const lateLast = onTime.length ? before(series, onTime[0]!) : latest;
    let chosen: number[] = [];
    // `latest` needs no catch-up run when an on-time run is about to happen; `all` runs each anyway.
    if (policy.catchUp === 'all' || (policy.catchUp === 'latest' && onTime.length === 0)) {
      const want = policy.catchUp === 'latest' ? 1 : policy.catchUpLimit;
      chosen = newest(series, lateLast!, want).filter((at) => at >= windowCutoff);
    }
    // maxRuns leaves room for fewer: keep the newest, so the missed row ends right before them
    chosen = chosen.slice(Math.max(0, chosen.length - Math.max(0, maxRuns - schedule.firedCount)));
    claims = chosen.map((at) => ({ at, trigger: 'catch-up' as const }));
    const count = lateCount - chosen.length;
    if (count > 0) {
      missed = { first, last: chosen.length ? before(series, chosen[0]!)! : lateLast!, count };
    }
  }
  for (const at of onTime) claims.push({ at, trigger: 'schedule' });
  // beyond maxRuns nothing is due: the schedule completes
  claims = claims.slice(0, Math.max(0, maxRuns - schedule.firedCount));
  return {
    claims: claims.map((claim) => ({ ...claim, fireAt: claim.at + jitterAt(series, claim.at) })),
    missed,
    latest,
    next: nextOccurrence(trigger, latest, schedule.createdAt),
    many: true,
  };
}
