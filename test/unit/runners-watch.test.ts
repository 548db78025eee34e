/** The watch action through the engine: real probes (server, processes), intervals on the fake clock. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startTestApp, tempDir, type TestApp } from '../support/engine';
import { advanceUntil, create, detail, realSleep, runsOf } from '../support/engine-runs';
import { startServer, type TestServer } from '../support/http-server';

let app: TestApp;
let server: TestServer | null = null;
afterEach(async () => {
  app?.close();
  await server?.close();
  server = null;
});

/** Answers the n-th request with the n-th response (the last one repeats). */
function sequence(responses: { status: number; body: string }[]) {
  let n = 0;
  return startServer((_, response) => {
    const next = responses[Math.min(n++, responses.length - 1)]!;
    response.writeHead(next.status, { 'content-type': 'application/json' });
    response.end(next.body);
  });
}

describe('watch', () => {
  it('polls an http probe every intervalSeconds and succeeds on the third probe', async () => {
    app = startTestApp();
    server = await sequence([
      { status: 503, body: '{"state":"starting"}' },
      { status: 503, body: '{"state":"starting"}' },
      { status: 200, body: '{"state":"ready"}' },
    ]);
    const s = await create(app, {
      name: 'deploy check',
      action: {
        type: 'watch',
        probe: { type: 'http', url: `${server.url}/health` },
        until: { type: 'status', in: [200, 204] },
        intervalSeconds: 10,
        maxAttempts: 5,
        probeTimeoutSeconds: 3600,
        onSuccessMessage: '{name} is up after {attempts} probes: {result}',
      },
    });
    const run = await call<{ id: string }>(app, 'schedules.runNow', { id: s.id });
    await advanceUntil(app, () => server!.requests.length === 1, 0);
    await realSleep(100);
    expect(server.requests).toHaveLength(1); // the next probe waits for the clock
    await advanceUntil(app, () => server!.requests.length === 3, 10_000);
    await app.engine.whenIdle();
    const done = await detail(app, run.id);
    expect(done).toMatchObject({ status: 'succeeded', httpStatus: 200, trigger: 'manual', attempt: 1 });
    expect(done.output).toMatch(/\[attempt 1\/5\] HTTP 503: not yet \(status 503 is not one of 200, 204\)/);
    expect(done.output).toMatch(/\[attempt 2\/5\] HTTP 503: not yet/);
    expect(done.output).toMatch(/\[attempt 3\/5\] HTTP 200: condition met/);
    expect(app.of('notification')).toEqual([
      {
        scheduleId: s.id,
        runId: run.id,
        title: 'deploy check',
        body: 'deploy check is up after 3 probes: {"state":"ready"}',
        level: 'success',
        count: 1,
      },
    ]);
    expect((await runsOf(app, s.id)).map((r) => r.status)).toEqual(['succeeded']); // one run, not three
  });

  it('a JSON field condition: a dotted path equal to one of the values', async () => {
    app = startTestApp();
    server = await sequence([
      { status: 200, body: '{"build":{"runs":[{"state":"pending"}]}}' },
      { status: 200, body: 'not json' },
      { status: 200, body: '{"build":{"runs":[{"state":"skipped"}]}}' },
    ]);
    const s = await create(app, {
      name: 'build',
      action: {
        type: 'watch',
        probe: { type: 'http', url: server.url },
        until: { type: 'json', path: 'build.runs.0.state', equals: ['passed', 'skipped'] },
        intervalSeconds: 5,
        probeTimeoutSeconds: 3600,
      },
    });
    const run = await call<{ id: string }>(app, 'schedules.runNow', { id: s.id });
    await advanceUntil(app, () => server!.requests.length === 3, 5000);
    await app.engine.whenIdle();
    const done = await detail(app, run.id);
    expect(done.status).toBe('succeeded');
    expect(done.output).toContain('build.runs.0.state is "pending", not "passed" or "skipped"');
    expect(done.output).toContain('the output is not JSON');
    expect(done.output).toContain('condition met (build.runs.0.state is "skipped")');
  });

  it('a command probe until exit code 0', async () => {
    app = startTestApp();
    const flag = path.join(tempDir(), 'ready');
    const s = await create(app, {
      name: 'file appears',
      action: {
        type: 'watch',
        probe: { type: 'command', command: `test -f ${flag} && echo found` },
        until: { type: 'exitZero' },
        intervalSeconds: 60,
        probeTimeoutSeconds: 3600,
      },
    });
    const run = await call<{ id: string }>(app, 'schedules.runNow', { id: s.id });
    await advanceUntil(app, () => app.store.runs.get(run.id)!.status === 'running', 0);
    await realSleep(200);
    app.clock.advance(60_000);
    await realSleep(200);
    fs.writeFileSync(flag, '');
    await advanceUntil(app, () => app.store.runs.get(run.id)!.status === 'succeeded', 60_000);
    const done = await detail(app, run.id);
    expect(done.exitCode).toBe(0);
    expect(done.output).toMatch(/\[attempt 1\/20\] exit code 1: not yet/);
    expect(app.of('notification').at(-1)!.body).toMatch(/^The condition held after \d+ attempts: found$/);
  });

  it('when attempts run out the run fails and posts onFailureMessage', async () => {
    app = startTestApp();
    server = await sequence([{ status: 500, body: 'still broken' }]);
    const s = await create(app, {
      name: 'never ready',
      action: {
        type: 'watch',
        probe: { type: 'http', url: server.url },
        intervalSeconds: 30,
        maxAttempts: 3,
        probeTimeoutSeconds: 3600,
        onFailureMessage: '{name} gave up after {attempts} attempts; last said: {result}',
      },
      policy: { notify: 'never' },
    });
    const run = await call<{ id: string }>(app, 'schedules.runNow', { id: s.id });
    await advanceUntil(app, () => app.store.runs.get(run.id)!.status === 'failed', 30_000);
    await app.engine.whenIdle();
    expect(server.requests).toHaveLength(3);
    expect(await detail(app, run.id)).toMatchObject({
      status: 'failed',
      httpStatus: 500,
      reason: 'The condition did not hold after 3 attempts',
    });
    expect(app.of('notification')).toMatchObject([
      { level: 'failure', count: 1, body: 'never ready gave up after 3 attempts; last said: still broken' },
    ]);
  });

  it('a probe that hangs counts as an attempt, ended at probeTimeoutSeconds', async () => {
    app = startTestApp();
    let n = 0;
    server = await startServer((_, response) => {
      if (n++ === 0) return; // the first request hangs
      response.end('ok');
    });
    const s = await create(app, {
      name: 'hangs once',
      action: {
        type: 'watch',
        probe: { type: 'http', url: server.url },
        intervalSeconds: 5,
        probeTimeoutSeconds: 20,
      },
    });
    const run = await call<{ id: string }>(app, 'schedules.runNow', { id: s.id });
    await advanceUntil(app, () => server!.requests.length === 1, 0);
    await advanceUntil(app, () => app.store.runs.get(run.id)!.status === 'succeeded', 5000);
    const done = await detail(app, run.id);
    expect(done.output).toMatch(/\[attempt 1\/20\] timed-out: not yet \(the probe took longer than 20 s\)/);
  });

  it('cancelling a watch stops it between probes', async () => {
    app = startTestApp();
    server = await sequence([{ status: 500, body: '' }]);
    const s = await create(app, {
      name: 'cancel me',
      action: { type: 'watch', probe: { type: 'http', url: server.url }, intervalSeconds: 600 },
    });
    const run = await call<{ id: string }>(app, 'schedules.runNow', { id: s.id });
    await advanceUntil(app, () => server!.requests.length === 1, 0);
    await realSleep(100);
    app.engine.cancelRun(run.id);
    await app.engine.whenIdle();
    expect(await detail(app, run.id)).toMatchObject({
      status: 'cancelled',
      reason: 'Cancelled after 1 probe',
    });
    expect(server.requests).toHaveLength(1);
  });
});
