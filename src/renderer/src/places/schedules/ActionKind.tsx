/** What a schedule does, as a short label with an icon: Command, HTTP, Reminder or Watch. */
import type { Action } from '../../../../shared/domain';
import { ACTION_KIND } from '../../stores/scheduleList';

function detail(action: Action): string {
  switch (action.type) {
    case 'command':
      return action.command;
    case 'http':
      return `${action.method} ${action.url}`;
    case 'reminder':
      return action.title;
    case 'watch':
      return action.probe.type === 'http' ? `Watch ${action.probe.url}` : `Watch ${action.probe.command}`;
  }
}

export function ActionKind({ action }: { action: Action }) {
  const kind = ACTION_KIND[action.type];
  return (
    <span
      className={`action-kind action-kind-${action.type}`}
      data-testid="action-kind"
      data-kind={action.type}
      title={detail(action)}
    >
      <KindIcon type={action.type} />
      <span>{kind}</span>
    </span>
  );
}

function KindIcon({ type }: { type: Action['type'] }) {
  const paths: Record<Action['type'], string> = {
    command: 'M4 6l5 5-5 5M11 17h9',
    http: 'M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18M12 3a9 9 0 1 1 0 18a9 9 0 0 1 0-18',
    reminder: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4',
    watch: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 1 0 6a3 3 0 0 1 0-6',
  };
  return (
    <svg
      width="13"
      height="13"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={paths[type]} />
    </svg>
  );
}
