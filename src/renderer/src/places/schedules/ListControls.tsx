/**
 * The list's filters (group, state) and sort, on react-aria-components widgets. Loaded as its own
 * chunk: the rows do not wait for the widget library to be parsed.
 */
import { useMemo } from 'react';
import type { Schedule } from '../../../../shared/domain';
import { useScheduleList, useStores } from '../../stores';
import {
  groupsOf,
  STATE_FILTERS,
  type GroupFilter,
  type ListSort,
  type StateFilter,
} from '../../stores/scheduleList';
import { ChoiceToggle } from '../../ui/ChoiceToggle';
import { FilterSelect } from '../../ui/FilterSelect';

const STATE_LABELS: Record<StateFilter, string> = {
  all: 'All states',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  failing: 'Failing',
};
const SORTS: { id: ListSort; label: string }[] = [
  { id: 'next', label: 'Next run' },
  { id: 'name', label: 'Name' },
];

function groupKey(group: GroupFilter): string {
  return group.kind === 'group' ? `group:${group.name}` : group.kind;
}

function groupFromKey(key: string): GroupFilter {
  if (key === 'all' || key === 'none') return { kind: key };
  return { kind: 'group', name: key.slice('group:'.length) };
}

export default function ListControls({ items }: { items: Schedule[] }) {
  const { scheduleList } = useStores();
  const group = useScheduleList((state) => state.group);
  const stateFilter = useScheduleList((state) => state.state);
  const sort = useScheduleList((state) => state.sort);
  const groups = useMemo(() => groupsOf(items), [items]);
  const groupOptions = useMemo(
    () => [
      { id: 'all', label: 'All groups' },
      { id: 'none', label: 'No group' },
      ...groups.map((name) => ({ id: `group:${name}`, label: name })),
      // a chosen group whose last schedule left stays choosable, so the filter never silently changes
      ...(group.kind === 'group' && !groups.includes(group.name)
        ? [{ id: groupKey(group), label: group.name }]
        : []),
    ],
    [groups, group],
  );
  const stateOptions = useMemo(() => STATE_FILTERS.map((id) => ({ id, label: STATE_LABELS[id] })), []);

  return (
    <div className="list-controls" role="group" aria-label="Filter and sort schedules">
      <FilterSelect
        label="Group"
        testId="group-filter"
        options={groupOptions}
        value={groupKey(group)}
        onChange={(key) => scheduleList.getState().setGroup(groupFromKey(key))}
      />
      <FilterSelect
        label="State"
        testId="state-filter"
        options={stateOptions}
        value={stateFilter}
        onChange={(key) => scheduleList.getState().setState(key as StateFilter)}
      />
      <ChoiceToggle
        label="Sort by"
        options={SORTS}
        value={sort}
        onChange={(key) => scheduleList.getState().setSort(key as ListSort)}
      />
    </div>
  );
}
