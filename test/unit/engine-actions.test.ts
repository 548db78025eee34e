/** Actions through the whole engine: timeouts end the process tree, output is capped and streamed, failures are runs. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/api';
import { call, startTestApp, type TestApp } from '../support/engine';
import { create, detail, noneRunning, realSleep } from '../support/engine-runs';
import { freePort, startServer, type TestServer } from '../support/http-server';
import { alive, pidsAfter, waitUntil } from '../support/processes';

let app: TestApp;
let server: TestServer | null = null;
afterEach(async () => {
  app?.close();
  await server?.close();
  server = null;
});

describe('command through the engine', () => {
  it('a command that spawns a grandchild and traps SIGTERM is fully killed on timeout: no pid survives', async () => {
    app = startTestApp();
    const s = await create(app, {
      name: 'stubborn',
      action: {
        type: 'command',
        command: [
          `trap 'echo got-term' TERM`,
          `sh -c 'trap "" TERM; sleep 300 & echo "grandchildren $$ $!"; wait' &`,
          'echo "pids $$ $!"',
          'while :; do wait; done',
        ].join('\n'),
      },
      policy: { timeoutSeconds: 5 },
    });
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    // output reaches run.output events on the engine's throttle
    await waitUntil(() => {
      app.clock.advance(250);
      const text = app
        .of('run.output')
        .map((c) => c.chunk)
        .join('');
      return pidsAfter(text, 'pids').length === 2 && pidsAfter(text, 'grandchildren').length === 2;
    });
    const text = app
      .of('run.output')
      .map((c) => c.chunk)
      .join('');
    const pids = [...pidsAfter(text, 'pids'), ...pidsAfter(text, 'grandchildren')];
    expect(pids.every(alive)).toBe(true);
    app.clock.advance(5000); // the timeout, on the engine's clock
    await noneRunning(app); // the kill grace is real time: SIGTERM, then SIGKILL
    expect(pids.filter(alive)).toEqual([]);
    const done = await detail(app, run.id);
    expect(done).toMatchObject({
      status: 'timed-out',
      signal: 'SIGKILL',
      reason: 'Timed out; the process tree was ended',
    });
    expect(done.output).toContain('got-term');
  });

  it('stdout and stderr are kept in order as a capped tail: head and tail kept, truncation flagged', async () => {
    app = startTestApp();
    const s = await create(app, {
      name: 'chatty',
      action: {
        type: 'command',
        command: `echo FIRST-LINE; echo to-stderr >&2; head -c 600000 /dev/zero | tr '\\0' x; echo; echo LAST-LINE >&2`,
      },
    });
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    await app.engine.whenIdle();
    const done = await detail(app, run.id);
    expect(done.status).toBe('succeeded');
    expect(done.outputTruncated).toBe(true);
    expect(done.output.startsWith('FIRST-LINE\nto-stderr\nxxx')).toBe(true);
    expect(done.output.endsWith('xxx\nLAST-LINE\n')).toBe(true);
    expect(done.output).toMatch(/\n… \[\d+ characters dropped\] …\n/);
    expect(done.output.length).toBeLessThan(256 * 1024 + 100);
  });

  it('output is streamed live as throttled run.output events, in order', async () => {
    app = startTestApp();
    const s = await create(app, {
      name: 'streaming',
      action: { type: 'command', command: 'echo one; sleep 1; echo two >&2; sleep 0.2; echo three' },
    });
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    await realSleep(300);
    expect(app.of('run.output')).toEqual([]); // throttled: nothing until the engine's throttle timer
    await waitUntil(() => {
      app.clock.advance(250);
      return app.of('run.output').length > 0;
    });
    expect(app.of('run.output')).toEqual([{ runId: run.id, scheduleId: s.id, chunk: 'one\n' }]);
    await app.engine.whenIdle();
    expect(
      app
        .of('run.output')
        .map((c) => c.chunk)
        .join(''),
    ).toBe('one\ntwo\nthree\n');
  });

  it('a command that cannot be spawned is a failed run with the reason', async () => {
    app = startTestApp();
    const s = await create(app, {
      name: 'typo',
      action: { type: 'command', command: 'almanac-not-installed --now', shell: false },
    });
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    await app.engine.whenIdle();
    expect(await detail(app, run.id)).toMatchObject({
      status: 'failed',
      exitCode: null,
      reason: 'Command not found: almanac-not-installed',
    });
  });
});

describe('http through the engine', () => {
  it('records status, duration and the response; a refused connection is a failed run', async () => {
    app = startTestApp();
    server = await startServer((_, response) => {
      response.writeHead(200);
      response.end('pong');
    });
    const ok = await create(app, { name: 'ping', action: { type: 'http', url: `${server.url}/ping` } });
    const port = await freePort();
    const refused = await create(app, {
      name: 'down',
      action: { type: 'http', url: `http://127.0.0.1:${port}/` },
    });
    const a = await call<Run>(app, 'schedules.runNow', { id: ok.id });
    const b = await call<Run>(app, 'schedules.runNow', { id: refused.id });
    await app.engine.whenIdle();
    const first = await detail(app, a.id);
    expect(first).toMatchObject({ status: 'succeeded', httpStatus: 200, output: 'pong' });
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    expect(await detail(app, b.id)).toMatchObject({
      status: 'failed',
      httpStatus: null,
      reason: `Connection refused by 127.0.0.1:${port}`,
    });
  });

  it('the timeout aborts a request that hangs', async () => {
    app = startTestApp();
    server = await startServer(() => {});
    const s = await create(app, {
      name: 'hangs',
      action: { type: 'http', url: server.url },
      policy: { timeoutSeconds: 30 },
    });
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    await waitUntil(() => server!.requests.length === 1);
    app.clock.advance(30_000);
    await app.engine.whenIdle();
    expect(await detail(app, run.id)).toMatchObject({
      status: 'timed-out',
      reason: 'Timed out; the request was aborted',
    });
  });
});
