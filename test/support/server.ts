/** Starts browser mode as a real child process on a free port with a temp data directory. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServedAlmanac {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

export async function serveAlmanac(
  options: { token?: string; dataDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ServedAlmanac> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'almanac-e2e-'));
  const token = options.token ?? `test-${Math.random().toString(36).slice(2)}`;
  const entry = path.join(root, 'out', 'main', 'serve.js');
  if (!fs.existsSync(entry)) throw new Error('out/main/serve.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [entry, '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, ...options.env, ALMANAC_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start:\n${log}`)), 20_000);
    const check = () => {
      const match = /Open (http:\/\/\S+)\?token=/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${log}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    token,
    dataDir,
    child,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
