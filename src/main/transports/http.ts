/**
 * Browser mode's transport (DESIGN.md §5): `POST /api/<method>`, `GET /api/events` (Server-Sent
 * Events) and the built renderer, on 127.0.0.1 by default. Every request needs the token; foreign
 * Host and Origin headers are refused (DNS rebinding, cross-site requests).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ErrorCode } from '../../shared/api';
import type { Dispatch, Subscribe } from '../api/dispatch';

export const BODY_LIMIT = 1024 * 1024;
const COOKIE = 'almanac_token';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export interface HttpOptions {
  dispatch: Dispatch;
  subscribe: Subscribe;
  token: string;
  host: string;
  port: number;
  /** The built renderer (out/renderer); omitted in API-only tests. */
  staticDir?: string;
}

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > BODY_LIMIT) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function startHttpServer(options: HttpOptions): Promise<HttpServer> {
  const { dispatch, subscribe, token } = options;
  const clients = new Set<http.ServerResponse>();
  let allowedHosts = new Set<string>();

  const unsubscribe = subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of clients) res.write(frame);
  });

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'The request failed unexpectedly');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host.toLowerCase())) {
      return sendError(res, 403, 'UNAVAILABLE', `Host ${host || '(none)'} is not this server`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      return sendError(res, 403, 'UNAVAILABLE', 'Cross-origin requests are refused');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);

    // The one-time visit with ?token= trades the token for an HttpOnly cookie and a clean URL.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      if (!sameToken(queryToken, token)) return sendError(res, 401, 'UNAVAILABLE', 'Wrong token');
      url.searchParams.delete('token');
      res.writeHead(302, {
        'set-cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname + url.search,
        'cache-control': 'no-store',
      });
      return void res.end();
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const authorized = sameToken(bearer, token) || sameToken(cookieToken(req.headers.cookie), token);
    if (!authorized) {
      if (!url.pathname.startsWith('/api/') && req.method === 'GET') {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
        return void res.end(
          'Almanac needs its token: open the URL that `npm run serve` printed (it ends in ?token=…).\n',
        );
      }
      return sendError(res, 401, 'UNAVAILABLE', 'Missing or wrong token');
    }

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendError(res, 404, 'NOT_FOUND', 'Use GET for /api/events');
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendError(res, 404, 'NOT_FOUND', 'API methods take POST');
      const body = await readBody(req);
      if (body === null) return sendError(res, 413, 'VALIDATION', 'Request body is larger than 1 MiB');
      let input: unknown;
      try {
        input = body.trim() ? JSON.parse(body) : undefined;
      } catch {
        return sendError(res, 400, 'VALIDATION', 'Request body is not valid JSON');
      }
      const result = await dispatch(url.pathname.slice('/api/'.length), input);
      return sendJson(res, result.ok ? 200 : STATUS[result.error.code], result);
    }

    return serveStatic(url.pathname, req, res);
  }

  function serveStatic(pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!options.staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return sendError(res, 404, 'NOT_FOUND', 'Not found');
    }
    const root = path.resolve(options.staticDir);
    let file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
    if (!file.startsWith(root)) return sendError(res, 404, 'NOT_FOUND', 'Not found');
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    if (!fs.existsSync(file))
      return sendError(res, 404, 'NOT_FOUND', 'The renderer is not built: run `npm run build`');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file).pipe(res);
  }

  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
      allowedHosts = new Set([`${hostPart}:${port}`.toLowerCase()]);
      if (options.host === '127.0.0.1' || options.host === '::1') allowedHosts.add(`localhost:${port}`);
      resolve({
        url: `http://${hostPart}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(heartbeat);
            unsubscribe();
            for (const res of clients) res.end();
            clients.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
