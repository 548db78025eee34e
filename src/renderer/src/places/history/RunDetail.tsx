/**
 * One run in full, in a drawer over the place: times, outcome, reason and its output, which streams
 * in while it runs. Escape or Close dismisses it.
 */
import { useEffect, useRef } from 'react';
import { FINISHED } from '../../../../shared/domain';
import { formatDuration, formatInstant } from '../../lib/time';
import { useScheduleNames } from '../../lib/useScheduleNames';
import { useApp, useHistory, useStores } from '../../stores';
import { StatusBadge } from '../../ui/Badge';
import './RunDetail.css';

export function RunDetail() {
  const selectedId = useHistory((state) => state.selectedId);
  const detail = useHistory((state) => state.detail);
  const listed = useHistory((state) => state.items.find((run) => run.id === state.selectedId));
  const loading = useHistory((state) => state.detailLoading);
  const error = useHistory((state) => state.detailError);
  const select = useHistory((state) => state.select);
  const nameOf = useScheduleNames();
  const { api, history } = useStores();
  const notify = useApp((state) => state.notify);
  const closeRef = useRef<HTMLButtonElement>(null);
  const asideRef = useRef<HTMLElement>(null);
  // What had the focus when the drawer opened (the run's row), and the run shown, to give focus back.
  const opener = useRef<HTMLElement | null>(null);
  const lastId = useRef<string | null>(null);
  const outputRef = useRef<HTMLPreElement>(null);
  const output = detail?.output ?? '';

  useEffect(() => {
    if (!selectedId) {
      // closed: focus goes back where it came from, or to the run's row when that element is gone
      const back = opener.current;
      const id = lastId.current;
      opener.current = null;
      lastId.current = null;
      if (id === null) return;
      const row = [...document.querySelectorAll<HTMLElement>('[data-testid="run-row"]')].find(
        (element) => element.dataset.id === id,
      );
      const target = back?.isConnected ? back : (row?.querySelector<HTMLElement>('button') ?? row);
      target?.focus();
      return;
    }
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body && !asideRef.current?.contains(active))
      opener.current = active;
    lastId.current = selectedId;
    closeRef.current?.focus();
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) select(null);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [selectedId, select]);

  useEffect(() => {
    const pre = outputRef.current;
    if (pre) pre.scrollTop = pre.scrollHeight;
  }, [output]);

  if (!selectedId) return null;

  const run = detail ?? listed ?? null;
  const rows: [string, string | number | null][] = run
    ? [
        ['Trigger', run.attempt > 1 ? `${run.trigger} (attempt ${run.attempt})` : run.trigger],
        ['Scheduled', run.scheduledAt ? formatInstant(run.scheduledAt, { weekday: true }) : 'manual'],
        ['Fired', formatInstant(run.fireAt)],
        ['Started', formatInstant(run.startedAt)],
        ['Finished', formatInstant(run.finishedAt)],
        ['Duration', run.durationMs === null ? '—' : `${formatDuration(run.durationMs)}`],
        ['Exit code', run.exitCode ?? (run.signal ? `signal ${run.signal}` : '—')],
        ...(run.httpStatus !== null ? [['HTTP status', run.httpStatus] as [string, number]] : []),
        ...(run.missedCount !== null ? [['Missed', run.missedCount] as [string, number]] : []),
        ['Reason', run.reason ?? '—'],
      ]
    : [];

  return (
    <aside
      ref={asideRef}
      className="card detail detail-drawer"
      aria-labelledby="run-detail-title"
      data-testid="run-detail"
    >
      <div className="card-head">
        <h2 id="run-detail-title" className="card-title">
          {run ? nameOf(run.scheduleId) : 'Run'}
        </h2>
        {run ? <StatusBadge status={run.status} /> : null}
        {run && !FINISHED.includes(run.status) && run.status !== 'skipped' && run.status !== 'missed' ? (
          <button
            type="button"
            className="button small danger push-right"
            data-testid="drawer-cancel"
            onClick={async () => {
              const result = await api.invoke('runs.cancel', { id: run.id });
              if (result.ok) history.getState().applyRun(result.value);
              else notify('error', `Could not cancel this run: ${result.error.message}`);
            }}
          >
            Cancel run
          </button>
        ) : null}
        <button
          ref={closeRef}
          type="button"
          className="button small ghost push-right"
          onClick={() => select(null)}
        >
          Close
        </button>
      </div>
      {error ? <p className="inline-error">Could not load this run: {error}</p> : null}
      {run ? (
        <dl className="facts">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd className={label === 'Exit code' ? 'mono' : undefined}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div className="output-head">
        <h3>Output</h3>
        <span className="muted" aria-live="polite">
          {loading && !detail ? 'Loading…' : run?.status === 'running' ? 'Streaming…' : ''}
        </span>
      </div>
      {detail?.outputTruncated ? (
        <p className="muted small">Earlier output was cut; this is its tail.</p>
      ) : null}
      <pre ref={outputRef} className="output" data-testid="run-output" tabIndex={0} aria-label="Run output">
        {output}
      </pre>
      {detail && output === '' ? <p className="muted small">No output.</p> : null}
    </aside>
  );
}
