/**
 * A damaged database at start (one that fails `PRAGMA integrity_check`, or is not a database at
 * all) is moved aside, never overwritten, and the newest backup that is itself intact takes its
 * place. What happened is returned as notices for the person.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { fileStamp, listBackups } from './backup';
import type { OpenOptions } from './database';
import { SCHEMA_VERSION } from './migrations';

export const DATABASE_FILE = 'almanac.db';
/** SQLite's companions of a WAL-mode file: they belong to it and go wherever it goes. */
const COMPANIONS = ['-wal', '-shm'];

export interface StoreNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface Recovery {
  notices: StoreNotice[];
  /** Where the damaged file now is, if there was one. */
  movedTo: string | null;
  /** The backup now in its place, if any. */
  restoredFrom: string | null;
}

export interface CheckOptions extends OpenOptions {
  /**
   * `full` (the default): SQLite's integrity check, every page (seconds for a large history).
   * `header`: that the file is a database whose schema reads (milliseconds): for a start after a
   * clean shutdown, with the full check run in the background (see background-check.ts).
   */
  depth?: 'full' | 'header';
}

/** Errors that say the file's content is broken, as opposed to locked, unreadable or missing. */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * Null when the file is intact, else what is wrong with it. Read-only, so that checking never
 * changes the file (a read-write connection would checkpoint the WAL into it on close). Errors
 * that are not about the content (permissions, a lock) are thrown: they are no reason to move it.
 */
export function checkDatabase(file: string, options: CheckOptions = {}): string | null {
  // SQLite takes a zero-byte file for a new database and deletes the log beside it: ask first
  if (fs.statSync(file).size === 0 && sizeOf(`${file}-wal`) > 0) {
    return 'the database file is empty but its write-ahead log is not';
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
    if (options.depth === 'header') {
      // milliseconds at any size: the header, the schema, and the root page of every table and index
      db.pragma('user_version');
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all() as string[];
      for (const table of tables) db.prepare(`SELECT 1 FROM "${table.replaceAll('"', '""')}" LIMIT 1`).get();
      return null;
    }
    // a few problems are enough to know, and to tell; a badly damaged file can list thousands
    const problems = (db.pragma('integrity_check(4)') as { integrity_check: string }[])
      .flatMap((row) => row.integrity_check.split('\n'))
      .filter((line) => line && !line.startsWith('***'));
    if (problems.length === 1 && problems[0] === 'ok') return null;
    return problems.slice(0, 3).join('; ') + (problems.length > 3 ? '; …' : '');
  } catch (error) {
    if (isDamage(error)) return (error as Error).message;
    throw error;
  } finally {
    db?.close();
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function schemaOf(file: string, options: OpenOptions): number {
  const db = new Database(file, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: options.nativeBinding,
  });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** A name beside `file` that nothing has: the damaged file is never renamed over anything. */
function asideName(file: string, at: number): string {
  const base = `${file}.corrupt-${fileStamp(at)}`;
  let candidate = base;
  for (let seq = 1; [candidate, ...COMPANIONS.map((c) => candidate + c)].some(fs.existsSync); seq++) {
    candidate = `${base}-${seq}`;
  }
  return candidate;
}

function describe(at: number): string {
  return new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/**
 * Checks `<dataDir>/almanac.db` before it is opened. A damaged file moves aside with its -wal and
 * -shm (as `almanac.db.corrupt-<time>`, so SQLite still pairs them for anyone who wants to look);
 * the newest intact backup is copied in, or, with none, the store starts empty. A missing file is
 * a first start, not damage.
 */
export function recoverDatabase(dataDir: string, options: CheckOptions & { now: number }): Recovery {
  const file = path.join(dataDir, DATABASE_FILE);
  const result: Recovery = { notices: [], movedTo: null, restoredFrom: null };
  if (!fs.existsSync(file)) return result;
  const problem = checkDatabase(file, options);
  if (problem === null) return result;

  const aside = asideName(file, options.now);
  fs.renameSync(file, aside);
  for (const companion of COMPANIONS) {
    if (fs.existsSync(file + companion)) fs.renameSync(file + companion, aside + companion);
  }
  result.movedTo = aside;

  const skipped: string[] = [];
  for (const backup of listBackups(dataDir)) {
    const name = path.basename(backup.file);
    let why: string | null;
    try {
      why = checkDatabase(backup.file, { ...options, depth: 'full' });
      if (why === null && schemaOf(backup.file, options) > SCHEMA_VERSION) why = 'written by a newer Almanac';
    } catch (error) {
      why = (error as Error).message;
    }
    if (why !== null) {
      skipped.push(`${name}: ${why}`);
      continue;
    }
    // copy, then rename: a crash here leaves either no database (and the backup still there) or all of it
    const partial = `${file}.restoring`;
    fs.copyFileSync(backup.file, partial);
    fs.renameSync(partial, file);
    result.restoredFrom = backup.file;
    result.notices.push({
      level: 'warning',
      message:
        `The database was damaged, so Almanac restored the backup from ${describe(backup.takenAt)}: ` +
        `changes made after that backup are lost. The damaged file was kept as ${path.basename(aside)}. ` +
        (skipped.length
          ? `Newer backups were damaged too and were passed over (${skipped.join('; ')}). `
          : '') +
        `(SQLite: ${problem})`,
    });
    return result;
  }
  result.notices.push({
    level: 'error',
    message:
      'The database was damaged and there is no usable backup, so Almanac started with an empty database. ' +
      `The damaged file was kept as ${path.basename(aside)}. ` +
      (skipped.length ? `Backups passed over: ${skipped.join('; ')}. ` : '') +
      `(SQLite: ${problem})`,
  });
  return result;
}
