/**
 * Settings → Your data: export every schedule as one JSON document (`schedules.export`), and import
 * one (`schedules.import`): pick the file, choose what a name already taken means (skip, replace,
 * copy), see a dry run's per-schedule result, then import. The document is checked with the schema
 * main uses before it is sent; its problems are listed by where they are in the file.
 */
import { useId, useState } from 'react';
import { toFieldIssues, type DocumentImport, type FieldIssue } from '../../../../shared/api';
import { ExportDocument } from '../../../../shared/export-document';
import { saveFile } from '../../lib/saveFile';
import { useStores } from '../../stores';
import { FileDrop } from '../../ui/FileDrop';
import './data.css';

/** An export of 5,000 schedules fits well within this. */
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;
type OnConflict = 'skip' | 'replace' | 'copy';
const CONFLICT_CHOICES: [OnConflict, string, string][] = [
  ['skip', 'Keep mine', 'A schedule whose name is already taken is left out.'],
  ['replace', 'Replace', 'The schedule of that name is overwritten by the file’s.'],
  ['copy', 'Add a copy', 'The file’s schedule is added under a new name, such as “Backup (2)”.'],
];

export function DataSection() {
  const { api, app, schedules } = useStores();
  const uid = useId();
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [document, setDocument] = useState<{ name: string; value: unknown } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldIssue[]>([]);
  const [onConflict, setOnConflict] = useState<OnConflict>('skip');
  const [preview, setPreview] = useState<{ onConflict: OnConflict; result: DocumentImport } | null>(null);
  const [done, setDone] = useState<DocumentImport | null>(null);
  const [pending, setPending] = useState<'preview' | 'import' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const exportAll = async () => {
    setExporting(true);
    const result = await api.invoke('schedules.export', {});
    setExporting(false);
    if (!result.ok) {
      setExported(null);
      app.getState().notify('error', `Could not export: ${result.error.message}`);
      return;
    }
    const day = result.value.exportedAt.slice(0, 10);
    saveFile(
      `almanac-schedules-${day}.json`,
      `${JSON.stringify(result.value, null, 2)}\n`,
      'application/json',
    );
    const n = result.value.schedules.length;
    setExported(`Exported ${n} ${n === 1 ? 'schedule' : 'schedules'} (no run history).`);
  };

  const take = (text: string, name: string) => {
    setDone(null);
    setPreview(null);
    setFailure(null);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      setDocument(null);
      setProblems([]);
      setFileError(`${name} is not JSON: ${(error as Error).message}`);
      return;
    }
    const checked = ExportDocument.safeParse(value);
    setFileError(checked.success ? null : `${name} is not an Almanac export this version can read:`);
    setProblems(checked.success ? [] : toFieldIssues(checked.error));
    setDocument(checked.success ? { name, value } : null);
  };

  const run = async (dryRun: boolean) => {
    if (!document) return;
    setPending(dryRun ? 'preview' : 'import');
    setFailure(null);
    const result = await api.invoke('schedules.import', {
      document: document.value as ExportDocument,
      onConflict,
      dryRun,
    });
    setPending(null);
    if (!result.ok) {
      setFailure(`${dryRun ? 'Could not check it' : 'Nothing was imported'}: ${result.error.message}`);
      setProblems(result.error.issues ?? []);
      return;
    }
    if (dryRun) setPreview({ onConflict, result: result.value });
    else {
      setDone(result.value);
      setPreview(null);
      setDocument(null);
      void schedules.getState().load();
      app.getState().notify('success', summary(result.value));
    }
  };

  const current = preview && preview.onConflict === onConflict ? preview.result : null;

  return (
    <section className="card settings-section data-section" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="card-title">
        Export and import
      </h2>
      <div className="data-row">
        <button
          type="button"
          className="button small"
          onClick={() => void exportAll()}
          disabled={exporting}
          aria-busy={exporting || undefined}
        >
          {exporting ? 'Exporting…' : 'Export all schedules'}
        </button>
        {exported ? (
          <span className="muted small" role="status">
            {exported}
          </span>
        ) : (
          <span className="muted small">A JSON file with every schedule; run history stays here.</span>
        )}
      </div>
      <div className="field">
        <span className="field-label" id={`${uid}-file`}>
          Import a file exported from Almanac
        </span>
        <FileDrop
          label="Pick an export file"
          accept={['.json', 'application/json']}
          maxBytes={DOCUMENT_MAX_BYTES}
          onText={take}
          onRefused={(message) => {
            setDocument(null);
            setProblems([]);
            setFileError(message);
          }}
        />
        {fileError ? (
          <div className="field-error" role="alert" data-testid="document-error">
            {fileError}
            {problems.length ? (
              <ul>
                {problems.slice(0, 8).map((issue, i) => (
                  <li key={i}>
                    <span className="mono">{issue.path || 'document'}</span>: {issue.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      {document ? (
        <>
          <fieldset className="data-choice">
            <legend>When a schedule’s name is already taken</legend>
            {CONFLICT_CHOICES.map(([value, label, hint]) => (
              <label key={value}>
                <input
                  type="radio"
                  name={`${uid}-conflict`}
                  checked={onConflict === value}
                  onChange={() => setOnConflict(value)}
                />{' '}
                <strong>{label}</strong> <span className="muted">{hint}</span>
              </label>
            ))}
          </fieldset>
          {current ? (
            <div className="data-preview-wrap">
              <p role="status" data-testid="document-counts">
                {summary(current, true)}
              </p>
              <ImportTable result={current} />
            </div>
          ) : null}
          <div className="form-actions">
            <button
              type="button"
              className="button small"
              disabled={pending !== null}
              onClick={() => void run(true)}
            >
              {pending === 'preview' ? 'Checking…' : current ? 'Check again' : 'Preview'}
            </button>
            <button
              type="button"
              className="button small primary"
              disabled={pending !== null || !current}
              aria-busy={pending === 'import' || undefined}
              onClick={() => void run(false)}
            >
              {pending === 'import' ? 'Importing…' : `Import ${document.name}`}
            </button>
          </div>
        </>
      ) : null}
      {failure ? (
        <p className="form-status form-status-error" role="alert">
          {failure}
        </p>
      ) : null}
      {done ? (
        <div data-testid="document-summary">
          <p role="status">{summary(done)}</p>
          <ImportTable result={done} />
        </div>
      ) : null}
    </section>
  );
}

function summary(result: DocumentImport, dryRun = false): string {
  const verb = dryRun ? 'Would create' : 'Created';
  return `${verb} ${result.created}, ${dryRun ? 'replace' : 'replaced'} ${result.replaced}, ${
    dryRun ? 'skip' : 'skipped'
  } ${result.skipped}.`;
}

function ImportTable({ result }: { result: DocumentImport }) {
  return (
    <div className="data-preview">
      <table>
        <thead>
          <tr>
            <th scope="col">Schedule</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((item, i) => (
            <tr key={i} data-testid="document-item" data-status={item.status}>
              <td>{item.name}</td>
              <td>
                {item.status}
                {item.storedAs ? ` as “${item.storedAs}”` : ''}
                {item.message ? <div className="muted">{item.message}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
