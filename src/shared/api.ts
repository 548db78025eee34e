/**
 * The contract (DESIGN.md §5): every method and event, by name, with its zod input schema and its
 * output type. Both transports, the preload and the renderer client derive their types from here.
 */
import { z } from 'zod';
import {
  Instant,
  Policy,
  RunStatus,
  RunTrigger,
  ScheduleFields,
  Trigger,
  TimeZone,
  WhenBusy,
  type Run,
  type RunDetail,
  type Schedule,
  type ScheduleDraft,
  type RunStatus as RunStatusValue,
} from './domain';
import { ExportDocument } from './export-document';
import { SettingsPatch, SlotMinutes, WorkingHours, type Settings } from './settings';

export type { Run, RunDetail, Schedule } from './domain';
export type { Settings, SettingsPatch } from './settings';
export type { ExportDocument, DocumentSchedule } from './export-document';

/** Declares a method: its input schema now, its output type as a phantom. */
const method =
  <Output>() =>
  <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output });

/**
 * A field-by-field patch: every field optional and none defaulted, so what a patch does not name
 * keeps its value (`.partial()` alone would still fill zod defaults, resetting those fields).
 */
type PatchShape<T extends z.ZodRawShape> = {
  [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K]>;
};
function patchOf<T extends z.ZodRawShape>(shape: T): z.ZodObject<PatchShape<T>> {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType);
    fields[key] = inner.optional();
  }
  return z.strictObject(fields) as unknown as z.ZodObject<PatchShape<T>>;
}

/** `policy` in a patch is itself a patch: named policy fields change, the others stay. */
export const SchedulePatch = patchOf({ ...ScheduleFields.shape, policy: patchOf(Policy.shape) });
export type SchedulePatch = z.output<typeof SchedulePatch>;

const Id = z.string().min(1).max(64);
const ById = z.strictObject({ id: Id });
const GroupName = z.string().trim().min(1).max(100);
const DAY_MS = 86_400_000;
/** A time range, where given: `from` before `to`, at most `maxDays` long. */
const withinDays =
  (maxDays: number) =>
  (r: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void => {
    if (!r.from || !r.to) return;
    const span = Date.parse(r.to) - Date.parse(r.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    else if (span > maxDays * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `A range spans at most ${maxDays} days` });
    }
  };

/** A time range, where given whole: `from` before `to` (a reversed range names `to`). */
const ordered = (r: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void => {
  if (r.from && r.to && Date.parse(r.to) <= Date.parse(r.from)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  }
};

/** Which runs `runs.list` and `runs.export` take: every field narrows. */
const RunFilterShape = {
  scheduleId: Id.optional(),
  status: z.array(RunStatus).max(9).optional(),
  trigger: z.array(RunTrigger).max(5).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  /** Exactly these runs (a catch-up summary's rows). */
  ids: z.array(Id).min(1).max(1000).optional(),
};

export interface Occurrence {
  at: string;
  note?: 'dst-shifted' | 'dst-repeated';
  /** What the preview's `whenBusy` does to this occurrence, when it falls in busy time. */
  busy?: OccurrenceBusy;
}

/** An occurrence inside a busy block, under whenBusy `defer` or `skip` (issue 15 §5). */
export interface OccurrenceBusy {
  action: 'defer' | 'skip';
  /** The block it falls in: its calendar's name and the event's SUMMARY. */
  calendar: string;
  summary: string;
  /** What its run row will say. */
  reason: string;
  /** `defer`: when it runs (the end of the busy time). */
  runsAt?: string;
}

export interface AppStatus {
  version: string;
  dataDir: string;
  mode: 'desktop' | 'browser';
  engine: EngineStatus;
  /** What the person must be told about this start (a restored backup, a fresh empty store …). */
  notices: AppNotice[];
  /**
   * Whether run conditions (policy.conditions: AC power, idle time) can be told here. False in
   * browser mode: a run with conditions then goes ahead, and the editor says so beside the field.
   */
  conditionsSupported: boolean;
}

export interface AppNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
  at: string;
}

export interface RunStats {
  from: string;
  to: string;
  total: number;
  byStatus: Record<RunStatusValue, number>;
  /** succeeded / (succeeded + failed + timed-out + interrupted); null when none finished. */
  successRate: number | null;
  durationMs: { p50: number; p95: number } | null;
  /** One bucket per calendar day of the range in `timezone`, oldest first. */
  days: RunStatsDay[];
}

/** One calendar day of `RunStats.days`. */
export interface RunStatsDay {
  day: string;
  total: number;
  succeeded: number;
  /** failed + timed-out + interrupted */
  failed: number;
  /** Every status, zeros included: the chart stacks these. Sums to `total`. */
  byStatus: Record<RunStatusValue, number>;
  /** Nearest-rank percentiles of that day's finished runs; null when none has a duration. */
  durationMs: { p50: number; p95: number } | null;
}

export interface PlannedOccurrence {
  scheduleId: string;
  name: string;
  at: string;
}

export interface CalendarSlot {
  start: string;
  end: string;
  /** How many occurrences the planner puts in this slot (from now on). */
  plannedCount: number;
  /** Up to three schedules planned here, each by its first occurrence in the slot, earliest first. */
  planned: PlannedOccurrence[];
  /** Runs recorded in this slot, by status. */
  past: Partial<Record<RunStatusValue, number>>;
  pastCount: number;
  /** Of plannedCount: runs that whenBusy `defer` moved to the end of busy time in this slot (absent: 0). */
  deferredCount?: number;
  /** Occurrences in this slot that whenBusy turns into `skipped` rows, not in plannedCount (absent: 0). */
  busySkippedCount?: number;
}

export interface CalendarSlots {
  slotMinutes: number;
  timezone: string;
  slots: CalendarSlot[];
  /** True when planning stopped at its budget: the schedules in `notShown` are not counted. */
  truncated: boolean;
  /** The schedules left out of the counts when `truncated` (empty otherwise). */
  notShown: { scheduleId: string; name: string }[];
  /** Busy blocks of the `busyCalendars` setting that overlap the range, earliest first. */
  busy: BusyBlock[];
  /** Busy calendars that could not be read just now (moved, unreadable, too large), and why. */
  busyProblems: BusyProblem[];
}

export interface BusyBlock {
  start: string;
  end: string;
  /** The calendar's name in settings. */
  calendar: string;
  /** The event's SUMMARY ('' when it has none). */
  summary: string;
}

export interface BusyProblem {
  calendar: string;
  path: string;
  message: string;
}

/** A crontab line that would be a schedule, and what became of it. */
export interface CrontabImportItem {
  line: string;
  lineNumber: number;
  status: 'ok' | 'skipped' | 'error';
  message?: string;
  /** The user column of an /etc/cron.d line (noted, not run as). */
  user?: string;
  /** What would be created (dry run), or what was (with its id). */
  schedule?: ScheduleDraft | Schedule;
}

export interface CrontabImport {
  /** How the text was read: `system` when it had a user column. */
  format: 'user' | 'system';
  items: CrontabImportItem[];
  created: number;
}

export interface DocumentImportItem {
  /** The name in the document. */
  name: string;
  status: 'created' | 'replaced' | 'skipped';
  /** The schedule it became (not for a dry run, nor a skipped one). */
  id?: string;
  /** The name it was stored under, when a copy had to be renamed. */
  storedAs?: string;
  message?: string;
}

export interface DocumentImport {
  items: DocumentImportItem[];
  created: number;
  replaced: number;
  skipped: number;
}

export interface CalendarIcs {
  /** The iCalendar file (text/calendar). */
  text: string;
  events: number;
  /** More occurrences fell in the range than one file holds; `message` says how many were left out. */
  truncated: boolean;
  message?: string;
}

export interface BackupInfo {
  /** The file name in `backups/` (what `backups.restore` takes). */
  name: string;
  takenAt: string;
  bytes: number;
}

export interface BackupList {
  /** Newest first. */
  items: BackupInfo[];
  /** A restore asked for and not done yet: it happens at the next start. */
  pendingRestore: { name: string; requestedAt: string } | null;
}

export interface BackupRestore {
  name: string;
  takenAt: string;
  /** The database is replaced when Almanac next starts, not while it runs. */
  appliesAt: 'next-start';
  message: string;
}

/** The name of an automatic backup, as `backups.list` gives it. */
export const BackupName = z
  .string()
  .regex(/^almanac-\d{8}T\d{9}Z(?:-\d+)?\.db$/, 'Not the name of an Almanac backup');

export interface FreeSlots {
  /** The suggestions, earliest first: each inside working hours, clear of busy blocks, on the quietest load. */
  slots: { start: string; end: string; load: number }[];
  /** Planning stopped at its budget: the load of these schedules was not counted. */
  notCounted: { scheduleId: string; name: string }[];
}

/** A crontab paste or file: at most 5 MB. */
export const CRONTAB_MAX_BYTES = 5 * 1024 * 1024;
const utf8Length = (text: string) =>
  text.length * 3 <= CRONTAB_MAX_BYTES ? text.length : new TextEncoder().encode(text).length;
const CrontabText = z.string().refine((text) => utf8Length(text) <= CRONTAB_MAX_BYTES, {
  message: 'A crontab is at most 5 MB',
});

export interface NotificationEvent {
  scheduleId: string;
  runId: string;
  title: string;
  body: string;
  level: 'success' | 'failure' | 'info';
  /** Failures folded into this one notification (1 = just this run). */
  count: number;
}

export interface EngineStatus {
  running: boolean;
  scheduleCount: number;
  queued: number;
  active: number;
  nextFireAt: string | null;
}

export interface CatchUpSummary {
  ran: number;
  missed: number;
  skipped: number;
  schedules: number;
  reason: 'start' | 'wake' | 'suspend' | 'clock-jump' | 'tick';
  /** When the evaluation happened (the wake or the start). */
  at?: string;
  /** The earliest occurrence it dealt with: the gap is `since` → `at`. */
  since?: string | null;
  /**
   * The rows it recorded (catch-up runs, skipped and missed rows), so a notice can link to exactly
   * those: `runs.list { ids }`. At most RUN_IDS_MAX; `more` counts the ones left out.
   */
  runIds?: string[];
  more?: number;
}

/** How many of a catch-up's rows its summary names (and `runs.list` takes as `ids`). */
export const RUN_IDS_MAX = 1000;
/** The most rows one `runs.export` writes; a larger filter is refused with VALIDATION. */
export const EXPORT_MAX_ROWS = 1_000_000;

/** What `runs.export` did in the desktop app: the rows written to the file the person chose (null: cancelled). */
export interface RunsExport {
  rows: number;
  path: string | null;
}

export interface RunOutputChunk {
  runId: string;
  scheduleId: string;
  chunk: string;
}

export const methods = {
  'schedules.list': method<{ items: Schedule[] }>()(
    z
      .strictObject({
        search: z.string().max(200).optional(),
        group: z.string().max(100).optional(),
        state: z.enum(['active', 'paused', 'completed']).optional(),
      })
      .default({}),
  ),
  'schedules.get': method<Schedule>()(ById),
  'schedules.create': method<Schedule>()(ScheduleFields),
  'schedules.update': method<Schedule>()(
    z.strictObject({ id: Id, version: z.number().int().min(1), patch: SchedulePatch }),
  ),
  'schedules.delete': method<{ id: string }>()(ById),
  'schedules.setEnabled': method<Schedule>()(z.strictObject({ id: Id, enabled: z.boolean() })),
  'schedules.runNow': method<Run>()(ById),
  'schedules.preview': method<{ occurrences: Occurrence[] }>()(
    z.strictObject({
      trigger: Trigger,
      from: Instant.optional(),
      count: z.number().int().min(1).max(500).default(5),
      /** Mark what this whenBusy policy does to occurrences in busy time (absent: run, nothing marked). */
      whenBusy: WhenBusy.optional(),
    }),
  ),
  'runs.list': method<{ items: Run[]; nextCursor: string | null }>()(
    z
      .strictObject({
        ...RunFilterShape,
        cursor: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .superRefine(ordered)
      .default({ limit: 50 }),
  ),
  /**
   * The runs of a `runs.list` filter as a file, newest first, paged in main. Desktop: a save dialog,
   * answering what was written. Browser mode: `POST /api/runs.export` answers the file itself
   * (a download) rather than a JSON value.
   */
  'runs.export': method<RunsExport>()(
    z
      .strictObject({ ...RunFilterShape, format: z.enum(['csv', 'json']).default('csv') })
      .superRefine(ordered),
  ),
  'runs.get': method<RunDetail>()(ById),
  'runs.cancel': method<Run>()(ById),
  'runs.stats': method<RunStats>()(
    z
      .strictObject({
        scheduleId: Id.optional(),
        group: GroupName.optional(),
        from: Instant.optional(),
        to: Instant.optional(),
        timezone: TimeZone.default('UTC'),
      })
      .superRefine(withinDays(366))
      .default({ timezone: 'UTC' }),
  ),
  'groups.setEnabled': method<{ items: Schedule[] }>()(
    z.strictObject({ group: GroupName, enabled: z.boolean() }),
  ),
  'groups.cancel': method<{ cancelled: number }>()(z.strictObject({ group: GroupName })),
  'calendar.slots': method<CalendarSlots>()(
    z
      .strictObject({
        from: Instant,
        to: Instant,
        /** Defaults to the `calendar.slotMinutes` setting. */
        slotMinutes: SlotMinutes.optional(),
        timezone: TimeZone,
        scheduleId: Id.optional(),
        group: GroupName.optional(),
      })
      .superRefine(withinDays(42)),
  ),
  'calendar.ics': method<CalendarIcs>()(
    z
      .strictObject({
        from: Instant,
        to: Instant,
        /** Only these schedules; all enabled ones when absent. */
        scheduleIds: z.array(Id).max(1000).optional(),
      })
      .superRefine(withinDays(366)),
  ),
  'calendar.freeSlots': method<FreeSlots>()(
    z
      .strictObject({
        from: Instant,
        to: Instant,
        durationMinutes: z.number().int().min(5).max(720),
        timezone: TimeZone,
        /** Defaults to the `workingHours` setting. */
        workingHours: WorkingHours.optional(),
        count: z.number().int().min(1).max(20).default(5),
      })
      .superRefine(withinDays(42)),
  ),
  'schedules.importCrontab': method<CrontabImport>()(
    z.strictObject({
      text: CrontabText,
      /** Read and check every line, store nothing. */
      dryRun: z.boolean().default(false),
      /** The zone of lines before any CRON_TZ= / TZ= line; the system zone when absent. */
      timezone: TimeZone.optional(),
      group: GroupName.optional(),
      /** `system`: /etc/cron.d lines, with a user column; `auto` tells them apart. */
      format: z.enum(['auto', 'user', 'system']).default('auto'),
      /** `abort`: any line in error stores nothing; `skip`: the good lines are stored. */
      onError: z.enum(['skip', 'abort']).default('skip'),
    }),
  ),
  'schedules.export': method<ExportDocument>()(z.strictObject({}).default({})),
  'schedules.import': method<DocumentImport>()(
    z.strictObject({
      document: ExportDocument,
      /** A schedule whose name is taken: keep the existing one, overwrite it, or add a renamed copy. */
      onConflict: z.enum(['skip', 'replace', 'copy']).default('skip'),
      dryRun: z.boolean().default(false),
    }),
  ),
  'backups.list': method<BackupList>()(z.strictObject({}).default({})),
  'backups.restore': method<BackupRestore>()(z.strictObject({ name: BackupName })),
  /** Forgets a restore asked for and not done yet. */
  'backups.cancelRestore': method<{ cancelled: boolean }>()(z.strictObject({}).default({})),
  'settings.get': method<Settings>()(z.strictObject({}).default({})),
  'settings.update': method<Settings>()(SettingsPatch),
  'app.status': method<AppStatus>()(z.strictObject({}).default({})),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = Methods[M]['output'];
export const methodNames = Object.keys(methods) as MethodName[];

export interface Events {
  'schedule.changed': { id: string; schedule: Schedule | null };
  'run.changed': Run;
  'run.output': RunOutputChunk;
  'engine.status': EngineStatus;
  'engine.catchUp': CatchUpSummary;
  'settings.changed': Settings;
  /** A busy calendar's file changed on disk and was read again: refetch calendar.slots. */
  'busy.changed': { calendar: string; path: string };
  notification: NotificationEvent;
}
export type EventName = keyof Events;
export const eventNames: EventName[] = [
  'schedule.changed',
  'run.changed',
  'run.output',
  'engine.status',
  'engine.catchUp',
  'settings.changed',
  'busy.changed',
  'notification',
];

export const ERROR_CODES = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'UNAVAILABLE', 'INTERNAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

export interface ApiErrorValue {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorValue };

/** The one object both windows and the browser client speak: `window.almanac`. */
export interface AlmanacApi {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** Turns zod issues into field paths the UI can put beside its fields. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // Inputs are strict: each unknown key is its own issue, at its own path, so a typo is named.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: `Unknown field "${key}"` }));
    }
    // A record key refused by its own schema (a header name): say what that schema says.
    if (issue.code === 'invalid_key') {
      return [{ path: path.join('.'), message: issue.issues[0]?.message ?? issue.message }];
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}

export function validationError(error: z.ZodError): ApiErrorValue {
  const issues = toFieldIssues(error);
  const first = issues[0];
  return {
    code: 'VALIDATION',
    message: first ? `${first.path || 'input'}: ${first.message}` : 'Invalid input',
    issues,
  };
}
