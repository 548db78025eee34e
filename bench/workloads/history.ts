/**
 * Run history at scale. `prepare <dir> <schedules> <runs>`: a data dir with N schedules and M runs
 * shaped like the engine's (bulk-inserted with one prepared statement, oldest first). `query <dir>`:
 * filtered `runs.list` pages and `runs.stats` for one schedule through the real handler table, p99;
 * bytes per run row (dbstat over the runs table and its indexes).
 *
 *   node bench/workloads/history.ts prepare|query <dir> [schedules] [runs]
 */
import fs from 'node:fs';
import path from 'node:path';
import { startApp } from '../../src/main/app';
import { Store } from '../../src/main/store';
import { runIdFactory } from '../../src/main/engine/ids';
import { benchEngine, percentile, report, scheduleFields, silentLog } from '../harness';

const [mode, dir, schedulesArg, runsArg] = process.argv.slice(2) as [string, string, string?, string?];
const DAY = 86_400_000;

if (mode === 'prepare') {
  const scheduleCount = Number(schedulesArg);
  const runCount = Number(runsArg);
  const began = performance.now();
  const ids: string[] = [];
  {
    const { store, engine } = benchEngine(dir);
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York'];
    store.transaction(() => {
      for (let i = 0; i < scheduleCount; i++) {
        const expression = ['*/5 * * * *', '0 * * * *', '30 2 * * *', '0 9 * * MON-FRI'][i % 4]!;
        const record = engine.createSchedule(
          scheduleFields(`history ${i}`, { type: 'cron', expression, timezone: zones[i % 3]! }),
        );
        ids.push(record.id);
      }
    });
    store.close();
  }
  const store = Store.open(dir);
  // bulk load: a big page cache and no fsync (the engine writes the same rows one commit at a time)
  store.db.pragma('cache_size = -1000000');
  store.db.pragma('synchronous = OFF');
  const insert = store.db.prepare(
    `INSERT INTO runs (id, schedule_id, scheduled_at, fire_at, at, trigger, attempt, status, reason, priority,
       queued_at, started_at, finished_at, duration_ms, exit_code, output)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, 5, ?, ?, ?, ?, ?, ?)`,
  );
  // runs over the last 100 days, oldest first; 90 % succeeded, 6 % failed, 2 % skipped, 1 % missed, 1 % timed out
  const newId = runIdFactory();
  const now = Date.now();
  const span = 100 * DAY;
  const step = span / runCount;
  const batch = 50_000;
  for (let done = 0; done < runCount; done += batch) {
    store.transaction(() => {
      for (let n = done; n < Math.min(runCount, done + batch); n++) {
        const at = Math.round(now - span + n * step);
        const roll = n % 100;
        const status =
          roll < 90
            ? 'succeeded'
            : roll < 96
              ? 'failed'
              : roll < 98
                ? 'skipped'
                : roll < 99
                  ? 'missed'
                  : 'timed-out';
        const ran = status !== 'skipped' && status !== 'missed';
        const duration = ran ? 20 + (n % 977) : null;
        insert.run(
          newId(at),
          ids[(n * 7919) % scheduleCount]!,
          at,
          at,
          at,
          n % 50 === 0 ? 'catch-up' : 'schedule',
          status,
          status === 'failed'
            ? 'Exited with code 1'
            : status === 'skipped'
              ? 'overlap: the previous run was still going (policy skip)'
              : null,
          at,
          ran ? at + 2 : null,
          ran ? at + 2 + duration! : at,
          duration,
          status === 'failed' ? 1 : ran ? 0 : null,
          status === 'failed' ? 'error: something went wrong\n' : '',
        );
      }
    });
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  report({
    schedules: scheduleCount,
    runs: runCount,
    ids: ids.slice(0, 50),
    prepareMs: Math.round(performance.now() - began),
  });
  process.exit(0);
}

// ── query ──
const app = startApp({ dataDir: dir, mode: 'browser', version: 'bench', log: silentLog });
app.start(); // handlers look schedules up in the engine
await app.engine.whenEvaluated();
const db = app.store.db;
const runCount = (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
const scheduleIds = (db.prepare('SELECT id FROM schedules LIMIT 200').all() as { id: string }[]).map(
  (r) => r.id,
);
const newest = (db.prepare('SELECT max(at) AS at FROM runs').get() as { at: number }).at;
const iso = (ms: number) => new Date(ms).toISOString();

async function timed(method: string, input: unknown): Promise<number> {
  const began = performance.now();
  const result = await app.dispatch(method, input);
  const ms = performance.now() - began;
  if (!result.ok)
    throw Object.assign(new Error(`${method}: ${result.error.message}`), { code: result.error.code });
  return ms;
}

// the filters the history view offers: one schedule, a status, a trigger, a date range, combinations, page 2
const pick = (i: number) => scheduleIds[i % scheduleIds.length]!;
const page2 = (await app.dispatch('runs.list', { scheduleId: pick(0), limit: 5 })) as {
  ok: true;
  value: { nextCursor: string };
};
const filters: [string, (i: number) => unknown][] = [
  ['schedule', (i) => ({ scheduleId: pick(i), limit: 50 })],
  ['status=failed', () => ({ status: ['failed'], limit: 50 })],
  ['schedule+status=failed', (i) => ({ scheduleId: pick(i), status: ['failed'], limit: 50 })],
  ['trigger=catch-up', () => ({ trigger: ['catch-up'], limit: 50 })],
  ['last 7 days', () => ({ from: iso(newest - 7 * DAY), to: iso(newest), limit: 50 })],
  ['schedule+30 days', (i) => ({ scheduleId: pick(i), from: iso(newest - 30 * DAY), limit: 50 })],
  [
    'status=missed,timed-out+range',
    () => ({
      status: ['missed', 'timed-out'],
      from: iso(newest - 60 * DAY),
      to: iso(newest - 30 * DAY),
      limit: 50,
    }),
  ],
  ['page 2 of a schedule', () => ({ scheduleId: pick(0), cursor: page2.value.nextCursor, limit: 50 })],
];
const pageMs: number[] = [];
const perFilter: Record<string, number> = {};
for (const [name, input] of filters) {
  for (let i = 0; i < 5; i++) await timed('runs.list', input(i)); // warm
  const own: number[] = [];
  for (let i = 0; i < 100; i++) own.push(await timed('runs.list', input(i)));
  perFilter[name] = Math.round(percentile(own, 99) * 100) / 100;
  pageMs.push(...own);
}

// stats for one schedule: the API's runs.stats when the handler table has it, else the same questions in SQL
let statsVia = 'runs.stats';
const statsMs: number[] = [];
for (let i = 0; i < 105; i++) {
  const input = {
    scheduleId: pick(i),
    from: iso(newest - 90 * DAY),
    to: iso(newest),
    timezone: 'Europe/Berlin',
  };
  try {
    const ms = await timed('runs.stats', input);
    if (i >= 5) statsMs.push(ms);
  } catch (error) {
    // only a missing handler (an unknown method, or no function behind it) falls back
    const { code, message } = error as { code?: string; message: string };
    if (!(code === 'INTERNAL' || (code === 'NOT_FOUND' && message.includes('Unknown method')))) throw error;
    statsVia = 'SQL stand-in (runs.stats not in the handler table yet)';
    break;
  }
}
if (statsVia !== 'runs.stats') {
  const byStatus = db.prepare(
    'SELECT status, count(*) AS n FROM runs WHERE schedule_id = ? AND at >= ? AND at < ? GROUP BY status',
  );
  const durations = db.prepare(
    'SELECT duration_ms FROM runs WHERE schedule_id = ? AND at >= ? AND at < ? AND duration_ms IS NOT NULL ORDER BY duration_ms',
  );
  const days = db.prepare(
    `SELECT (at + 3600000) / 86400000 AS day, count(*) AS total, sum(status = 'succeeded') AS ok, sum(status IN ('failed', 'timed-out')) AS bad
     FROM runs WHERE schedule_id = ? AND at >= ? AND at < ? GROUP BY day`,
  );
  for (let i = 0; i < 105; i++) {
    const args = [pick(i), newest - 90 * DAY, newest] as const;
    const began = performance.now();
    byStatus.all(...args);
    const d = durations.pluck().all(...args) as number[];
    void [d[Math.floor(d.length * 0.5)], d[Math.floor(d.length * 0.95)]];
    days.all(...args);
    if (i >= 5) statsMs.push(performance.now() - began);
  }
}

// stats for all schedules, the default range (the last 30 days, UTC), as the History place asks;
// and the same in New York, whose days read hourly counters at each end
const allStats = async (input: unknown) => {
  const ms: number[] = [];
  for (let i = 0; i < 105; i++) {
    const took = await timed('runs.stats', input);
    if (i >= 5) ms.push(took);
  }
  return ms;
};
const allStatsMs = await allStats({});
const allStatsNewYorkMs = await allStats({ timezone: 'America/New_York' });

// bytes per run row: the runs table and its indexes, from dbstat; and the whole file
let tableBytes: number | null = null;
// dbstat reads every page (seconds at 1M runs): the full run only
if (schedulesArg !== 'quick')
  try {
    const row = db
      .prepare(
        "SELECT sum(pgsize) AS bytes FROM dbstat WHERE name = 'runs' OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'runs' AND type = 'index')",
      )
      .get() as { bytes: number };
    tableBytes = row.bytes;
  } catch {
    // dbstat not compiled in: fall back to the file size below
  }
app.close();
const fileBytes = fs.statSync(path.join(dir, 'almanac.db')).size;
report({
  runs: runCount,
  pageP99Ms: percentile(pageMs, 99),
  pageP50Ms: percentile(pageMs, 50),
  perFilter,
  statsVia,
  statsP99Ms: percentile(statsMs, 99),
  statsP50Ms: percentile(statsMs, 50),
  allStatsP99Ms: percentile(allStatsMs, 99),
  allStatsP50Ms: percentile(allStatsMs, 50),
  allStatsNewYorkP99Ms: percentile(allStatsNewYorkMs, 99),
  bytesPerRun: tableBytes === null ? null : tableBytes / runCount,
  fileBytesPerRun: fileBytes / runCount,
});
process.exit(0);
