/**
 * Notification folding (DESIGN.md §3 `notify`): the one notification for an ended occurrence, and
 * the schedule's failure streak after it. Pure: the engine keeps the streaks and sends what this says.
 */
import type { NotificationEvent } from '../../shared/api';
import type { Policy, RunStatus } from '../../shared/domain';
import type { RunMessage } from './ports';
import { resultExcerpt } from './runners/result';

/** Within a streak of failures, one notification per schedule per window; the rest are folded into its count. */
export const FOLD_WINDOW_MS = 60 * 60 * 1000;

/** A schedule's current streak of failures, for folding their notifications. */
export interface FailureStreak {
  /** When its last notification went out. */
  postedAt: number;
  /** Failures since then, not yet told. */
  folded: number;
  /** Failures in the streak. */
  failures: number;
}

/** An ended occurrence (not cancelled: a cancel tells nobody). */
export interface Ending {
  scheduleId: string;
  scheduleName: string;
  runId: string;
  notify: Policy['notify'];
  status: RunStatus;
  reason: string | null;
  durationMs: number;
  /** The run's output, for an excerpt. */
  output: string;
  /** The run's own message (a reminder, a watch's result), which stands in for the policy's. */
  message: RunMessage | null;
  /** This end paused the schedule (pauseAfterFailures); always told. */
  paused: boolean;
  consecutiveFailures: number;
  at: number;
}

export interface Told {
  notification: NotificationEvent | null;
  /** The streak after this end; null when it ended (a success). */
  streak: FailureStreak | null;
}

/**
 * Failures in a streak are folded: the first is told at once, later ones at most once per
 * FOLD_WINDOW_MS with how many they were; a success after told failures says the schedule recovered.
 */
export function tell(ending: Ending, streak: FailureStreak | null): Told {
  const base = { scheduleId: ending.scheduleId, runId: ending.runId };
  const own = ending.message;
  const policy = ending.notify;
  const excerpt = () => resultExcerpt(ending.output, 200);
  const name = ending.scheduleName;
  if (ending.status === 'succeeded') {
    if (own) return { notification: { ...base, ...own, count: 1 }, streak: null };
    if (policy === 'never' || (policy === 'failure' && !streak)) return { notification: null, streak: null };
    const said = streak
      ? `Succeeded again after ${streak.failures} failed run${streak.failures === 1 ? '' : 's'}.`
      : `Succeeded in ${(ending.durationMs / 1000).toFixed(1)} s.`;
    return {
      notification: {
        ...base,
        title: `${name} ${streak ? 'recovered' : 'succeeded'}`,
        body: [said, excerpt()].filter(Boolean).join('\n'),
        level: 'success',
        count: 1,
      },
      streak: null,
    };
  }
  if (!own && policy === 'never' && !ending.paused) return { notification: null, streak };
  const current = streak
    ? { ...streak, failures: streak.failures + 1 }
    : { postedAt: -Infinity, folded: 0, failures: 1 };
  if (!ending.paused && ending.at - current.postedAt < FOLD_WINDOW_MS) {
    return { notification: null, streak: { ...current, folded: current.folded + 1 } };
  }
  const count = current.folded + 1;
  const next = { ...current, postedAt: ending.at, folded: 0 };
  const pauseNote = ending.paused
    ? `Paused after ${ending.consecutiveFailures} consecutive failures; resume it when it is fixed.`
    : '';
  if (own) {
    return {
      notification: { ...base, ...own, body: [own.body, pauseNote].filter(Boolean).join('\n'), count },
      streak: next,
    };
  }
  const status = ending.status;
  const ended =
    status === 'timed-out' ? 'timed out' : status === 'interrupted' ? 'was interrupted' : 'failed';
  const title = ending.paused
    ? `${name} paused`
    : count > 1
      ? `${name} failed ${count} times`
      : `${name} ${ended}`;
  const latest = ending.reason ?? ended;
  return {
    notification: {
      ...base,
      title,
      body: [
        count > 1 ? `${count} failures since the last notice; the latest: ${latest}` : latest,
        excerpt(),
        pauseNote,
      ]
        .filter(Boolean)
        .join('\n'),
      level: 'failure',
      count,
    },
    streak: next,
  };
}
