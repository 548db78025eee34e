/**
 * The contract seen from outside (DESIGN.md §5): a `Caller` is one door into the API. The same
 * suite runs through every door, so the in-process handler table and browser mode's HTTP server
 * cannot drift apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorCode, Result } from '../../src/shared/api';
import type { App } from '../../src/main/app';
import { startHttpServer, type HttpServer } from '../../src/main/transports/http';

export type Caller = (method: string, input: unknown) => Promise<Result<unknown>>;

export interface Door {
  call: Caller;
  close(): Promise<void>;
}

/** The HTTP status each error code must travel with (200 for a value). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** In process: the dispatch table both transports sit on. */
export function inProcessDoor(app: Pick<App, 'dispatch'>): Door {
  return { call: (method, input) => app.dispatch(method, input), close: async () => {} };
}

export interface HttpDoor extends Door {
  server: HttpServer;
  token: string;
  /** A raw request to `/api/<method>` with the token: status and the parsed (or raw) answer. */
  post(method: string, body: string | Buffer): Promise<{ status: number; body: unknown }>;
}

/**
 * Over HTTP: a real browser-mode server on a free port in front of the app. Every answer must
 * carry the status that matches its code, or the call throws (the transport broke the contract).
 */
export async function httpDoor(
  app: Pick<App, 'dispatch' | 'subscribe'> & Partial<Pick<App, 'downloads'>>,
): Promise<HttpDoor> {
  const token = `contract-${Math.random().toString(36).slice(2)}`;
  const server = await startHttpServer({
    dispatch: app.dispatch,
    subscribe: app.subscribe,
    downloads: app.downloads,
    token,
    host: '127.0.0.1',
    port: 0,
  });
  const post = async (method: string, body: string | Buffer) => {
    const res = await fetch(`${server.url}api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    const attachment = /^attachment;\s*filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
    if (attachment) {
      // A download (runs.export): the file, as the value the in-process door would describe.
      if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} with an attachment`);
      const rows = Number(res.headers.get('x-almanac-rows'));
      const value = {
        rows,
        path: null,
        filename: attachment[1],
        contentType: res.headers.get('content-type'),
        file: text,
      };
      return { status: res.status, body: { ok: true, value } as unknown };
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // left as text: the caller asserts on it
    }
    return { status: res.status, body: parsed };
  };
  const call: Caller = async (method, input) => {
    const text = input === undefined ? '' : JSON.stringify(input);
    const { status, body } = await post(method, text);
    const result = body as Result<unknown>;
    if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
      throw new Error(`${method}: HTTP ${status} answered something that is not a Result: ${String(body)}`);
    }
    const expected = result.ok ? 200 : HTTP_STATUS[result.error.code];
    if (status !== expected) {
      throw new Error(
        `${method}: HTTP ${status} for ${JSON.stringify(result).slice(0, 300)}, expected ${expected}`,
      );
    }
    return result;
  };
  return { call, post, server, token, close: () => server.close() };
}

export type DoorFactory = (app: App) => Promise<Door>;

export const doors: [name: string, make: DoorFactory][] = [
  ['in process', async (app) => inProcessDoor(app)],
  ['over HTTP', (app) => httpDoor(app)],
];

/** The database files as bytes: what a refused call must leave exactly as it found them. */
export interface DbSnapshot {
  db: Buffer;
  wal: Buffer | null;
}

export function snapshotDb(dataDir: string): DbSnapshot {
  const file = path.join(dataDir, 'almanac.db');
  const wal = `${file}-wal`;
  return { db: fs.readFileSync(file), wal: fs.existsSync(wal) ? fs.readFileSync(wal) : null };
}

export function sameDb(a: DbSnapshot, b: DbSnapshot): boolean {
  return a.db.equals(b.db) && (a.wal === null ? b.wal === null : b.wal !== null && a.wal.equals(b.wal));
}

const ULID = /[0-9A-HJKMNP-TV-Z]{26}/g;

/**
 * Makes two answers from two apps comparable: every id (a ULID, also inside messages and
 * cursors) becomes an ordinal placeholder in order of first appearance, and the data directory a
 * constant. Instants come from the same fake clock and stay as they are.
 */
export function normalise(value: unknown, dataDirs: string[]): unknown {
  const ids = new Map<string, string>();
  const id = (ulid: string) => {
    if (!ids.has(ulid)) ids.set(ulid, `<id${ids.size}>`);
    return ids.get(ulid)!;
  };
  const text = (s: string) => {
    let out = s;
    for (const dir of dataDirs) out = out.split(dir).join('<dataDir>');
    return out.replace(ULID, id);
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (key === 'nextCursor') {
        const decoded = Buffer.from(v, 'base64url').toString();
        return `<cursor ${text(decoded)}>`;
      }
      return text(v);
    }
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    }
    return v;
  };
  return walk(value);
}
