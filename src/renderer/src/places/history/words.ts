/** Runs in plain words: why one was skipped, missed, failed or interrupted; times as a person reads them. */
import { DateTime } from 'luxon';
import type { Run, RunStatus, RunTrigger } from '../../../../shared/domain';
import { formatDuration } from '../../lib/time';

export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'timed-out': 'Timed out',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  missed: 'Missed',
  interrupted: 'Interrupted',
};

export const TRIGGER_LABELS: Record<RunTrigger, string> = {
  schedule: 'On schedule',
  'catch-up': 'Catch-up',
  manual: 'Run now',
  retry: 'Retry',
  chain: 'Chained',
};

/** A time in a row or a fact: the date when not today, the year when not this year. */
export function formatWhen(iso: string | null | undefined, now: number, seconds = true): string {
  if (!iso) return '—';
  const time = DateTime.fromISO(iso);
  if (!time.isValid) return iso;
  const today = DateTime.fromMillis(now);
  const clock = seconds ? DateTime.TIME_WITH_SECONDS : DateTime.TIME_SIMPLE;
  if (time.hasSame(today, 'day')) return time.toLocaleString(clock);
  const date: Intl.DateTimeFormatOptions = {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  };
  if (seconds) date.second = '2-digit';
  if (!time.hasSame(today, 'year')) date.year = 'numeric';
  return time.toLocaleString(date);
}

/** Why a run ended as it did, in words; null for a plain success. */
export function plainReason(run: Run): string | null {
  const given = run.reason?.trim() || null;
  switch (run.status) {
    case 'skipped':
      return given ? `Skipped: ${given}.` : 'Skipped: the schedule’s overlap policy kept it from starting.';
    case 'missed': {
      const count = run.missedCount ?? 1;
      const span =
        run.missedFirstAt && run.missedLastAt && run.missedFirstAt !== run.missedLastAt
          ? ` (from ${formatWhen(run.missedFirstAt, Date.now(), false)} to ${formatWhen(run.missedLastAt, Date.now(), false)})`
          : '';
      return `${count} occurrence${count === 1 ? ' was' : 's were'} missed${span}: Almanac was not running or the computer slept, and the catch-up policy did not run ${count === 1 ? 'it' : 'them'}.`;
    }
    case 'failed':
      if (run.httpStatus !== null)
        return `The server answered HTTP ${run.httpStatus}, which the schedule does not expect.${given ? ` ${given}` : ''}`;
      if (run.signal) return `The process was ended by signal ${run.signal}.${given ? ` ${given}` : ''}`;
      if (run.exitCode !== null) return `The command exited with code ${run.exitCode} (0 means success).`;
      return given ? `It failed: ${given}` : 'It failed.';
    case 'timed-out':
      return `It ran longer than its timeout${run.durationMs !== null ? ` (${formatDuration(run.durationMs)})` : ''} and was stopped, with its whole process tree.`;
    case 'interrupted':
      return given ?? 'Almanac stopped (it quit or crashed) while this run was going; it could not finish.';
    case 'cancelled':
      return given ?? 'It was cancelled before it finished.';
    default:
      return given;
  }
}

/** The wait between two instants, as "+1.20 s"; null when either is unknown. */
export function waitBetween(from: string | null, to: string | null): string | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return `${ms < 0 ? '−' : '+'}${formatDuration(Math.abs(ms))}`;
}
