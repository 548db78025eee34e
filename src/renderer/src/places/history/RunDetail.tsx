/**
 * One run in full, in a drawer over the place: its times with the waits between them, its outcome
 * and why in plain words, its attempts grouped under the occurrence, the chain it belongs to, and
 * its output, live while it runs. Escape or Close dismisses it.
 */
import { useEffect, useRef, useState } from 'react';
import type { AlmanacApi } from '../../../../shared/api';
import { FINISHED, type Run } from '../../../../shared/domain';
import { formatDuration } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { useScheduleNames } from '../../lib/useScheduleNames';
import { useApp, useStores } from '../../stores';
import { StatusBadge } from '../../ui/Badge';
import { useHistoryStore, useRuns } from './historyContext';
import { RunOutput } from './RunOutput';
import './RunDetail.css';
import { formatWhen, plainReason, TRIGGER_LABELS, waitBetween } from './words';

export function RunDetail() {
  const selectedId = useRuns((state) => state.selectedId);
  const detail = useRuns((state) => state.detail);
  const listed = useRuns((state) => state.items.find((run) => run.id === state.selectedId));
  const loading = useRuns((state) => state.detailLoading);
  const error = useRuns((state) => state.detailError);
  const select = useRuns((state) => state.select);
  const openSchedule = useApp((state) => state.openSchedule);
  const nameOf = useScheduleNames();
  const now = useNow();
  const { api } = useStores();
  const runs = useHistoryStore();
  const notify = useApp((state) => state.notify);
  const closeRef = useRef<HTMLButtonElement>(null);
  const asideRef = useRef<HTMLElement>(null);
  // What had the focus when the drawer opened (the run's row), and the run shown, to give focus back.
  const opener = useRef<HTMLElement | null>(null);
  const lastId = useRef<string | null>(null);

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

  if (!selectedId) return null;
  const run = detail ?? listed ?? null;
  const reason = run ? plainReason(run) : null;
  const jitter = run?.scheduledAt && run.fireAt ? Date.parse(run.fireAt) - Date.parse(run.scheduledAt) : null;

  // In the order they happened (a retry is queued before it fires), each with the wait since the one before.
  const known: { label: string; at: string | null; note?: string }[] = run
    ? [
        {
          label: 'Scheduled',
          at: run.scheduledAt,
          note: run.scheduledAt ? undefined : 'not scheduled (started by hand or by another run)',
        },
        {
          label: 'Fire',
          at: run.fireAt,
          note:
            jitter && run.attempt === 1 && (run.trigger === 'schedule' || run.trigger === 'catch-up')
              ? `jitter ${formatDuration(jitter)}`
              : run.trigger === 'retry' && run.fireAt && run.queuedAt
                ? 'after the retry’s backoff'
                : undefined,
        },
        { label: 'Queued', at: run.queuedAt },
        { label: 'Started', at: run.startedAt },
        { label: 'Finished', at: run.finishedAt },
      ]
    : [];
  const happened = known.filter((time) => time.at).sort((a, b) => Date.parse(a.at!) - Date.parse(b.at!));
  const times = [
    ...happened.map((time, i) => ({
      ...time,
      wait: i > 0 ? waitBetween(happened[i - 1]!.at, time.at) : null,
    })),
    ...known.filter((time) => !time.at).map((time) => ({ ...time, wait: null })),
  ];

  return (
    <aside
      ref={asideRef}
      className="card detail detail-drawer run-detail"
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
              if (result.ok) runs.getState().applyRun(result.value);
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
        <>
          <p className="run-detail-links">
            <button type="button" className="link-button" onClick={() => openSchedule(run.scheduleId)}>
              Open the schedule’s page
            </button>
            <span className="muted">
              {TRIGGER_LABELS[run.trigger]}
              {run.attempt > 1 ? `, attempt ${run.attempt}` : ''}
            </span>
          </p>
          {reason ? (
            <p className={`run-reason reason-${run.status}`} data-testid="run-reason">
              {reason}
            </p>
          ) : null}
          <ol className="run-times" aria-label="Times">
            {times.map((time) => (
              <li key={time.label}>
                <span className="run-time-label">{time.label}</span>
                <span className="run-time-at">{formatWhen(time.at, now)}</span>
                <span className="run-time-wait muted">
                  {time.at && time.wait ? time.wait : ''}
                  {time.note ? ` ${time.note}` : ''}
                </span>
              </li>
            ))}
          </ol>
          <dl className="facts">
            <div>
              <dt>Duration</dt>
              <dd>{formatDuration(run.durationMs)}</dd>
            </div>
            <div>
              <dt>{run.httpStatus !== null ? 'HTTP status' : 'Exit code'}</dt>
              <dd className="mono" data-testid="run-exit">
                {run.httpStatus ?? run.exitCode ?? (run.signal ? `signal ${run.signal}` : '—')}
              </dd>
            </div>
            {run.missedCount !== null ? (
              <div>
                <dt>Missed</dt>
                <dd>{run.missedCount}</dd>
              </div>
            ) : null}
          </dl>
          <Related run={run} />
        </>
      ) : null}
      <RunOutput
        runId={selectedId}
        output={detail?.output ?? ''}
        truncated={detail?.outputTruncated ?? false}
        live={run?.status === 'running'}
        loading={loading && !detail}
      />
    </aside>
  );
}

interface Family {
  attempts: Run[];
  parent: Run | null;
  children: Run[];
}

/** The occurrence's attempts (first to last) and the chain around a run, from a few small queries. */
export async function familyOf(api: AlmanacApi, run: Run): Promise<Family> {
  // The first attempt: follow retries up.
  let first = run;
  for (let hops = 0; first.trigger === 'retry' && first.parentRunId && hops < 20; hops++) {
    const up = await api.invoke('runs.get', { id: first.parentRunId });
    if (!up.ok) break;
    first = up.value;
  }
  const attempts = [first];
  const since = first.fireAt ?? first.queuedAt ?? first.scheduledAt;
  if (since) {
    const retries = await api.invoke('runs.list', {
      scheduleId: first.scheduleId,
      trigger: ['retry'],
      from: since,
      limit: 200,
    });
    if (retries.ok) {
      const byParent = new Map(retries.value.items.map((item) => [item.parentRunId, item]));
      for (let next = byParent.get(first.id); next && attempts.length < 50; next = byParent.get(next.id)) {
        attempts.push(next);
      }
    }
  }
  let parent: Run | null = null;
  if (first.trigger === 'chain' && first.parentRunId) {
    const up = await api.invoke('runs.get', { id: first.parentRunId });
    if (up.ok) parent = up.value;
  }
  let children: Run[] = [];
  if (run.finishedAt) {
    // Chained runs are recorded the moment their parent ends.
    const end = Date.parse(run.finishedAt);
    const chained = await api.invoke('runs.list', {
      trigger: ['chain'],
      from: new Date(end - 1000).toISOString(),
      to: new Date(end + 60_000).toISOString(),
      limit: 200,
    });
    if (chained.ok) children = chained.value.items.filter((item) => item.parentRunId === run.id).reverse();
  }
  return { attempts, parent, children };
}

function Related({ run }: { run: Run }) {
  const { api } = useStores();
  const select = useRuns((state) => state.select);
  const nameOf = useScheduleNames();
  const now = useNow();
  const [family, setFamily] = useState<Family | null>(null);
  const key = `${run.id}:${run.status}`;

  useEffect(() => {
    let live = true;
    void familyOf(api, run).then((found) => {
      if (live) setFamily(found);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refetched when the run or its status changes
  }, [api, key]);

  if (!family) return null;
  const { attempts, parent, children } = family;
  const link = (other: Run, text: string) => (
    <button
      type="button"
      className="link-button"
      onClick={() => select(other.id)}
      aria-current={other.id === run.id || undefined}
    >
      {text}
    </button>
  );
  return (
    <div className="run-family">
      {attempts.length > 1 ? (
        <section aria-labelledby="attempts-title">
          <h3 id="attempts-title">Attempts of this occurrence</h3>
          <ol className="run-attempts" data-testid="run-attempts">
            {attempts.map((attempt) => (
              <li key={attempt.id} className={attempt.id === run.id ? 'current' : undefined}>
                {link(attempt, `Attempt ${attempt.attempt}`)} <StatusBadge status={attempt.status} />{' '}
                <span className="muted">
                  {formatWhen(attempt.startedAt ?? attempt.fireAt, now)}
                  {attempt.durationMs !== null ? `, ${formatDuration(attempt.durationMs)}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {parent ? (
        <p className="run-chain" data-testid="run-chain-parent">
          Chained after {link(parent, `${nameOf(parent.scheduleId)} (${parent.status})`)}
        </p>
      ) : null}
      {children.length ? (
        <div className="run-chain" data-testid="run-chain-children">
          <span>Started next: </span>
          <ul>
            {children.map((child) => (
              <li key={child.id}>
                {link(child, nameOf(child.scheduleId))} <StatusBadge status={child.status} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
