import type { RunStatus, ScheduleState } from '../../../shared/domain';

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function StateBadge({ state }: { state: ScheduleState }) {
  return <span className={`badge badge-state-${state}`}>{state}</span>;
}
