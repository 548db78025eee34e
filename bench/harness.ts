/** Shared pieces of the bench: a real engine on a real SQLite file, with a no-op runner. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/main/engine/engine';
import { systemClock, type Clock, type Runner } from '../src/main/engine/ports';
import { Store } from '../src/main/store';

export const noopRunner: Runner = async () => ({ status: 'succeeded' });

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'almanac-bench-'));
}

export function benchEngine(
  dataDir: string,
  options: { clock?: Clock; maxConcurrentRuns?: number; runner?: Runner } = {},
) {
  const store = Store.open(dataDir);
  const engine = new Engine({
    store,
    clock: options.clock ?? systemClock,
    runner: options.runner ?? noopRunner,
    emit: () => {},
    log: { info: () => {}, warn: () => {}, error: (m, e) => console.error(m, e) },
    maxConcurrentRuns: options.maxConcurrentRuns ?? 4,
  });
  return { store, engine };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
