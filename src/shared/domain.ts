/**
 * The domain of DESIGN.md §3 as zod schemas. Main validates every input with these; the renderer
 * uses the same schemas to put errors beside the field before a call is made.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { normalizeCron } from './cron-normalize';

/** ISO-8601 instant on the wire (the database keeps epoch milliseconds). */
export const Instant = z.iso.datetime({ offset: true });

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** luxon builds an Intl formatter per check (about a millisecond): remember the answers. */
const zoneChecks = new Map<string, boolean>();
export function isTimeZone(zone: string): boolean {
  let valid = zoneChecks.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneChecks.size < 1000) zoneChecks.set(zone, valid);
  }
  return valid;
}

export const TimeZone = z
  .string()
  .min(1, 'Time zone is required')
  .refine((zone) => isTimeZone(zone), { message: 'Unknown time zone' });

/**
 * What is wrong with a cron expression, in Almanac's words (the field and what it allows), or null.
 * Every dialect `normalizeCron` reads is accepted here; the API and the editor use this same text.
 */
export function cronError(expression: string): string | null {
  const result = normalizeCron(expression);
  return 'error' in result ? result.error : null;
}

/** A cron expression in any dialect Almanac reads; what it stores and returns is the normalised one. */
export const CronExpression = z
  .string()
  .trim()
  .min(1, 'Cron expression is required')
  .transform((expression, ctx) => {
    const result = normalizeCron(expression);
    if ('error' in result) {
      ctx.addIssue({ code: 'custom', message: result.error });
      return z.NEVER;
    }
    return result.expression;
  });

/** The zone of the machine (main) or of the viewer (renderer): what a trigger without one uses. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const triggerCommon = {
  /** Every trigger has a zone; one given none gets the system zone (DESIGN.md §3). */
  timezone: TimeZone.default(systemTimeZone),
  startAt: Instant.optional(),
  endAt: Instant.optional(),
  maxRuns: z.number().int().min(1).optional(),
  jitterSeconds: z.number().int().min(0).max(86_400).optional(),
};

export const CronTrigger = z.strictObject({
  type: z.literal('cron'),
  expression: CronExpression,
  ...triggerCommon,
});
export const IntervalTrigger = z.strictObject({
  type: z.literal('interval'),
  /** At most ten years: further apart than that is a `once`, and keeps every instant a valid date. */
  everySeconds: z.number().int().min(1).max(315_576_000, 'An interval is at most ten years (315,576,000 s)'),
  ...triggerCommon,
});
export const OnceTrigger = z.strictObject({
  type: z.literal('once'),
  at: z
    .string()
    .regex(LOCAL_DATE_TIME, 'Use a local date-time such as 2026-12-24T18:00')
    .refine((at) => DateTime.fromISO(at, { zone: 'utc' }).isValid, { message: 'That date does not exist' }),
  ...triggerCommon,
});
export const Trigger = z
  .discriminatedUnion('type', [CronTrigger, IntervalTrigger, OnceTrigger])
  .superRefine((trigger, ctx) => {
    if (trigger.startAt && trigger.endAt && Date.parse(trigger.endAt) <= Date.parse(trigger.startAt)) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'endAt must be after startAt' });
    }
  });
export type Trigger = z.infer<typeof Trigger>;

const nonBlank = (what: string) =>
  z.string().refine((value) => value.trim().length > 0, { message: `${what} must not be empty` });

export const CommandAction = z.strictObject({
  type: z.literal('command'),
  command: nonBlank('Command').pipe(z.string().max(100_000)),
  shell: z.boolean().default(true),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});
export const HttpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'Use an http:// or https:// URL' },
);
const HeaderValue = z.string().refine((value) => !/[\r\n]/.test(value), {
  message: 'Header values must not contain newlines',
});
export const HttpAction = z.strictObject({
  type: z.literal('http'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  url: HttpUrl,
  headers: z
    .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Invalid header name'), HeaderValue)
    .optional(),
  body: z.string().max(1_000_000).optional(),
  expectStatus: z
    .array(z.number().int().min(100).max(599))
    .min(1)
    .optional()
    .describe('Accepted statuses; default 200–299'),
});

/** What a message template may name: `{result}`, `{name}` and `{attempts}`. */
export const TEMPLATE_PLACEHOLDERS = ['result', 'name', 'attempts'] as const;
export type TemplateValues = Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string>;
/** Only `{identifier}` is a placeholder, so JSON such as `{"a": 1}` in a message stays literal. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function unknownPlaceholders(template: string): string[] {
  const known = TEMPLATE_PLACEHOLDERS as readonly string[];
  return [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1]!)
    .filter((name) => !known.includes(name));
}

export function fillTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as keyof TemplateValues] : whole,
  );
}

/** A message with placeholders; an unknown placeholder is refused at save, not shown verbatim later. */
const Template = z
  .string()
  .max(10_000)
  .superRefine((template, ctx) => {
    const unknown = unknownPlaceholders(template);
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        message: `Unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')}; use ${TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}`,
      });
    }
  });

export const ReminderAction = z.strictObject({
  type: z.literal('reminder'),
  title: nonBlank('Title').pipe(Template),
  body: Template.default(''),
});

/** A watch's condition: a status in a set (http), exit code 0 (command), or a JSON field equal to one of some values. */
export const WatchCondition = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('status'), in: z.array(z.number().int().min(100).max(599)).min(1) }),
  z.strictObject({ type: z.literal('exitZero') }),
  z.strictObject({
    type: z.literal('json'),
    /** Dotted path into the probe's output parsed as JSON; numeric segments index arrays (`items.0.state`). */
    path: z
      .string()
      .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'Use a dotted path such as build.status or items.0.state'),
    equals: z
      .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .min(1, 'Give at least one value'),
  }),
]);
export type WatchCondition = z.infer<typeof WatchCondition>;

export const WatchAction = z
  .strictObject({
    type: z.literal('watch'),
    probe: z.discriminatedUnion('type', [CommandAction, HttpAction]),
    /** Omitted: the probe itself succeeds (an expected status, or exit code 0). */
    until: WatchCondition.optional(),
    intervalSeconds: z.number().int().min(1).max(86_400).default(30),
    maxAttempts: z.number().int().min(1).max(100).default(20),
    /** Each probe gets at most this long; one that hangs counts as an attempt where the condition did not hold. */
    probeTimeoutSeconds: z.number().int().min(1).max(86_400).default(60),
    onSuccessMessage: Template.default('The condition held after {attempts} attempts: {result}'),
    onFailureMessage: Template.default('The condition did not hold after {attempts} attempts: {result}'),
  })
  .superRefine((watch, ctx) => {
    if (watch.until?.type === 'status' && watch.probe.type !== 'http') {
      ctx.addIssue({
        code: 'custom',
        path: ['until', 'type'],
        message: 'A status condition needs an http probe',
      });
    }
    if (watch.until?.type === 'exitZero' && watch.probe.type !== 'command') {
      ctx.addIssue({
        code: 'custom',
        path: ['until', 'type'],
        message: 'An exit-code condition needs a command probe',
      });
    }
  });

export const Action = z.discriminatedUnion('type', [CommandAction, HttpAction, ReminderAction, WatchAction]);
export type Action = z.infer<typeof Action>;
export type CommandAction = z.infer<typeof CommandAction>;
export type HttpAction = z.infer<typeof HttpAction>;
export type ReminderAction = z.infer<typeof ReminderAction>;
export type WatchAction = z.infer<typeof WatchAction>;

const ScheduleRef = z.string().trim().min(1, 'Name a schedule').max(64);
export const CatchUp = z.enum(['latest', 'all', 'none']);
export const Overlap = z.enum(['skip', 'bufferOne', 'bufferAll', 'cancelOther', 'allowAll']);
/**
 * What an occurrence does when it falls inside a busy block of the busy calendars (issue 15 §5):
 * run anyway, run at the block's end, or be a `skipped` row naming the block.
 */
export const WhenBusy = z.enum(['run', 'defer', 'skip']);
export type WhenBusy = z.infer<typeof WhenBusy>;

/**
 * Run conditions (issue 16 §2): what must hold when an occurrence falls due. A run waits up to the
 * schedule's grace for them, then is a `skipped` row naming the one that failed.
 */
export const RunConditions = z.strictObject({
  /** Run only while the computer is on mains power (true); false or absent: any power source. */
  onACPower: z.boolean().optional(),
  /** Run only once the person has been idle (no keyboard or mouse) this many seconds. */
  idleForSeconds: z
    .number()
    .int('Use whole seconds')
    .min(1, 'At least 1 second')
    .max(86_400, 'At most a day (86,400 s)')
    .optional(),
});
export type RunConditions = z.infer<typeof RunConditions>;

export const Policy = z.strictObject({
  graceSeconds: z.number().int().min(0).default(60),
  catchUp: CatchUp.default('latest'),
  catchUpLimit: z.number().int().min(1).max(1000).default(10),
  catchUpWindowSeconds: z.number().int().min(1).optional(),
  overlap: Overlap.default('skip'),
  timeoutSeconds: z.number().int().min(0).default(86_400),
  retries: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(100).default(1),
      backoffSeconds: z.number().min(0).default(30),
      maxBackoffSeconds: z.number().min(0).default(3600),
    })
    .default({ maxAttempts: 1, backoffSeconds: 30, maxBackoffSeconds: 3600 }),
  pauseAfterFailures: z.number().int().min(1).optional(),
  priority: z.number().int().min(1).max(10).default(5),
  notify: z.enum(['never', 'failure', 'always']).default('failure'),
  /** Schedules started as `chain` runs when an occurrence ends; loops are refused at save. */
  then: z
    .strictObject({
      onSuccess: z.array(ScheduleRef).max(20).default([]),
      onFailure: z.array(ScheduleRef).max(20).default([]),
    })
    .default({ onSuccess: [], onFailure: [] }),
  whenBusy: WhenBusy.default('run'),
  conditions: RunConditions.optional(),
});
type ParsedPolicy = z.infer<typeof Policy>;
/**
 * `then` and `whenBusy` may be absent: policies stored before chains or busy calendars existed have
 * none (read them as no chains, and `run`).
 */
export type Policy = Omit<ParsedPolicy, 'then' | 'whenBusy'> &
  Partial<Pick<ParsedPolicy, 'then' | 'whenBusy'>>;
export type ChainTargets = ParsedPolicy['then'];
export type PolicyInput = z.input<typeof Policy>;

export const RunStatus = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed-out',
  'cancelled',
  'skipped',
  'missed',
  'interrupted',
]);
export type RunStatus = z.infer<typeof RunStatus>;
export const RunTrigger = z.enum(['schedule', 'catch-up', 'manual', 'retry', 'chain']);
export type RunTrigger = z.infer<typeof RunTrigger>;
export const FINISHED: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'timed-out',
  'cancelled',
  'interrupted',
];

export type ScheduleState = 'active' | 'paused' | 'completed';

export interface Schedule {
  id: string;
  name: string;
  notes: string;
  group: string | null;
  enabled: boolean;
  state: ScheduleState;
  trigger: Trigger;
  action: Action;
  policy: Policy;
  nextFireAt: string | null;
  lastScheduledAt: string | null;
  lastStatus: RunStatus | null;
  totalRuns: number;
  failedRuns: number;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Run {
  id: string;
  scheduleId: string;
  scheduledAt: string | null;
  fireAt: string | null;
  trigger: RunTrigger;
  attempt: number;
  parentRunId: string | null;
  status: RunStatus;
  reason: string | null;
  missedCount: number | null;
  missedFirstAt: string | null;
  missedLastAt: string | null;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  signal: string | null;
  httpStatus: number | null;
}

export interface RunDetail extends Run {
  output: string;
  outputTruncated: boolean;
}

export const ScheduleFields = z.strictObject({
  name: nonBlank('Name').pipe(z.string().max(200)),
  notes: z.string().max(10_000).default(''),
  group: z.string().trim().min(1).max(100).nullable().optional(),
  enabled: z.boolean().default(true),
  trigger: Trigger,
  action: Action,
  policy: Policy.default(Policy.parse({})),
});
export type ScheduleInput = z.input<typeof ScheduleFields>;
/** Schedule fields as validated (defaults filled): what a create would store. */
export type ScheduleDraft = z.output<typeof ScheduleFields>;
