/** The http runner against a real server on 127.0.0.1: requests, statuses, timeouts and plain failure reasons. */
import { afterEach, describe, expect, it } from 'vitest';
import { runHttp } from '../../src/main/engine/runners/http';
import { HttpAction } from '../../src/shared/domain';
import { freePort, startServer, type TestServer } from '../support/http-server';
import { waitUntil } from '../support/processes';
import { testContext } from '../support/run-context';

const http = (input: Record<string, unknown>) => HttpAction.parse({ type: 'http', ...input });
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('http action', () => {
  it('sends method, headers and body; records the status and the response', async () => {
    server = await startServer((request, response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ got: request.body }));
    });
    const { context, output } = testContext();
    const outcome = await runHttp(
      http({
        method: 'POST',
        url: `${server.url}/hook?x=1`,
        headers: { 'X-Almanac': 'yes' },
        body: 'payload',
      }),
      context,
    );
    expect(outcome).toMatchObject({ status: 'succeeded', httpStatus: 201, reason: null });
    expect(output()).toBe('{"got":"payload"}');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/hook?x=1', body: 'payload' });
    expect(server.requests[0]!.headers['x-almanac']).toBe('yes');
  });

  it('a status outside 200–299 fails by default; expectStatus says which statuses are success', async () => {
    server = await startServer((_, response) => {
      response.writeHead(503);
      response.end('busy');
    });
    const first = testContext();
    expect(await runHttp(http({ url: server.url }), first.context)).toMatchObject({
      status: 'failed',
      httpStatus: 503,
      reason: 'HTTP 503 Service Unavailable was not an expected status (200–299)',
    });
    const second = testContext();
    expect(await runHttp(http({ url: server.url, expectStatus: [503] }), second.context)).toMatchObject({
      status: 'succeeded',
      httpStatus: 503,
    });
  });

  it('a timeout aborts the request through the abort signal', async () => {
    server = await startServer(() => {
      // never answers
    });
    const { context, controller } = testContext();
    const running = runHttp(http({ url: server.url }), context);
    await waitUntil(() => server!.requests.length === 1);
    controller.abort('timeout');
    expect(await running).toMatchObject({
      status: 'timed-out',
      reason: 'Timed out; the request was aborted',
    });
  });

  it('a response still streaming is aborted too, keeping what came', async () => {
    server = await startServer((_, response) => {
      response.writeHead(200);
      response.write('first part\n');
    });
    const { context, controller, output } = testContext();
    const running = runHttp(http({ url: server.url }), context);
    await waitUntil(() => output().includes('first part'));
    controller.abort('cancel');
    expect(await running).toMatchObject({ status: 'cancelled', httpStatus: 200 });
    expect(output()).toBe('first part\n');
  });

  it('a refused connection is a failed run with a plain reason', async () => {
    const port = await freePort();
    const { context } = testContext();
    expect(await runHttp(http({ url: `http://127.0.0.1:${port}/` }), context)).toMatchObject({
      status: 'failed',
      reason: `Connection refused by 127.0.0.1:${port}`,
    });
  });

  it('a DNS failure is a failed run with a plain reason', async () => {
    const { context } = testContext();
    expect(await runHttp(http({ url: 'http://almanac-test.invalid/' }), context)).toMatchObject({
      status: 'failed',
      reason: 'Host not found: almanac-test.invalid (DNS lookup failed)',
    });
  });
});
