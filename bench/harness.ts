/**
 * Shared pieces of the bench: a real engine on a real SQLite file with a no-op runner, the peers'
 * loads, timer counting and the child-process protocol (one workload per process, so timers,
 * memory and the event loop of one never disturb the next).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/main/engine/engine';
import { systemClock, type Clock, type Runner } from '../src/main/engine/ports';
import { Store, type ScheduleRecord } from '../src/main/store';
import { Policy, type Trigger } from '../src/shared/domain';

export const noopRunner: Runner = async () => ({ status: 'succeeded' });

export const silentLog = {
  info: () => {},
  warn: () => {},
  error: (m: string, e?: unknown) => console.error(m, e),
};

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'almanac-bench-'));
}

export function benchEngine(
  dataDir: string,
  options: {
    clock?: Clock;
    maxConcurrentRuns?: number;
    runner?: Runner;
    emit?: ConstructorParameters<typeof Engine>[0]['emit'];
    /** The engine's timer cap (TIMER_CAP_WITH_WAKE_SIGNALS_MS: the desktop, which has wake signals). */
    timerCapMs?: number;
  } = {},
) {
  const store = Store.open(dataDir);
  const engine = new Engine({
    store,
    clock: options.clock ?? systemClock,
    runner: options.runner ?? noopRunner,
    emit: options.emit ?? (() => {}),
    log: silentLog,
    maxConcurrentRuns: options.maxConcurrentRuns ?? 4,
    ...(options.timerCapMs ? { timerCapMs: options.timerCapMs } : {}),
  });
  return { store, engine };
}

export function percentile(values: ArrayLike<number>, p: number): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A schedule's editable fields with the bench's policy: generous grace, overlap allowed, no notifications. */
export function scheduleFields(
  name: string,
  trigger: Trigger,
  policy: Partial<Policy> = {},
): Pick<ScheduleRecord, 'name' | 'notes' | 'group' | 'enabled' | 'trigger' | 'action' | 'policy'> {
  return {
    name,
    notes: '',
    group: null,
    enabled: true,
    trigger,
    action: { type: 'reminder', title: 'noop', body: '' },
    policy: Policy.parse({
      graceSeconds: 60,
      overlap: 'allowAll',
      notify: 'never',
      timeoutSeconds: 0,
      ...policy,
    }),
  };
}

// ── timers ────────────────────────────────────────────────────────────────────

/**
 * Counts timer callbacks (wake-ups) of everything in this process: the engine's Clock and every peer
 * go through the global setTimeout/setInterval. Install before the scheduler under test is loaded.
 */
export function countTimerWakeups(): { readonly count: number } {
  const counter = { count: 0 };
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of ['setTimeout', 'setInterval'] as const) {
    const original = g[name] as (cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;
    const wrapped = (cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
      original(
        (...a: unknown[]) => {
          counter.count++;
          cb(...a);
        },
        ms,
        ...args,
      );
    g[name] = wrapped;
  }
  return counter;
}

// ── peers ─────────────────────────────────────────────────────────────────────

export const PEERS = ['croner', 'node-schedule', 'node-cron'] as const;
export type Peer = (typeof PEERS)[number];
export type Impl = 'almanac' | Peer;

export interface PeerScheduler {
  /** Schedules `expression` in `timezone`; `onFire` gets the instant the fire was meant for. */
  add(expression: string, timezone: string, onFire: (intended: number) => void): void;
  stop(): Promise<void>;
}

/** croner's own in-memory jobs, node-schedule and node-cron, each on the same load as Almanac. */
export async function peerScheduler(peer: Peer): Promise<PeerScheduler> {
  switch (peer) {
    case 'croner': {
      const { Cron } = await import('croner');
      const jobs: InstanceType<typeof Cron>[] = [];
      return {
        // croner passes no intended instant; it fires at or after it, so the whole second (or minute) below is it
        add: (expression, timezone, onFire) => {
          const unit = expression.trim().split(/\s+/).length === 6 ? 1000 : 60_000;
          jobs.push(new Cron(expression, { timezone }, () => onFire(Math.floor(Date.now() / unit) * unit)));
        },
        stop: async () => jobs.forEach((job) => job.stop()),
      };
    }
    case 'node-schedule': {
      const schedule = (await import('node-schedule')).default;
      return {
        add: (expression, tz, onFire) => {
          schedule.scheduleJob({ rule: expression, tz }, (fireDate: Date) => onFire(fireDate.getTime()));
        },
        stop: async () => {
          await schedule.gracefulShutdown();
        },
      };
    }
    case 'node-cron': {
      const cron = (await import('node-cron')).default;
      const tasks: { stop(): void | Promise<void> }[] = [];
      return {
        add: (expression, timezone, onFire) => {
          tasks.push(cron.schedule(expression, (context) => onFire(context.date.getTime()), { timezone }));
        },
        stop: async () => {
          for (const task of tasks) await task.stop();
        },
      };
    }
  }
}

// ── child protocol ────────────────────────────────────────────────────────────

const MARK = '@@bench-result ';

/** A workload child reports its figures on one marked stdout line. */
export function report(result: unknown): void {
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

export function parseReport(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!line) throw new Error('the workload printed no result');
  return JSON.parse(line.slice(MARK.length));
}

export function rssMb(): number {
  return Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;
}

/** Samples RSS every `everyMs` until stopped; returns the peak. */
export function rssSampler(everyMs = 250): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round((peak / 1048576) * 10) / 10;
    },
  };
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
