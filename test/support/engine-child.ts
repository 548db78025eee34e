/**
 * An engine in its own process, for tests that stop or kill it: `node --import tsx
 * test/support/engine-child.ts DATA_DIR [maxConcurrentRuns]`. Prints "ready" once started.
 */
import { startApp } from '../../src/main/app';

const [dataDir, concurrency] = process.argv.slice(2);
const app = startApp({
  dataDir: dataDir!,
  mode: 'browser',
  version: 'test',
  log: { info: () => {}, warn: () => {}, error: (message, error) => console.error(message, error) },
});
if (concurrency) app.engine.setMaxConcurrentRuns(Number(concurrency));
app.start();
console.log('ready');
process.on('SIGTERM', () => {
  app.close();
  process.exit(0);
});
