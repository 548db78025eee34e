/**
 * One handler table for every contract method (DESIGN.md §5). Both transports call `dispatch`;
 * adding a method is one schema in shared/ and one handler here.
 */
import type {
  AppStatus,
  CalendarSlot,
  EventName,
  Events,
  MethodName,
  MethodOutput,
  MethodParsedInput,
} from '../../shared/api';
import { validationError } from '../../shared/api';
import { Policy } from '../../shared/domain';
import { AlmanacError } from '../../shared/errors';
import { applySettingsPatch } from '../../shared/settings';
import { planSlots, slotBoundaries } from '../engine/calendar';
import type { Engine } from '../engine/engine';
import { preview } from '../engine/planner';
import type { BusyTime, Clock } from '../engine/ports';
import { annotateWhenBusy, busySpans } from '../engine/when-busy';
import { type BusyCalendars, nodeFiles as busyFiles, readBusyCalendar } from '../interop/busy-calendars';
import { exportDocument, importDocument } from '../interop/document';
import { openRunsExport, runFilterOf, writeExport, type ExportFilePort } from './export-runs';
import { buildIcs } from '../interop/ics';
import { importCrontab } from '../interop/import-crontab';
import { localUsers } from '../interop/users';
import {
  listedAt,
  stateOf,
  toRun,
  toSchedule,
  type RunScope,
  type ScheduleRecord,
  type Store,
} from '../store';

export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export interface HandlerContext {
  engine: Engine;
  store: Store;
  clock: Clock;
  info: Omit<AppStatus, 'engine'>;
  emit: <E extends EventName>(event: E, payload: Events[E]) => void;
  /** The desktop's save dialog for `runs.export`; absent in browser mode (there it is a download). */
  exportFile?: ExportFilePort;
  /** The busy calendars of the settings, kept read (the grid shows their blocks). */
  busy: BusyCalendars;
  /** The same busy time as the engine sees it, for whenBusy in the preview and the grid. */
  busyTime: BusyTime;
}

const DAY_MS = 86_400_000;
/** More slots than a week of 5-minute rows is a grid no one can read; ask for a larger slot. */
const MAX_SLOTS = 2016;
/**
 * Wall time calendar.slots may spend planning a very large set before it answers with what it has
 * (an ordinary one is always planned in full: see planSlots).
 */
const PLAN_BUDGET_MS = 40;

function inGroup(engine: Engine, group: string): ScheduleRecord[] {
  const members = engine.listSchedules().filter((record) => record.group === group);
  if (!members.length) throw new AlmanacError('NOT_FOUND', `No schedules in group "${group}"`);
  return members;
}

function scopeOf(engine: Engine, input: { scheduleId?: string; group?: string }): RunScope {
  if (input.scheduleId) {
    engine.getSchedule(input.scheduleId); // NOT_FOUND for an unknown id
    return { kind: 'schedule', id: input.scheduleId };
  }
  if (input.group) return { kind: 'schedules', ids: inGroup(engine, input.group).map((record) => record.id) };
  return { kind: 'all' };
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

/** A stored policy's fields that the schema still knows: a key a later version dropped must not refuse every patch. */
function knownPolicy(policy: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(policy).filter(([key]) => Object.hasOwn(Policy.shape, key)));
}

/** The machine's zone: what a crontab without CRON_TZ means. */
const systemZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function createHandlers({
  engine,
  store,
  clock,
  info,
  emit,
  busy,
  busyTime,
  exportFile,
}: HandlerContext): Handlers {
  let users: Set<string> | null = null;
  return {
    'schedules.list': ({ search, group, state }) => {
      const needle = search?.trim().toLowerCase();
      const items = engine
        .listSchedules()
        .filter((record) => !group || record.group === group)
        .filter((record) => !state || stateOf(record) === state)
        .filter((record) => !needle || `${record.name}\n${record.notes}`.toLowerCase().includes(needle))
        .map(toSchedule);
      return { items };
    },
    'schedules.get': ({ id }) => toSchedule(engine.getSchedule(id)),
    'schedules.create': (fields) =>
      toSchedule(engine.createSchedule({ ...fields, group: fields.group ?? null })),
    'schedules.update': ({ id, version, patch }) => {
      const { policy, ...rest } = patch;
      const merged = policy
        ? Policy.safeParse({ ...knownPolicy(engine.getSchedule(id).policy), ...policy })
        : null;
      if (merged && !merged.success) {
        const error = validationError(merged.error);
        throw new AlmanacError(
          'VALIDATION',
          `patch.policy.${error.message}`,
          error.issues?.map((issue) => ({ ...issue, path: `patch.policy.${issue.path}` })),
        );
      }
      return toSchedule(
        engine.updateSchedule(id, version, {
          ...rest,
          ...(merged ? { policy: merged.data } : {}),
        }),
      );
    },
    'schedules.delete': ({ id }) => {
      engine.deleteSchedule(id);
      return { id };
    },
    'schedules.setEnabled': ({ id, enabled }) => toSchedule(engine.setEnabled(id, enabled)),
    'schedules.runNow': ({ id }) => toRun(engine.runNow(id)),
    'schedules.preview': ({ trigger, from, count, whenBusy }) => {
      const start = from ? Date.parse(from) : clock.now();
      const planned = preview(trigger, start, count);
      // whenBusy through the dispatcher's own decision, over the busy time these occurrences span
      const last = planned[planned.length - 1]?.at;
      const marks =
        whenBusy && whenBusy !== 'run' && last !== undefined
          ? annotateWhenBusy(
              planned.map((occurrence) => occurrence.at),
              whenBusy,
              null,
              busySpans(busyTime.blocks(planned[0]!.at - DAY_MS, last + DAY_MS)),
            )
          : [];
      return {
        occurrences: planned.map((occurrence, i) => {
          const decision = marks[i]?.busy;
          return {
            ...occurrence,
            at: new Date(occurrence.at).toISOString(),
            ...(decision && {
              busy: {
                action: decision.action,
                calendar: decision.block.calendar,
                summary: decision.block.summary,
                reason: decision.reason,
                ...(decision.action === 'defer' && { runsAt: new Date(decision.until).toISOString() }),
              },
            }),
          };
        }),
      };
    },
    'runs.list': ({ cursor, limit, ...filter }) => {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const items = store.runs.list({ ...runFilterOf(engine, store, filter), after, limit: limit + 1 });
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toRun),
        nextCursor: items.length > limit && last ? encodeCursor(listedAt(last), last.id) : null,
      };
    },
    'runs.export': async (input) => {
      const stream = openRunsExport(engine, store, input, clock.now());
      if (!exportFile) {
        throw new AlmanacError(
          'UNAVAILABLE',
          'Here runs.export is a download: POST /api/runs.export answers the file itself',
        );
      }
      const file = await exportFile.chooseFile(stream.filename, stream.format);
      if (!file) return { rows: 0, path: null };
      await writeExport(stream, file);
      return { rows: stream.rows, path: file };
    },
    'runs.get': ({ id }) => {
      const detail = store.runs.detail(id);
      if (!detail) throw new AlmanacError('NOT_FOUND', `No run with id ${id}`);
      // A running run's output lives in the engine until it ends.
      const live = detail.status === 'running' ? engine.liveOutput(id) : null;
      return live ? { ...detail, output: live.output, outputTruncated: live.truncated } : detail;
    },
    'runs.cancel': ({ id }) => toRun(engine.cancelRun(id)),
    'runs.stats': (input) => {
      const scope = scopeOf(engine, input);
      const to = input.to ? Date.parse(input.to) : clock.now();
      const from = input.from ? Date.parse(input.from) : to - 30 * DAY_MS;
      // The schema checks a range given whole; one end alone is checked here, against now.
      if (to <= from || to - from > 366 * DAY_MS) {
        const message = to <= from ? 'to must be after from' : 'A range spans at most 366 days';
        throw new AlmanacError('VALIDATION', `${input.from ? 'from' : 'to'}: ${message}`, [
          { path: input.from ? 'from' : 'to', message },
        ]);
      }
      return store.stats.summary(scope, from, to, input.timezone);
    },
    'groups.setEnabled': ({ group, enabled }) => ({
      items: inGroup(engine, group).map((record) => toSchedule(engine.setEnabled(record.id, enabled))),
    }),
    'groups.cancel': ({ group }) => {
      const ids = new Set(inGroup(engine, group).map((record) => record.id));
      let cancelled = 0;
      for (const status of ['queued', 'running'] as const) {
        for (const run of store.runs.withStatus(status)) {
          if (!ids.has(run.scheduleId)) continue;
          try {
            engine.cancelRun(run.id);
            cancelled++;
          } catch (error) {
            // A run that ended between the query and the cancel is not an error of the group.
            if (!(error instanceof AlmanacError && error.code === 'CONFLICT')) throw error;
          }
        }
      }
      return { cancelled };
    },
    'calendar.slots': (input) => {
      const from = Date.parse(input.from);
      const to = Date.parse(input.to);
      const slotMinutes = input.slotMinutes ?? store.settings.get().calendar.slotMinutes;
      const bounds = slotBoundaries(from, to, slotMinutes, input.timezone);
      if (bounds.length - 1 > MAX_SLOTS) {
        throw new AlmanacError('VALIDATION', `slotMinutes: that range has more than ${MAX_SLOTS} slots`, [
          {
            path: 'slotMinutes',
            message: `Use a larger slot or a shorter range (at most ${MAX_SLOTS} slots)`,
          },
        ]);
      }
      const scope = scopeOf(engine, input);
      const inScope =
        scope.kind === 'all' ? null : new Set(scope.kind === 'schedule' ? [scope.id] : scope.ids);
      const members = engine
        .listSchedules()
        .filter((record) => record.enabled && (!inScope || inScope.has(record.id)));
      const now = clock.now();
      const planned = planSlots(
        members.map((record) => ({
          id: record.id,
          name: record.name,
          trigger: record.trigger,
          createdAt: record.createdAt,
          nextAt: record.nextAt,
          remaining: (record.trigger.maxRuns ?? Infinity) - record.firedCount,
          whenBusy: record.policy.whenBusy,
          lastScheduledAt: record.lastScheduledAt,
        })),
        bounds,
        now,
        {
          budgetMs: PLAN_BUDGET_MS,
          elapsed: () => performance.now(),
          // Busy time only matters to schedules whose whenBusy acts on it: ask only then.
          busy: members.some((record) => record.policy.whenBusy && record.policy.whenBusy !== 'run')
            ? busySpans(busyTime.blocks(from - DAY_MS, to + DAY_MS))
            : [],
        },
      );
      const slots: CalendarSlot[] = planned.slots.map((slot) => {
        const past = slot.start <= now ? store.stats.countByStatus(scope, slot.start, slot.end) : {};
        return {
          start: new Date(slot.start).toISOString(),
          end: new Date(slot.end).toISOString(),
          plannedCount: slot.plannedCount,
          planned: slot.planned.map((item) => ({ ...item, at: new Date(item.at).toISOString() })),
          past,
          pastCount: Object.values(past).reduce((sum, n) => sum + n, 0),
          deferredCount: slot.deferredCount,
          busySkippedCount: slot.busySkippedCount,
        };
      });
      const { busy: blocks, problems } = busy.blocks(from, to, input.timezone);
      return {
        slotMinutes,
        timezone: input.timezone,
        slots,
        truncated: planned.notShown.length > 0,
        notShown: planned.notShown,
        busy: blocks.map((block) => ({
          ...block,
          start: new Date(block.start).toISOString(),
          end: new Date(block.end).toISOString(),
        })),
        busyProblems: problems,
      };
    },
    'calendar.ics': ({ from, to, scheduleIds }) => {
      for (const id of scheduleIds ?? []) engine.getSchedule(id); // NOT_FOUND for an unknown id
      const wanted = scheduleIds ? new Set(scheduleIds) : null;
      const members = engine
        .listSchedules()
        .filter((record) => record.enabled && (!wanted || wanted.has(record.id)));
      return buildIcs(members, { from: Date.parse(from), to: Date.parse(to), now: clock.now() });
    },
    'schedules.importCrontab': (input) =>
      importCrontab(
        { engine, store, defaultZone: systemZone, isUser: (name) => (users ??= localUsers()).has(name) },
        input,
      ),
    'schedules.export': () => exportDocument(engine, clock.now()),
    'schedules.import': (input) => importDocument(engine, store, clock.now(), input),
    'settings.get': () => store.settings.get(),
    'settings.update': (patch) => {
      const result = applySettingsPatch(store.settings.get(), patch);
      if (!result.success) {
        const error = validationError(result.error);
        throw new AlmanacError('VALIDATION', error.message, error.issues);
      }
      patch.busyCalendars?.forEach((calendar, i) => {
        const read = readBusyCalendar(calendar.path, busyFiles);
        if ('problem' in read) {
          const at = `busyCalendars.${i}.path`;
          throw new AlmanacError('VALIDATION', `${at}: ${read.problem}`, [
            { path: at, message: read.problem },
          ]);
        }
      });
      store.settings.put(result.data);
      if (patch.busyCalendars) busy.configure(result.data.busyCalendars);
      engine.setMaxConcurrentRuns(result.data.maxConcurrentRuns);
      emit('settings.changed', result.data);
      return result.data;
    },
    'app.status': () => ({ ...info, engine: engine.status() }),
  };
}
