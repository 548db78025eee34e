/**
 * The editor's form state: what a person types (plain text and numbers, kept exactly as typed, so a
 * failed save loses nothing), how it becomes the contract's `ScheduleInput`, and how a stored
 * schedule becomes form values again, with cron presets recognised. Checking is the same zod schema
 * main uses (`ScheduleFields`); the few checks here are about the form's own rows and choices.
 */
import { DateTime } from 'luxon';
import { toFieldIssues, type FieldIssue } from '../../../../shared/api';
import {
  isTimeZone,
  Policy,
  ScheduleFields,
  type ScheduleInput,
  type WatchCondition,
} from '../../../../shared/domain';
import { viewerZone } from '../../lib/time';
import { presetCron, recognisePreset, splitInterval, UNIT_SECONDS } from './presets';

export type WhenKind = 'preset' | 'interval' | 'once' | 'cron';
export type PresetKind = 'minutes' | 'hourly' | 'daily' | 'weekdays' | 'weekly' | 'monthly';
export type IntervalUnit = 's' | 'min' | 'h';
export type ActionKind = 'command' | 'http' | 'reminder' | 'watch';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
export type ConditionKind = 'none' | 'status' | 'exitZero' | 'json';

export interface Row {
  key: string;
  value: string;
}

export interface WhenValues {
  kind: WhenKind;
  preset: PresetKind;
  everyMinutes: number | null;
  /** Hourly at :MM. */
  minute: number | null;
  /** Daily, weekdays, weekly and monthly: `HH:MM`. */
  time: string;
  /** Weekly: cron day numbers, '0' = Sunday. */
  days: string[];
  monthDay: number | null;
  monthLast: boolean;
  intervalValue: number | null;
  intervalUnit: IntervalUnit;
  /** Once: local wall time `YYYY-MM-DDTHH:MM`. */
  onceAt: string;
  cron: string;
  timezone: string;
  /** Wall times in the schedule's zone, '' for none. */
  startAt: string;
  endAt: string;
  maxRuns: number | null;
  jitterSeconds: number | null;
}

export interface CommandValues {
  command: string;
  shell: boolean;
  cwd: string;
  env: Row[];
}

export interface HttpValues {
  method: HttpMethod;
  url: string;
  headers: Row[];
  body: string;
  /** Comma-separated statuses; '' for the default 200–299. */
  expectStatus: string;
}

export interface WatchValues {
  probe: 'http' | 'command';
  condition: ConditionKind;
  /** Status condition: comma-separated statuses. */
  statusIn: string;
  jsonPath: string;
  /** JSON condition: comma-separated values (numbers, true/false/null read as such). */
  jsonEquals: string;
  intervalSeconds: number | null;
  maxAttempts: number | null;
  probeTimeoutSeconds: number | null;
  onSuccessMessage: string;
  onFailureMessage: string;
}

export interface PolicyValues {
  timeoutSeconds: number | null;
  retriesMaxAttempts: number | null;
  retriesBackoffSeconds: number | null;
  retriesMaxBackoffSeconds: number | null;
  overlap: 'skip' | 'bufferOne' | 'bufferAll' | 'cancelOther' | 'allowAll';
  catchUp: 'latest' | 'all' | 'none';
  catchUpLimit: number | null;
  catchUpWindowSeconds: number | null;
  graceSeconds: number | null;
  priority: number | null;
  notify: 'never' | 'failure' | 'always';
  pauseAfterFailures: number | null;
  onSuccess: string[];
  onFailure: string[];
  /** Issue 15 §5: an occurrence inside a busy block runs, waits for its end, or is skipped. */
  whenBusy: 'run' | 'defer' | 'skip';
  /** Issue 16 §2: AC power and idle time; `{}` clears what was stored. */
  conditions: { onACPower?: boolean; idleForSeconds?: number };
}

export interface EditorValues {
  name: string;
  notes: string;
  group: string;
  enabled: boolean;
  when: WhenValues;
  actionKind: ActionKind;
  /** Each kind keeps its own values, so switching kinds loses nothing typed. */
  command: CommandValues;
  http: HttpValues;
  reminder: { title: string; body: string };
  watch: WatchValues;
  /** The watch's probe: a command or an HTTP request, with the same fields as those actions. */
  probeCommand: CommandValues;
  probeHttp: HttpValues;
  policy: PolicyValues;
}

/** Form path → message. Paths are the contract's, with record keys turned into row numbers. */
export type Errors = Record<string, string>;

const DEFAULT_POLICY = Policy.parse({});
const DEFAULT_WATCH = {
  intervalSeconds: 30,
  maxAttempts: 20,
  probeTimeoutSeconds: 60,
  onSuccessMessage: 'The condition held after {attempts} attempts: {result}',
  onFailureMessage: 'The condition did not hold after {attempts} attempts: {result}',
};

const emptyCommand = (): CommandValues => ({ command: '', shell: true, cwd: '', env: [] });
const emptyHttp = (): HttpValues => ({ method: 'GET', url: '', headers: [], body: '', expectStatus: '' });

/** Tomorrow at 09:00 on the viewer's clock: a sensible first "once". */
function tomorrowAtNine(): string {
  return DateTime.now().plus({ days: 1 }).set({ hour: 9, minute: 0 }).toFormat("yyyy-MM-dd'T'HH:mm");
}

export function emptyValues(): EditorValues {
  return {
    name: '',
    notes: '',
    group: '',
    enabled: true,
    when: {
      kind: 'preset',
      preset: 'daily',
      everyMinutes: 15,
      minute: 0,
      time: '09:00',
      days: ['1'],
      monthDay: 1,
      monthLast: false,
      intervalValue: 10,
      intervalUnit: 'min',
      onceAt: tomorrowAtNine(),
      cron: '',
      timezone: viewerZone(),
      startAt: '',
      endAt: '',
      maxRuns: null,
      jitterSeconds: null,
    },
    actionKind: 'command',
    command: emptyCommand(),
    http: emptyHttp(),
    reminder: { title: '', body: '' },
    watch: { probe: 'http', condition: 'none', statusIn: '', jsonPath: '', jsonEquals: '', ...DEFAULT_WATCH },
    probeCommand: emptyCommand(),
    probeHttp: emptyHttp(),
    policy: {
      timeoutSeconds: DEFAULT_POLICY.timeoutSeconds,
      retriesMaxAttempts: DEFAULT_POLICY.retries.maxAttempts,
      retriesBackoffSeconds: DEFAULT_POLICY.retries.backoffSeconds,
      retriesMaxBackoffSeconds: DEFAULT_POLICY.retries.maxBackoffSeconds,
      overlap: DEFAULT_POLICY.overlap,
      catchUp: DEFAULT_POLICY.catchUp,
      catchUpLimit: DEFAULT_POLICY.catchUpLimit,
      catchUpWindowSeconds: null,
      graceSeconds: DEFAULT_POLICY.graceSeconds,
      priority: DEFAULT_POLICY.priority,
      notify: DEFAULT_POLICY.notify,
      pauseAfterFailures: null,
      onSuccess: [],
      onFailure: [],
      whenBusy: 'run',
      conditions: {},
    },
  };
}

// ---------------------------------------------------------------- values → contract input

const wallToInstant = (wall: string, zone: string): string | undefined => {
  if (!wall) return undefined;
  const time = DateTime.fromISO(wall, { zone: isTimeZone(zone) ? zone : 'UTC' });
  return time.isValid ? (time.toISO({ suppressMilliseconds: true }) ?? undefined) : wall;
};

const instantToWall = (iso: string | undefined, zone: string): string => {
  if (!iso) return '';
  const time = DateTime.fromISO(iso, { zone: isTimeZone(zone) ? zone : 'UTC' });
  return time.isValid ? time.toFormat("yyyy-MM-dd'T'HH:mm") : '';
};

interface Built<T> {
  value: T;
  errors: Errors;
}

/** The trigger the "When" section describes (also what the preview asks about). */
export function buildTrigger(when: WhenValues): Built<ScheduleInput['trigger']> {
  const errors: Errors = {};
  const timezone = when.timezone.trim();
  const common = {
    timezone,
    ...(when.startAt ? { startAt: wallToInstant(when.startAt, timezone) } : {}),
    ...(when.endAt ? { endAt: wallToInstant(when.endAt, timezone) } : {}),
    ...(when.maxRuns !== null ? { maxRuns: when.maxRuns } : {}),
    ...(when.jitterSeconds !== null ? { jitterSeconds: when.jitterSeconds } : {}),
  };
  switch (when.kind) {
    case 'preset': {
      const written = presetCron(when);
      if ('path' in written) {
        errors[written.path] = written.message;
        return { value: { type: 'cron', expression: '', ...common }, errors };
      }
      return { value: { type: 'cron', expression: written.cron, ...common }, errors };
    }
    case 'cron':
      return { value: { type: 'cron', expression: when.cron.trim(), ...common }, errors };
    case 'interval': {
      if (when.intervalValue === null) errors['trigger.everySeconds'] = 'Enter how often';
      const everySeconds = Math.round((when.intervalValue ?? 0) * UNIT_SECONDS[when.intervalUnit]);
      return { value: { type: 'interval', everySeconds, ...common }, errors };
    }
    case 'once':
      return { value: { type: 'once', at: when.onceAt, ...common }, errors };
  }
}

function rowsToRecord(rows: Row[], path: string, errors: Errors): Record<string, string> | undefined {
  const record: Record<string, string> = {};
  rows.forEach((row, i) => {
    const key = row.key.trim();
    if (!key && !row.value) return;
    if (!key) errors[`${path}.${i}`] = 'Give this row a name';
    else if (Object.hasOwn(record, key)) errors[`${path}.${i}`] = `${key} is already set above`;
    else record[key] = row.value;
  });
  return Object.keys(record).length ? record : undefined;
}

function statusList(text: string, path: string, errors: Errors): number[] | undefined {
  const parts = text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const numbers = parts.map(Number);
  if (numbers.some((n) => !Number.isInteger(n))) {
    errors[path] = 'List statuses as numbers, such as 200, 204';
    return undefined;
  }
  return numbers;
}

/** A JSON condition's values: numbers, true, false and null are read as such; anything else is text. */
export function parseEquals(text: string): (string | number | boolean | null)[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      if (part === 'true') return true;
      if (part === 'false') return false;
      if (part === 'null') return null;
      if (/^-?\d+(\.\d+)?$/.test(part)) return Number(part);
      return part.replace(/^"(.*)"$/, '$1');
    });
}

export function formatEquals(values: readonly (string | number | boolean | null)[]): string {
  return values
    .map((value) =>
      typeof value === 'string' && (/^(true|false|null|-?\d+(\.\d+)?)$/.test(value) || value.includes(','))
        ? JSON.stringify(value)
        : String(value),
    )
    .join(', ');
}

function buildCommand(values: CommandValues, path: string, errors: Errors) {
  const env = rowsToRecord(values.env, `${path}.env`, errors);
  return {
    type: 'command' as const,
    command: values.command,
    shell: values.shell,
    ...(values.cwd.trim() ? { cwd: values.cwd.trim() } : {}),
    ...(env ? { env } : {}),
  };
}

function buildHttp(values: HttpValues, path: string, errors: Errors) {
  const headers = rowsToRecord(values.headers, `${path}.headers`, errors);
  const expectStatus = statusList(values.expectStatus, `${path}.expectStatus`, errors);
  return {
    type: 'http' as const,
    method: values.method,
    url: values.url.trim(),
    ...(headers ? { headers } : {}),
    ...(values.body ? { body: values.body } : {}),
    ...(expectStatus ? { expectStatus } : {}),
  };
}

function required(value: number | null, path: string, errors: Errors): number {
  if (value === null) {
    errors[path] = 'Enter a number';
    return 0;
  }
  return value;
}

export function buildAction(values: EditorValues): Built<ScheduleInput['action']> {
  const errors: Errors = {};
  switch (values.actionKind) {
    case 'command':
      return { value: buildCommand(values.command, 'action', errors), errors };
    case 'http':
      return { value: buildHttp(values.http, 'action', errors), errors };
    case 'reminder':
      return { value: { type: 'reminder', ...values.reminder }, errors };
    case 'watch': {
      const w = values.watch;
      const probe =
        w.probe === 'http'
          ? buildHttp(values.probeHttp, 'action.probe', errors)
          : buildCommand(values.probeCommand, 'action.probe', errors);
      let until: WatchCondition | undefined;
      if (w.condition === 'status') {
        until = { type: 'status', in: statusList(w.statusIn, 'action.until.in', errors) ?? [] };
      } else if (w.condition === 'exitZero') until = { type: 'exitZero' };
      else if (w.condition === 'json') {
        until = { type: 'json', path: w.jsonPath.trim(), equals: parseEquals(w.jsonEquals) };
      }
      return {
        value: {
          type: 'watch',
          probe,
          ...(until ? { until } : {}),
          intervalSeconds: required(w.intervalSeconds, 'action.intervalSeconds', errors),
          maxAttempts: required(w.maxAttempts, 'action.maxAttempts', errors),
          probeTimeoutSeconds: required(w.probeTimeoutSeconds, 'action.probeTimeoutSeconds', errors),
          onSuccessMessage: w.onSuccessMessage,
          onFailureMessage: w.onFailureMessage,
        },
        errors,
      };
    }
  }
}

export function buildPolicy(p: PolicyValues): Built<NonNullable<ScheduleInput['policy']>> {
  const errors: Errors = {};
  return {
    value: {
      timeoutSeconds: required(p.timeoutSeconds, 'policy.timeoutSeconds', errors),
      retries: {
        maxAttempts: required(p.retriesMaxAttempts, 'policy.retries.maxAttempts', errors),
        backoffSeconds: required(p.retriesBackoffSeconds, 'policy.retries.backoffSeconds', errors),
        maxBackoffSeconds: required(p.retriesMaxBackoffSeconds, 'policy.retries.maxBackoffSeconds', errors),
      },
      overlap: p.overlap,
      catchUp: p.catchUp,
      catchUpLimit: required(p.catchUpLimit, 'policy.catchUpLimit', errors),
      ...(p.catchUpWindowSeconds !== null ? { catchUpWindowSeconds: p.catchUpWindowSeconds } : {}),
      graceSeconds: required(p.graceSeconds, 'policy.graceSeconds', errors),
      priority: required(p.priority, 'policy.priority', errors),
      notify: p.notify,
      ...(p.pauseAfterFailures !== null ? { pauseAfterFailures: p.pauseAfterFailures } : {}),
      then: { onSuccess: p.onSuccess, onFailure: p.onFailure },
      whenBusy: p.whenBusy,
      conditions: p.conditions,
    },
    errors,
  };
}

/** The contract input these values describe, and the form's own errors (rows, choices, empty numbers). */
export function buildInput(values: EditorValues): Built<ScheduleInput> {
  const trigger = buildTrigger(values.when);
  const action = buildAction(values);
  const policy = buildPolicy(values.policy);
  const group = values.group.trim();
  return {
    value: {
      name: values.name.trim(),
      notes: values.notes,
      group: group ? group : null,
      enabled: values.enabled,
      trigger: trigger.value,
      action: action.value,
      policy: policy.value,
    },
    errors: { ...trigger.errors, ...action.errors, ...policy.errors },
  };
}

/** Record keys in a contract path (`action.headers.X-Token`) become the row they came from (`action.headers.2`). */
export function toFormPath(path: string, values: EditorValues): string {
  const rowsAt: [string, Row[]][] = [
    ['action.env.', values.command.env],
    ['action.headers.', values.http.headers],
    ['action.probe.env.', values.probeCommand.env],
    ['action.probe.headers.', values.probeHttp.headers],
  ];
  for (const [prefix, rows] of rowsAt) {
    if (!path.startsWith(prefix)) continue;
    const key = path.slice(prefix.length);
    const index = rows.findIndex((row) => row.key.trim() === key);
    return index === -1 ? path.slice(0, -1 - key.length) : `${prefix}${index}`;
  }
  // A bad value in a status list belongs to the list's one field.
  const list = /^(action(?:\.probe)?\.expectStatus|action\.until\.(?:in|equals))\.\d+$/.exec(path);
  if (list) return list[1]!;
  return path;
}

/** Contract issues (from the schema here, or the API's VALIDATION answer) as form errors, first one per path. */
export function issuesToErrors(issues: readonly FieldIssue[], values: EditorValues): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const path = toFormPath(issue.path, values);
    errors[path] ??= issue.message;
  }
  return errors;
}

/** Everything wrong with these values, as the API would say it, before anything is sent. */
export function validate(values: EditorValues): { input: ScheduleInput; errors: Errors } {
  const built = buildInput(values);
  const checked = ScheduleFields.safeParse(built.value);
  const schemaErrors = checked.success ? {} : issuesToErrors(toFieldIssues(checked.error), values);
  return { input: built.value, errors: { ...schemaErrors, ...built.errors } };
}

// ---------------------------------------------------------------- schedule → values

type Source = Partial<ScheduleInput>;

function rowsOf(record: Record<string, string> | undefined): Row[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

function commandValues(action: {
  command: string;
  shell?: boolean;
  cwd?: string;
  env?: Record<string, string>;
}) {
  return {
    command: action.command,
    shell: action.shell ?? true,
    cwd: action.cwd ?? '',
    env: rowsOf(action.env),
  };
}

function httpValues(action: {
  method?: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  expectStatus?: number[];
}): HttpValues {
  return {
    method: action.method ?? 'GET',
    url: action.url,
    headers: rowsOf(action.headers),
    body: action.body ?? '',
    expectStatus: (action.expectStatus ?? []).join(', '),
  };
}

/** Form values for a stored schedule, a duplicate, or a prefilled new one (e.g. a calendar slot). */
export function valuesFrom(source: Source): EditorValues {
  const values = emptyValues();
  if (source.name !== undefined) values.name = source.name;
  if (source.notes !== undefined) values.notes = source.notes;
  if (source.group) values.group = source.group;
  if (source.enabled !== undefined) values.enabled = source.enabled;

  const trigger = source.trigger;
  if (trigger) {
    const when = values.when;
    // a trigger saved without a zone runs in the system zone (DESIGN.md §3), which the viewer shares here
    const zone = trigger.timezone ?? viewerZone();
    when.timezone = zone;
    when.startAt = instantToWall(trigger.startAt, zone);
    when.endAt = instantToWall(trigger.endAt, zone);
    when.maxRuns = trigger.maxRuns ?? null;
    when.jitterSeconds = trigger.jitterSeconds ?? null;
    if (trigger.type === 'cron') {
      const preset = recognisePreset(trigger.expression);
      if (preset) Object.assign(when, { kind: 'preset', ...preset });
      else Object.assign(when, { kind: 'cron' });
      when.cron = trigger.expression;
    } else if (trigger.type === 'interval') {
      Object.assign(when, { kind: 'interval', ...splitInterval(trigger.everySeconds) });
    } else {
      Object.assign(when, { kind: 'once', onceAt: trigger.at.slice(0, 16) });
    }
  }

  const action = source.action;
  if (action) {
    values.actionKind = action.type;
    if (action.type === 'command') values.command = commandValues(action);
    else if (action.type === 'http') values.http = httpValues(action);
    else if (action.type === 'reminder') values.reminder = { title: action.title, body: action.body ?? '' };
    else {
      const until = action.until;
      values.watch = {
        probe: action.probe.type,
        condition: until?.type ?? 'none',
        statusIn: until?.type === 'status' ? until.in.join(', ') : '',
        jsonPath: until?.type === 'json' ? until.path : '',
        jsonEquals: until?.type === 'json' ? formatEquals(until.equals) : '',
        intervalSeconds: action.intervalSeconds ?? DEFAULT_WATCH.intervalSeconds,
        maxAttempts: action.maxAttempts ?? DEFAULT_WATCH.maxAttempts,
        probeTimeoutSeconds: action.probeTimeoutSeconds ?? DEFAULT_WATCH.probeTimeoutSeconds,
        onSuccessMessage: action.onSuccessMessage ?? DEFAULT_WATCH.onSuccessMessage,
        onFailureMessage: action.onFailureMessage ?? DEFAULT_WATCH.onFailureMessage,
      };
      if (action.probe.type === 'http') values.probeHttp = httpValues(action.probe);
      else values.probeCommand = commandValues(action.probe);
    }
  }

  if (source.policy) {
    const p = Policy.parse(source.policy);
    values.policy = {
      timeoutSeconds: p.timeoutSeconds,
      retriesMaxAttempts: p.retries.maxAttempts,
      retriesBackoffSeconds: p.retries.backoffSeconds,
      retriesMaxBackoffSeconds: p.retries.maxBackoffSeconds,
      overlap: p.overlap,
      catchUp: p.catchUp,
      catchUpLimit: p.catchUpLimit,
      catchUpWindowSeconds: p.catchUpWindowSeconds ?? null,
      graceSeconds: p.graceSeconds,
      priority: p.priority,
      notify: p.notify,
      pauseAfterFailures: p.pauseAfterFailures ?? null,
      onSuccess: [...p.then.onSuccess],
      onFailure: [...p.then.onFailure],
      whenBusy: p.whenBusy,
      conditions: { ...p.conditions },
    };
  }
  return values;
}

const FIELD = String.raw`(command|shell|cwd|method|url|body|expectStatus|env(\.\d+)?|headers(\.\d+)?)`;
const SHOWN = new RegExp(
  [
    String.raw`^(name|notes|group|enabled)$`,
    String.raw`^when\.\w+$`,
    String.raw`^trigger\.(expression|everySeconds|at|timezone|startAt|endAt|maxRuns|jitterSeconds)$`,
    `^action\\.(probe\\.)?${FIELD}$`,
    String.raw`^action\.(title|intervalSeconds|maxAttempts|probeTimeoutSeconds|onSuccessMessage|onFailureMessage|probe\.type)$`,
    String.raw`^action\.until\.(type|in|path|equals)$`,
    String.raw`^policy\.(timeoutSeconds|graceSeconds|priority|pauseAfterFailures|overlap|catchUp|catchUpLimit|catchUpWindowSeconds|notify)$`,
    String.raw`^policy\.retries\.(maxAttempts|backoffSeconds|maxBackoffSeconds)$`,
    String.raw`^policy\.(whenBusy|conditions(\.\w+)?)$`,
    String.raw`^policy\.then\.(onSuccess|onFailure)(\.\d+)?$`,
  ].join('|'),
);

/** True for a form path some field shows its error beside; other errors are listed above the form. */
export function isShownPath(path: string): boolean {
  return SHOWN.test(path);
}

/** What each section gets: the values, a way to change them, and the errors to show beside fields. */
export interface SectionProps {
  values: EditorValues;
  update(recipe: (draft: EditorValues) => void): void;
  errors: Errors;
}

/**
 * A section re-renders only when its own values or the errors change (typing a name does not
 * re-render Rules): the form state is cloned whole on each change, so compare what each shows.
 */
export function sameSlice(pick: (values: EditorValues) => unknown) {
  return (before: SectionProps, after: SectionProps): boolean =>
    before.update === after.update &&
    JSON.stringify(before.errors) === JSON.stringify(after.errors) &&
    JSON.stringify(pick(before.values)) === JSON.stringify(pick(after.values));
}
