/** Start lag (startedAt − fireAt) of N schedules firing every second, no-op runner. */
import { benchEngine, percentile, tempDataDir } from './harness';

export async function startLag(count: number, seconds: number) {
  const dataDir = tempDataDir();
  const { store, engine } = benchEngine(dataDir, { maxConcurrentRuns: count });
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      engine.createSchedule({
        name: `every second ${i}`,
        notes: '',
        group: null,
        enabled: true,
        trigger: { type: 'cron', expression: '* * * * * *', timezone: 'Europe/Berlin' },
        action: { type: 'reminder', title: 'noop', body: '' },
        policy: {
          graceSeconds: 60,
          catchUp: 'latest',
          catchUpLimit: 10,
          overlap: 'allowAll',
          timeoutSeconds: 0,
          retries: { maxAttempts: 1, backoffSeconds: 30, maxBackoffSeconds: 3600 },
          priority: 5,
          notify: 'never',
        },
      });
    }
  });
  const began = Date.now();
  engine.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  engine.stop();
  const rows = store.db
    .prepare('SELECT started_at - fire_at AS lag FROM runs WHERE started_at IS NOT NULL AND fire_at > ?')
    .all(began + 1000) as { lag: number }[];
  store.close();
  const lags = rows.map((row) => row.lag);
  const expected = count * (seconds - 2);
  return {
    runs: lags.length,
    expectedAtLeast: expected,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: Math.max(...lags),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 1000);
  const seconds = Number(process.argv[3] ?? 10);
  console.log(await startLag(count, seconds));
}
