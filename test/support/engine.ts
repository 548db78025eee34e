import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventName, Events } from '../../src/shared/api';
import { startApp, type App } from '../../src/main/app';
import type { Logger, SystemConditions } from '../../src/main/engine/ports';
import { FakeClock } from './fake-clock';

export function tempDir(prefix = 'almanac-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const quietLog: Logger & { errors: string[] } = {
  errors: [],
  info: () => {},
  warn: () => {},
  error(message) {
    this.errors.push(message);
  },
};

export interface TestApp extends App {
  clock: FakeClock;
  dataDir: string;
  events: { event: EventName; payload: unknown }[];
  of<E extends EventName>(event: E): Events[E][];
}

/** The real app (real SQLite file, real runners) with an injected clock. */
export function startTestApp(
  options: { start?: string | number; dataDir?: string; conditions?: SystemConditions } = {},
): TestApp {
  const clock = new FakeClock(options.start ?? '2026-03-01T00:00:00.000Z');
  const dataDir = options.dataDir ?? tempDir();
  // runs.export's save dialog (the desktop's port): it always picks a file in a temp folder.
  const exports = tempDir('almanac-export-');
  const app = startApp({
    dataDir,
    mode: 'browser',
    version: 'test',
    clock,
    log: quietLog,
    exportFile: { chooseFile: (name) => Promise.resolve(path.join(exports, name)) },
    conditions: options.conditions,
  });
  const events: { event: EventName; payload: unknown }[] = [];
  app.subscribe((event, payload) => events.push({ event, payload }));
  app.start();
  return {
    ...app,
    clock,
    dataDir,
    events,
    of: <E extends EventName>(event: E) =>
      events.filter((e) => e.event === event).map((e) => e.payload as Events[E]),
  };
}

export async function call<T = unknown>(app: App, method: string, input: unknown): Promise<T> {
  const result = await app.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
