/**
 * Browser mode's entry as a real process (`src/main/serve.ts` under tsx): what a person sees at the
 * first start (issue 12 §6) and where the token comes from and goes (issue 13 items 7 and 10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/engine';

const root = path.resolve(import.meta.dirname, '../..');
const running: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(stop));
});

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Served {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the printed address once it is printed, or the output at exit. */
  started: Promise<{ url: string | null; code: number | null }>;
}

function serve(args: string[], env: NodeJS.ProcessEnv = {}, preload: string[] = []): Served {
  const base = { ...process.env };
  delete base.ALMANAC_TOKEN;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ...preload.flatMap((file) => ['--import', file]),
      path.join(root, 'src/main/serve.ts'),
      ...args,
    ],
    { cwd: root, env: { ...base, npm_lifecycle_event: 'serve', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.push(child);
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const started = new Promise<{ url: string | null; code: number | null }>((resolve) => {
    child.stdout!.on('data', () => {
      const match = /^Open (\S+)$/m.exec(log);
      if (match) resolve({ url: match[1]!, code: null });
    });
    child.on('exit', (code) => resolve({ url: null, code }));
  });
  return { child, output: () => log, started };
}

async function occupiedPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('browser mode at start', () => {
  it('a port in use gets one sentence naming the port and how to choose another, and no Node error object', async () => {
    const taken = await occupiedPort();
    try {
      const served = serve(['--data-dir', tempDir(), '--port', String(taken.port)]);
      const { code } = await served.started;
      expect(code).toBe(1);
      expect(served.output().trim()).toBe(
        `Port ${taken.port} on 127.0.0.1 is already in use (by another Almanac or another program); ` +
          'choose another with --port, for example `npm run serve -- --port 4999`, or --port 0 for any free one.',
      );
    } finally {
      await taken.close();
    }
  });

  it('names `npm start` when that is how it was started', async () => {
    const taken = await occupiedPort();
    try {
      const served = serve(['--data-dir', tempDir(), '--port', String(taken.port)], {
        npm_lifecycle_event: 'start',
      });
      await served.started;
      expect(served.output()).toContain('for example `npm start -- --port 4999`');
    } finally {
      await taken.close();
    }
  });

  it('a weak ALMANAC_TOKEN is refused before anything starts, in one sentence', async () => {
    const dataDir = tempDir();
    const served = serve(['--data-dir', dataDir, '--port', '0'], { ALMANAC_TOKEN: 'hunter2' });
    expect((await served.started).code).toBe(1);
    expect(served.output().trim()).toBe(
      'ALMANAC_TOKEN is 7 characters long; Almanac needs at least 32. Unset it to use a generated one, or make a strong one with: openssl rand -base64 24',
    );
  });

  it('prints the address with the token in its fragment, keeps a generated token across starts, and --new-token replaces it', async () => {
    const dataDir = tempDir();
    const tokenOf = async (args: string[] = []) => {
      const served = serve(['--data-dir', dataDir, '--port', '0', ...args]);
      const { url } = await served.started;
      await stop(served.child);
      expect(url, served.output()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}$/);
      return { token: new URL(url!).hash.slice('#token='.length), output: served.output() };
    };
    const first = await tokenOf();
    expect(first.output).toContain(
      `A new token (first start) is kept in ${path.join(dataDir, 'browser-token')}`,
    );
    const second = await tokenOf();
    expect(second.token).toBe(first.token);
    expect(second.output).toContain('The token is the one kept in');
    const renewed = await tokenOf(['--new-token']);
    expect(renewed.token).not.toBe(first.token);
    expect((await tokenOf()).token).toBe(renewed.token);
  });

  it('takes ALMANAC_TOKEN out of its environment before the first child runs', async () => {
    const token = 'an-environment-token-of-32-chars-or-more';
    const served = serve(['--data-dir', tempDir(), '--port', '0'], { ALMANAC_TOKEN: token }, [
      path.join(root, 'test/support/env-at-spawn.mjs'),
    ]);
    const { url } = await served.started;
    expect(url).toContain(`#token=${token}`);
    const origin = new URL(url!).origin;
    const call = (method: string, input: unknown) =>
      fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }).then((res) => res.json() as Promise<{ ok: boolean; value: { id: string } }>);
    const created = await call('schedules.create', {
      name: 'child',
      trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
      action: { type: 'command', command: 'true' },
    });
    expect(created.ok).toBe(true);
    await call('schedules.runNow', { id: created.value.id });
    await expect
      .poll(served.output, { timeout: 20_000 })
      .toMatch(/env at first spawn: ALMANAC_TOKEN (present|absent)/);
    expect(served.output()).toContain('env at first spawn: ALMANAC_TOKEN absent');
  });
});
