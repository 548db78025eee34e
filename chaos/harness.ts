/**
 * Real engine processes on real data dirs: spawn, wait for ready, stop, kill. Every child is killed
 * when the suite exits, however it exits.
 */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppNotice } from '../src/shared/api';
import type { ScheduleInput } from '../src/shared/domain';
import { startApp } from '../src/main/app';

export const root = path.resolve(import.meta.dirname, '..');
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * The engine process, bundled once per suite (dependencies stay in node_modules): it starts like the
 * built app, without tsx compiling the sources at every restart, which on a loaded machine took
 * most of each kill round.
 */
let bundled: Promise<string> | null = null;
function engineBundle(): Promise<string> {
  bundled ??= (async () => {
    const outdir = path.join(root, 'node_modules', '.cache', 'almanac-chaos');
    await build({
      entryPoints: [path.join(root, 'chaos', 'engine-process.ts')],
      outdir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return path.join(outdir, 'engine-process.js');
  })();
  return bundled;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function tempDataDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `almanac-chaos-${name}-`));
}

export interface Ready {
  pid: number;
  /** The child's wall clock just before its engine started: everything due by then is claimed. */
  startedAt: number;
  /** The child's wall clock once ready. */
  at: number;
  notices: AppNotice[];
}

export interface CatchUp {
  at: number;
  ran: number;
  missed: number;
  skipped: number;
  schedules: number;
  reason: string;
}

export interface Engine {
  child: ChildProcess;
  ready: Ready;
  catchUps: CatchUp[];
  stderr(): string;
  /** Resolves when the process has gone (any way). */
  exited: Promise<void>;
}

export async function startEngine(
  dataDir: string,
  options: { concurrency?: number; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Engine> {
  const child = spawn(process.execPath, [await engineBundle(), dataDir, String(options.concurrency ?? 8)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  children.add(child);
  let err = '';
  let out = '';
  const catchUps: CatchUp[] = [];
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void exited.then(() => children.delete(child));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`engine not ready in time: ${err}`)),
      options.timeoutMs ?? 30_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      let newline: number;
      while ((newline = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        const message = JSON.parse(line) as { type: string } & Record<string, unknown>;
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message as unknown as Ready);
        } else if (message.type === 'catchUp') catchUps.push(message as unknown as CatchUp);
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`engine exited before ready (${code ?? signal}): ${err}`));
    });
  });
  return { child, ready, catchUps, stderr: () => err, exited };
}

export async function kill(engine: Engine, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  engine.child.kill(signal);
  await engine.exited;
}

/** Creates schedules in the data dir through the API, with no engine running afterwards. */
export async function createSchedules(dataDir: string, inputs: ScheduleInput[]): Promise<string[]> {
  const app = startApp({
    dataDir,
    mode: 'browser',
    version: 'chaos',
    log: { info: () => {}, warn: () => {}, error: (m, e) => console.error(m, e) },
  });
  try {
    const ids: string[] = [];
    for (const input of inputs) {
      const result = await app.dispatch('schedules.create', input);
      if (!result.ok) throw new Error(`schedules.create: ${result.error.message}`);
      ids.push((result.value as { id: string }).id);
    }
    return ids;
  } finally {
    app.close();
  }
}

export function everySecond(name: string, extra: Partial<ScheduleInput> = {}): ScheduleInput {
  return {
    name,
    trigger: { type: 'cron', expression: '* * * * * *', timezone: 'UTC' },
    action: { type: 'command', command: 'true', shell: false },
    ...extra,
  } as ScheduleInput;
}

/** A random integer in [min, max]. */
export function between(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}
