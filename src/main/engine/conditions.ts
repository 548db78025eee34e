/**
 * Run conditions (issue 16 §2, Task Scheduler's "Conditions"), as pure decisions. When an occurrence
 * falls due and a condition fails, its run waits, up to the schedule's grace, for the condition to
 * hold; past the grace it is a `skipped` row naming the condition. A reading the platform cannot
 * give ('unknown', browser mode) never holds a run back.
 */
import type { RunConditions } from '../../shared/domain';
import type { Reading } from './ports';

export interface ConditionReadings {
  onACPower: Reading<boolean>;
  idleSeconds: Reading<number>;
}

export type ConditionVerdict =
  | { action: 'start' }
  /** Wait; look again at `recheckAt` at the latest (a power or idle change looks at once). */
  | { action: 'wait'; recheckAt: number; failing: string }
  | { action: 'skip'; reason: string };

const START: ConditionVerdict = { action: 'start' };

/** Whether the conditions need any reading at all (most policies have none). */
export function hasConditions(conditions: RunConditions | undefined): conditions is RunConditions {
  return !!conditions && (conditions.onACPower === true || (conditions.idleForSeconds ?? 0) > 0);
}

/** The conditions that fail now, in words, and when idle time alone would make them hold. */
export function failingConditions(
  conditions: RunConditions | undefined,
  readings: ConditionReadings,
): { failing: string[]; idleShortMs: number | null } {
  const failing: string[] = [];
  let idleShortMs: number | null = null;
  if (conditions?.onACPower === true && readings.onACPower === false) {
    failing.push('on battery power (it runs only on AC power)');
  }
  const needed = conditions?.idleForSeconds ?? 0;
  if (needed > 0 && readings.idleSeconds !== 'unknown' && readings.idleSeconds < needed) {
    failing.push(
      `the computer was in use (idle ${Math.floor(readings.idleSeconds)} s of the ${needed} s it needs)`,
    );
    // less a hair: (40 − 8.3) · 1000 is 31700.000000000004 in floating point
    idleShortMs = Math.ceil((needed - readings.idleSeconds) * 1000 - 1e-6);
  }
  return { failing, idleShortMs };
}

/**
 * What a run waiting on its conditions does at `now`: start, wait until `recheckAt`, or be skipped
 * once `deadline` (the instant it was due plus the grace) has come.
 */
export function decideConditions(
  conditions: RunConditions | undefined,
  readings: ConditionReadings,
  now: number,
  deadline: number,
): ConditionVerdict {
  if (!hasConditions(conditions)) return START;
  const { failing, idleShortMs } = failingConditions(conditions, readings);
  if (!failing.length) return START;
  const text = failing.join('; ');
  if (now >= deadline) return { action: 'skip', reason: `condition not met within the grace: ${text}` };
  // Idle time grows by itself, with no event to say so: look again when it would be enough. A power
  // change is announced (onChange), so for power alone the deadline is the only timer.
  const recheckAt = idleShortMs !== null ? Math.min(deadline, now + idleShortMs) : deadline;
  return { action: 'wait', recheckAt, failing: text };
}
