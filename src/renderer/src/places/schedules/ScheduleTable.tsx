/**
 * Every schedule with its state, action kind, next run and last outcome; filtered by group and state,
 * sorted by next run or name. Each row opens the schedule's page, and can pause, run now, cancel its
 * running run and delete.
 */
import {
  createContext,
  lazy,
  memo,
  startTransition,
  Suspense,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { Run, Schedule } from '../../../../shared/domain';
import { triggerPattern, triggerWords } from '../../lib/describe';
import { formatInstant, formatRelative } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { useApp, useHistory, useScheduleList, useSchedules, useStores } from '../../stores';
import type { PendingAction } from '../../stores/schedules';
import { visibleSchedules } from '../../stores/scheduleList';
import { StateBadge, StatusBadge } from '../../ui/Badge';
import { CopyIcon, PencilIcon, PlayIcon, TrashIcon } from '../../ui/Icons';
import { ActionKind } from './ActionKind';
import { showRunNowToast } from './runToast';
import './ScheduleTable.css';

// The widgets on react-aria-components come in their own chunk, after the first rows.
const loadControls = () => import('./ListControls');
const loadConfirm = () => import('../../ui/ConfirmPopover');
const ListControls = lazy(loadControls);
const ConfirmPopover = lazy(() => loadConfirm().then((module) => ({ default: module.ConfirmPopover })));

/** Rows rendered in the first pass; more than a window shows. */
const FIRST_ROWS = 12;

export function ScheduleTable() {
  const items = useSchedules((state) => state.items);
  const loaded = useSchedules((state) => state.loaded);
  const error = useSchedules((state) => state.error);
  const group = useScheduleList((state) => state.group);
  const stateFilter = useScheduleList((state) => state.state);
  const sort = useScheduleList((state) => state.sort);
  const shown = useMemo(
    () => visibleSchedules(items, { group, state: stateFilter, sort }),
    [items, group, stateFilter, sort],
  );
  const filtered = group.kind !== 'all' || stateFilter !== 'all';
  // The first rows render at once; the rest follow in a transition React slices into short tasks,
  // so a long list never blocks the page while it appears.
  const [limit, setLimit] = useState(FIRST_ROWS);
  useEffect(() => {
    if (limit < shown.length) startTransition(() => setLimit(shown.length));
  }, [limit, shown.length]);
  const rows = limit < shown.length ? shown.slice(0, limit) : shown;

  return (
    <section className="card" aria-labelledby="schedules-title">
      <div className="card-head">
        <h2 id="schedules-title" className="card-title">
          Schedules
        </h2>
        <span className="muted" data-testid="schedule-count">
          {!loaded ? 'Loading…' : filtered ? `${shown.length} of ${items.length}` : `${items.length} total`}
        </span>
      </div>
      {items.length > 0 ? (
        <Suspense fallback={<div className="list-controls list-controls-loading" />}>
          <ListControls items={items} />
        </Suspense>
      ) : null}
      {error ? <p className="inline-error">Could not load schedules: {error}</p> : null}
      {loaded && items.length === 0 ? (
        <p className="empty">No schedules yet. Create one with “New schedule”.</p>
      ) : loaded && shown.length === 0 ? (
        <p className="empty">No schedule matches these filters.</p>
      ) : (
        <div className="table-wrap">
          <table className="table schedule-table" aria-labelledby="schedules-title">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">What</th>
                <th scope="col">When</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col" className="actions-col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <DeleteConfirm>
              <tbody>
                {rows.map((schedule) => (
                  <ScheduleRow key={schedule.id} schedule={schedule} />
                ))}
              </tbody>
            </DeleteConfirm>
          </table>
        </div>
      )}
    </section>
  );
}

/** Asks to delete a schedule: the one confirm of the table opens beside the button that asked. */
const AskDelete = createContext<(schedule: Schedule, trigger: HTMLElement) => void>(() => {});

function DeleteConfirm({ children }: { children: React.ReactNode }) {
  const { schedules } = useStores();
  const notify = useApp((state) => state.notify);
  const [asking, setAsking] = useState<Schedule | null>(null);
  const triggerRef = useRef<HTMLElement | null>(null);
  useEffect(() => {
    // fetched while idle, so the first Delete opens at once
    const timer = setTimeout(() => void loadConfirm(), 500);
    return () => clearTimeout(timer);
  }, []);
  const [ask] = useState(() => (schedule: Schedule, trigger: HTMLElement) => {
    triggerRef.current = trigger;
    setAsking(schedule);
  });

  const remove = async (schedule: Schedule) => {
    const name = `“${schedule.name}”`;
    const refocus = focusTargetAfterDelete(schedule.id);
    const result = await schedules.getState().remove(schedule.id);
    if (result.ok) {
      refocus();
      notify('success', `Deleted ${name}.`);
    } else notify('error', `Could not delete ${name}: ${result.error.message}`);
  };

  return (
    <AskDelete value={ask}>
      {children}
      {asking ? (
        <Suspense fallback={null}>
          <ConfirmPopover
            triggerRef={triggerRef}
            isOpen
            onCancel={() => setAsking(null)}
            title={`Delete “${asking.name}”? Its run history goes too.`}
            confirmLabel="Delete"
            onConfirm={() => {
              setAsking(null);
              void remove(asking);
            }}
          />
        </Suspense>
      ) : null}
    </AskDelete>
  );
}

// The running (or queued) run of each schedule, computed once per history list, not once per row.
const activeCache = new WeakMap<Run[], Map<string, Run>>();
function activeRuns(items: Run[]): Map<string, Run> {
  let active = activeCache.get(items);
  if (!active) {
    active = new Map();
    for (const run of items) {
      if ((run.status === 'running' || run.status === 'queued') && !active.has(run.scheduleId))
        active.set(run.scheduleId, run);
    }
    activeCache.set(items, active);
  }
  return active;
}

const ScheduleRow = memo(function ScheduleRow({ schedule }: { schedule: Schedule }) {
  const pending = useSchedules((state) => state.pending[schedule.id]);
  const activeRunId = useHistory((state) => activeRuns(state.items).get(schedule.id)?.id ?? null);
  const openSchedule = useApp((state) => state.openSchedule);
  const words = triggerWords(schedule.trigger);

  return (
    <tr data-testid="schedule-row" data-id={schedule.id} className={schedule.enabled ? undefined : 'row-dim'}>
      <th scope="row" className="name-cell">
        <div className="name">
          <a
            className="schedule-link"
            href={`#/schedules/${encodeURIComponent(schedule.id)}`}
            onClick={(event) => {
              event.preventDefault();
              openSchedule(schedule.id);
            }}
          >
            {schedule.name}
          </a>
          {schedule.group ? <span className="tag">{schedule.group}</span> : null}
        </div>
        <StateBadge state={schedule.state} />
      </th>
      <td className="what-cell">
        <ActionKind action={schedule.action} />
      </td>
      <td className="when-cell">
        <div className="nowrap">
          <code className="pattern">{triggerPattern(schedule.trigger)}</code>
          <span className="zone">{schedule.trigger.timezone}</span>
        </div>
        {words ? <div className="sub">{words}</div> : null}
      </td>
      <td>
        <NextRun at={schedule.state === 'active' ? schedule.nextFireAt : null} />
      </td>
      <td>
        {activeRunId ? (
          <StatusBadge status="running" />
        ) : schedule.lastStatus ? (
          <StatusBadge status={schedule.lastStatus} />
        ) : (
          <span className="muted">—</span>
        )}
        <div className="sub nowrap">
          <span className="run-count">{schedule.totalRuns}</span> run{schedule.totalRuns === 1 ? '' : 's'}
          {schedule.failedRuns > 0 ? (
            <span className="failed-count"> · {schedule.failedRuns} failed</span>
          ) : null}
        </div>
      </td>
      <td className="actions-col">
        <RowActions schedule={schedule} pending={pending} activeRunId={activeRunId} />
      </td>
    </tr>
  );
});

function NextRun({ at }: { at: string | null }) {
  const now = useNow();
  if (!at) return <span className="muted">—</span>;
  return (
    <time dateTime={at} title={formatInstant(at, { weekday: true })}>
      {formatRelative(at, now)}
    </time>
  );
}

interface RowProps {
  schedule: Schedule;
  pending: PendingAction | undefined;
}

function EnabledSwitch({ schedule, pending }: RowProps) {
  const { schedules } = useStores();
  const notify = useApp((state) => state.notify);
  const enabled = pending?.kind === 'toggle' ? pending.enabled : schedule.enabled;

  const toggle = async () => {
    const next = !schedule.enabled;
    const name = `“${schedule.name}”`;
    const result = await schedules.getState().setEnabled(schedule.id, next);
    if (result.ok) notify('success', `${next ? 'Resumed' : 'Paused'} ${name}.`);
    else notify('error', `Could not ${next ? 'resume' : 'pause'} ${name}: ${result.error.message}`);
  };

  return (
    <input
      type="checkbox"
      role="switch"
      checked={enabled}
      disabled={pending !== undefined}
      aria-label={`Enabled ${schedule.name}`}
      aria-busy={pending?.kind === 'toggle' || undefined}
      title={enabled ? 'Enabled: click to pause' : 'Paused: click to resume'}
      onChange={toggle}
    />
  );
}

/** Where focus goes once a row is deleted: the next row's name, else the previous one's, else the list's title. */
function focusTargetAfterDelete(id: string): () => void {
  const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="schedule-row"]')];
  const index = rows.findIndex((row) => row.dataset.id === id);
  const neighbour = rows[index + 1] ?? rows[index - 1];
  const neighbourId = neighbour?.dataset.id;
  return () => {
    const row = [...document.querySelectorAll<HTMLElement>('[data-testid="schedule-row"]')].find(
      (element) => neighbourId !== undefined && element.dataset.id === neighbourId,
    );
    const link = row?.querySelector<HTMLElement>('.schedule-link') ?? null;
    const target = link ?? document.getElementById('schedules-title');
    if (!target) return;
    if (!link) target.setAttribute('tabindex', '-1');
    target.focus();
  };
}

function RowActions({ schedule, pending, activeRunId }: RowProps & { activeRunId: string | null }) {
  const { app, schedules, history, api } = useStores();
  const notify = useApp((state) => state.notify);
  const askDelete = useContext(AskDelete);
  const name = `“${schedule.name}”`;
  const busy = pending !== undefined;

  const runNow = async () => {
    const result = await schedules.getState().runNow(schedule.id);
    if (result.ok) {
      history.getState().applyRun(result.value);
      showRunNowToast(app, history, schedule.name, schedule.action.type, result.value);
    } else {
      notify('error', `Could not run ${name}: ${result.error.message}`);
    }
  };

  const cancel = async () => {
    if (!activeRunId) return;
    const result = await api.invoke('runs.cancel', { id: activeRunId });
    if (result.ok) history.getState().applyRun(result.value);
    else notify('error', `Could not cancel ${name}: ${result.error.message}`);
  };

  return (
    <div className="row-actions">
      <EnabledSwitch schedule={schedule} pending={pending} />
      <EditorActions schedule={schedule} />
      {activeRunId ? (
        // while a run is going, its Cancel takes Run now's place: the row keeps its width
        <button
          type="button"
          className="button small icon row-cancel"
          aria-label={`Cancel the running run of ${schedule.name}`}
          title={`Cancel the running run of “${schedule.name}”`}
          onClick={cancel}
          data-testid="row-cancel"
        >
          <StopIcon />
        </button>
      ) : (
        <button
          type="button"
          className="button small icon"
          disabled={busy}
          aria-busy={pending?.kind === 'run' || undefined}
          aria-label={pending?.kind === 'run' ? 'Starting…' : 'Run now'}
          title={`Run “${schedule.name}” now`}
          onClick={runNow}
        >
          <PlayIcon />
        </button>
      )}
      <button
        type="button"
        className="button small icon ghost"
        disabled={busy}
        aria-busy={pending?.kind === 'delete' || undefined}
        aria-label={pending?.kind === 'delete' ? 'Deleting…' : 'Delete'}
        aria-haspopup="dialog"
        title={`Delete “${schedule.name}”`}
        onClick={(event) => askDelete(schedule, event.currentTarget)}
      >
        <TrashIcon />
      </button>
    </div>
  );
}

function StopIcon() {
  return (
    <svg width="15" height="15" viewBox="0 0 24 24" aria-hidden="true">
      <rect x="6" y="6" width="12" height="12" rx="1.5" fill="currentColor" />
    </svg>
  );
}

/** "Edit" and "Duplicate": open the editor on this schedule (icons with their names as labels, so the row fits at 1024 px). */
function EditorActions({ schedule }: { schedule: Schedule }) {
  const openEditor = useApp((state) => state.openEditor);
  return (
    <>
      <button
        type="button"
        className="button small icon"
        aria-label={`Edit ${schedule.name}`}
        title={`Edit “${schedule.name}”`}
        onClick={() => openEditor({ mode: 'edit', id: schedule.id })}
      >
        <PencilIcon />
      </button>
      <button
        type="button"
        className="button small icon"
        aria-label={`Duplicate ${schedule.name}`}
        title={`Duplicate “${schedule.name}”`}
        onClick={() => openEditor({ mode: 'duplicate', id: schedule.id })}
      >
        <CopyIcon />
      </button>
    </>
  );
}
