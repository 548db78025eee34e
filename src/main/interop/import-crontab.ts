/**
 * `schedules.importCrontab` (issue 15 §2): a crontab read line by line (crontab.ts), checked
 * against what Almanac already has, then, unless it is a dry run, stored in one transaction.
 * `onError: 'abort'` stores nothing when any line is in error; `'skip'` stores the good lines.
 */
import type { CrontabImport, MethodParsedInput } from '../../shared/api';
import { toSchedule } from '../store';
import type { ScheduleRecord, Store } from '../store';
import { AlmanacError } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import { applyWrites } from './apply';
import { nameKey, uniqueName } from './names';
import { readCrontab, type ScheduleDraft } from './crontab';

/** More jobs than this in one paste is not a personal crontab; refusing keeps the call bounded. */
export const CRONTAB_MAX_LINES = 5000;

export interface CrontabImportContext {
  engine: Engine;
  store: Store;
  isUser: (name: string) => boolean;
  defaultZone: () => string;
}

/** Same pattern, zone, command and environment: the line is already in Almanac. */
function sameJob(record: Pick<ScheduleRecord, 'trigger' | 'action'>, draft: ScheduleDraft): boolean {
  return JSON.stringify([record.trigger, record.action]) === JSON.stringify([draft.trigger, draft.action]);
}

export function importCrontab(
  context: CrontabImportContext,
  input: MethodParsedInput<'schedules.importCrontab'>,
): CrontabImport {
  const { engine, store } = context;
  // Counted before reading, so an oversized paste costs a split, not a parse per line.
  const active = input.text.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
  if (active.length > CRONTAB_MAX_LINES) {
    const message = `A crontab import takes at most ${CRONTAB_MAX_LINES} job and variable lines; this one has ${active.length}`;
    throw new AlmanacError('VALIDATION', `text: ${message}`, [{ path: 'text', message }]);
  }
  const reading = readCrontab(input.text, {
    timezone: input.timezone ?? context.defaultZone(),
    format: input.format,
    isUser: context.isUser,
    ...(input.group ? { group: input.group } : {}),
  });
  const existing = engine.listSchedules();
  const taken = new Set(existing.map((record) => nameKey(record.name)));
  const items: CrontabImport['items'] = reading.entries.map((entry) => {
    if (entry.status !== 'ok' || !entry.schedule) return entry;
    const twin = existing.find((record) => sameJob(record, entry.schedule!));
    if (twin) return { ...entry, status: 'skipped', message: `Already in Almanac as “${twin.name}”` };
    return { ...entry, schedule: { ...entry.schedule, name: uniqueName(entry.schedule.name, taken) } };
  });
  const errors = items.filter((item) => item.status === 'error');
  if (!input.dryRun && input.onError === 'abort' && errors.length) {
    const issues = errors.map((item) => ({
      path: 'text',
      message: `Line ${item.lineNumber}: ${item.message}`,
    }));
    throw new AlmanacError(
      'VALIDATION',
      `text: ${errors.length} line${errors.length === 1 ? '' : 's'} in error, nothing imported (${issues[0]!.message})`,
      issues,
    );
  }
  if (input.dryRun) return { format: reading.format, items, created: 0 };
  const good = items.filter((item) => item.status === 'ok');
  const records = applyWrites(engine, store, (writer) =>
    good.map((item) => writer.create(item.schedule as ScheduleDraft)),
  );
  records.forEach((record, i) => {
    good[i]!.schedule = toSchedule(record);
  });
  return { format: reading.format, items, created: records.length };
}
