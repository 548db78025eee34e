/**
 * Browser mode on a prepared data dir, for the Chromium workloads: started as its own process (a big
 * file can take longer to open than test/support/server.ts waits), ready once app.status answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';

export interface Served {
  child: ChildProcess;
  origin: string;
  pageUrl: string;
  token: string;
  /** Process start → first API answer. */
  firstAnswerMs: number;
}

/** `entry` defaults to this checkout's build, `out/main/serve.js`. */
export async function serveDataDir(
  dir: string,
  entry = path.join(process.cwd(), 'out/main/serve.js'),
): Promise<Served> {
  const token = crypto.randomBytes(24).toString('base64url');
  const began = performance.now();
  const child = spawn(process.execPath, [entry, '--data-dir', dir, '--port', '0'], {
    env: { ...process.env, ALMANAC_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk));
  const pageUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 600_000);
    child.stdout!.on('data', () => {
      const match = /^Open (http:\/\/\S+#token=\S+)$/m.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}:\n${log}`)));
  });
  const origin = new URL(pageUrl).origin;
  for (;;) {
    const answer = await call(origin, token, 'app.status', {}).catch(() => null);
    if (answer) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, origin, pageUrl, token, firstAnswerMs: performance.now() - began };
}

export async function call(origin: string, token: string, method: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { ok: boolean; value: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
  return body.value;
}

export function stopServed(served: Served): Promise<void> {
  return new Promise((resolve) => {
    if (served.child.exitCode !== null) return resolve();
    served.child.once('exit', () => resolve());
    served.child.kill('SIGTERM');
  });
}
