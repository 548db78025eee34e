/**
 * Cold start, the child side: open a prepared data dir with the real wiring (lock, store, engine with
 * recovery and catch-up, handler table) and answer the first API call. The parent times it from spawn
 * to the answer; this side reports its own share.
 *
 *   node bench/results/.build/cold-start.js <dir>
 */
import { startApp } from '../../src/main/app';
import { report, silentLog } from '../harness';

const began = performance.now();
const app = startApp({ dataDir: process.argv[2]!, mode: 'desktop', version: 'bench', log: silentLog });
app.start();
const status = await app.dispatch('app.status', {});
const firstAnswerMs = performance.now() - began;
const schedules = status.ok
  ? (status.value as { engine: { scheduleCount: number } }).engine.scheduleCount
  : null;
report({ ok: status.ok, schedules, inProcessMs: firstAnswerMs, bootMs: began });
app.close();
process.exit(0);
