/**
 * "When": presets that write cron, a fixed interval, once at a local date and time, or raw cron; the
 * time zone; under "More" the start, end, max runs and jitter; and the preview of the next runs.
 * An unknown zone and a complete but invalid cron are marked as they are typed, in Almanac's words.
 */
import { DateTime } from 'luxon';
import { memo, useMemo, useState } from 'react';
import { normalizeCron } from '../../../../shared/cron-normalize';
import { cronError, isTimeZone } from '../../../../shared/domain';
import { describeCron } from '../../lib/describe';
import { timeZones } from '../../lib/time';
import { CheckboxGroup } from '../../ui/Choices';
import { ComboBox } from '../../ui/ComboBox';
import { DateTimeField, TimeField } from '../../ui/DateTimeField';
import { Disclosure } from '../../ui/Disclosure';
import { NumberField } from '../../ui/NumberField';
import { Select, type Option } from '../../ui/Select';
import { Switch } from '../../ui/Switch';
import { Tabs } from '../../ui/Tabs';
import { TextField } from '../../ui/TextField';
import {
  buildTrigger,
  sameSlice,
  type IntervalUnit,
  type PresetKind,
  type SectionProps,
  type WhenKind,
  type WhenValues,
} from './formState';
import { presetCron } from './presets';
import { Preview } from './Preview';

const PRESETS: Option<PresetKind>[] = [
  { id: 'minutes', label: 'Every N minutes' },
  { id: 'hourly', label: 'Hourly' },
  { id: 'daily', label: 'Daily' },
  { id: 'weekdays', label: 'Weekdays' },
  { id: 'weekly', label: 'Weekly on chosen days' },
  { id: 'monthly', label: 'Monthly' },
];

const UNITS: Option<IntervalUnit>[] = [
  { id: 's', label: 'seconds' },
  { id: 'min', label: 'minutes' },
  { id: 'h', label: 'hours' },
];

/** Monday first, as most calendars; the values are cron's day numbers. */
const DAYS: Option[] = [1, 2, 3, 4, 5, 6, 0].map((day) => ({
  id: String(day),
  label: DateTime.fromObject({ weekday: (day === 0 ? 7 : day) as 1 | 2 | 3 | 4 | 5 | 6 | 7 }).toLocaleString({
    weekday: 'short',
  }),
}));

const MORE_PATHS = ['trigger.startAt', 'trigger.endAt', 'trigger.maxRuns', 'trigger.jitterSeconds'];

/** Offsets are read once per zone and remembered (luxon builds a formatter per zone). */
const offsets = new Map<string, string>();
function offsetOf(zone: string): string {
  let offset = offsets.get(zone);
  if (offset === undefined) {
    offset = `UTC${DateTime.now().setZone(zone).toFormat('ZZ')}`;
    offsets.set(zone, offset);
  }
  return offset;
}

/** Live messages, before any save: an unknown zone, and a cron that is complete but wrong. */
export function liveWhenErrors(when: WhenValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const zone = when.timezone.trim();
  if (zone && !isTimeZone(zone)) errors['trigger.timezone'] = 'Unknown time zone';
  if (when.kind === 'cron') {
    const text = when.cron.trim();
    const complete = text.startsWith('@') || text.split(/\s+/).length >= 5;
    const problem = complete ? cronError(text) : null;
    if (problem) errors['trigger.expression'] = problem;
  }
  return errors;
}

export const WhenSection = memo(
  function WhenSection({ values, update, errors }: SectionProps) {
    const when = values.when;
    const set =
      <K extends keyof WhenValues>(key: K) =>
      (value: WhenValues[K]) =>
        update((draft) => {
          draft.when[key] = value;
        });
    const [moreOpen, setMoreOpen] = useState(() =>
      Boolean(when.startAt || when.endAt || when.maxRuns !== null || when.jitterSeconds !== null),
    );
    const moreHasError = MORE_PATHS.some((path) => errors[path]);
    const trigger = useMemo(() => buildTrigger(when).value, [when]);
    const zones = useMemo(
      () => timeZones().map((zone) => ({ id: zone, label: zone.replace(/_/g, ' ') })),
      [],
    );

    const tab = (kind: WhenKind) => {
      switch (kind) {
        case 'preset':
          return <PresetFields when={when} set={set} errors={errors} />;
        case 'interval':
          return (
            <div className="editor-row">
              <NumberField
                label="Every"
                value={when.intervalValue}
                onChange={set('intervalValue')}
                min={1}
                path="trigger.everySeconds"
                error={errors['trigger.everySeconds']}
                hint="A fixed rate from the start, in elapsed time: DST does not move it."
              />
              <Select label="Unit" value={when.intervalUnit} onChange={set('intervalUnit')} options={UNITS} />
            </div>
          );
        case 'once':
          return (
            <DateTimeField
              label="At"
              value={when.onceAt}
              onChange={set('onceAt')}
              path="trigger.at"
              error={errors['trigger.at']}
              hint="A local date and time in the schedule's time zone."
            />
          );
        case 'cron':
          return <CronField when={when} set={set} error={errors['trigger.expression']} />;
      }
    };

    return (
      <section className="editor-section" aria-labelledby="editor-when-title">
        <h3 id="editor-when-title" className="editor-section-title">
          When
        </h3>
        <Tabs
          label="Trigger"
          selected={when.kind}
          onChange={(kind) =>
            update((draft) => {
              // Raw cron starts from what the preset wrote, so "Cron" shows the same schedule.
              if (kind === 'cron' && draft.when.kind === 'preset') {
                const written = presetCron(draft.when);
                if ('cron' in written) draft.when.cron = written.cron;
              }
              draft.when.kind = kind;
            })
          }
          items={[
            { id: 'preset', label: 'Repeat', content: tab('preset') },
            { id: 'interval', label: 'Interval', content: tab('interval') },
            { id: 'once', label: 'Once', content: tab('once') },
            { id: 'cron', label: 'Cron', content: tab('cron') },
          ]}
        />
        <ComboBox
          label="Time zone"
          value={when.timezone}
          onChange={set('timezone')}
          options={zones}
          describe={(option) => offsetOf(option.id)}
          path="trigger.timezone"
          error={errors['trigger.timezone']}
          placeholder="Europe/Berlin"
        />
        <Disclosure
          title="More: start, end, max runs, jitter"
          isExpanded={moreOpen || moreHasError}
          onExpandedChange={setMoreOpen}
        >
          <div className="editor-grid">
            <DateTimeField
              label="Start"
              value={when.startAt}
              onChange={set('startAt')}
              path="trigger.startAt"
              error={errors['trigger.startAt']}
              hint="No run before this (in the schedule's zone)."
            />
            <DateTimeField
              label="End"
              value={when.endAt}
              onChange={set('endAt')}
              path="trigger.endAt"
              error={errors['trigger.endAt']}
              hint="No run after this."
            />
            <NumberField
              label="Max runs"
              value={when.maxRuns}
              onChange={set('maxRuns')}
              min={1}
              path="trigger.maxRuns"
              error={errors['trigger.maxRuns']}
              hint="Completed after this many; empty for no limit."
            />
            <NumberField
              label="Jitter"
              unit="s"
              value={when.jitterSeconds}
              onChange={set('jitterSeconds')}
              min={0}
              max={86_400}
              path="trigger.jitterSeconds"
              error={errors['trigger.jitterSeconds']}
              hint="Each run starts up to this much later, the same delay every time for that run."
            />
          </div>
        </Disclosure>
        <Preview trigger={trigger} />
      </section>
    );
  },
  sameSlice((values) => values.when),
);

type Setter = <K extends keyof WhenValues>(key: K) => (value: WhenValues[K]) => void;

function PresetFields({
  when,
  set,
  errors,
}: {
  when: WhenValues;
  set: Setter;
  errors: Record<string, string>;
}) {
  const written = presetCron(when);
  const cron = 'cron' in written ? written.cron : null;
  const words = cron ? describeCron(cron) : null;
  return (
    <div className="editor-preset" data-path="trigger.expression">
      <div className="editor-row">
        <Select label="Repeat" value={when.preset} onChange={set('preset')} options={PRESETS} />
        {when.preset === 'minutes' ? (
          <NumberField
            label="Every"
            unit="min"
            value={when.everyMinutes}
            onChange={set('everyMinutes')}
            min={1}
            max={59}
            path="when.everyMinutes"
            error={errors['when.everyMinutes']}
          />
        ) : when.preset === 'hourly' ? (
          <NumberField
            label="At minute"
            value={when.minute}
            onChange={set('minute')}
            min={0}
            max={59}
            path="when.minute"
            error={errors['when.minute']}
          />
        ) : (
          <TimeField
            label="At"
            value={when.time}
            onChange={set('time')}
            path="when.time"
            error={errors['when.time']}
          />
        )}
      </div>
      {when.preset === 'weekly' ? (
        <CheckboxGroup
          label="On"
          value={when.days}
          onChange={set('days')}
          options={DAYS}
          path="when.days"
          error={errors['when.days']}
        />
      ) : null}
      {when.preset === 'monthly' ? (
        <div className="editor-row">
          {when.monthLast ? null : (
            <NumberField
              label="On day"
              value={when.monthDay}
              onChange={set('monthDay')}
              min={1}
              max={31}
              path="when.monthDay"
              error={errors['when.monthDay']}
              hint="Months without this day are passed over."
            />
          )}
          <Switch isSelected={when.monthLast} onChange={set('monthLast')}>
            On the last day of the month
          </Switch>
        </div>
      ) : null}
      {cron ? (
        <p className="ui-hint" data-testid="preset-cron">
          Writes <code className="pattern">{cron}</code>
          {words ? ` · ${words}` : null}
        </p>
      ) : null}
      {errors['trigger.expression'] ? <p className="ui-error">{errors['trigger.expression']}</p> : null}
    </div>
  );
}

function CronField({ when, set, error }: { when: WhenValues; set: Setter; error: string | undefined }) {
  const text = when.cron.trim();
  const normal = text ? normalizeCron(text) : null;
  const readsAs = normal && 'expression' in normal && normal.changed ? normal.expression : null;
  const words = !error && normal && 'expression' in normal ? describeCron(normal.expression) : null;
  return (
    <TextField
      label="Cron expression"
      mono
      value={when.cron}
      onChange={set('cron')}
      placeholder="*/5 * * * *"
      path="trigger.expression"
      error={error}
      hint={
        <>
          {readsAs ? (
            <span className="editor-reads-as" data-testid="cron-reads-as">
              You wrote <code>{text}</code>; Almanac reads it as <code>{readsAs}</code>.{' '}
            </span>
          ) : null}
          {words ? (
            <span className="cron-words">{words}</span>
          ) : error ? null : (
            <span>5 fields (minute hour day month weekday), or 6 with seconds first.</span>
          )}
        </>
      }
    />
  );
}
