/**
 * Catch-up after a 7-day gap: N mixed schedules (cron and interval, five zones, all three catch-up
 * policies) last evaluated 7 days ago. Times the engine from start() until every due occurrence is
 * claimed (the plan), while API calls (app.status, runs.list) are issued every 10 ms through the real
 * handler table: how long any of them waited, counted from when it was due to be issued.
 *
 *   node bench/workloads/catch-up.ts <schedules>
 */
import { startApp } from '../../src/main/app';
import { type Clock, systemClock } from '../../src/main/engine/ports';
import type { Trigger } from '../../src/shared/domain';
import { benchEngine, percentile, report, scheduleFields, silentLog, sleep, tempDataDir } from '../harness';

const count = Number(process.argv[2] ?? 10_000);
const DAY = 86_400_000;
const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const patterns = [
  '* * * * *',
  '*/5 * * * *',
  '0 * * * *',
  '30 2 * * *',
  '0 9 * * MON-FRI',
  '0 0 1 * *',
  '*/30 * * * * *',
];
const catchUps = ['latest', 'all', 'none'] as const;

function mixedTrigger(i: number): Trigger {
  const timezone = zones[i % zones.length]!;
  if (i % 8 === 7) return { type: 'interval', everySeconds: 60 * (1 + (i % 90)), timezone };
  return { type: 'cron', expression: patterns[i % patterns.length]!, timezone };
}

// The schedules were made, and last evaluated, 7 days ago; then Almanac was not running.
const dataDir = tempDataDir();
const weekAgo = Date.now() - 7 * DAY;
const past: Clock = { ...systemClock, now: () => weekAgo };
{
  const { store, engine } = benchEngine(dataDir, { clock: past });
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      engine.createSchedule(
        scheduleFields(`job ${i}`, mixedTrigger(i), { catchUp: catchUps[i % 3], overlap: 'bufferAll' }),
      );
    }
  });
  store.close();
}

const app = startApp({ dataDir, mode: 'browser', version: 'bench', log: silentLog });
app.engine.setMaxConcurrentRuns(4);

// API probe: one call every 10 ms; a call's wait runs from when it was due to when it was answered
const waits: number[] = [];
let probing = true;
let due = performance.now() + 10;
let calls = 0;
const probe = async () => {
  while (probing) {
    const delay = due - performance.now();
    if (delay > 0) await sleep(delay);
    const issuedFor = due;
    const result = await (calls++ % 2 === 0
      ? app.dispatch('app.status', {})
      : app.dispatch('runs.list', { limit: 50 }));
    if (!result.ok) throw new Error(`API call failed: ${JSON.stringify(result.error)}`);
    waits.push(performance.now() - issuedFor);
    due = Math.max(issuedFor + 10, performance.now());
  }
};
const probing$ = probe();
await sleep(50);

const began = performance.now();
app.start();
const startReturnedMs = performance.now() - began;
await app.engine.whenEvaluated();
const plannedMs = performance.now() - began;
await sleep(50);
probing = false;
await probing$;

const rows = app.store.db
  .prepare(
    "SELECT count(*) AS rows, sum(coalesce(missed_count, 1)) AS occurrences, sum(status IN ('queued', 'running', 'succeeded')) AS runs FROM runs",
  )
  .get() as { rows: number; occurrences: number; runs: number };
app.close();
report({
  schedules: count,
  plannedMs: Math.round(plannedMs),
  startReturnedMs: Math.round(startReturnedMs),
  apiCalls: waits.length,
  apiWaitMaxMs: Math.round(Math.max(...waits)),
  apiWaitP99Ms: Math.round(percentile(waits, 99)),
  ...rows,
});
process.exit(0);
