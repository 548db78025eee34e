/** Helpers for engine tests that mix the fake clock with real processes and a real server. */
import type { Run, RunDetail, Schedule } from '../../src/shared/api';
import { call, type TestApp } from './engine';

/** A trigger that never comes due during a test, for schedules started by hand or by a chain. */
export const DORMANT = { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' } as const;

export const realSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runsOf(app: TestApp, scheduleId: string): Promise<Run[]> {
  return (await call<{ items: Run[] }>(app, 'runs.list', { scheduleId, limit: 500 })).items.reverse();
}

export function detail(app: TestApp, id: string): Promise<RunDetail> {
  return call<RunDetail>(app, 'runs.get', { id });
}

export function create(app: TestApp, input: Record<string, unknown>): Promise<Schedule> {
  return call<Schedule>(app, 'schedules.create', { trigger: DORMANT, ...input });
}

/** Moves the fake clock in steps, letting real processes and sockets answer between steps, until `check` holds. */
export async function advanceUntil(
  app: TestApp,
  check: () => boolean,
  stepMs: number,
  steps = 500,
): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i >= steps) throw new Error('advanceUntil: the condition never held');
    app.clock.advance(stepMs);
    await realSleep(10);
  }
}

/** Lets real work finish: the engine idles once nothing is queued or running. */
export async function settle(app: TestApp, ms = 0): Promise<void> {
  app.clock.advance(ms);
  await app.engine.whenIdle();
}

/** Waits (in real time) until no run is going; queued retries waiting out their backoff may remain. */
export async function noneRunning(app: TestApp): Promise<void> {
  for (let i = 0; app.engine.status().active > 0; i++) {
    if (i > 1000) throw new Error('noneRunning: runs kept going');
    await realSleep(10);
  }
}
