/**
 * Browser mode's transport (DESIGN.md §5): `POST /api/<method>`, `GET /api/events` (Server-Sent
 * Events) and the built renderer, on 127.0.0.1 by default. The API needs the token as
 * `Authorization: Bearer`, and nothing else: no cookie, since a cookie would reach every other server
 * on 127.0.0.1 too. The page gets the token from the printed address's fragment. Static files are
 * public (they hold no secrets). Foreign Host and Origin headers are refused (DNS rebinding,
 * cross-site requests), and so is any API body that is not JSON.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ErrorCode, Result } from '../../shared/api';
import { HEARTBEAT_EVENT, HEARTBEAT_MS } from '../../shared/browser-mode';
import type { Dispatch, Download, Downloads, Subscribe } from '../api/dispatch';
import { createAuthThrottle, type AuthThrottle } from './auth-throttle';

export const BODY_LIMIT = 1024 * 1024;
/** How long an idle keep-alive connection stays open (Node's default is 5 s; fetch clients idle out in ~4 s). */
export const KEEP_ALIVE_MS = 60_000;

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
  /** Methods whose answer is a file (`runs.export`): streamed as an attachment, refusals as JSON. */
  downloads?: Downloads;
  token: string;
  host: string;
  port: number;
  /** The built renderer (out/renderer); omitted in API-only tests. */
  staticDir?: string;
  /**
   * The command that started Almanac (e.g. "`npm start`"), so a page without its token is told which
   * terminal holds the address to open.
   */
  launcher?: string;
  /** How wrong tokens are slowed down; one per server by default. */
  throttle?: AuthThrottle;
  /** How often each event stream gets a heartbeat frame. */
  heartbeatMs?: number;
}

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Refusals that are the request's fault: answered with their status, never a 500. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sameToken(given: string, token: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

function bearerOf(header: string | undefined): string | null {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1] ?? null;
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** The request's path, percent-decoded; a malformed escape or a NUL is the request's fault. */
function decodedPath(pathname: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new Refusal(400, 'The path holds a malformed %-escape');
  }
  if (decoded.includes('\0')) throw new Refusal(400, 'The path holds a NUL character');
  return decoded;
}

function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: http.ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: http.OutgoingHttpHeaders = {},
): void {
  sendJson(res, status, { ok: false, error: { code, message } }, headers);
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

/** What a page (or a client) without the right token is told to do. */
export function tokenHint(launcher: string | undefined): string {
  const printed = launcher ? `that ${launcher} printed` : 'that Almanac printed when it started';
  return `open the address ${printed} (it ends in #token=…)`;
}

export function startHttpServer(options: HttpOptions): Promise<HttpServer> {
  const { dispatch, subscribe, token } = options;
  const throttle = options.throttle ?? createAuthThrottle();
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const hint = tokenHint(options.launcher);
  const clients = new Set<http.ServerResponse>();
  let allowedHosts = new Set<string>();
  let heartbeat: NodeJS.Timeout | null = null;

  const unsubscribe = subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of clients) res.write(frame);
  });

  /** Beats only while a page listens: an idle server sets no timer. */
  function follow(res: http.ServerResponse): void {
    clients.add(res);
    heartbeat ??= setInterval(() => {
      for (const client of clients) client.write(`event: ${HEARTBEAT_EVENT}\ndata: {}\n\n`);
    }, heartbeatMs);
    res.on('close', () => {
      clients.delete(res);
      if (clients.size === 0 && heartbeat) {
        clearInterval(heartbeat);
        heartbeat = null;
      }
    });
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof Refusal) return sendError(res, error.status, 'VALIDATION', error.message);
      sendError(res, 500, 'INTERNAL', 'The request failed unexpectedly');
    });
  });
  // An idle keep-alive socket closed by the server just as a client reuses it resets that request
  // (ECONNRESET). Clients let idle sockets go after a few seconds; keeping ours open far longer
  // means the client always lets go first, even when a busy machine delays either side's timer.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 5_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host.toLowerCase())) {
      return sendError(res, 403, 'UNAVAILABLE', `Host ${host || '(none)'} is not this server`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      return sendError(res, 403, 'UNAVAILABLE', 'Cross-origin requests are refused');
    }
    const { pathname } = new URL(req.url ?? '/', `http://${host}`);
    if (!pathname.startsWith('/api/')) return serveStatic(pathname, req, res);

    const client = req.socket.remoteAddress ?? '';
    const wait = throttle.waitMs(client);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return sendError(
        res,
        429,
        'UNAVAILABLE',
        `Too many wrong tokens from this address; try again in ${seconds} s`,
        {
          'retry-after': String(seconds),
        },
      );
    }
    const bearer = bearerOf(req.headers.authorization);
    if (bearer === null) return sendError(res, 401, 'UNAVAILABLE', `Almanac needs its token: ${hint}.`);
    if (!sameToken(bearer, token)) {
      throttle.failed(client);
      return sendError(res, 401, 'UNAVAILABLE', `That is not this server's token: ${hint}.`);
    }

    if (pathname === '/api/events') {
      if (req.method !== 'GET') return sendError(res, 404, 'NOT_FOUND', 'Use GET for /api/events');
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      follow(res);
      return;
    }

    if (req.method !== 'POST') return sendError(res, 404, 'NOT_FOUND', 'API methods take POST');
    // A cross-site form can only send text/plain, urlencoded or multipart bodies: none gets in.
    if (!isJson(req.headers['content-type'])) {
      return sendError(res, 415, 'VALIDATION', 'API calls take a JSON body (content-type: application/json)');
    }
    const body = await readBody(req);
    if (body === null) return sendError(res, 413, 'VALIDATION', 'Request body is larger than 1 MiB');
    let input: unknown;
    try {
      input = body.trim() ? JSON.parse(body) : undefined;
    } catch {
      return sendError(res, 400, 'VALIDATION', 'Request body is not valid JSON');
    }
    const method = pathname.slice('/api/'.length);
    const download = options.downloads?.(method, input);
    if (download) return sendDownload(res, await download);
    const result = await dispatch(method, input);
    return sendJson(res, result.ok ? 200 : STATUS[result.error.code], result);
  }

  /** A file, page by page as main writes it, waiting for the socket where the page reads slowly. */
  async function sendDownload(res: http.ServerResponse, result: Result<Download>): Promise<void> {
    if (!result.ok) return sendJson(res, STATUS[result.error.code], result);
    const { filename, contentType, rows, chunks } = result.value;
    res.writeHead(200, {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
      'x-almanac-rows': String(rows),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    for await (const chunk of chunks) {
      if (res.destroyed) break;
      if (!res.write(chunk))
        await Promise.race([new Promise((resolve) => res.once('drain', resolve)), closed]);
    }
    res.end();
  }

  /**
   * The built renderer, public. Only files whose real path (symbolic links resolved) lies inside
   * the real root are served; a path that leaves the root is not found, and a missing file inside it
   * gets index.html (the page routes by its fragment).
   */
  async function serveStatic(
    pathname: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    if (!options.staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return sendError(res, 404, 'NOT_FOUND', 'Not found');
    }
    let root: string;
    try {
      root = await fs.promises.realpath(options.staticDir);
    } catch {
      return sendError(res, 404, 'NOT_FOUND', 'The renderer is not built: run `npm run build`');
    }
    const wanted = path.resolve(root, `.${decodedPath(pathname)}`);
    if (!inside(root, wanted)) return sendError(res, 404, 'NOT_FOUND', 'Not found');
    let file = await realFile(wanted);
    if (file === undefined) file = await realFile(path.join(root, 'index.html'));
    if (file === undefined)
      return sendError(res, 404, 'NOT_FOUND', 'The renderer is not built: run `npm run build`');
    if (file === null || !inside(root, file)) return sendError(res, 404, 'NOT_FOUND', 'Not found');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  /** The real path of a regular file; undefined when there is none (or a folder), null when it is not a regular file. */
  async function realFile(file: string): Promise<string | null | undefined> {
    try {
      const real = await fs.promises.realpath(file);
      const stat = await fs.promises.stat(real);
      if (stat.isDirectory()) return undefined;
      return stat.isFile() ? real : null;
    } catch {
      return undefined;
    }
  }

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
            if (heartbeat) clearInterval(heartbeat);
            heartbeat = null;
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
