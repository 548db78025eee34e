/**
 * What the run counters cost (src/main/store/run-counters.ts): the same run lifecycle — claim
 * (queued), start, end — one transaction each as the engine writes them, on a store with the
 * counter triggers and on one without them. Reports µs per run end (the end is where the counters
 * change) and per whole run, each the median of rounds alternating between the two stores.
 *
 *   node --import tsx bench/workloads/counters.ts [runs]
 */
import { Store } from '../../src/main/store';
import { report, tempDataDir } from '../harness';

const runs = Number(process.argv[2] ?? 20_000);
const ROUNDS = 5;
const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'timed-out'] as const;

function open(withCounters: boolean): Store {
  const store = Store.open(tempDataDir());
  if (!withCounters)
    for (const name of store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'runs_counted_%'")
      .pluck()
      .all() as string[])
      store.db.exec(`DROP TRIGGER ${name}`);
  return store;
}

/** One round of `count` runs; returns [µs per end, µs per whole run]. */
function round(store: Store, offset: number, count: number): [number, number] {
  let endMs = 0;
  const began = performance.now();
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = offset; i < offset + count; i++) {
    const at = t0 + i * 7_000;
    const id = `run-${String(i).padStart(9, '0')}`;
    store.transaction(() =>
      store.runs.insert({
        id,
        scheduleId: `schedule-${i % 100}`,
        scheduledAt: at,
        fireAt: at,
        trigger: 'schedule',
        status: 'queued',
        queuedAt: at,
      }),
    );
    store.transaction(() => store.runs.markStarted(id, at + 2));
    const endBegan = performance.now();
    store.transaction(() =>
      store.runs.finish(id, {
        status: statuses[i % statuses.length]!,
        finishedAt: at + 500,
        durationMs: 20 + (i % 977),
        exitCode: 0,
      }),
    );
    endMs += performance.now() - endBegan;
  }
  return [(endMs * 1000) / count, ((performance.now() - began) * 1000) / count];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const stores = { with: open(true), without: open(false) };
const results = { with: [] as [number, number][], without: [] as [number, number][] };
const perRound = Math.ceil(runs / ROUNDS);
round(stores.with, 10_000_000, 500); // warm both
round(stores.without, 10_000_000, 500);
for (let r = 0; r < ROUNDS; r++)
  for (const kind of r % 2 ? (['without', 'with'] as const) : (['with', 'without'] as const))
    results[kind].push(round(stores[kind], r * perRound, perRound));
const rows = (stores.with.db.prepare('SELECT count(*) FROM run_counts').pluck().get() as number) > 0;
stores.with.close();
stores.without.close();
report({
  runs: perRound * ROUNDS,
  countersWritten: rows,
  endWithUs: median(results.with.map(([end]) => end)),
  endWithoutUs: median(results.without.map(([end]) => end)),
  runWithUs: median(results.with.map(([, run]) => run)),
  runWithoutUs: median(results.without.map(([, run]) => run)),
});
process.exit(0);
