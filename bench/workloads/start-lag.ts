/**
 * Start lag: `startedAt − fireAt` of every run (Almanac, maxConcurrentRuns sized for the load, no-op
 * runner), or callback time − intended instant (peers), over a steady window after a warm-up second.
 * Also counts fires a scheduler dropped or ran twice, and peak RSS.
 *
 *   node --import tsx bench/workloads/start-lag.ts <impl> <schedules> <seconds> <every-second|every-minute>
 */
import {
  benchEngine,
  peerScheduler,
  percentile,
  report,
  rssSampler,
  scheduleFields,
  sleep,
  tempDataDir,
  type Impl,
} from '../harness';

const [impl, countArg, secondsArg, shape] = process.argv.slice(2) as [Impl, string, string, string];
const count = Number(countArg);
const seconds = Number(secondsArg);
const zone = 'Europe/Berlin';
/** every-second: all fire each second. every-minute: each once a minute, spread over the 60 seconds. */
const expressionFor = (i: number) => (shape === 'every-second' ? '* * * * * *' : `${i % 60} * * * * *`);
const periodMs = shape === 'every-second' ? 1000 : 60_000;

interface Fired {
  lags: number[];
  /** per schedule, per instant: how many times it fired */
  fires: number;
  dropped: number;
  doubled: number;
  expected: number;
}

/** Instants each schedule should have fired in [from, to). */
function expectedFires(from: number, to: number): number {
  let expected = 0;
  for (let i = 0; i < count; i++) {
    const offset = shape === 'every-second' ? 0 : (i % 60) * 1000;
    const first = Math.ceil((from - offset) / periodMs) * periodMs + offset;
    if (first < to) expected += Math.floor((to - 1 - first) / periodMs) + 1;
  }
  return expected;
}

async function almanac(): Promise<Fired> {
  const dataDir = tempDataDir();
  const { store, engine } = benchEngine(dataDir, { maxConcurrentRuns: count });
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      engine.createSchedule(
        scheduleFields(`lag ${i}`, { type: 'cron', expression: expressionFor(i), timezone: zone }),
      );
    }
  });
  engine.start();
  const from = Math.ceil((Date.now() + 1500) / 1000) * 1000;
  const to = from + seconds * 1000;
  await sleep(to - Date.now() + 300);
  engine.stop();
  const rows = store.db
    .prepare(
      'SELECT started_at - fire_at AS lag FROM runs WHERE started_at IS NOT NULL AND scheduled_at >= ? AND scheduled_at < ?',
    )
    .all(from, to) as { lag: number }[];
  const { occurrences, total } = store.db
    .prepare(
      'SELECT count(DISTINCT schedule_id || scheduled_at) AS occurrences, count(*) AS total FROM runs WHERE scheduled_at >= ? AND scheduled_at < ?',
    )
    .get(from, to) as { occurrences: number; total: number };
  store.close();
  const expected = expectedFires(from, to);
  return {
    lags: rows.map((row) => row.lag),
    fires: total,
    dropped: expected - occurrences,
    doubled: total - occurrences,
    expected,
  };
}

async function peer(name: Exclude<Impl, 'almanac'>): Promise<Fired> {
  const scheduler = await peerScheduler(name);
  const lags: number[] = [];
  const seen = new Map<string, number>();
  let from = Infinity;
  let to = Infinity;
  for (let i = 0; i < count; i++) {
    scheduler.add(expressionFor(i), zone, (intended) => {
      const now = Date.now();
      if (intended < from || intended >= to) return;
      lags.push(now - intended);
      const key = `${i}@${intended}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    });
  }
  from = Math.ceil((Date.now() + 1500) / 1000) * 1000;
  to = from + seconds * 1000;
  // late fires still count as fires, not drops: node-schedule runs over a second late at this load
  await sleep(to - Date.now() + (name === 'node-schedule' ? 3000 : 1000));
  await scheduler.stop();
  const expected = expectedFires(from, to);
  let doubled = 0;
  for (const n of seen.values()) doubled += n - 1;
  return { lags, fires: lags.length, dropped: expected - seen.size, doubled, expected };
}

const rss = rssSampler();
const fired = impl === 'almanac' ? await almanac() : await peer(impl);
const peakRssMb = rss.stop();
report({
  impl,
  schedules: count,
  seconds,
  shape,
  p50: percentile(fired.lags, 50),
  p99: percentile(fired.lags, 99),
  max: fired.lags.length ? Math.max(...fired.lags) : null,
  fires: fired.fires,
  expected: fired.expected,
  droppedPct: (100 * fired.dropped) / fired.expected,
  doubledPct: (100 * fired.doubled) / fired.expected,
  peakRssMb,
});
process.exit(0);
