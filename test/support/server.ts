/** Starts browser mode as a real child process on a free port with a temp data directory. */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServedAlmanac {
  /** The server's root, `http://127.0.0.1:<port>/`: what the address bar shows once the page has taken its token. */
  url: string;
  /** The address the server printed, with the token in its fragment: what a person opens. */
  pageUrl: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
  /** `kill -9`: the server is gone at once, without closing anything. */
  kill(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

export interface ServeOptions {
  /** ALMANAC_TOKEN; null to let the server use the token kept in the data folder (or make one). */
  token?: string | null;
  dataDir?: string;
  /** 0 (any free port) unless given: a restart on the same port passes the first one's. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  args?: string[];
}

export async function serveAlmanac(options: ServeOptions = {}): Promise<ServedAlmanac> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'almanac-e2e-'));
  const given = options.token === undefined ? crypto.randomBytes(24).toString('base64url') : options.token;
  const entry = path.join(root, 'out', 'main', 'serve.js');
  if (!fs.existsSync(entry)) throw new Error('out/main/serve.js is missing: run `npm run build` first');
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.ALMANAC_TOKEN;
  if (given !== null) env.ALMANAC_TOKEN = given;
  const child = spawn(
    process.execPath,
    [entry, '--data-dir', dataDir, '--port', String(options.port ?? 0), ...(options.args ?? [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const printed = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start:\n${log}`)), 20_000);
    const check = () => {
      const match = /^Open (http:\/\/\S+#token=\S+)$/m.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${log}`)));
  });
  const token = decodeURIComponent(printed.hash.slice('#token='.length));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const end = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (exited()) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    url: `${printed.origin}/`,
    pageUrl: printed.href,
    origin: printed.origin,
    port: Number(printed.port),
    token,
    dataDir,
    child,
    output: () => log,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
