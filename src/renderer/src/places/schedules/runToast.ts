/**
 * What the Run-now toast says: what actually happened to the run, from its real status, and kept up
 * to date by `run.changed` (through the history store) until the run ends.
 */
import type { StoreApi } from 'zustand/vanilla';
import { FINISHED, type Action, type Run, type RunStatus } from '../../../../shared/domain';
import { formatDuration } from '../../lib/time';
import type { AppState, Notice } from '../../stores/app';
import type { HistoryState } from '../../stores/history';

function progress(status: RunStatus): number {
  if (status === 'queued') return 0;
  if (status === 'running') return 1;
  return 2;
}

/** The toast for one manual run of `name` in its current status. */
export function runNowMessage(name: string, action: Action['type'], run: Run): Pick<Notice, 'kind' | 'text'> {
  const quoted = `“${name}”`;
  const took = run.durationMs !== null ? ` in ${formatDuration(run.durationMs)}` : '';
  const why = run.reason ? `: ${run.reason}` : '';
  switch (run.status) {
    case 'queued':
      return { kind: 'info', text: `Queued ${quoted}; it starts when a slot is free.` };
    case 'running':
      return { kind: 'info', text: `Started ${quoted}; it is running.` };
    case 'succeeded':
      return {
        kind: 'success',
        text: action === 'reminder' ? `Reminder ${quoted} sent.` : `${quoted} succeeded${took}.`,
      };
    case 'failed':
      return {
        kind: 'error',
        text: `${quoted} failed${took}${run.exitCode !== null ? ` (exit code ${run.exitCode})` : ''}${why}.`,
      };
    case 'timed-out':
      return { kind: 'error', text: `${quoted} timed out${took}.` };
    case 'cancelled':
      return { kind: 'info', text: `${quoted} was cancelled.` };
    case 'interrupted':
      return { kind: 'error', text: `${quoted} was interrupted${why}.` };
    case 'skipped':
      return { kind: 'info', text: `${quoted} was skipped${why}.` };
    case 'missed':
      return { kind: 'info', text: `${quoted} was missed${why}.` };
  }
}

/**
 * Shows the toast for a run just started by Run now and rewrites it as the run moves on, until it
 * ends (or the toast is dismissed). The history store may already hold a newer status than the
 * answer (events and answers cross): the furthest one wins.
 */
export function showRunNowToast(
  app: StoreApi<AppState>,
  history: StoreApi<HistoryState>,
  name: string,
  action: Action['type'],
  answer: Run,
): void {
  let shown = answer;
  const latest = (): Run => {
    const known = history.getState().items.find((run) => run.id === answer.id);
    return known && progress(known.status) >= progress(shown.status) ? known : shown;
  };
  shown = latest();
  const first = runNowMessage(name, action, shown);
  const id = app.getState().notify(first.kind, first.text);
  if (FINISHED.includes(shown.status) || progress(shown.status) === 2) return;
  const stop = history.subscribe(() => {
    const next = latest();
    if (next === shown) return;
    const moved = next.status !== shown.status || next.durationMs !== shown.durationMs;
    shown = next;
    if (moved) {
      const message = runNowMessage(name, action, next);
      app.getState().updateNotice(id, message.kind, message.text);
    }
    if (progress(next.status) === 2 || !app.getState().notices.some((notice) => notice.id === id)) stop();
  });
}
