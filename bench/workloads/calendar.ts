/**
 * Calendar week: `calendar.slots` for a week of 30-minute slots (336) over N schedules, dense ones
 * included (every second, every 5 s, every minute, intervals of 1–10 s) beside sparse cron, once
 * triggers, maxRuns and identical triggers, in five zones. Calls go through the real handler table on
 * a real SQLite file (the engine's clock stands still, so nothing fires meanwhile). Counts the calls
 * whose answer was not planned in full (schedules in `notShown`). Times the next full week (the figure), the first call of
 * the process (cold caches and JIT), a week with a DST change, and the current week (past slots query
 * the run history).
 *
 *   node bench/workloads/calendar.ts <schedules>
 */
import { DateTime } from 'luxon';
import { startApp } from '../../src/main/app';
import { systemClock, type Clock, type TimerHandle } from '../../src/main/engine/ports';
import type { CalendarSlots } from '../../src/shared/api';
import type { Trigger } from '../../src/shared/domain';
import { benchEngine, percentile, report, scheduleFields, silentLog, tempDataDir } from '../harness';

const count = Number(process.argv[2] ?? 200);
const CALLS = 40;
const now = Date.now();
const VIEWER = 'Europe/Berlin';
const zones = ['Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const dense = [
  (i: number) => `${i % 2}/2 * * * * *`,
  () => '* * * * * *',
  (i: number) => `${i % 5}/5 * * * * *`,
  () => '* * * * *',
  (i: number) => `${i % 2}/2 * * * *`,
  (i: number) => `*/${5 + (i % 10)} * 9-17 * * 1-5`,
];
const sparse = [
  'M * * * *',
  'M 2 * * *',
  'M 9 * * MON-FRI',
  'M 0 1 * *',
  'M 10 * * 1#2',
  'M 12 L * *',
  'M */6 * * *',
  'M 8-18/2 * * *',
  'M 7,19 * * 0,6',
];

/**
 * One in five dense (cron every 1–15 s or 1–2 min, intervals of 1–30 s), the rest sparse or once,
 * mostly distinct as on a real machine; every 25th repeats the one before it (identical triggers).
 */
function trigger(i: number): Trigger {
  const timezone = zones[i % zones.length]!;
  const maxRuns = i % 11 === 0 ? { maxRuns: 500 } : {};
  if (i % 25 === 24) return trigger(i - 1);
  if (i % 10 === 0) {
    return {
      type: 'interval',
      everySeconds: [1, 2, 3, 5, 7, 10, 15, 30][(i / 10) % 8]!,
      timezone,
      ...maxRuns,
    };
  }
  if (i % 5 === 0)
    return { type: 'cron', expression: dense[(i / 5) % dense.length]!(i), timezone, ...maxRuns };
  if (i % 13 === 0) {
    const at = DateTime.fromMillis(now)
      .setZone(timezone)
      .plus({ days: 3 + (i % 9), minutes: i });
    return { type: 'once', at: at.toFormat("yyyy-MM-dd'T'HH:mm"), timezone };
  }
  const expression = sparse[i % sparse.length]!.replace('M', String((i * 7) % 60));
  return { type: 'cron', expression, timezone, ...maxRuns };
}

const dataDir = tempDataDir();
{
  const { store, engine } = benchEngine(dataDir);
  store.transaction(() => {
    for (let i = 0; i < count; i++) engine.createSchedule(scheduleFields(`job ${i}`, trigger(i)));
  });
  store.close();
}
// The engine runs on a clock that stands still and never wakes: schedules are loaded and planned, but
// nothing fires while the calendar is timed.
const still: Clock = {
  ...systemClock,
  now: () => now,
  setTimer: () => ({}) as TimerHandle,
  clearTimer: () => {},
};
const app = startApp({ dataDir, mode: 'browser', version: 'bench', log: silentLog, clock: still });
app.start();

function weekOf(day: DateTime) {
  const start = day.setZone(VIEWER).startOf('week');
  return { from: start.toUTC().toISO()!, to: start.plus({ weeks: 1 }).toUTC().toISO()!, timezone: VIEWER };
}

/** Calls whose answer left schedules out (planning reached its budget): the figure needs none. */
let notInFull = 0;

/** Wall time, and this process's CPU time (what the call cost, however loaded the machine). */
async function slots(
  range: ReturnType<typeof weekOf>,
): Promise<{ ms: number; cpuMs: number; grid: CalendarSlots }> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  const result = await app.dispatch('calendar.slots', { ...range, slotMinutes: 30 });
  const ms = performance.now() - began;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  if (!result.ok) throw new Error(`calendar.slots failed: ${JSON.stringify(result.error)}`);
  const grid = result.value as CalendarSlots;
  if (grid.notShown.length) notInFull++;
  return { ms, cpuMs, grid };
}

async function timed(range: ReturnType<typeof weekOf>) {
  const times: number[] = [];
  const cpu: number[] = [];
  let planned = 0;
  for (let i = 0; i < CALLS; i++) {
    const { ms, cpuMs, grid } = await slots(range);
    times.push(ms);
    cpu.push(cpuMs);
    planned = grid.slots.reduce((sum, slot) => sum + slot.plannedCount, 0);
  }
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: Math.max(...times),
    cpuP50: percentile(cpu, 50),
    planned,
  };
}

const nextWeek = weekOf(DateTime.fromMillis(now).plus({ weeks: 1 }));
const first = await slots(nextWeek);
const next = await timed(nextWeek);
// the next week in which Berlin changes its offset
let dstDay = DateTime.fromMillis(now).setZone(VIEWER).startOf('day');
while (dstDay.offset === dstDay.plus({ days: 1 }).offset) dstDay = dstDay.plus({ days: 1 });
const dst = await timed(weekOf(dstDay));
const current = await timed(weekOf(DateTime.fromMillis(now)));
app.close();

const round = (ms: number) => Math.round(ms * 10) / 10;
report({
  schedules: count,
  slots: first.grid.slots.length,
  firstCallMs: round(first.ms),
  firstCallCpuMs: round(first.cpuMs),
  cpuP50Ms: round(next.cpuP50),
  p50Ms: round(next.p50),
  p95Ms: round(next.p95),
  maxMs: round(next.max),
  planned: next.planned,
  dstWeek: dstDay.toISODate(),
  dstP50Ms: round(dst.p50),
  dstP95Ms: round(dst.p95),
  currentP50Ms: round(current.p50),
  currentP95Ms: round(current.p95),
  notInFull,
});
process.exit(0);
