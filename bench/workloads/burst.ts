/**
 * Burst: N schedules due at one instant (a fixed daily time, like 10,000 jobs at 09:00). Almanac: from
 * the instant until the last of them is claimed, recorded and started (its `run.changed` event, sent
 * after the commit), and until the last end is recorded. Peers: until the last callback ran.
 *
 *   node bench/workloads/burst.ts <impl> <schedules>
 */
import { DateTime } from 'luxon';
import {
  benchEngine,
  peerScheduler,
  report,
  scheduleFields,
  sleep,
  tempDataDir,
  type Impl,
} from '../harness';

const [impl, countArg] = process.argv.slice(2) as [Impl, string];
const count = Number(countArg);
const zone = 'Europe/Berlin';

/** A whole second far enough ahead for setup (estimated per implementation). */
function instantAfter(setupMs: number): { at: number; expression: string } {
  const at = Math.ceil((Date.now() + setupMs) / 1000) * 1000;
  const local = DateTime.fromMillis(at, { zone });
  return { at, expression: `${local.second} ${local.minute} ${local.hour} * * *` };
}

let started = 0;
let ended = 0;
let allStartedAt = NaN;
let allEndedAt = NaN;
let setupMs: number;
let instant: number;

const setupBegan = performance.now();
if (impl === 'almanac') {
  const { store, engine } = benchEngine(tempDataDir(), {
    maxConcurrentRuns: count,
    emit: (event, payload) => {
      if (event !== 'run.changed') return;
      const status = (payload as { status: string }).status;
      if (status === 'running' && ++started === count) allStartedAt = Date.now();
      if (status === 'succeeded' && ++ended === count) allEndedAt = Date.now();
    },
  });
  const { at, expression } = instantAfter(1000 + count * 0.3);
  instant = at;
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      engine.createSchedule(scheduleFields(`burst ${i}`, { type: 'cron', expression, timezone: zone }));
    }
  });
  engine.start();
  setupMs = performance.now() - setupBegan;
  if (Date.now() > at - 200) throw new Error('setup overran the instant');
  await sleep(at - Date.now() + 200);
  while (ended < count && Date.now() < at + 10_000) await sleep(50);
  await engine.whenIdle();
  engine.stop();
  store.close();
} else {
  const scheduler = await peerScheduler(impl);
  // set-up cost per job, measured on a 2-core machine, with room to spare
  const perJobMs = { croner: 0.35, 'node-cron': 0.25, 'node-schedule': 6 }[impl];
  const { at, expression } = instantAfter(1000 + count * perJobMs);
  instant = at;
  for (let i = 0; i < count; i++) {
    scheduler.add(expression, zone, () => {
      if (++started === count) allStartedAt = allEndedAt = Date.now();
    });
  }
  setupMs = performance.now() - setupBegan;
  if (Date.now() > at - 200) throw new Error('setup overran the instant');
  // wait until every callback ran, or 10 s past the instant (node-schedule may take longer)
  await sleep(at - Date.now() + 500);
  while (started < count && Date.now() < at + 10_000) await sleep(100);
  await scheduler.stop();
}
report({
  impl,
  schedules: count,
  setupMs: Math.round(setupMs),
  started,
  allStartedMs: allStartedAt - instant,
  allEndedMs: allEndedAt - instant,
});
process.exit(0);
