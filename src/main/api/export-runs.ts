/**
 * `runs.export`: the runs of a `runs.list` filter as CSV or JSON, written page by page so a million
 * rows never sit in memory at once. The same generator feeds the desktop's save dialog (a file) and
 * browser mode's download (an HTTP body).
 */
import { once } from 'node:events';
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { MethodParsedInput } from '../../shared/api';
import { EXPORT_MAX_ROWS } from '../../shared/api';
import type { Run } from '../../shared/domain';
import { AlmanacError } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import { listedAt, toRun, type RunFilter, type Store } from '../store';

export type RunsExportInput = MethodParsedInput<'runs.export'>;

/** One page of the export; small enough that each page costs a few milliseconds of the event loop. */
const PAGE = 1000;

/** The CSV's columns, in order: every field of a run. */
export const EXPORT_COLUMNS: (keyof Run)[] = [
  'id',
  'scheduleId',
  'trigger',
  'attempt',
  'parentRunId',
  'status',
  'reason',
  'missedCount',
  'missedFirstAt',
  'missedLastAt',
  'scheduledAt',
  'fireAt',
  'queuedAt',
  'startedAt',
  'finishedAt',
  'durationMs',
  'exitCode',
  'signal',
  'httpStatus',
];

export interface RunsExportStream {
  format: 'csv' | 'json';
  /** How many runs the file holds (counted before the first byte). */
  rows: number;
  filename: string;
  contentType: string;
  /** The file, in chunks of one page each. */
  chunks: AsyncGenerator<string>;
}

/** Filters of `runs.list` and `runs.export` as the store takes them; an unknown schedule is VALIDATION. */
export function runFilterOf(
  engine: Engine,
  store: Store,
  input: Pick<RunsExportInput, 'scheduleId' | 'status' | 'trigger' | 'from' | 'to' | 'ids'>,
): Omit<RunFilter, 'limit'> {
  if (input.scheduleId && !engine.listSchedules().some((record) => record.id === input.scheduleId)) {
    // A deleted schedule's runs outlive it, and stay reachable by its id.
    if (!store.runs.hasRunsOf(input.scheduleId)) {
      throw new AlmanacError('VALIDATION', 'scheduleId: no schedule with this id', [
        { path: 'scheduleId', message: 'No schedule with this id' },
      ]);
    }
  }
  return {
    scheduleId: input.scheduleId,
    status: input.status,
    trigger: input.trigger,
    from: input.from ? Date.parse(input.from) : undefined,
    to: input.to ? Date.parse(input.to) : undefined,
    ids: input.ids,
  };
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counts, refuses beyond EXPORT_MAX_ROWS, and returns the file as a lazy sequence of pages. */
export function openRunsExport(
  engine: Engine,
  store: Store,
  input: RunsExportInput,
  now: number,
): RunsExportStream {
  const filter = runFilterOf(engine, store, input);
  const rows = store.runs.count(filter, EXPORT_MAX_ROWS + 1);
  if (rows > EXPORT_MAX_ROWS) {
    const message = `More than ${EXPORT_MAX_ROWS.toLocaleString('en-US')} runs match; narrow the filter (a time range or a schedule)`;
    throw new AlmanacError('VALIDATION', `filter: ${message}`, [{ path: 'filter', message }]);
  }
  const format = input.format;
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-');
  async function* chunks(): AsyncGenerator<string> {
    let after: RunFilter['after'];
    let first = true;
    if (format === 'json') yield '[';
    for (;;) {
      const page = store.runs.list({ ...filter, after, limit: PAGE });
      if (page.length === 0) break;
      const runs = page.map(toRun);
      if (format === 'csv') {
        yield stringify(
          runs.map((run) => EXPORT_COLUMNS.map((column) => run[column])),
          first ? { header: true, columns: EXPORT_COLUMNS as string[] } : {},
        );
      } else {
        yield (first ? '\n' : ',\n') + runs.map((run) => JSON.stringify(run)).join(',\n');
      }
      first = false;
      const last = page[page.length - 1]!;
      after = { at: listedAt(last), id: last.id };
      if (page.length < PAGE) break;
      // Other calls get their turn between pages.
      await yieldToLoop();
    }
    if (format === 'csv' && first) yield stringify([], { header: true, columns: EXPORT_COLUMNS as string[] });
    if (format === 'json') yield '\n]\n';
  }
  return {
    format,
    rows,
    filename: `almanac-runs-${stamp}.${format}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    chunks: chunks(),
  };
}

/**
 * Where the desktop app asks the person for a file (a save dialog); browser mode has none, its
 * export is a download. Resolves to the chosen path, or null when the person cancelled.
 */
export interface ExportFilePort {
  chooseFile(suggestedName: string, format: 'csv' | 'json'): Promise<string | null>;
}

/** Writes the export to `file`, page by page, waiting for the disk where it lags. */
export async function writeExport(stream: RunsExportStream, file: string): Promise<void> {
  const out = fs.createWriteStream(file, { mode: 0o600 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  try {
    for await (const chunk of stream.chunks) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    }
  } finally {
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
  }
}
