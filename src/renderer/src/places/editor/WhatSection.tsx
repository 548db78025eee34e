/**
 * "What": a command (shell or not, working directory, environment rows), an HTTP request (method,
 * URL, header rows, body, expected statuses), a reminder (title, body), or a watch (an HTTP or
 * command probe polled until a condition holds, then a success or failure message).
 */
import { memo } from 'react';
import { TEMPLATE_PLACEHOLDERS } from '../../../../shared/domain';
import { Button } from '../../ui/Button';
import { NumberField } from '../../ui/NumberField';
import { Select, type Option } from '../../ui/Select';
import { Switch } from '../../ui/Switch';
import { Tabs } from '../../ui/Tabs';
import { TextField } from '../../ui/TextField';
import { sameSlice } from './formState';
import type {
  ActionKind,
  CommandValues,
  ConditionKind,
  Errors,
  HttpMethod,
  HttpValues,
  Row,
  SectionProps,
  WatchValues,
} from './formState';

const METHODS: Option<HttpMethod>[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].map((m) => ({
  id: m as HttpMethod,
  label: m,
}));

const PROBES: Option<WatchValues['probe']>[] = [
  { id: 'http', label: 'HTTP request' },
  { id: 'command', label: 'Command' },
];

const CONDITIONS: Option<ConditionKind>[] = [
  { id: 'none', label: 'The probe succeeds', description: 'An expected status, or exit code 0' },
  { id: 'status', label: 'Status is one of…', description: 'HTTP probes' },
  { id: 'exitZero', label: 'Exit code is 0', description: 'Command probes' },
  { id: 'json', label: 'A JSON field equals…', description: "The probe's output read as JSON" },
];

const PLACEHOLDER_HINT = `You can use ${TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}: the probe's last result, the schedule's name, and how many attempts it took.`;

export const WhatSection = memo(
  function WhatSection({ values, update, errors }: SectionProps) {
    const kind = values.actionKind;
    const content = (tab: ActionKind) => {
      switch (tab) {
        case 'command':
          return (
            <CommandFields
              value={values.command}
              onChange={(command) => update((d) => void (d.command = command))}
              path="action"
              errors={errors}
            />
          );
        case 'http':
          return (
            <HttpFields
              value={values.http}
              onChange={(http) => update((d) => void (d.http = http))}
              path="action"
              errors={errors}
            />
          );
        case 'reminder':
          return (
            <>
              <TextField
                label="Title"
                value={values.reminder.title}
                onChange={(title) => update((d) => void (d.reminder.title = title))}
                path="action.title"
                error={errors['action.title']}
                placeholder="Stand up and stretch"
              />
              <TextField
                label="Body"
                multiline
                value={values.reminder.body}
                onChange={(body) => update((d) => void (d.reminder.body = body))}
                path="action.body"
                error={errors['action.body']}
                hint="A notification, nothing else. {name} is the schedule's name."
              />
            </>
          );
        case 'watch':
          return <WatchFields values={values} update={update} errors={errors} />;
      }
    };
    return (
      <section className="editor-section" aria-labelledby="editor-what-title">
        <h3 id="editor-what-title" className="editor-section-title">
          What
        </h3>
        <Tabs
          label="Action"
          selected={kind}
          onChange={(next) => update((d) => void (d.actionKind = next))}
          items={[
            { id: 'command', label: 'Command', content: content('command') },
            { id: 'http', label: 'HTTP', content: content('http') },
            { id: 'reminder', label: 'Reminder', content: content('reminder') },
            { id: 'watch', label: 'Watch', content: content('watch') },
          ]}
        />
      </section>
    );
  },
  sameSlice((v) => [v.actionKind, v.command, v.http, v.reminder, v.watch, v.probeCommand, v.probeHttp]),
);

interface PartProps<T> {
  value: T;
  onChange(value: T): void;
  /** `action`, or `action.probe` for a watch's probe. */
  path: string;
  errors: Errors;
}

function CommandFields({ value, onChange, path, errors }: PartProps<CommandValues>) {
  const set =
    <K extends keyof CommandValues>(key: K) =>
    (next: CommandValues[K]) =>
      onChange({ ...value, [key]: next });
  return (
    <>
      <TextField
        label="Command"
        mono
        value={value.command}
        onChange={set('command')}
        path={`${path}.command`}
        error={errors[`${path}.command`]}
        placeholder="restic backup ~/docs"
      />
      <Switch isSelected={value.shell} onChange={set('shell')} path={`${path}.shell`}>
        Run through the shell
      </Switch>
      <p className="ui-hint">
        {value.shell
          ? 'Pipes, globs and variables work as in your terminal.'
          : 'Split into words and started directly: no shell, nothing expanded.'}
      </p>
      <TextField
        label="Working directory"
        mono
        value={value.cwd}
        onChange={set('cwd')}
        path={`${path}.cwd`}
        error={errors[`${path}.cwd`]}
        placeholder="Your home folder"
      />
      <Rows
        label="Environment"
        keyLabel="Variable"
        rows={value.env}
        onChange={set('env')}
        path={`${path}.env`}
        errors={errors}
      />
    </>
  );
}

function HttpFields({ value, onChange, path, errors }: PartProps<HttpValues>) {
  const set =
    <K extends keyof HttpValues>(key: K) =>
    (next: HttpValues[K]) =>
      onChange({ ...value, [key]: next });
  return (
    <>
      <div className="editor-row editor-row-url">
        <Select
          label="Method"
          value={value.method}
          onChange={set('method')}
          options={METHODS}
          path={`${path}.method`}
          error={errors[`${path}.method`]}
        />
        <TextField
          label="URL"
          mono
          value={value.url}
          onChange={set('url')}
          path={`${path}.url`}
          error={errors[`${path}.url`]}
          placeholder="https://example.com/health"
          className="grow"
        />
      </div>
      <Rows
        label="Headers"
        keyLabel="Header"
        rows={value.headers}
        onChange={set('headers')}
        path={`${path}.headers`}
        errors={errors}
      />
      <TextField
        label="Body"
        multiline
        mono
        value={value.body}
        onChange={set('body')}
        path={`${path}.body`}
        error={errors[`${path}.body`]}
      />
      <TextField
        label="Expected status"
        value={value.expectStatus}
        onChange={set('expectStatus')}
        path={`${path}.expectStatus`}
        error={errors[`${path}.expectStatus`]}
        placeholder="200–299"
        hint="Statuses that count as success, such as 200, 204; empty means any 2xx."
      />
    </>
  );
}

function WatchFields({ values, update, errors }: SectionProps) {
  const w = values.watch;
  const set =
    <K extends keyof WatchValues>(key: K) =>
    (next: WatchValues[K]) =>
      update((d) => void (d.watch[key] = next));
  return (
    <>
      <Select
        label="Probe"
        value={w.probe}
        onChange={set('probe')}
        options={PROBES}
        path="action.probe.type"
      />
      <div className="editor-probe">
        {w.probe === 'http' ? (
          <HttpFields
            value={values.probeHttp}
            onChange={(http) => update((d) => void (d.probeHttp = http))}
            path="action.probe"
            errors={errors}
          />
        ) : (
          <CommandFields
            value={values.probeCommand}
            onChange={(command) => update((d) => void (d.probeCommand = command))}
            path="action.probe"
            errors={errors}
          />
        )}
      </div>
      <Select
        label="Until"
        value={w.condition}
        onChange={set('condition')}
        options={CONDITIONS}
        path="action.until.type"
        error={errors['action.until.type']}
      />
      {w.condition === 'status' ? (
        <TextField
          label="Statuses"
          value={w.statusIn}
          onChange={set('statusIn')}
          path="action.until.in"
          error={errors['action.until.in']}
          placeholder="200, 204"
        />
      ) : null}
      {w.condition === 'json' ? (
        <div className="editor-row">
          <TextField
            label="JSON path"
            mono
            value={w.jsonPath}
            onChange={set('jsonPath')}
            path="action.until.path"
            error={errors['action.until.path']}
            placeholder="build.status"
          />
          <TextField
            label="Equals one of"
            value={w.jsonEquals}
            onChange={set('jsonEquals')}
            path="action.until.equals"
            error={errors['action.until.equals']}
            placeholder="success, done"
            hint="Comma-separated; numbers, true, false and null are read as such."
          />
        </div>
      ) : null}
      <div className="editor-grid">
        <NumberField
          label="Every"
          unit="s"
          value={w.intervalSeconds}
          onChange={set('intervalSeconds')}
          min={1}
          max={86_400}
          path="action.intervalSeconds"
          error={errors['action.intervalSeconds']}
        />
        <NumberField
          label="Max attempts"
          value={w.maxAttempts}
          onChange={set('maxAttempts')}
          min={1}
          max={100}
          path="action.maxAttempts"
          error={errors['action.maxAttempts']}
        />
        <NumberField
          label="Probe timeout"
          unit="s"
          value={w.probeTimeoutSeconds}
          onChange={set('probeTimeoutSeconds')}
          min={1}
          max={86_400}
          path="action.probeTimeoutSeconds"
          error={errors['action.probeTimeoutSeconds']}
        />
      </div>
      <TextField
        label="Success message"
        value={w.onSuccessMessage}
        onChange={set('onSuccessMessage')}
        path="action.onSuccessMessage"
        error={errors['action.onSuccessMessage']}
        hint={PLACEHOLDER_HINT}
      />
      <TextField
        label="Failure message"
        value={w.onFailureMessage}
        onChange={set('onFailureMessage')}
        path="action.onFailureMessage"
        error={errors['action.onFailureMessage']}
        hint={PLACEHOLDER_HINT}
      />
    </>
  );
}

interface RowsProps {
  label: string;
  keyLabel: string;
  rows: Row[];
  onChange(rows: Row[]): void;
  path: string;
  errors: Errors;
}

/** Name/value rows (environment, headers); an error about a row sits under that row. */
function Rows({ label, keyLabel, rows, onChange, path, errors }: RowsProps) {
  const setRow = (index: number, row: Row) => onChange(rows.map((r, i) => (i === index ? row : r)));
  return (
    <fieldset className="editor-rows" data-path={path}>
      <legend className="ui-label">{label}</legend>
      {rows.map((row, i) => {
        const error = errors[`${path}.${i}`];
        return (
          <div key={i} className={`editor-kv${error ? ' is-invalid' : ''}`} data-path={`${path}.${i}`}>
            <TextField
              aria-label={`${keyLabel} ${i + 1}`}
              label={`${keyLabel} ${i + 1}`}
              mono
              value={row.key}
              onChange={(key) => setRow(i, { ...row, key })}
              error={error}
              placeholder={keyLabel}
            />
            <TextField
              aria-label={`${keyLabel} ${i + 1} value`}
              label="Value"
              mono
              value={row.value}
              onChange={(value) => setRow(i, { ...row, value })}
              placeholder="Value"
            />
            <Button
              variant="ghost"
              size="small"
              aria-label={`Remove ${keyLabel.toLowerCase()} ${i + 1}`}
              onPress={() => onChange(rows.filter((_, j) => j !== i))}
            >
              ✕
            </Button>
          </div>
        );
      })}
      {errors[path] ? <p className="ui-error">{errors[path]}</p> : null}
      <Button size="small" variant="ghost" onPress={() => onChange([...rows, { key: '', value: '' }])}>
        + Add {keyLabel.toLowerCase()}
      </Button>
    </fieldset>
  );
}
