/**
 * A damaged database at start: moved aside (never overwritten), the newest intact backup restored,
 * the person told in app.status and the log; with no backup, an empty start that says so.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/shared/api';
import { startApp } from '../../src/main/app';
import { backupDatabase, checkDatabase, listBackups, recoverDatabase, Store } from '../../src/main/store';
import { call, tempDir } from '../support/engine';

const NOW = Date.parse('2026-03-05T10:00:00.000Z');
const DAY = 24 * 3600_000;

/** A data dir whose database holds `names` as schedules, closed cleanly (no -wal left). */
function dataDirWith(names: string[]): string {
  const dataDir = tempDir();
  const store = Store.open(dataDir);
  addSchedules(store, names);
  store.close();
  return dataDir;
}

function addSchedules(store: Store, names: string[]): void {
  const insert = store.db.prepare(
    `INSERT INTO schedules (id, name, trigger, action, policy, created_at, updated_at)
     VALUES (?, ?, '{"type":"cron","expression":"0 * * * *","timezone":"UTC"}', '{"type":"reminder","title":"t"}', '{}', 0, 0)`,
  );
  const run = store.db.prepare(
    "INSERT INTO runs (id, schedule_id, scheduled_at, at, trigger, status, output) VALUES (?, ?, ?, ?, 'schedule', 'succeeded', ?)",
  );
  store.transaction(() => {
    for (const name of names) {
      insert.run(`id-${name}`, name);
      // enough rows that the file has many pages to damage
      for (let i = 0; i < 400; i++) run.run(`${name}-${i}`, `id-${name}`, i, i, 'output '.repeat(20));
    }
  });
}

async function backupOf(dataDir: string, at: number): Promise<string> {
  const store = Store.open(dataDir);
  try {
    return await backupDatabase(store.db, dataDir, { at });
  } finally {
    store.close();
  }
}

/** Overwrites bytes inside many pages: still an SQLite file, but its b-trees are broken. */
function damagePages(file: string): void {
  const fd = fs.openSync(file, 'r+');
  const size = fs.fstatSync(fd).size;
  for (let at = 4096 * 2; at < size; at += 4096 * 3)
    fs.writeSync(fd, Buffer.alloc(600, 0xff), 0, 600, at + 40);
  fs.closeSync(fd);
}

function scheduleNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM schedules ORDER BY name').all() as { name: string }[]).map(
      (r) => r.name,
    );
  } finally {
    db.close();
  }
}

describe('checking a database at start', () => {
  it('finds an intact file intact, and a file that is not a database or has broken pages damaged', () => {
    const dataDir = dataDirWith(['a']);
    const file = path.join(dataDir, 'almanac.db');
    expect(checkDatabase(file)).toBeNull();
    damagePages(file);
    expect(checkDatabase(file)).toMatch(/.+/);
    fs.writeFileSync(file, 'not a database at all '.repeat(100));
    expect(checkDatabase(file)).toMatch(/not a database/);
  });

  it('does not change the file it checks', () => {
    const dataDir = dataDirWith(['a']);
    const file = path.join(dataDir, 'almanac.db');
    damagePages(file);
    const before = fs.readFileSync(file);
    checkDatabase(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('treats an error that is not about the content (here: a directory in its place) as no reason to move it', () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'almanac.db'));
    expect(() => recoverDatabase(dataDir, { now: NOW })).toThrow();
    expect(fs.statSync(path.join(dataDir, 'almanac.db')).isDirectory()).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual(['almanac.db']);
  });

  it('leaves an intact database and a first start (no file yet) alone, with nothing to tell', () => {
    const dataDir = dataDirWith(['a']);
    expect(recoverDatabase(dataDir, { now: NOW })).toEqual({
      notices: [],
      movedTo: null,
      restoredFrom: null,
    });
    expect(scheduleNames(path.join(dataDir, 'almanac.db'))).toEqual(['a']);
    const empty = tempDir();
    expect(recoverDatabase(empty, { now: NOW }).notices).toEqual([]);
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});

describe('a damaged database at start', () => {
  it('is moved aside with a timestamp, and the newest intact backup is restored', async () => {
    const dataDir = dataDirWith(['a']);
    await backupOf(dataDir, NOW - 2 * DAY);
    const store = Store.open(dataDir);
    addSchedules(store, ['b']);
    store.close();
    const newest = await backupOf(dataDir, NOW - DAY);
    const file = path.join(dataDir, 'almanac.db');
    damagePages(file);
    const damaged = fs.readFileSync(file);

    const result = recoverDatabase(dataDir, { now: NOW });

    expect(result.movedTo).toBe(path.join(dataDir, 'almanac.db.corrupt-20260305T100000000Z'));
    expect(fs.readFileSync(result.movedTo!).equals(damaged)).toBe(true);
    expect(result.restoredFrom).toBe(newest);
    expect(scheduleNames(file)).toEqual(['a', 'b']);
    expect(checkDatabase(file)).toBeNull();
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]!.level).toBe('warning');
    expect(result.notices[0]!.message).toMatch(
      /^The database was damaged, so Almanac restored the backup from 2026-03-04 10:00:00 UTC: changes made after that backup are lost\. The damaged file was kept as almanac\.db\.corrupt-20260305T100000000Z\. \(SQLite: .+\)$/,
    );
    // the backup itself is still there, untouched
    expect(listBackups(dataDir)).toHaveLength(2);
  });

  it('takes its write-ahead log and shared memory with it, so they never meet the restored file', async () => {
    const dataDir = dataDirWith(['a']);
    await backupOf(dataDir, NOW - DAY);
    const file = path.join(dataDir, 'almanac.db');
    damagePages(file);
    fs.writeFileSync(`${file}-wal`, 'log of the damaged file');
    fs.writeFileSync(`${file}-shm`, 'shm of the damaged file');

    const result = recoverDatabase(dataDir, { now: NOW });

    expect(fs.readFileSync(`${result.movedTo}-wal`, 'utf8')).toBe('log of the damaged file');
    // -shm is an index SQLite rebuilds from the log when it reads it; it holds no data of its own
    expect(fs.existsSync(`${result.movedTo}-shm`)).toBe(true);
    expect(fs.existsSync(`${file}-shm`)).toBe(false);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(scheduleNames(file)).toEqual(['a']);
  });

  it('passes over a backup that is damaged too, and says so', async () => {
    const dataDir = dataDirWith(['a']);
    await backupOf(dataDir, NOW - 2 * DAY);
    const broken = await backupOf(dataDir, NOW - DAY);
    damagePages(broken);
    fs.writeFileSync(path.join(dataDir, 'almanac.db'), 'garbage '.repeat(500));

    const result = recoverDatabase(dataDir, { now: NOW });

    expect(result.restoredFrom).not.toBe(broken);
    expect(result.notices[0]!.message).toMatch(/restored the backup from 2026-03-03 10:00:00 UTC/);
    expect(result.notices[0]!.message).toContain(path.basename(broken));
    expect(scheduleNames(path.join(dataDir, 'almanac.db'))).toEqual(['a']);
  });

  it('with no backup, starts empty and says so', () => {
    const dataDir = dataDirWith(['a']);
    damagePages(path.join(dataDir, 'almanac.db'));
    const result = recoverDatabase(dataDir, { now: NOW });
    expect(result.restoredFrom).toBeNull();
    expect(fs.existsSync(path.join(dataDir, 'almanac.db'))).toBe(false);
    expect(result.notices).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(
          /^The database was damaged and there is no usable backup, so Almanac started with an empty database\. The damaged file was kept as almanac\.db\.corrupt-20260305T100000000Z\. \(SQLite: .+\)$/,
        ) as unknown as string,
      },
    ]);
  });

  it('never renames over an earlier damaged file moved aside in the same millisecond', () => {
    const dataDir = dataDirWith(['a']);
    const file = path.join(dataDir, 'almanac.db');
    fs.writeFileSync(file, 'first damaged file '.repeat(100));
    const first = recoverDatabase(dataDir, { now: NOW }).movedTo!;
    fs.writeFileSync(file, 'second damaged file '.repeat(100));
    const second = recoverDatabase(dataDir, { now: NOW }).movedTo!;
    expect(second).not.toBe(first);
    expect(fs.readFileSync(first, 'utf8')).toMatch(/^first/);
    expect(fs.readFileSync(second, 'utf8')).toMatch(/^second/);
  });

  it('an empty file beside a non-empty log is damage: SQLite would otherwise delete the log', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'almanac.db');
    fs.writeFileSync(file, '');
    fs.writeFileSync(`${file}-wal`, 'frames that may be all that is left');
    const result = recoverDatabase(dataDir, { now: NOW });
    expect(fs.readFileSync(`${result.movedTo}-wal`, 'utf8')).toBe('frames that may be all that is left');
  });
});

describe('the app at start with a damaged database', () => {
  it('restores, then tells the person in app.status and the log, and works on the restored data', async () => {
    const dataDir = dataDirWith(['kept']);
    await backupOf(dataDir, NOW - DAY);
    fs.writeFileSync(path.join(dataDir, 'almanac.db'), 'not a database '.repeat(300));
    const log = { info: () => {}, warn: (m: string) => warned.push(m), error: () => {} };
    const warned: string[] = [];
    const app = startApp({ dataDir, mode: 'browser', version: 'test', log });
    try {
      const status = await call<AppStatus>(app, 'app.status', {});
      expect(status.notices).toHaveLength(1);
      expect(status.notices[0]!.level).toBe('warning');
      expect(status.notices[0]!.message).toMatch(/restored the backup.*\(SQLite: file is not a database\)/);
      expect(warned).toEqual([status.notices[0]!.message]);
      expect(app.store.schedules.all().map((s) => s.name)).toEqual(['kept']);
    } finally {
      app.close();
    }
    // the next start finds the restored database intact: nothing more to tell
    const again = startApp({ dataDir, mode: 'browser', version: 'test', log });
    try {
      expect((await call<AppStatus>(again, 'app.status', {})).notices).toEqual([]);
    } finally {
      again.close();
    }
  });
});
