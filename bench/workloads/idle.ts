/**
 * Idle: N schedules, nothing due during the window. CPU time of this process over the window (% of
 * one core) and timer wake-ups per minute (every timer callback in the process counts).
 *
 *   node --import tsx --expose-gc bench/workloads/idle.ts <impl> <schedules> <seconds> [wake]
 */
import {
  benchEngine,
  countTimerWakeups,
  gc,
  peerScheduler,
  report,
  rssMb,
  scheduleFields,
  sleep,
  tempDataDir,
  type Impl,
} from '../harness';

import { TIMER_CAP_WITH_WAKE_SIGNALS_MS } from '../../src/main/engine/engine';

const timers = countTimerWakeups();
const [impl, countArg, secondsArg, capArg] = process.argv.slice(2) as [Impl, string, string, string?];
/** 'wake': the engine as the desktop runs it, with OS wake signals (60 s timer cap); else 5 s. */
const wakeSignals = capArg === 'wake';
const count = Number(countArg);
const seconds = Number(secondsArg);
const zone = 'Europe/Berlin';
// once a year, on a day half a year away: nothing is due during the window
const month = ((new Date().getUTCMonth() + 6) % 12) + 1;
const expressionFor = (i: number) => `${i % 60} ${(i * 7) % 60} ${i % 24} ${1 + (i % 28)} ${month} *`;

let stop: () => Promise<void>;
if (impl === 'almanac') {
  const { store, engine } = benchEngine(tempDataDir(), {
    ...(wakeSignals ? { timerCapMs: TIMER_CAP_WITH_WAKE_SIGNALS_MS } : {}),
  });
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      engine.createSchedule(
        scheduleFields(`idle ${i}`, { type: 'cron', expression: expressionFor(i), timezone: zone }),
      );
    }
  });
  engine.start();
  stop = async () => {
    engine.stop();
    store.close();
  };
} else {
  const scheduler = await peerScheduler(impl);
  for (let i = 0; i < count; i++) scheduler.add(expressionFor(i), zone, () => {});
  stop = () => scheduler.stop();
}

// settle: let setup garbage go before the window opens
await sleep(1000);
gc();
await sleep(1000);
const wakeupsBefore = timers.count;
const cpuBefore = process.cpuUsage();
const began = performance.now();
await sleep(seconds * 1000);
const elapsed = performance.now() - began;
const cpu = process.cpuUsage(cpuBefore);
const wakeups = timers.count - wakeupsBefore - 1; // the window's own sleep
const rss = rssMb();
await stop();
report({
  impl,
  wakeSignals,
  schedules: count,
  seconds,
  cpuPct: ((cpu.user + cpu.system) / 1000 / elapsed) * 100,
  wakeupsPerMin: (wakeups / elapsed) * 60_000,
  rssMb: rss,
});
process.exit(0);
