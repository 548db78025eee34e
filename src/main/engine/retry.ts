/**
 * Retry backoff (DESIGN.md §3 `retries`): whether a failed attempt gets another, and after how
 * long. Pure: the engine writes the retry's row.
 */
import type { Policy, RunStatus } from '../../shared/domain';
import { jitterFor } from './planner';

/** Retry backoff grows by up to this share, derived from the occurrence, so many retries spread out. */
export const RETRY_JITTER = 0.1;

export interface Attempt {
  scheduleId: string;
  /** The occurrence (or, for a manual run, when it was queued): the same for every attempt. */
  occurrence: number;
  attempt: number;
  status: RunStatus;
}

/**
 * Milliseconds until the next attempt, or null when there is none: success and cancel end an
 * occurrence, and so does the last allowed attempt. backoffSeconds · 2^(attempt−1), grown by a
 * jitter share derived from the occurrence (so restarts agree), never beyond maxBackoffSeconds.
 */
export function retryDelay(retries: Policy['retries'], attempt: Attempt): number | null {
  if (attempt.status === 'succeeded' || attempt.status === 'cancelled') return null;
  if (attempt.attempt >= retries.maxAttempts) return null;
  const cap = retries.maxBackoffSeconds * 1000;
  const base = Math.min(retries.backoffSeconds * 1000 * 2 ** (attempt.attempt - 1), cap);
  const share = jitterFor(attempt.scheduleId, attempt.occurrence + attempt.attempt, 1000, null) / 1e6;
  return Math.round(Math.min(base * (1 + RETRY_JITTER * share), cap));
}
