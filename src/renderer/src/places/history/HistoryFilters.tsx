/**
 * The filters of a run list: schedule (a searchable combobox), statuses and triggers (several each),
 * and a time range (last hour, day or week, or custom in the viewer's zone). A refused filter keeps
 * the last good page on screen and says why beside the field it names.
 */
import { useMemo } from 'react';
import { RunStatus, RunTrigger } from '../../../../shared/domain';
import { viewerZone } from '../../lib/time';
import { useSchedules } from '../../stores';
import type { RangeChoice } from '../../stores/history';
import { MultiSelect } from '../../ui/MultiSelect';
import { OptionSelect } from '../../ui/OptionSelect';
import { SearchPicker } from '../../ui/SearchPicker';
import { useRuns } from './historyContext';
import { STATUS_LABELS, TRIGGER_LABELS } from './words';

const RANGES: { id: RangeChoice; label: string }[] = [
  { id: 'all', label: 'Any time' },
  { id: 'hour', label: 'Last hour' },
  { id: 'day', label: 'Last 24 hours' },
  { id: 'week', label: 'Last 7 days' },
  { id: 'custom', label: 'Custom…' },
];
const STATUS_OPTIONS = RunStatus.options.map((id) => ({ id, label: STATUS_LABELS[id] }));
const TRIGGER_OPTIONS = RunTrigger.options.map((id) => ({ id, label: TRIGGER_LABELS[id] }));

export function HistoryFilters({ fixedSchedule = false }: { fixedSchedule?: boolean }) {
  const filter = useRuns((state) => state.filter);
  const errors = useRuns((state) => state.filterErrors);
  const setFilter = useRuns((state) => state.setFilter);
  const resetFilter = useRuns((state) => state.resetFilter);
  const schedules = useSchedules((state) => state.items);
  const options = useMemo(
    () =>
      schedules
        .map((schedule) => ({ id: schedule.id, label: schedule.name }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [schedules],
  );
  // A schedule the filter names that this window does not list (deleted, or mistyped in a link).
  const scheduleOptions =
    filter.scheduleId && !options.some((option) => option.id === filter.scheduleId)
      ? [...options, { id: filter.scheduleId, label: `Unknown schedule ${filter.scheduleId.slice(-6)}` }]
      : options;
  const narrowed =
    filter.scheduleId !== null ||
    filter.status.length > 0 ||
    filter.trigger.length > 0 ||
    filter.range !== 'all' ||
    filter.ids !== null;

  return (
    <div className="history-filters" role="group" aria-label="Filters" data-testid="history-filters">
      {fixedSchedule ? null : (
        <SearchPicker
          label="Schedule"
          options={scheduleOptions}
          value={filter.scheduleId}
          onChange={(scheduleId) => void setFilter({ scheduleId })}
          placeholder="All schedules"
          error={errors.scheduleId}
          testId="filter-schedule"
        />
      )}
      <MultiSelect
        label="Status"
        options={STATUS_OPTIONS}
        value={filter.status}
        onChange={(status) => void setFilter({ status })}
        placeholder="Any status"
        error={errors.status}
        testId="filter-status"
      />
      <MultiSelect
        label="Trigger"
        options={TRIGGER_OPTIONS}
        value={filter.trigger}
        onChange={(trigger) => void setFilter({ trigger })}
        placeholder="Any trigger"
        error={errors.trigger}
        testId="filter-trigger"
      />
      <OptionSelect
        label="Time"
        options={RANGES}
        value={filter.range}
        onChange={(range) => void setFilter({ range })}
        error={filter.range === 'custom' ? undefined : (errors.from ?? errors.to)}
        testId="filter-range"
      />
      {filter.range === 'custom' ? (
        <fieldset className="history-custom-range">
          <legend className="picker-label">Custom range ({viewerZone()})</legend>
          <label className="history-date">
            <span>From</span>
            <input
              type="datetime-local"
              step={1}
              value={filter.customFrom}
              aria-invalid={errors.from ? true : undefined}
              aria-describedby={errors.from ? 'range-from-error' : undefined}
              onChange={(event) => void setFilter({ customFrom: event.target.value })}
            />
          </label>
          <label className="history-date">
            <span>To</span>
            <input
              type="datetime-local"
              step={1}
              value={filter.customTo}
              aria-invalid={errors.to ? true : undefined}
              aria-describedby={errors.to ? 'range-to-error' : undefined}
              onChange={(event) => void setFilter({ customTo: event.target.value })}
            />
          </label>
          {errors.from ? (
            <span id="range-from-error" className="field-error" role="alert">
              {errors.from}
            </span>
          ) : null}
          {errors.to ? (
            <span id="range-to-error" className="field-error" role="alert">
              {errors.to}
            </span>
          ) : null}
        </fieldset>
      ) : null}
      {errors.cursor ? (
        <span className="field-error" role="alert">
          {errors.cursor}
        </span>
      ) : null}
      {filter.ids ? (
        <span className="history-ids-chip" data-testid="filter-ids">
          {filter.idsLabel ?? `${filter.ids.length} chosen runs`}
        </span>
      ) : null}
      {narrowed ? (
        <button type="button" className="button small ghost history-clear" onClick={() => void resetFilter()}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
