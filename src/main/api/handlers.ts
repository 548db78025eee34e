/**
 * One handler table for every contract method (DESIGN.md §5). Both transports call `dispatch`;
 * adding a method is one schema in shared/ and one handler here.
 */
import type { AppStatus, MethodName, MethodOutput, MethodParsedInput } from '../../shared/api';
import { AlmanacError } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import { preview } from '../engine/planner';
import type { Clock } from '../engine/ports';
import { listedAt, toRun, toSchedule, type Store } from '../store';

export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export interface HandlerContext {
  engine: Engine;
  store: Store;
  clock: Clock;
  info: Omit<AppStatus, 'engine'>;
}

function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!at || !id || !/^-?\d+$/.test(at)) {
    throw new AlmanacError('VALIDATION', 'cursor: not a cursor from runs.list', [
      { path: 'cursor', message: 'Not a cursor from runs.list' },
    ]);
  }
  return { at: Number(at), id };
}

export function createHandlers({ engine, store, clock, info }: HandlerContext): Handlers {
  return {
    'schedules.list': ({ search, group }) => {
      const needle = search?.trim().toLowerCase();
      const items = engine
        .listSchedules()
        .filter((record) => !group || record.group === group)
        .filter((record) => !needle || `${record.name}\n${record.notes}`.toLowerCase().includes(needle))
        .map(toSchedule);
      return { items };
    },
    'schedules.get': ({ id }) => toSchedule(engine.getSchedule(id)),
    'schedules.create': (fields) =>
      toSchedule(engine.createSchedule({ ...fields, group: fields.group ?? null })),
    'schedules.update': ({ id, version, patch }) => toSchedule(engine.updateSchedule(id, version, patch)),
    'schedules.delete': ({ id }) => {
      engine.deleteSchedule(id);
      return { id };
    },
    'schedules.setEnabled': ({ id, enabled }) => toSchedule(engine.setEnabled(id, enabled)),
    'schedules.runNow': ({ id }) => toRun(engine.runNow(id)),
    'schedules.preview': ({ trigger, from, count }) => {
      const start = from ? Date.parse(from) : clock.now();
      return {
        occurrences: preview(trigger, start, count).map((occurrence) => ({
          ...occurrence,
          at: new Date(occurrence.at).toISOString(),
        })),
      };
    },
    'runs.list': ({ scheduleId, status, trigger, from, to, cursor, limit }) => {
      const items = store.runs.list({
        scheduleId,
        status,
        trigger,
        from: from ? Date.parse(from) : undefined,
        to: to ? Date.parse(to) : undefined,
        after: cursor ? decodeCursor(cursor) : undefined,
        limit: limit + 1,
      });
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toRun),
        nextCursor: items.length > limit && last ? encodeCursor(listedAt(last), last.id) : null,
      };
    },
    'runs.get': ({ id }) => {
      const detail = store.runs.detail(id);
      if (!detail) throw new AlmanacError('NOT_FOUND', `No run with id ${id}`);
      return detail;
    },
    'app.status': () => ({ ...info, engine: engine.status() }),
  };
}
