/**
 * An in-memory AlmanacApi for renderer tests: it records every call, answers from small tables
 * (overridable per method), and lets a test emit contract events or an event-stream reconnect.
 */
import type {
  AlmanacApi,
  AppStatus,
  EventName,
  Events,
  MethodInput,
  MethodName,
  MethodOutput,
  Result,
} from '../../src/shared/api';
import { ScheduleFields, type Run, type RunDetail, type Schedule } from '../../src/shared/domain';

type Handler<M extends MethodName> = (
  input: MethodInput<M>,
) => Result<MethodOutput<M>> | Promise<Result<MethodOutput<M>>>;
type Handlers = { [M in MethodName]?: Handler<M> };

export interface Call {
  method: MethodName;
  input: unknown;
}

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
let seq = 0;

export function makeSchedule(overrides: Partial<Schedule> = {}): Schedule {
  seq++;
  const parsed = ScheduleFields.parse({
    name: overrides.name ?? `Schedule ${seq}`,
    trigger: { type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' },
    action: { type: 'command', command: 'true', shell: true },
  });
  return {
    id: `sch-${seq}`,
    notes: parsed.notes,
    group: null,
    enabled: true,
    state: 'active',
    trigger: parsed.trigger,
    action: parsed.action,
    policy: parsed.policy,
    nextFireAt: new Date(Date.now() + 60_000).toISOString(),
    lastScheduledAt: null,
    lastStatus: null,
    totalRuns: 0,
    failedRuns: 0,
    consecutiveFailures: 0,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    version: 1,
    ...overrides,
    name: overrides.name ?? parsed.name,
  };
}

export function makeRun(overrides: Partial<Run> & { scheduleId: string }): Run {
  seq++;
  const at = new Date(T0 + seq * 1000).toISOString();
  return {
    id: `run-${seq}`,
    scheduledAt: at,
    fireAt: at,
    trigger: 'schedule',
    attempt: 1,
    parentRunId: null,
    status: 'succeeded',
    reason: null,
    missedCount: null,
    missedFirstAt: null,
    missedLastAt: null,
    queuedAt: at,
    startedAt: at,
    finishedAt: at,
    durationMs: 12,
    exitCode: 0,
    signal: null,
    httpStatus: null,
    ...overrides,
  };
}

export const STATUS: AppStatus = {
  version: '0.1.0',
  dataDir: '/home/me/.config/Almanac',
  mode: 'browser',
  engine: { running: true, scheduleCount: 0, queued: 0, active: 0, nextFireAt: null },
  notices: [],
  conditionsSupported: false,
};

export class FakeApi implements AlmanacApi {
  calls: Call[] = [];
  schedules: Schedule[] = [];
  runs: Run[] = [];
  outputs = new Map<string, string>();
  /** Per-method overrides; otherwise the in-memory tables answer. */
  handlers: Handlers = {};
  private listeners = new Map<EventName, Set<(payload: never) => void>>();
  private reconnectListeners = new Set<() => void>();
  private nextId = 1;

  callsTo(method: MethodName): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.input);
  }

  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
    this.calls.push({ method, input });
    const override = this.handlers[method] as Handler<M> | undefined;
    if (override) return override(input);
    return this.answer(method, input) as Result<MethodOutput<M>>;
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  onReconnected = (listener: () => void): (() => void) => {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  };

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])])
      (listener as (p: Events[E]) => void)(payload);
  }

  reconnect(): void {
    for (const listener of [...this.reconnectListeners]) listener();
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  private answer(method: MethodName, raw: unknown): Result<unknown> {
    const input = (raw ?? {}) as Record<string, unknown>;
    const ok = <T>(value: T): Result<T> => ({ ok: true, value });
    const notFound: Result<never> = { ok: false, error: { code: 'NOT_FOUND', message: 'No such thing' } };
    switch (method) {
      case 'schedules.list':
        return ok({ items: [...this.schedules] });
      case 'schedules.get': {
        const found = this.schedules.find((s) => s.id === input.id);
        return found ? ok(found) : notFound;
      }
      case 'schedules.create': {
        const parsed = ScheduleFields.parse(raw);
        const schedule = makeSchedule({
          id: `new-${this.nextId++}`,
          name: parsed.name,
          trigger: parsed.trigger,
          action: parsed.action,
        });
        this.schedules.push(schedule);
        return ok(schedule);
      }
      case 'schedules.setEnabled': {
        const index = this.schedules.findIndex((s) => s.id === input.id);
        if (index === -1) return notFound;
        const current = this.schedules[index]!;
        const enabled = input.enabled as boolean;
        const next: Schedule = {
          ...current,
          enabled,
          state: enabled ? 'active' : 'paused',
          version: current.version + 1,
        };
        this.schedules[index] = next;
        return ok(next);
      }
      case 'schedules.delete': {
        const before = this.schedules.length;
        this.schedules = this.schedules.filter((s) => s.id !== input.id);
        return before === this.schedules.length ? notFound : ok({ id: input.id });
      }
      case 'schedules.runNow': {
        const schedule = this.schedules.find((s) => s.id === input.id);
        if (!schedule) return notFound;
        const run = makeRun({
          scheduleId: schedule.id,
          trigger: 'manual',
          status: 'queued',
          scheduledAt: null,
          startedAt: null,
          finishedAt: null,
          durationMs: null,
          exitCode: null,
        });
        this.runs.unshift(run);
        return ok(run);
      }
      case 'schedules.preview': {
        const count = (input.count as number | undefined) ?? 5;
        return ok({
          occurrences: Array.from({ length: count }, (_, i) => ({
            at: new Date(T0 + (i + 1) * 60_000).toISOString(),
          })),
        });
      }
      case 'runs.list': {
        // The filters narrow as main's do (paging is left to tests that need it).
        const at = (run: Run) =>
          Date.parse(run.fireAt ?? run.scheduledAt ?? run.queuedAt ?? '1970-01-01T00:00:00Z');
        const items = this.runs.filter(
          (run) =>
            (!input.scheduleId || run.scheduleId === input.scheduleId) &&
            (!input.status || (input.status as string[]).includes(run.status)) &&
            (!input.trigger || (input.trigger as string[]).includes(run.trigger)) &&
            (!input.ids || (input.ids as string[]).includes(run.id)) &&
            (!input.from || at(run) >= Date.parse(input.from as string)) &&
            (!input.to || at(run) < Date.parse(input.to as string)),
        );
        return ok({ items, nextCursor: null });
      }
      case 'runs.get': {
        const run = this.runs.find((r) => r.id === input.id);
        if (!run) return notFound;
        const detail: RunDetail = { ...run, output: this.outputs.get(run.id) ?? '', outputTruncated: false };
        return ok(detail);
      }
      case 'app.status':
        return ok(STATUS);
      case 'backups.list':
        return ok({ items: [], pendingRestore: null });
      default:
        return { ok: false, error: { code: 'INTERNAL', message: `${method} is not faked` } };
    }
  }
}

/** A promise the test settles by hand, to look at a pending state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
