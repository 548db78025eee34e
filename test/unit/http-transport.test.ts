import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthThrottle } from '../../src/main/transports/auth-throttle';
import { startHttpServer, type HttpServer } from '../../src/main/transports/http';
import { startTestApp, tempDir, type TestApp } from '../support/engine';
import { FakeClock } from '../support/fake-clock';

let app: TestApp;
let server: HttpServer;
const token = 'a-test-token-of-at-least-32-characters';

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

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw requests, so Host and Origin can be set to anything. */
function request(
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; port?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: options.port ?? server.port,
        path: target,
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

/** Bytes as sent, for request lines and headers that http.request would refuse to write; the server closes after answering. */
function rawRequest(text: string, port = server.port): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);

describe('no ambient credential: the token travels only as Authorization: Bearer', () => {
  it('a ?token= visit sets no cookie and redirects nowhere', async () => {
    const res = await request(`/?token=${token}`, { method: 'GET' });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();
    expect(res.status).not.toBe(302);
  });

  it('a cookie holding the token opens nothing', async () => {
    const res = await request('/api/schedules.list', {
      headers: { cookie: `almanac_token=${encodeURIComponent(token)}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });

  it('the event stream needs the token as well', async () => {
    const res = await request('/api/events', { method: 'GET' });
    expect(res.status).toBe(401);
  });

  it('a page without the token is told which address to open, naming the command that started Almanac', async () => {
    const other = await startHttpServer({
      dispatch: app.dispatch,
      subscribe: app.subscribe,
      token,
      host: '127.0.0.1',
      port: 0,
      launcher: '`npm start`',
    });
    try {
      const missing = await request('/api/app.status', {
        port: other.port,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(JSON.parse(missing.body).error.message).toBe(
        'Almanac needs its token: open the address that `npm start` printed (it ends in #token=…).',
      );
    } finally {
      await other.close();
    }
  });
});

describe('the API takes JSON only', () => {
  it.each([
    ['text/plain (a cross-site form)', 'text/plain'],
    ['urlencoded (curl -d, a form)', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['no content type at all', undefined],
  ])('a %s body is refused with 415 and nothing is stored', async (_what, type) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (type) headers['content-type'] = type;
    const res = await request('/api/schedules.create', {
      headers,
      body: JSON.stringify({
        name: 'Planted',
        trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
        action: { type: 'command', command: 'true' },
      }),
    });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(app.engine.listSchedules().some((s) => s.name === 'Planted')).toBe(false);
  });

  it('application/json with a charset is JSON', async () => {
    const res = await request('/api/schedules.list', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'Application/JSON; charset=utf-8' },
      body: '{}',
    });
    expect(res.status).toBe(200);
  });
});

describe('static files: public, and only from inside the real root', () => {
  let staticServer: HttpServer;
  let base: string;
  beforeAll(async () => {
    base = fs.realpathSync(tempDir());
    const root = path.join(base, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Almanac</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    // a sibling whose name starts like the root's: "renderer-private" begins with "renderer"
    fs.mkdirSync(path.join(base, 'renderer-private'));
    fs.writeFileSync(path.join(base, 'renderer-private', 'secret.txt'), 'SIBLING-SECRET');
    fs.writeFileSync(path.join(base, 'outside.txt'), 'OUTSIDE-SECRET');
    fs.symlinkSync(path.join(base, 'outside.txt'), path.join(root, 'outside-link.txt'));
    if (fs.existsSync('/etc/hostname')) fs.symlinkSync('/etc/hostname', path.join(root, 'hostname'));
    fs.symlinkSync(path.join(base, 'renderer-private'), path.join(root, 'private-dir'));
    staticServer = await startHttpServer({
      dispatch: app.dispatch,
      subscribe: app.subscribe,
      token,
      host: '127.0.0.1',
      port: 0,
      staticDir: root,
    });
  });
  afterAll(() => staticServer.close());

  /** With the token, so a root escape is refused for being one, not for want of a token. */
  const get = (target: string) =>
    request(target, {
      method: 'GET',
      port: staticServer.port,
      headers: { authorization: `Bearer ${token}` },
    });

  it('serves the page and its assets without the token (they hold no secrets)', async () => {
    const page = await request('/', { method: 'GET', port: staticServer.port });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Almanac</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await request('/assets/app.js', { method: 'GET', port: staticServer.port });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/text\/javascript/);
  });

  it.each([
    ['an encoded climb into a sibling named like the root', '/..%2frenderer-private%2fsecret.txt', 404],
    ['an encoded climb to the parent', '/%2f..%2foutside.txt', 404],
    ['a symbolic link to a file outside the root', '/outside-link.txt', 404],
    ['a file inside a linked folder outside the root', '/private-dir/secret.txt', 404],
    // the URL parser resolves these inside the root, where no such file is: the page comes back
    ['a dotted climb, which URL parsing folds away', '/%2e%2e/renderer-private/secret.txt', 200],
    ['a backslash climb (a file name character on POSIX)', '/..%5crenderer-private%5csecret.txt', 200],
  ])('does not serve %s', async (_what, target, status) => {
    const res = await get(target);
    expect(res.status).toBe(status);
    expect(res.body).not.toMatch(/SECRET/);
  });

  it.skipIf(!fs.existsSync('/etc/hostname'))('does not serve a symbolic link to /etc/hostname', async () => {
    const res = await get('/hostname');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(fs.readFileSync('/etc/hostname', 'utf8').trim());
  });

  it('answers a path that does not exist with the page (it routes by its fragment)', async () => {
    const res = await get('/calendar');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Almanac</title>');
  });

  it('never redirects off this server: GET /.//evil.example/?token=… is the page, not a Location', async () => {
    const res = await get(`/.//evil.example/?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    const raw = await rawRequest(
      `GET //evil.example/%2f.. HTTP/1.1\r\nHost: 127.0.0.1:${staticServer.port}\r\nConnection: close\r\n\r\n`,
      staticServer.port,
    );
    expect(statusOf(raw)).toBe(404); // "//.." climbs out of the root
    expect(raw).not.toMatch(/^location:/im);
  });
});

describe('bad encoding is the request’s fault: 4xx, never 500', () => {
  let staticServer: HttpServer;
  beforeAll(async () => {
    const root = path.join(tempDir(), 'renderer');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
    staticServer = await startHttpServer({
      dispatch: app.dispatch,
      subscribe: app.subscribe,
      token,
      host: '127.0.0.1',
      port: 0,
      staticDir: root,
    });
  });
  afterAll(() => staticServer.close());

  it.each([
    ['a malformed %-escape in a page path', '/%E0%A4%A'],
    ['a lone %', '/%'],
    ['%zz', '/%zz/index.html'],
    ['an encoded NUL', '/index.html%00.js'],
  ])('%s → 400', async (_what, target) => {
    const res = await request(target, {
      method: 'GET',
      port: staticServer.port,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
  });

  it('a malformed %-escape in an API path, a query, a cookie or the token is a 4xx', async () => {
    const answers = await Promise.all([
      request('/api/%E0%A4%A', { headers: auth, body: '{}', port: staticServer.port }),
      request('/?q=%E0%A4%A', { method: 'GET', port: staticServer.port }),
      request('/api/schedules.list', {
        headers: { ...auth, cookie: 'almanac_token=%E0%A4%A' },
        body: '{}',
        port: staticServer.port,
      }),
      request('/api/schedules.list', {
        headers: { authorization: 'Bearer %E0%A4%A', 'content-type': 'application/json' },
        body: '{}',
        port: staticServer.port,
      }),
    ]);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toEqual([404, 200, 200, 401]);
  });

  it('a request line or header Node cannot parse gets 400', async () => {
    const badHeader = await rawRequest(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${staticServer.port}\r\nX-Bad\u0001: %\r\n\r\n`,
      staticServer.port,
    );
    expect(statusOf(badHeader)).toBe(400);
    const badLine = await rawRequest(`GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n`, staticServer.port);
    expect(statusOf(badLine)).toBe(400);
  });
});

describe('wrong tokens are slowed down, per client', () => {
  it('ten wrong tokens at once, then one a second: over budget even the right token waits (nothing is compared)', async () => {
    const clock = new FakeClock('2026-03-01T00:00:00Z');
    const throttled = await startHttpServer({
      dispatch: app.dispatch,
      subscribe: app.subscribe,
      token,
      host: '127.0.0.1',
      port: 0,
      throttle: createAuthThrottle({ burst: 10, refillMs: 1000, now: () => clock.now() }),
    });
    const call = (bearer: string) =>
      request('/api/schedules.list', {
        port: throttled.port,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: '{}',
      });
    try {
      // no token at all is not a guess: a page opened without its token must still be told what to do
      for (let i = 0; i < 15; i++)
        expect((await request('/api/app.status', { port: throttled.port, body: '{}' })).status).toBe(401);
      for (let i = 0; i < 10; i++) expect((await call(`wrong-${i}`)).status).toBe(401);
      const refused = await call(token);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(JSON.parse(refused.body).error.message).toMatch(/Too many wrong tokens/);
      clock.advance(999);
      expect((await call(token)).status).toBe(429);
      clock.advance(1);
      expect((await call('wrong-again')).status).toBe(401);
      expect((await call(token)).status).toBe(429);
      clock.advance(1000);
      expect((await call(token)).status).toBe(200);
    } finally {
      await throttled.close();
    }
  });
});

describe('the event stream beats while a page listens', () => {
  it('sends a heartbeat frame every heartbeatMs to each stream', async () => {
    const beating = await startHttpServer({
      dispatch: app.dispatch,
      subscribe: app.subscribe,
      token,
      host: '127.0.0.1',
      port: 0,
      heartbeatMs: 30,
    });
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: beating.port, path: '/api/events', method: 'GET', headers: auth },
          (res) => {
            let seen = '';
            res.on('data', (chunk: Buffer) => {
              seen += chunk.toString();
              if (seen.split('event: heartbeat\ndata: {}\n\n').length > 3) {
                req.destroy();
                resolve(seen);
              }
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(text.startsWith(': connected\n\n')).toBe(true);
    } finally {
      await beating.close();
    }
  });
});
