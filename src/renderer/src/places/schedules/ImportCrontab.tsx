/**
 * "Import crontab" (issue 15 §2) from the Schedules place: paste a crontab or pick a file, choose
 * the zone of lines before any CRON_TZ= line and a group, see what each line would become (a dry
 * run of `schedules.importCrontab`: ok, skipped or error, with its line number and why), choose
 * between all-or-nothing and the good lines, import, and read what happened.
 */
import { useId, useState } from 'react';
import {
  CRONTAB_MAX_BYTES,
  methods,
  toFieldIssues,
  type CrontabImport,
  type CrontabImportItem,
  type MethodInput,
} from '../../../../shared/api';
import { viewerZone } from '../../lib/time';
import { useStores } from '../../stores';
import { FileDrop } from '../../ui/FileDrop';
import { ModalSheet } from '../../ui/ModalSheet';
import '../settings/data.css';
import './import-crontab.css';

type Field = 'text' | 'timezone' | 'group';
type OnError = 'skip' | 'abort';

export function ImportCrontab() {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button type="button" className="button small" onClick={() => setOpen(true)}>
        Import crontab
      </button>
      {open ? (
        <ModalSheet title="Import a crontab" isOpen wide isDismissable={!busy} onOpenChange={setOpen}>
          <ImportCrontabForm onBusy={setBusy} onDone={() => setOpen(false)} />
        </ModalSheet>
      ) : null}
    </>
  );
}

const STATUS_WORD: Record<CrontabImportItem['status'], string> = {
  ok: 'will import',
  skipped: 'skipped',
  error: 'error',
};

function counts(items: readonly CrontabImportItem[]) {
  return {
    ok: items.filter((item) => item.status === 'ok').length,
    skipped: items.filter((item) => item.status === 'skipped').length,
    error: items.filter((item) => item.status === 'error').length,
  };
}

export function ImportCrontabForm({ onBusy, onDone }: { onBusy(busy: boolean): void; onDone(): void }) {
  const { api, schedules, app } = useStores();
  const uid = useId();
  const [text, setText] = useState('');
  const [timezone, setTimezone] = useState(viewerZone);
  const [group, setGroup] = useState('');
  const [onError, setOnError] = useState<OnError>('skip');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ key: string; result: CrontabImport } | null>(null);
  const [done, setDone] = useState<CrontabImport | null>(null);
  const [pending, setPending] = useState<'preview' | 'import' | null>(null);

  const input = (dryRun: boolean): MethodInput<'schedules.importCrontab'> => ({
    text,
    dryRun,
    timezone: timezone.trim(),
    ...(group.trim() ? { group: group.trim() } : {}),
    onError,
  });
  const key = JSON.stringify([text, timezone.trim(), group.trim()]);
  const current = preview && preview.key === key ? preview.result : null;

  /** Checks with the schema main uses; returns false (errors shown) when it refuses. */
  const check = (value: MethodInput<'schedules.importCrontab'>): boolean => {
    const found: Partial<Record<Field, string>> = {};
    if (!text.trim()) found.text = 'Paste a crontab or pick a file';
    const parsed = methods['schedules.importCrontab'].input.safeParse(value);
    if (!parsed.success) {
      for (const issue of toFieldIssues(parsed.error)) {
        if (issue.path === 'text' || issue.path === 'timezone' || issue.path === 'group')
          found[issue.path] ??= issue.message;
      }
    }
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const run = async (dryRun: boolean) => {
    const value = input(dryRun);
    setGeneral(null);
    if (!check(value)) return;
    setPending(dryRun ? 'preview' : 'import');
    onBusy(true);
    const result = await api.invoke('schedules.importCrontab', value);
    setPending(null);
    onBusy(false);
    if (!result.ok) {
      const found: Partial<Record<Field, string>> = {};
      for (const issue of result.error.issues ?? []) {
        if (issue.path === 'timezone' || issue.path === 'group') found[issue.path] ??= issue.message;
      }
      setErrors(found);
      setGeneral(
        dryRun
          ? `Could not read it: ${result.error.message}`
          : `Nothing was imported: ${result.error.message}`,
      );
      return;
    }
    if (dryRun) setPreview({ key, result: result.value });
    else {
      setDone(result.value);
      void schedules.getState().load();
      app
        .getState()
        .notify(
          'success',
          `Imported ${result.value.created} ${result.value.created === 1 ? 'schedule' : 'schedules'} from the crontab.`,
        );
    }
  };

  if (done) {
    const n = counts(done.items);
    return (
      <div className="import-done" data-testid="import-summary">
        <p role="status">
          <strong>
            Imported {done.created} {done.created === 1 ? 'schedule' : 'schedules'}.
          </strong>{' '}
          {n.skipped ? `${n.skipped} skipped. ` : ''}
          {n.error ? `${n.error} ${n.error === 1 ? 'line' : 'lines'} in error, not imported.` : ''}
        </p>
        <ItemTable items={done.items} />
        <div className="form-actions">
          <button type="button" className="button small primary" onClick={onDone} autoFocus>
            Done
          </button>
        </div>
      </div>
    );
  }

  const n = current ? counts(current.items) : null;
  const field = (name: Field) => ({
    id: `${uid}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${uid}-${name}-error` : undefined,
  });
  const errorOf = (name: Field) =>
    errors[name] ? (
      <p id={`${uid}-${name}-error`} className="field-error">
        {errors[name]}
      </p>
    ) : null;

  return (
    <form
      className="import-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void run(!current);
      }}
    >
      <div className={`field${errors.text ? ' field-invalid' : ''}`}>
        <label htmlFor={`${uid}-text`}>Crontab</label>
        <textarea
          {...field('text')}
          className="mono import-text"
          rows={8}
          value={text}
          spellCheck={false}
          placeholder={'# m h dom mon dow command\n30 2 * * * restic backup ~/docs'}
          onChange={(event) => setText(event.target.value)}
        />
        {errorOf('text')}
      </div>
      <FileDrop
        label="Pick a crontab file"
        maxBytes={CRONTAB_MAX_BYTES}
        onText={(read) => {
          setText(read);
          setErrors((old) => ({ ...old, text: undefined }));
        }}
        onRefused={(message) => setErrors((old) => ({ ...old, text: message }))}
      />
      <div className="data-row import-options">
        <div className={`field${errors.timezone ? ' field-invalid' : ''}`}>
          <label htmlFor={`${uid}-timezone`}>Time zone (until a CRON_TZ= line)</label>
          <input
            {...field('timezone')}
            value={timezone}
            onChange={(event) => setTimezone(event.target.value)}
          />
          {errorOf('timezone')}
        </div>
        <div className={`field${errors.group ? ' field-invalid' : ''}`}>
          <label htmlFor={`${uid}-group`}>Group (optional)</label>
          <input
            {...field('group')}
            value={group}
            placeholder="crontab"
            onChange={(event) => setGroup(event.target.value)}
          />
          {errorOf('group')}
        </div>
      </div>
      {current && n ? (
        <section className="import-preview" aria-label="Preview">
          <p role="status" data-testid="import-counts">
            {current.items.length} {current.items.length === 1 ? 'line' : 'lines'}
            {current.format === 'system' ? ' (with a user column, as in /etc/cron.d)' : ''}: {n.ok} to import,{' '}
            {n.skipped} skipped, {n.error} in error.
          </p>
          <ItemTable items={current.items} />
          {n.error ? (
            <fieldset className="import-choice">
              <legend>Some lines are in error</legend>
              <label>
                <input
                  type="radio"
                  name={`${uid}-on-error`}
                  checked={onError === 'skip'}
                  onChange={() => setOnError('skip')}
                />{' '}
                Import the {n.ok} good {n.ok === 1 ? 'line' : 'lines'}, leave out the rest
              </label>
              <label>
                <input
                  type="radio"
                  name={`${uid}-on-error`}
                  checked={onError === 'abort'}
                  onChange={() => setOnError('abort')}
                />{' '}
                All or nothing: import nothing while any line is in error
              </label>
            </fieldset>
          ) : null}
        </section>
      ) : null}
      {general ? (
        <p className="form-status form-status-error" role="alert">
          {general}
        </p>
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className="button small"
          disabled={pending !== null}
          onClick={() => void run(true)}
        >
          {pending === 'preview' ? 'Reading…' : current ? 'Preview again' : 'Preview'}
        </button>
        <button
          type="button"
          className="button small primary"
          disabled={pending !== null || !current || !n || n.ok === 0}
          aria-busy={pending === 'import' || undefined}
          onClick={() => void run(false)}
        >
          {pending === 'import' ? 'Importing…' : importLabel(n, onError)}
        </button>
        {!current ? (
          <span className="muted small">Preview first: nothing is stored until you import.</span>
        ) : null}
      </div>
    </form>
  );
}

function importLabel(n: ReturnType<typeof counts> | null, onError: OnError): string {
  if (!n) return 'Import';
  if (onError === 'abort' && n.error > 0) return 'Import all or nothing';
  return `Import ${n.ok} ${n.ok === 1 ? 'schedule' : 'schedules'}`;
}

function ItemTable({ items }: { items: readonly CrontabImportItem[] }) {
  if (!items.length) return <p className="muted">No line here would be a schedule.</p>;
  return (
    <div className="data-preview">
      <table>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Text</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.lineNumber}
              className={`import-${item.status}`}
              data-testid="import-item"
              data-status={item.status}
            >
              <td className="mono">{item.lineNumber}</td>
              <td className="mono import-line">{item.line}</td>
              <td>
                <span className={`import-status import-status-${item.status}`}>
                  {STATUS_WORD[item.status]}
                </span>
                {item.schedule ? <span> as “{item.schedule.name}”</span> : null}
                {item.user ? <span className="muted"> (user {item.user})</span> : null}
                {item.message ? <div className="import-message">{item.message}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
