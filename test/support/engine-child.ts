/**
 * An engine in its own process, for tests that stop or kill it: `node --import tsx
 * test/support/engine-child.ts DATA_DIR [maxConcurrentRuns]`. Prints "ready" once started.
 *
 * With ALMANAC_TEST_BLOCK_REPLAN=1, 2 s after start the first write of a schedule after a claim
 * (its re-plan) prints "blocked in re-plan" and blocks the process, so a test can kill -9 it there.
 */
import fs from 'node:fs';
import { startApp } from '../../src/main/app';

const [dataDir, concurrency] = process.argv.slice(2);
const app = startApp({
  dataDir: dataDir!,
  mode: 'browser',
  version: 'test',
  log: { info: () => {}, warn: () => {}, error: (message, error) => console.error(message, error) },
});
if (concurrency) app.engine.setMaxConcurrentRuns(Number(concurrency));
if (process.env.ALMANAC_TEST_BLOCK_REPLAN === '1') {
  const schedules = app.store.schedules;
  const save = schedules.save.bind(schedules);
  let armed = false;
  setTimeout(() => (armed = true), 2000);
  schedules.save = (record) => {
    if (armed && record.lastScheduledAt !== null) {
      fs.writeSync(1, 'blocked in re-plan\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
    }
    save(record);
  };
}
app.start();
console.log('ready');
process.on('SIGTERM', () => {
  app.close();
  process.exit(0);
});
