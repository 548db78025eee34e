/**
 * "New schedule": a cron schedule that runs a command. Checked with the same zod schema main uses
 * (`ScheduleFields`) before anything is sent; errors from either side appear beside their field.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { toFieldIssues, type FieldIssue } from '../../../../shared/api';
import { ScheduleFields, type ScheduleInput } from '../../../../shared/domain';
import { timeZones, viewerZone } from '../../lib/time';
import { useStores } from '../../stores';
import { CronHint } from './CronHint';

type FieldKey = 'name' | 'expression' | 'timezone' | 'command';
type Values = Record<FieldKey, string>;
type Errors = Partial<Record<FieldKey, string>>;

/** Where the schema's issue paths land in this form. */
const FIELD_BY_PATH: Record<string, FieldKey> = {
  name: 'name',
  'trigger.expression': 'expression',
  'trigger.timezone': 'timezone',
  'action.command': 'command',
};
const ORDER: FieldKey[] = ['name', 'expression', 'timezone', 'command'];

function fieldErrors(issues: FieldIssue[]): { errors: Errors; other: string[] } {
  const errors: Errors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const field = FIELD_BY_PATH[issue.path];
    if (!field) other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    else errors[field] ??= issue.message;
  }
  return { errors, other };
}

function toInput(values: Values): ScheduleInput {
  return {
    name: values.name.trim(),
    trigger: { type: 'cron', expression: values.expression.trim(), timezone: values.timezone.trim() },
    action: { type: 'command', command: values.command, shell: true },
  };
}

interface Status {
  kind: 'success' | 'error';
  text: string;
}

export function ScheduleForm() {
  const { schedules } = useStores();
  const uid = useId();
  const [values, setValues] = useState<Values>(() => ({
    name: '',
    expression: '',
    timezone: viewerZone(),
    command: '',
  }));
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [pending, setPending] = useState(false);
  const inputs = useRef<Partial<Record<FieldKey, HTMLInputElement | null>>>({});

  const change = (field: FieldKey) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => (current[field] ? { ...current, [field]: undefined } : current));
  };

  const showErrors = (next: Errors) => {
    setErrors(next);
    const first = ORDER.find((field) => next[field]);
    if (first) inputs.current[first]?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const input = toInput(values);
    const checked = ScheduleFields.safeParse(input);
    if (!checked.success) {
      const { errors: found, other } = fieldErrors(toFieldIssues(checked.error));
      showErrors(found);
      setStatus({ kind: 'error', text: other[0] ?? 'Check the highlighted fields.' });
      return;
    }
    setErrors({});
    setStatus(null);
    setPending(true);
    const result = await schedules.getState().create(input);
    setPending(false);
    if (result.ok) {
      setValues((current) => ({ ...current, name: '', expression: '', command: '' }));
      setStatus({ kind: 'success', text: `Created “${result.value.name}”.` });
      return;
    }
    const { errors: found, other } = fieldErrors(result.error.issues ?? []);
    showErrors(found);
    const fieldsFlagged = Object.keys(found).length > 0;
    setStatus({
      kind: 'error',
      text:
        fieldsFlagged && other.length === 0
          ? 'The server refused some fields; see the messages beside them.'
          : `Could not create the schedule: ${other[0] ?? result.error.message}`,
    });
  };

  const field = (
    key: FieldKey,
    label: string,
    extra: { placeholder?: string; list?: string; mono?: boolean },
  ) => {
    const id = `schedule-${key}`;
    const errorId = `${key}-error`;
    const hintId = key === 'expression' ? `${uid}-cron-hint` : undefined;
    const describedBy = [errors[key] ? errorId : null, hintId].filter(Boolean).join(' ') || undefined;
    return (
      <div className={`field${errors[key] ? ' field-invalid' : ''}`}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name={key}
          ref={(element) => {
            inputs.current[key] = element;
          }}
          className={extra.mono ? 'mono' : undefined}
          value={values[key]}
          onChange={change(key)}
          placeholder={extra.placeholder}
          list={extra.list}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors[key] ? true : undefined}
          aria-describedby={describedBy}
        />
        {errors[key] ? (
          <p id={errorId} className="field-error" role="alert">
            {errors[key]}
          </p>
        ) : null}
        {key === 'expression' ? (
          <CronHint
            id={hintId!}
            expression={values.expression}
            timezone={values.timezone}
            quiet={Boolean(errors.expression)}
          />
        ) : null}
      </div>
    );
  };

  const zoneListId = `${uid}-zones`;
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="card-title">
        New schedule
      </h2>
      {field('name', 'Name', { placeholder: 'Nightly backup' })}
      {field('expression', 'Cron expression', { placeholder: '*/5 * * * *', mono: true })}
      {field('timezone', 'Time zone', { list: zoneListId })}
      <datalist id={zoneListId}>
        {timeZones().map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      {field('command', 'Command', { placeholder: 'restic backup ~/docs', mono: true })}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={pending} aria-busy={pending || undefined}>
          {pending ? 'Creating…' : 'Create schedule'}
        </button>
        <p
          className={`form-status${status ? ` form-status-${status.kind}` : ''}`}
          role="status"
          aria-live="polite"
        >
          {status?.text}
        </p>
      </div>
    </form>
  );
}
