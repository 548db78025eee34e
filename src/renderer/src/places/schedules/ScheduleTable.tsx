/** Every schedule with its state, next run and last outcome; each row can pause, run now and delete. */
import { memo, useState } from 'react';
import type { Schedule } from '../../../../shared/domain';
import { triggerPattern, triggerWords } from '../../lib/describe';
import { formatInstant, formatRelative } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { useApp, useSchedules, useStores } from '../../stores';
import type { PendingAction } from '../../stores/schedules';
import { StateBadge, StatusBadge } from '../../ui/Badge';
import { PlayIcon, TrashIcon } from '../../ui/Icons';

export function ScheduleTable() {
  const items = useSchedules((state) => state.items);
  const loaded = useSchedules((state) => state.loaded);
  const error = useSchedules((state) => state.error);

  return (
    <section className="card" aria-labelledby="schedules-title">
      <div className="card-head">
        <h2 id="schedules-title" className="card-title">
          Schedules
        </h2>
        <span className="muted">{loaded ? `${items.length} total` : 'Loading…'}</span>
      </div>
      {error ? <p className="inline-error">Could not load schedules: {error}</p> : null}
      {loaded && items.length === 0 ? (
        <p className="empty">No schedules yet. Create one with “New schedule”.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">When</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col" className="actions-col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((schedule) => (
                <ScheduleRow key={schedule.id} schedule={schedule} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const ScheduleRow = memo(function ScheduleRow({ schedule }: { schedule: Schedule }) {
  const pending = useSchedules((state) => state.pending[schedule.id]);
  const words = triggerWords(schedule.trigger);
  const command = schedule.action.type === 'command' ? schedule.action.command : undefined;

  return (
    <tr data-testid="schedule-row" data-id={schedule.id} className={schedule.enabled ? undefined : 'row-dim'}>
      <th scope="row" className="name-cell" title={command}>
        <div className="name">
          {schedule.name}
          {schedule.group ? <span className="tag">{schedule.group}</span> : null}
        </div>
        <StateBadge state={schedule.state} />
      </th>
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
        {schedule.lastStatus ? (
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
        <RowActions schedule={schedule} pending={pending} />
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

function RowActions({ schedule, pending }: RowProps) {
  const { schedules, history } = useStores();
  const notify = useApp((state) => state.notify);
  const [confirming, setConfirming] = useState(false);
  const name = `“${schedule.name}”`;
  const busy = pending !== undefined;

  const runNow = async () => {
    const result = await schedules.getState().runNow(schedule.id);
    if (result.ok) {
      history.getState().applyRun(result.value);
      notify('success', `Started ${name} (${result.value.status}).`);
    } else {
      notify('error', `Could not run ${name}: ${result.error.message}`);
    }
  };

  const remove = async () => {
    setConfirming(false);
    const result = await schedules.getState().remove(schedule.id);
    if (result.ok) notify('success', `Deleted ${name}.`);
    else notify('error', `Could not delete ${name}: ${result.error.message}`);
  };

  return (
    <div className="row-actions">
      <EnabledSwitch schedule={schedule} pending={pending} />
      <EditorActions schedule={schedule} />
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
      {confirming ? (
        <span className="confirm" role="group" aria-label={`Confirm delete ${schedule.name}`}>
          <span className="confirm-text">Confirm delete?</span>
          <button type="button" className="button small danger" onClick={remove}>
            Delete
          </button>
          <button type="button" className="button small ghost" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button small icon ghost"
          disabled={busy}
          aria-busy={pending?.kind === 'delete' || undefined}
          aria-label={pending?.kind === 'delete' ? 'Deleting…' : 'Delete'}
          title={`Delete “${schedule.name}”`}
          onClick={() => setConfirming(true)}
        >
          <TrashIcon />
        </button>
      )}
    </div>
  );
}

/** "Edit" and "Duplicate": open the editor on this schedule. */
function EditorActions({ schedule }: { schedule: Schedule }) {
  const openEditor = useApp((state) => state.openEditor);
  return (
    <>
      <button
        type="button"
        className="button small ghost"
        aria-label={`Edit ${schedule.name}`}
        onClick={() => openEditor({ mode: 'edit', id: schedule.id })}
      >
        Edit
      </button>
      <button
        type="button"
        className="button small ghost"
        aria-label={`Duplicate ${schedule.name}`}
        onClick={() => openEditor({ mode: 'duplicate', id: schedule.id })}
      >
        Duplicate
      </button>
    </>
  );
}
