/** Catch-up planning after a 7-day gap for N mixed schedules: how long start() takes to claim it all. */
import type { Trigger } from '../src/shared/domain';
import { Policy } from '../src/shared/domain';
import { benchEngine, tempDataDir } from './harness';
import { FakeClock } from '../test/support/fake-clock';

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

function mixedTrigger(i: number): Trigger {
  const timezone = zones[i % zones.length]!;
  if (i % 8 === 7) return { type: 'interval', everySeconds: 60 * (1 + (i % 90)), timezone };
  return { type: 'cron', expression: patterns[i % patterns.length]!, timezone };
}

export function catchUp(count: number) {
  const dataDir = tempDataDir();
  const t0 = Date.parse('2026-03-02T00:00:00Z');
  const clock = new FakeClock(t0);
  const first = benchEngine(dataDir, { clock });
  const catchUps = ['latest', 'all', 'none'] as const;
  first.store.transaction(() => {
    for (let i = 0; i < count; i++) {
      first.engine.createSchedule({
        name: `job ${i}`,
        notes: '',
        group: null,
        enabled: true,
        trigger: mixedTrigger(i),
        action: { type: 'reminder', title: 'noop', body: '' },
        policy: Policy.parse({ catchUp: catchUps[i % 3], overlap: 'bufferAll' }),
      });
    }
  });
  first.store.close();
  const later = new FakeClock(t0 + 7 * DAY);
  const again = benchEngine(dataDir, { clock: later, maxConcurrentRuns: 4 });
  const began = performance.now();
  again.engine.start();
  const plannedMs = performance.now() - began;
  const rows = again.store.db
    .prepare(
      "SELECT count(*) AS rows, sum(coalesce(missed_count, 1)) AS occurrences, sum(status = 'queued' OR status = 'running') AS runs FROM runs",
    )
    .get() as { rows: number; occurrences: number; runs: number };
  again.engine.stop();
  again.store.close();
  return { schedules: count, plannedMs: Math.round(plannedMs), ...rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(catchUp(Number(process.argv[2] ?? 10_000)));
}
