/**
 * One engine as its own process on a data dir, for the chaos suite to stop, kill and restart:
 * `node --import tsx chaos/engine-process.ts DATA_DIR [maxConcurrentRuns]`.
 * Speaks JSON lines on stdout: `{"type":"ready","pid","at","notices"}` once started (recovery and
 * the start-up catch-up are done by then), and `{"type":"catchUp",…}` for each catch-up summary.
 */
import type { AppStatus } from '../src/shared/api';
import { startApp } from '../src/main/app';

const [dataDir, concurrency] = process.argv.slice(2);
if (!dataDir) {
  console.error('usage: engine-process.ts DATA_DIR [maxConcurrentRuns]');
  process.exit(2);
}
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

const app = startApp({
  dataDir,
  mode: 'browser',
  version: 'chaos',
  log: {
    info: () => {},
    warn: (message) => console.error(`warn: ${message}`),
    error: (message, error) => console.error(`error: ${message}`, error ?? ''),
  },
});
if (concurrency) app.engine.setMaxConcurrentRuns(Number(concurrency));
app.subscribe((event, payload) => {
  if (event === 'engine.catchUp') say({ ...payload, type: 'catchUp', at: Date.now() }); // the child's own clock, after the payload's ISO `at`
});
const startedAt = Date.now();
app.start();
// start-up catch-up may be cut into chunks that yield to the event loop (DESIGN.md §4.7): "ready"
// promises that everything due at start has been claimed
const engine = app.engine as typeof app.engine & { whenEvaluated?: () => Promise<void> };
await engine.whenEvaluated?.();
const status = await app.dispatch('app.status', {});
say({
  type: 'ready',
  pid: process.pid,
  startedAt,
  at: Date.now(),
  notices: status.ok ? (status.value as AppStatus).notices : [],
});
process.on('SIGTERM', () => {
  app.close();
  process.exit(0);
});
