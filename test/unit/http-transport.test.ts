import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../src/main/transports/http';
import { startTestApp, type TestApp } from '../support/engine';
import http from 'node:http';

let app: TestApp;
let server: HttpServer;
const token = 'secret-token';

beforeAll(async () => {
  app = startTestApp();
  server = await startHttpServer({
    dispatch: app.dispatch,
    subscribe: app.subscribe,
    token,
    host: '127.0.0.1',
    port: 0,
  });
});
afterAll(async () => {
  await server.close();
  app.close();
});

/** Raw requests, so Host and Origin can be set to anything. */
function request(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'POST',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

describe('browser mode: the token, Host and Origin rules', () => {
  it('answers a call with the token', async () => {
    const res = await request('/api/schedules.list', { headers: auth, body: '{}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { items: [] } });
  });

  it('refuses a call without the token (401)', async () => {
    const res = await request('/api/schedules.list', { body: '{}' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('refuses a wrong token (401)', async () => {
    const res = await request('/api/schedules.list', {
      headers: { authorization: 'Bearer nope' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Host, which blocks DNS rebinding (403)', async () => {
    const res = await request('/api/schedules.list', {
      headers: { ...auth, host: `evil.example:${server.port}` },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('refuses a cross-origin Origin (403) and accepts its own', async () => {
    const foreign = await request('/api/schedules.list', {
      headers: { ...auth, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const own = await request('/api/schedules.list', {
      headers: { ...auth, origin: `http://127.0.0.1:${server.port}` },
      body: '{}',
    });
    expect(own.status).toBe(200);
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie and a clean URL', async () => {
    const res = await request(`/?token=${token}`, { method: 'GET' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await request('/api/schedules.list', {
      headers: { cookie: cookie.split(';')[0]! },
      body: '{}',
    });
    expect(withCookie.status).toBe(200);
  });

  it('refuses bodies over 1 MiB (413) and bad JSON (400)', async () => {
    const big = await request('/api/schedules.list', {
      headers: auth,
      body: `{"search":"${'x'.repeat(1024 * 1024)}"}`,
    });
    expect(big.status).toBe(413);
    const bad = await request('/api/schedules.list', { headers: auth, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('maps contract errors to HTTP statuses (400 validation, 404 not found)', async () => {
    const invalid = await request('/api/schedules.create', { headers: auth, body: '{"name":""}' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.issues.length).toBeGreaterThan(0);
    const missing = await request('/api/schedules.get', { headers: auth, body: '{"id":"nope"}' });
    expect(missing.status).toBe(404);
  });

  it('streams contract events as Server-Sent Events', async () => {
    const frames = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/api/events', method: 'GET', headers: auth },
        (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('event: schedule.changed')) {
              req.destroy();
              resolve(text);
            }
          });
          void app.dispatch('schedules.create', {
            name: 'Evented',
            trigger: { type: 'cron', expression: '0 0 * * *', timezone: 'UTC' },
            action: { type: 'command', command: 'true' },
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(frames).toMatch(/event: schedule\.changed\ndata: \{.*"name":"Evented"/);
  });
});
