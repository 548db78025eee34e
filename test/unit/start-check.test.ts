/**
 * How much of the database is checked at start: after a clean close only the header (the full
 * integrity check runs in a worker once the app answers); after a crash — here a real kill -9 of
 * an engine process — the whole file, before anything opens it. Damage is found either way: at
 * once after a crash, and by the background check (then restored at the next start) after a clean
 * close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/shared/api';
import { startApp } from '../../src/main/app';
import { backupDatabase, checkDatabase, Store } from '../../src/main/store';
import { SESSION_MARKER } from '../../src/main/store/session-marker';
import { call, tempDir } from '../support/engine';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.length = 0;
});

/** A log that keeps what it hears. */
function keptLog() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    },
  };
}

/** A data dir with `count` schedules and their runs (many pages), closed cleanly, and a backup of it. */
async function dataDirWithBackup(count = 3): Promise<string> {
  const dataDir = tempDir();
  const store = Store.open(dataDir);
  const insert = store.db.prepare(
    `INSERT INTO schedules (id, name, trigger, action, policy, created_at, updated_at)
     VALUES (?, ?, '{"type":"cron","expression":"0 0 1 1 *","timezone":"UTC"}', '{"type":"reminder","title":"t"}', '{}', 0, 0)`,
  );
  const run = store.db.prepare(
    "INSERT INTO runs (id, schedule_id, scheduled_at, at, trigger, status, output) VALUES (?, ?, ?, ?, 'schedule', 'succeeded', ?)",
  );
  store.transaction(() => {
    for (let s = 0; s < count; s++) {
      insert.run(`id-${s}`, `schedule ${s}`);
      for (let i = 0; i < 400; i++) run.run(`r${s}-${i}`, `id-${s}`, i, i, 'output '.repeat(20));
    }
  });
  await backupDatabase(store.db, dataDir, { at: Date.now() - 3_600_000 });
  store.close();
  return dataDir;
}

/**
 * Breaks b-tree pages in the second half of the file (where rows went, after the tables were
 * created): the header, the schema and each tree's root page stay readable.
 */
function damagePages(file: string): void {
  const fd = fs.openSync(file, 'r+');
  const size = fs.fstatSync(fd).size;
  for (let at = Math.ceil(size / 2 / 4096) * 4096; at < size; at += 4096 * 3)
    fs.writeSync(fd, Buffer.alloc(600, 0xff), 0, 600, at + 40);
  fs.closeSync(fd);
}

function spawnEngine(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/engine-child.ts', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`engine exited (${code}): ${err}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
  );

describe('the header check', () => {
  it('passes a file with broken pages that the full check finds, and still refuses one that is not a database', async () => {
    const dataDir = await dataDirWithBackup();
    const file = path.join(dataDir, 'almanac.db');
    damagePages(file);
    expect(checkDatabase(file, { depth: 'header' })).toBeNull();
    expect(checkDatabase(file)).toMatch(/.+/);
    fs.writeFileSync(file, 'not a database at all '.repeat(100));
    expect(checkDatabase(file, { depth: 'header' })).toMatch(/not a database/);
  });
});

describe('after a clean close', () => {
  it('the marker is gone, and the next start checks fully in the background: intact says nothing', async () => {
    const dataDir = await dataDirWithBackup();
    const app = startApp({ dataDir, mode: 'browser', version: 'test', log: keptLog().log });
    expect(fs.existsSync(path.join(dataDir, SESSION_MARKER))).toBe(true);
    app.start();
    await expect(app.integrityChecked).resolves.toBeNull();
    expect((await call<AppStatus>(app, 'app.status', {})).notices).toEqual([]);
    app.close();
    expect(fs.existsSync(path.join(dataDir, SESSION_MARKER))).toBe(false);
  });

  it('damage the start does not look for is found by the background check, told, and repaired at the next start', async () => {
    const dataDir = await dataDirWithBackup();
    const file = path.join(dataDir, 'almanac.db');
    damagePages(file);
    const first = keptLog();
    const app = startApp({ dataDir, mode: 'browser', version: 'test', log: first.log });
    try {
      app.start();
      const problem = await app.integrityChecked;
      expect(problem).toMatch(/.+/);
      const status = await call<AppStatus>(app, 'app.status', {});
      expect(status.notices).toHaveLength(1);
      expect(status.notices[0]).toMatchObject({ level: 'error' });
      expect(status.notices[0]!.message).toMatch(/restore the newest intact backup when it next starts/);
      expect(first.lines).toContain(`error ${status.notices[0]!.message}`);
    } finally {
      app.close();
    }
    // the marker stays, so the next start checks the whole file before opening it, and restores
    expect(fs.readFileSync(path.join(dataDir, SESSION_MARKER), 'utf8')).toMatch(/check fully/);
    const next = keptLog();
    const again = startApp({ dataDir, mode: 'browser', version: 'test', log: next.log });
    try {
      const status = await call<AppStatus>(again, 'app.status', {});
      expect(status.notices.map((notice) => notice.level)).toEqual(['warning']);
      expect(status.notices[0]!.message).toMatch(/restored the backup/);
      expect(fs.readdirSync(dataDir).some((name) => name.startsWith('almanac.db.corrupt-'))).toBe(true);
      expect(again.store.schedules.all()).toHaveLength(3);
    } finally {
      again.close();
    }
  });
});

describe('after a kill -9', () => {
  it('the marker is left behind, and the next start checks the whole file before it opens it', async () => {
    const dataDir = await dataDirWithBackup();
    const child = await spawnEngine(dataDir);
    expect(fs.existsSync(path.join(dataDir, SESSION_MARKER))).toBe(true);
    child.kill('SIGKILL');
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dataDir, SESSION_MARKER))).toBe(true);

    // intact: the full check runs at start (and says so), none in the background
    const kept = keptLog();
    const app = startApp({ dataDir, mode: 'browser', version: 'test', log: kept.log });
    try {
      expect(kept.lines.some((line) => /did not close cleanly: checked the whole database/.test(line))).toBe(
        true,
      );
      app.start();
      await expect(app.integrityChecked).resolves.toBeUndefined();
      expect((await call<AppStatus>(app, 'app.status', {})).notices).toEqual([]);
    } finally {
      app.close();
    }
    expect(fs.existsSync(path.join(dataDir, SESSION_MARKER))).toBe(false);
  });

  it('damaged pages after a crash are found at start, moved aside and the backup restored', async () => {
    const dataDir = await dataDirWithBackup();
    const child = await spawnEngine(dataDir);
    child.kill('SIGKILL');
    await exited(child);
    const file = path.join(dataDir, 'almanac.db');
    // fold the log into the file first, as a reader would after the crash, then break pages
    const store = Store.open(dataDir);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    damagePages(file);
    const app = startApp({ dataDir, mode: 'browser', version: 'test', log: keptLog().log });
    try {
      const status = await call<AppStatus>(app, 'app.status', {});
      expect(status.notices.map((notice) => notice.level)).toEqual(['warning']);
      expect(status.notices[0]!.message).toMatch(/restored the backup/);
      expect(app.store.schedules.all()).toHaveLength(3);
    } finally {
      app.close();
    }
  });
});
