/**
 * Every door of the contract (DESIGN.md §5) under hostile input: arbitrary JSON, wrong types,
 * huge strings and prototype-pollution keys, for every method, in process and over HTTP. The
 * answer is always a value or VALIDATION / NOT_FOUND / CONFLICT, never INTERNAL; nothing is
 * logged as an error; Object.prototype stays clean; the server keeps answering; and a refused call
 * leaves the database files byte-for-byte as they were.
 *
 * Nothing is due while fuzzing: the fake clock never moves, so the engine writes only when a call
 * succeeds (and a run it started has been waited for before the next snapshot).
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { methodNames, type MethodName, type Result } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { backupDatabase } from '../../src/main/store';
import { BODY_LIMIT } from '../../src/main/transports/http';
import { httpDoor, inProcessDoor, sameDb, snapshotDb, type Caller, type HttpDoor } from '../support/contract';
import { quietLog, startTestApp, type TestApp } from '../support/engine';

const START = '2026-03-20T12:00:00.000Z';
const BUSY_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//fuzz//EN',
  'BEGIN:VEVENT',
  'UID:weekly@fuzz',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260302T090000',
  'DTEND;TZID=Europe/Berlin:20260302T100000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO',
  'SUMMARY:Stand-up',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');
const ACCEPTABLE = ['VALIDATION', 'NOT_FOUND', 'CONFLICT'];
const TWO_MB = 'x'.repeat(2 * 1024 * 1024);
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const ARRAY_PROTOTYPE_KEYS = Object.getOwnPropertyNames(Array.prototype).sort();
/** An API call that blocks the event loop this long stalls every other caller (and the engine). */
const SLOW_MS = 2_000;
const SLOW = 'SLOW:';
/**
 * Each test makes hundreds of calls and reads the database files twice per call; on a loaded
 * 2-core machine that takes far longer than vitest's default, and the work itself is unchanged.
 */
const FUZZ_TIMEOUT_MS = 240_000;

type Json = unknown;

/** An object whose `__proto__`, `constructor` and `prototype` are own keys, as JSON.parse makes them. */
const pollution = (inner: Json = { polluted: 'yes' }): Record<string, unknown> => {
  const text = JSON.stringify(inner);
  return JSON.parse(
    `{"__proto__":${text},"constructor":{"prototype":${text}},"prototype":${text}}`,
  ) as Record<string, unknown>;
};

/** The seeded world each method is fuzzed in: a few schedules in a group, finished runs. */
interface World {
  app: TestApp;
  scheduleId: string;
  runId: string;
  cursor: string;
  /** A busy calendar file (a weekly meeting) in the world's data directory. */
  busyPath: string;
  /** An automatic backup's name, in the world's `backups/`. */
  backupName: string;
  /** Aborted when the running test times out: its property must stop, or its calls race the next test's snapshots. */
  signal?: AbortSignal;
}

async function seed(): Promise<World> {
  quietLog.errors.length = 0;
  const app = startTestApp({ start: START });
  const call = async (method: string, input: unknown) => {
    const result = await app.dispatch(method, input);
    if (!result.ok) throw new Error(`seed: ${method} ${result.error.message}`);
    return result.value as Record<string, unknown>;
  };
  const schedule = (await call('schedules.create', {
    name: 'Seed',
    group: 'ops',
    trigger: { type: 'cron', expression: '0 3 * * *', timezone: 'UTC' },
    action: { type: 'reminder', title: 'Seed', body: '' },
  })) as unknown as Schedule;
  await call('schedules.create', {
    name: 'Seed paused',
    group: 'ops',
    enabled: false,
    trigger: { type: 'interval', everySeconds: 3600, timezone: 'UTC' },
    action: { type: 'reminder', title: 'Paused', body: '' },
  });
  for (let i = 0; i < 12; i++) {
    const at = Date.parse('2026-03-19T00:00:00Z') + i * 3_600_000;
    app.store.runs.insert({
      id: `seed-run-${i}`,
      scheduleId: schedule.id,
      trigger: i % 2 ? 'schedule' : 'manual',
      status: i % 3 ? 'succeeded' : 'failed',
      scheduledAt: at,
      fireAt: at,
      startedAt: at,
      finishedAt: at + 1000 * i,
      durationMs: 1000 * i,
    });
  }
  const page = (await call('runs.list', { limit: 5 })) as { nextCursor: string };
  const busyPath = path.join(app.dataDir, 'busy.ics');
  fs.writeFileSync(busyPath, BUSY_ICS);
  const backup = await backupDatabase(app.store.db, app.dataDir, { at: Date.parse(START) - 3_600_000 });
  return {
    app,
    scheduleId: schedule.id,
    runId: 'seed-run-3',
    cursor: page.nextCursor,
    busyPath,
    backupName: path.basename(backup),
  };
}

/** Valid inputs (past validation) for every method, pointing at the seeded world. */
function templates(world: World): Record<MethodName, Json[]> {
  const { scheduleId: id, runId, cursor, busyPath, backupName } = world;
  const trigger = {
    type: 'interval',
    everySeconds: 3600,
    timezone: 'Europe/Berlin',
    startAt: '2026-03-21T00:00:00Z',
    endAt: '2026-04-21T00:00:00Z',
    maxRuns: 5,
    jitterSeconds: 10,
  };
  const fields = {
    name: 'Fuzzed',
    notes: 'n',
    group: 'ops',
    enabled: true,
    trigger,
    action: { type: 'reminder', title: 'T', body: 'B' },
    policy: {
      graceSeconds: 60,
      catchUp: 'latest',
      catchUpLimit: 3,
      overlap: 'skip',
      timeoutSeconds: 60,
      retries: { maxAttempts: 2, backoffSeconds: 5, maxBackoffSeconds: 60 },
      pauseAfterFailures: 3,
      priority: 5,
      notify: 'failure',
      whenBusy: 'defer',
      conditions: { onACPower: true, idleForSeconds: 300 },
    },
  };
  const interval = { type: 'interval', everySeconds: 60, timezone: 'UTC' };
  const cron = { type: 'cron', expression: '15 4 * * 1-5', timezone: 'America/New_York' };
  const once = { type: 'once', at: '2026-12-24T18:00', timezone: 'Europe/Berlin' };
  const reminder = { type: 'reminder', title: 'T' };
  return {
    'schedules.list': [{ search: 'seed', group: 'ops', state: 'active' }],
    'schedules.get': [{ id }],
    'schedules.create': [
      fields,
      { name: 'Interval', trigger: interval, action: reminder },
      { name: 'Cron', trigger: cron, action: reminder },
      { name: 'Once', trigger: once, action: reminder },
    ],
    'schedules.update': [
      { id, version: 1, patch: { name: 'Renamed', trigger: cron, policy: { overlap: 'bufferOne' } } },
      { id, version: 1, patch: { trigger: interval } },
    ],
    'schedules.delete': [{ id }],
    'schedules.setEnabled': [{ id, enabled: false }],
    'schedules.runNow': [{ id }],
    'schedules.preview': [
      { trigger: once, from: '2026-03-20T00:00:00Z', count: 5 },
      { trigger: interval, count: 500 },
      { trigger: { ...cron, startAt: '2026-03-20T00:00:00Z', maxRuns: 3 } },
      { trigger: cron, count: 20, whenBusy: 'skip' },
    ],
    'runs.list': [
      {
        scheduleId: id,
        status: ['succeeded', 'failed'],
        trigger: ['manual'],
        from: '2026-03-01T00:00:00Z',
        to: '2026-03-21T00:00:00Z',
        cursor,
        limit: 3,
      },
    ],
    'runs.export': [
      {
        scheduleId: id,
        status: ['succeeded', 'failed'],
        trigger: ['manual'],
        from: '2026-03-01T00:00:00Z',
        to: '2026-03-21T00:00:00Z',
        format: 'csv',
      },
      { ids: [runId], format: 'json' },
    ],
    'runs.get': [{ id: runId }],
    'runs.cancel': [{ id: runId }],
    'runs.stats': [
      { scheduleId: id, from: '2026-03-01T00:00:00Z', to: '2026-03-21T00:00:00Z', timezone: 'Asia/Kolkata' },
      { group: 'ops', from: '2026-03-01T00:00:00Z' },
    ],
    'groups.setEnabled': [{ group: 'ops', enabled: true }],
    'groups.cancel': [{ group: 'ops' }],
    'calendar.slots': [
      {
        from: '2026-03-19T00:00:00Z',
        to: '2026-03-23T00:00:00Z',
        slotMinutes: 60,
        timezone: 'Australia/Lord_Howe',
        group: 'ops',
      },
      { from: '2026-03-19T00:00:00Z', to: '2026-03-20T00:00:00Z', timezone: 'UTC', scheduleId: id },
    ],
    'calendar.ics': [
      { from: '2026-03-19T00:00:00Z', to: '2026-04-19T00:00:00Z', scheduleIds: [id] },
      { from: '2026-03-20T00:00:00Z', to: '2026-03-27T00:00:00Z' },
    ],
    'schedules.importCrontab': [
      {
        text: '# Morning\nMAILTO=""\nCRON_TZ=Europe/Berlin\n5/15 9-17 * * MON-FRI cat%hi%there\n@reboot x\n61 * * * * bad\n',
        dryRun: true,
        timezone: 'UTC',
        group: 'ops',
        format: 'auto',
        onError: 'skip',
      },
      { text: '0 4 * * * root true\n', dryRun: false, format: 'system', onError: 'abort' },
    ],
    'calendar.freeSlots': [
      {
        from: '2026-03-20T00:00:00Z',
        to: '2026-03-27T00:00:00Z',
        durationMinutes: 30,
        timezone: 'Europe/Berlin',
        workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
        count: 3,
      },
      { from: '2026-03-20T00:00:00Z', to: '2026-03-21T00:00:00Z', durationMinutes: 60, timezone: 'UTC' },
    ],
    'schedules.export': [{}],
    'backups.list': [{}],
    'backups.restore': [{ name: backupName }],
    'backups.cancelRestore': [{}],
    'schedules.import': [
      {
        // One schedule, chained by name to the seeded one: every position stays cheap to probe.
        document: {
          almanac: 1,
          exportedAt: '2026-03-20T12:00:00.000Z',
          schedules: [
            {
              name: 'Imported',
              trigger: cron,
              action: reminder,
              policy: { then: { onSuccess: ['Seed'] } },
            },
          ],
        },
        onConflict: 'copy',
        dryRun: false,
      },
    ],
    'settings.get': [{}],
    'settings.update': [
      {
        maxConcurrentRuns: 3,
        retention: { maxAgeDays: 30 },
        workingHours: { start: '08:00', days: [1, 2] },
        calendar: { slotMinutes: 15 },
      },
      { busyCalendars: [{ path: busyPath, name: 'Work' }] },
    ],
    'app.status': [{}],
  };
}

type Path = (string | number)[];

/** Every position in a value (not the root itself): where a hostile value can go. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** A copy of `value` with `path` replaced (or removed, for `undefined`). */
function withAt(value: Json, path: Path, replacement: Json): Json {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** Values that break naive handlers: extremes, wrong types, odd strings, pollution. */
const HOSTILE: Json[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 32 + 1,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e21,
  1e308,
  '',
  ' ',
  '\u0000',
  '💥'.repeat(300),
  'x'.repeat(100_001),
  '../../../etc/passwd',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59',
  '2026-03-29T02:30',
  '0 0 31 2 *',
  '@yearly',
  'Etc/GMT-14',
  [],
  [null],
  {},
  pollution(),
];

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(...HOSTILE),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  fc.constantFrom('succeeded', 'manual', 'cron', 'interval', 'once', 'reminder', 'UTC', 'ops'),
);

/** A wrong-typed (or missing) value under each of the template's own keys. */
function wrongTypes(template: Json): fc.Arbitrary<Json> {
  const keys =
    typeof template === 'object' && template !== null && !Array.isArray(template)
      ? Object.keys(template)
      : [];
  const shape = Object.fromEntries(keys.map((key) => [key, hostileValue]));
  return keys.length ? fc.record(shape, { requiredKeys: [] }) : fc.constant({});
}

/** The template with one position made hostile: reaches the handlers past the outer checks. */
function nearValid(template: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(template);
  if (!paths.length) return hostileValue;
  return fc
    .tuple(fc.constantFrom(...paths), hostileValue, fc.boolean())
    .map(([path, value, drop]) => withAt(template, path, drop ? undefined : value));
}

/** Own `__proto__` / `constructor` / `prototype` keys at the root and at every object inside. */
function polluted(template: Json): fc.Arbitrary<Json> {
  const objectPaths: Path[] = [[], ...pathsOf(template)].filter((path) => {
    let node = template as Record<string | number, unknown>;
    for (const key of path) node = node[key] as Record<string | number, unknown>;
    return typeof node === 'object' && node !== null && !Array.isArray(node);
  });
  return fc.tuple(fc.constantFrom(...objectPaths), fc.jsonValue({ maxDepth: 2 })).map(([path, inner]) => {
    const poison = pollution(inner);
    if (path.length === 0) return Object.assign(pollution(inner), structuredClone(template));
    let node = structuredClone(template) as Record<string | number, unknown>;
    const root = node;
    for (const key of path) node = node[key] as Record<string | number, unknown>;
    for (const key of Object.keys(poison)) {
      Object.defineProperty(node, key, {
        value: poison[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return root;
  });
}

function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(ARRAY_PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Waits until a run a successful call started has been written, so the next snapshot is stable. */
async function settle(app: TestApp): Promise<void> {
  const idle = app.engine.whenIdle();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('the engine did not go idle')), 5_000).unref(),
  );
  await Promise.race([idle, timeout]);
  await new Promise((resolve) => setImmediate(resolve));
}

function describeInput(input: Json): string {
  const text = JSON.stringify(input, (_, v: unknown) =>
    typeof v === 'string' && v.length > 80 ? `<${v.length} chars>` : v,
  );
  return (text ?? String(input)).slice(0, 400);
}

/**
 * One hostile call: the answer is a Result with an acceptable code, and a refusal leaves the
 * database files exactly as they were. Returns what went wrong, or null.
 */
async function probe(world: World, call: Caller, method: string, given: Json): Promise<string | null> {
  const { app } = world;
  if (world.signal?.aborted) throw new Error('the test was stopped (timed out); no more calls');
  const input = current(world, method, given);
  const before = snapshotDb(app.dataDir);
  let result: Result<unknown>;
  const started = performance.now();
  try {
    result = await call(method, input);
  } catch (error) {
    return `${method}(${describeInput(input)}) threw ${(error as Error).message}`;
  }
  const took = performance.now() - started;
  if (took > SLOW_MS) return `${SLOW} ${method}(${describeInput(input)}) took ${Math.round(took)} ms`;
  await settle(app);
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    return `${method}(${describeInput(input)}) answered a non-Result`;
  }
  if (result.ok) return result.value === undefined ? `${method}: ok without a value` : null;
  if (!ACCEPTABLE.includes(result.error.code)) {
    return `${method}(${describeInput(input)}) answered ${result.error.code}: ${result.error.message}`;
  }
  if (typeof result.error.message !== 'string') return `${method}: an error without a message`;
  if (!sameDb(before, snapshotDb(app.dataDir))) {
    return `${method}(${describeInput(input)}) was refused (${result.error.code}) but changed the database`;
  }
  return null;
}

/**
 * Keeps `schedules.update` aimed past the version check: the templates carry version 1, which is
 * replaced by the seeded schedule's current version (every accepted update moves it on).
 */
function current(world: World, method: string, input: Json): Json {
  if (method !== 'schedules.update' || typeof input !== 'object' || input === null) return input;
  const fields = input as Record<string, unknown>;
  if (fields.id !== world.scheduleId || fields.version !== 1) return input;
  const record = world.app.engine.listSchedules().find((schedule) => schedule.id === world.scheduleId);
  return record ? { ...fields, version: record.version } : input;
}

async function property(
  world: World,
  call: Caller,
  method: string,
  arbitrary: fc.Arbitrary<Json>,
  numRuns: number,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const problem = await probe(world, call, method, input);
      if (problem) throw new Error(problem);
    }),
    { numRuns, endOnFailure: true },
  );
}

for (const method of methodNames) {
  describe(`fuzzing ${method}`, { timeout: FUZZ_TIMEOUT_MS }, () => {
    let world: World;
    let valid: Json[];

    beforeAll(async () => {
      world = await seed();
      valid = templates(world)[method];
    });
    /** Any of the valid inputs, with `make` applied. */
    const fromValid = (make: (template: Json) => fc.Arbitrary<Json>) => fc.oneof(...valid.map(make));
    beforeEach(({ signal }) => {
      if (world) world.signal = signal;
    });
    afterEach(() => {
      expectNoPollution();
      const errors = [...quietLog.errors];
      quietLog.errors.length = 0;
      expect(errors).toEqual([]);
    });
    afterAll(() => world.app.close());

    it('in process: the templates pass validation, so "near valid" is near something valid', async () => {
      // Each against a fresh world, so one template's effect cannot refuse the next.
      for (let i = 0; i < valid.length; i++) {
        const fresh = await seed();
        try {
          const result = await fresh.app.dispatch(method, templates(fresh)[method][i]);
          expect(result.ok ? 'ok' : result.error.code, JSON.stringify(result)).not.toBe('VALIDATION');
          expect(result.ok ? 'ok' : result.error.code).not.toBe('INTERNAL');
        } finally {
          fresh.app.close();
        }
      }
    });

    it('in process: every position of a valid input, made hostile, is answered within the contract', async () => {
      const call = inProcessDoor(world.app).call;
      const inputs: [where: string, input: Json][] = [];
      for (const template of valid) {
        for (const path of pathsOf(template)) {
          for (const value of [...HOSTILE, TWO_MB, NaN, Infinity]) {
            inputs.push([`at ${path.join('.')}`, withAt(template, path, value)]);
          }
        }
      }
      for (const input of [TWO_MB, { [TWO_MB]: 1 }, pollution(), JSON.parse('{"__proto__":[]}'), []]) {
        inputs.push(['whole input', input]);
      }
      const problems: string[] = [];
      for (const [where, input] of inputs) {
        const problem = await probe(world, call, method, input);
        if (problem) problems.push(`${where}: ${problem}`);
        // One call that blocks for seconds is the finding; repeating it only slows the suite.
        if (problem?.startsWith(SLOW)) break;
      }
      expect(problems).toEqual([]);
    });

    it('in process: arbitrary JSON, wrong types, near-valid and polluted inputs', async () => {
      const call = inProcessDoor(world.app).call;
      await property(world, call, method, fc.jsonValue(), 60);
      await property(world, call, method, fromValid(wrongTypes), 60);
      await property(world, call, method, fromValid(nearValid), 80);
      await property(world, call, method, fromValid(polluted), 30);
    });

    describe('over HTTP', () => {
      let door: HttpDoor;
      beforeAll(async () => {
        door = await httpDoor(world.app);
      });
      afterAll(() => door.close());

      it('arbitrary JSON, wrong types, near-valid and polluted inputs', async () => {
        await property(world, door.call, method, fc.jsonValue(), 25);
        await property(world, door.call, method, fromValid(wrongTypes), 25);
        await property(world, door.call, method, fromValid(nearValid), 40);
        await property(world, door.call, method, fromValid(polluted), 15);
      });

      it('arbitrary bodies that are not JSON are VALIDATION (400), and nothing changes', async () => {
        const { app } = world;
        await fc.assert(
          fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (body) => {
            let parses = true;
            try {
              JSON.parse(body);
            } catch {
              parses = false;
            }
            fc.pre(!parses && body.trim() !== '');
            const before = snapshotDb(app.dataDir);
            const answer = await door.post(method, body);
            expect(answer.status).toBe(400);
            expect(answer.body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
            expect(sameDb(before, snapshotDb(app.dataDir))).toBe(true);
          }),
          { numRuns: 25 },
        );
      });

      it('a body over 1 MiB is refused with 413, the database untouched, and the server stays up', async () => {
        const { app } = world;
        const before = snapshotDb(app.dataDir);
        const answer = await door.post(
          method,
          JSON.stringify({ ...(valid[0] as object), pad: 'x'.repeat(BODY_LIMIT) }),
        );
        expect(answer.status).toBe(413);
        expect(answer.body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
        expect(sameDb(before, snapshotDb(app.dataDir))).toBe(true);
        const status = await door.call('app.status', {});
        expect(status.ok).toBe(true);
      });
    });
  });
}

describe('found by fuzzing', () => {
  let world: World;
  beforeAll(async () => {
    world = await seed();
  });
  afterAll(() => world.app.close());

  // Fails today: the first occurrence lies beyond the last instant a Date can hold, so turning the
  // schedule into its wire form throws RangeError after the row was inserted. The call answers
  // INTERNAL, the database changed, and every later schedules.list answers INTERNAL too.
  it('an interval too long to ever fire is refused (or accepted), never INTERNAL', async () => {
    const call = inProcessDoor(world.app).call;
    const problem = await probe(world, call, 'schedules.create', {
      name: 'Never',
      trigger: { type: 'interval', everySeconds: Number.MAX_SAFE_INTEGER, timezone: 'UTC' },
      action: { type: 'reminder', title: 'Never' },
    });
    expect(problem).toBeNull();
    const listed = await call('schedules.list', {});
    expect(listed.ok).toBe(true);
    expect(quietLog.errors).toEqual([]);
  });
});
