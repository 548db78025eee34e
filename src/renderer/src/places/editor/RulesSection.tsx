/**
 * "Rules": every policy of DESIGN.md §3, each with one line on what it does, plus chains (other
 * schedules started when a run ends) and the group. A loop in chains is named beside the chain.
 */
import { memo, useMemo } from 'react';
import { useSchedules } from '../../stores';
import { Button } from '../../ui/Button';
import { RadioGroup } from '../../ui/Choices';
import { ComboBox } from '../../ui/ComboBox';
import { NumberField } from '../../ui/NumberField';
import { Select, type Option } from '../../ui/Select';
import { sameSlice, type Errors, type PolicyValues, type SectionProps } from './formState';

const OVERLAP: Option<PolicyValues['overlap']>[] = [
  { id: 'skip', label: 'Skip', description: 'The new run is skipped while the last one is still going.' },
  { id: 'bufferOne', label: 'Queue one', description: 'One run waits and starts when the last one ends.' },
  { id: 'bufferAll', label: 'Queue all', description: 'Every run waits its turn (a bounded queue).' },
  {
    id: 'cancelOther',
    label: 'Replace',
    description: 'The running one is stopped, then the new one starts.',
  },
  { id: 'allowAll', label: 'Run side by side', description: 'Runs start on time even if others are going.' },
];

const CATCH_UP: Option<PolicyValues['catchUp']>[] = [
  { id: 'latest', label: 'Latest', description: 'Runs the newest missed occurrence once.' },
  { id: 'all', label: 'All', description: 'Runs each missed occurrence, oldest first, up to the limit.' },
  { id: 'none', label: 'None', description: 'Missed occurrences are recorded, not run.' },
];

const NOTIFY: Option<PolicyValues['notify']>[] = [
  { id: 'never', label: 'Never' },
  { id: 'failure', label: 'On failure' },
  { id: 'always', label: 'Always' },
];

export const RulesSection = memo(
  function RulesSection({ values, update, errors, selfId }: SectionProps & { selfId: string | null }) {
    const p = values.policy;
    const set =
      <K extends keyof PolicyValues>(key: K) =>
      (value: PolicyValues[K]) =>
        update((draft) => {
          draft.policy[key] = value;
        });
    const num = (
      key: keyof PolicyValues,
      path: string,
      label: string,
      hint: string,
      extra: { unit?: string; min?: number; max?: number } = {},
    ) => (
      <NumberField
        label={label}
        value={p[key] as number | null}
        onChange={set(key) as (value: number | null) => void}
        path={path}
        error={errors[path]}
        hint={hint}
        {...extra}
      />
    );
    const items = useSchedules((state) => state.items);
    const groups = useMemo(
      () =>
        [...new Set(items.map((s) => s.group).filter((g): g is string => Boolean(g)))]
          .sort()
          .map((g) => ({ id: g, label: g })),
      [items],
    );
    const targets = useMemo(
      () => items.filter((s) => s.id !== selfId).map((s) => ({ id: s.id, label: s.name })),
      [items, selfId],
    );

    return (
      <section className="editor-section" aria-labelledby="editor-rules-title">
        <h3 id="editor-rules-title" className="editor-section-title">
          Rules
        </h3>
        <div className="editor-grid">
          {num(
            'timeoutSeconds',
            'policy.timeoutSeconds',
            'Timeout',
            'A run taking longer is stopped; 0 means no limit.',
            { unit: 's', min: 0 },
          )}
          {num(
            'graceSeconds',
            'policy.graceSeconds',
            'Grace',
            'A run starting this late still counts as on time.',
            { unit: 's', min: 0 },
          )}
          {num(
            'retriesMaxAttempts',
            'policy.retries.maxAttempts',
            'Attempts',
            'Tries in all for a failed run; 1 means no retry.',
            { min: 1, max: 100 },
          )}
          {num(
            'retriesBackoffSeconds',
            'policy.retries.backoffSeconds',
            'Retry backoff',
            'Wait before the first retry; it doubles each time.',
            { unit: 's', min: 0 },
          )}
          {num(
            'retriesMaxBackoffSeconds',
            'policy.retries.maxBackoffSeconds',
            'Longest backoff',
            'The wait between retries never grows past this.',
            { unit: 's', min: 0 },
          )}
          {num('priority', 'policy.priority', 'Priority', 'When runs queue, higher goes first (1–10).', {
            min: 1,
            max: 10,
          })}
          {num(
            'pauseAfterFailures',
            'policy.pauseAfterFailures',
            'Pause after failures',
            'Paused after this many failures in a row; empty: never.',
            { min: 1 },
          )}
        </div>
        <RadioGroup
          label="When the last run is still going"
          value={p.overlap}
          onChange={set('overlap')}
          options={OVERLAP}
          path="policy.overlap"
          error={errors['policy.overlap']}
        />
        <RadioGroup
          label="Catch up missed runs"
          value={p.catchUp}
          onChange={set('catchUp')}
          options={CATCH_UP}
          path="policy.catchUp"
          error={errors['policy.catchUp']}
          hint="After sleep or a stop, what happens to occurrences that were missed."
        />
        <div className="editor-grid">
          {num(
            'catchUpLimit',
            'policy.catchUpLimit',
            'Catch-up limit',
            'With "All": at most this many are run.',
            { min: 1, max: 1000 },
          )}
          {num(
            'catchUpWindowSeconds',
            'policy.catchUpWindowSeconds',
            'Catch-up window',
            'Only occurrences missed within this; empty: any age.',
            { unit: 's', min: 1 },
          )}
        </div>
        <RadioGroup
          label="Notify"
          orientation="horizontal"
          value={p.notify}
          onChange={set('notify')}
          options={NOTIFY}
          path="policy.notify"
          error={errors['policy.notify']}
          hint="When a run ends, a notification: never, only when it failed, or every time."
        />
        <Chain
          label="When it succeeds, start"
          path="policy.then.onSuccess"
          ids={p.onSuccess}
          onChange={set('onSuccess')}
          targets={targets}
          errors={errors}
        />
        <Chain
          label="When it fails, start"
          path="policy.then.onFailure"
          ids={p.onFailure}
          onChange={set('onFailure')}
          targets={targets}
          errors={errors}
        />
        <ComboBox
          label="Group"
          value={values.group}
          onChange={(group) =>
            update((draft) => {
              draft.group = group;
            })
          }
          options={groups}
          path="group"
          error={errors.group}
          placeholder="None"
          hint="Pick a group or type a new one; a group can be paused or cancelled at once."
        />
      </section>
    );
  },
  (before, after) => before.selfId === after.selfId && sameSlice((v) => [v.policy, v.group])(before, after),
);

interface ChainProps {
  label: string;
  path: string;
  ids: string[];
  onChange(ids: string[]): void;
  targets: Option[];
  errors: Errors;
}

/** Schedules started as `chain` runs when a run ends; one row per schedule. */
function Chain({ label, path, ids, onChange, targets, errors }: ChainProps) {
  const named = (id: string): Option[] =>
    targets.some((t) => t.id === id) ? targets : [...targets, { id, label: `Unknown schedule ${id}` }];
  const free = targets.filter((t) => !ids.includes(t.id));
  return (
    <fieldset className="editor-rows" data-path={path}>
      <legend className="ui-label">{label}</legend>
      {ids.map((id, i) => (
        <div key={i} className="editor-kv" data-path={`${path}.${i}`}>
          <Select
            hideLabel
            label={`${label} ${i + 1}`}
            value={id}
            onChange={(next) => onChange(ids.map((x, j) => (j === i ? next : x)))}
            options={named(id)}
            error={errors[`${path}.${i}`]}
          />
          <Button
            variant="ghost"
            size="small"
            aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
            onPress={() => onChange(ids.filter((_, j) => j !== i))}
          >
            ✕
          </Button>
        </div>
      ))}
      {errors[path] ? (
        <p className="ui-error" role="alert">
          {errors[path]}
        </p>
      ) : null}
      {free.length ? (
        <Button size="small" variant="ghost" onPress={() => onChange([...ids, free[0]!.id])}>
          + Add a schedule
        </Button>
      ) : ids.length === 0 ? (
        <p className="ui-hint">No other schedule to start yet.</p>
      ) : null}
    </fieldset>
  );
}
