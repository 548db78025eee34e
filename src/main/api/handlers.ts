/**
 * One handler table for every contract method (DESIGN.md §5). Both transports call `dispatch`;
 * adding a method is one schema in shared/ and one handler here.
 */
import fs from 'node:fs';
import path from 'node:path';
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
import { findFreeSlots } from '../engine/free-slots';
import type { Engine } from '../engine/engine';
import { nextOccurrence, preview } from '../engine/planner';
import type { BusyTime, Clock } from '../engine/ports';
import { annotateWhenBusy, busySpans } from '../engine/when-busy';
import { type BusyCalendars, nodeFiles as busyFiles, readBusyCalendar } from '../interop/busy-calendars';
import { exportDocument, importDocument } from '../interop/document';
import { openRunsExport, runFilterOf, writeExport, type ExportFilePort } from './export-runs';
import { buildIcs } from '../interop/ics';
import { importCrontab } from '../interop/import-crontab';
import { localUsers } from '../interop/users';
import {
  backupByName,
  cancelRestore,
  listBackups,
  pendingRestore,
  requestRestore,
  unusableBackup,
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
  /** How the store opens SQLite files (backups are checked with it). */
  nativeBinding?: string;
}

const DAY_MS = 86_400_000;
/** More slots than a week of 5-minute rows is a grid no one can read; ask for a larger slot. */
const MAX_SLOTS = 2016;
/**
 * Wall time calendar.slots may spend planning a very large set before it answers with what it has
 * (an ordinary one is always planned in full: see planSlots).
 */
const PLAN_BUDGET_MS = 40;
/** Free slots are offered on this grid of local time, and load is counted in spans of it. */
const FREE_STEP_MINUTES = 15;

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
  nativeBinding,
  exportFile,
}: HandlerContext): Handlers {
  let users: Set<string> | null = null;
  /** The planner's load over `bounds`, busy time applied where a schedule's whenBusy acts on it: the grid and free slots alike. */
  const planLoad = (
    members: ReturnType<typeof engine.listSchedules>,
    bounds: Parameters<typeof planSlots>[1],
    from: number,
    to: number,
    now: number,
  ) =>
    planSlots(
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
        // busy time only matters to schedules whose whenBusy acts on it: ask only then
        busy: members.some((record) => record.policy.whenBusy && record.policy.whenBusy !== 'run')
          ? busySpans(busyTime.blocks(from - DAY_MS, to + DAY_MS))
          : [],
      },
    );
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
              (instant) => nextOccurrence(trigger, instant - 1, start) === instant,
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
      const planned = planLoad(members, bounds, from, to, now);
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
    'calendar.freeSlots': (input) => {
      const from = Date.parse(input.from);
      const to = Date.parse(input.to);
      const bounds = slotBoundaries(from, to, FREE_STEP_MINUTES, input.timezone);
      const now = clock.now();
      const members = engine.listSchedules().filter((record) => record.enabled);
      // The same load the grid shows (whenBusy deferrals and skips included).
      const planned = planLoad(members, bounds, from, to, now);
      const slots = findFreeSlots({
        from,
        to,
        now,
        zone: input.timezone,
        durationMinutes: input.durationMinutes,
        stepMinutes: FREE_STEP_MINUTES,
        count: input.count,
        workingHours: input.workingHours ?? store.settings.get().workingHours,
        busy: busy.blocks(from, to, input.timezone).busy,
        load: planned.slots,
      });
      return {
        slots: slots.map((slot) => ({
          start: new Date(slot.start).toISOString(),
          end: new Date(slot.end).toISOString(),
          load: slot.load,
        })),
        notCounted: planned.notShown,
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
    'backups.list': () => {
      const pending = pendingRestore(info.dataDir);
      return {
        items: listBackups(info.dataDir).flatMap((backup) => {
          let bytes: number;
          try {
            bytes = fs.statSync(backup.file).size;
          } catch {
            return []; // pruned since it was listed
          }
          return [
            { name: path.basename(backup.file), takenAt: new Date(backup.takenAt).toISOString(), bytes },
          ];
        }),
        pendingRestore: pending
          ? { name: pending.name, requestedAt: new Date(pending.requestedAt).toISOString() }
          : null,
      };
    },
    'backups.restore': ({ name }) => {
      const backup = backupByName(info.dataDir, name);
      if (!backup) throw new AlmanacError('NOT_FOUND', `No backup named ${name}`);
      const why = unusableBackup(backup.file, { nativeBinding });
      if (why) throw new AlmanacError('VALIDATION', `name: ${why}`, [{ path: 'name', message: why }]);
      requestRestore(info.dataDir, name, clock.now());
      const takenAt = new Date(backup.takenAt).toISOString();
      return {
        name,
        takenAt,
        appliesAt: 'next-start',
        message:
          `The backup from ${takenAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} replaces the database when Almanac next starts. ` +
          'Quit and start Almanac again to finish; the current database will be kept aside.',
      };
    },
    'backups.cancelRestore': () => ({ cancelled: cancelRestore(info.dataDir) }),
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
