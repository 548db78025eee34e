import Database from 'better-sqlite3';
import path from 'node:path';
import { applyMigration, SCHEMA_VERSION } from './migrations';
import { ensurePrivateDir, ensurePrivateFile } from './private-files';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron keeps its own build). */
  nativeBinding?: string;
  /** Hears what a long migration is doing (building counters from a large history takes seconds). */
  progress?: (message: string) => void;
}

export class NewerDatabaseError extends Error {
  constructor(found: number) {
    super(
      `This database was written by a newer Almanac (schema ${found}; this one knows ${SCHEMA_VERSION}). ` +
        'Update Almanac, or point it at another data directory.',
    );
  }
}

/** Opens (creating if needed) the database file, in WAL mode, migrated to the current schema. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  ensurePrivateDir(path.dirname(file));
  // the file's mode is set before SQLite writes it, and SQLite gives its -wal and -shm the same
  ensurePrivateFile(file);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  // Refuse a newer schema before anything writes: switching to WAL would already change its header.
  refuseNewer(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, options.progress);
  return db;
}

function refuseNewer(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new NewerDatabaseError(current);
  }
  return current;
}

export function migrate(db: Db, progress?: (message: string) => void): void {
  const current = refuseNewer(db);
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      applyMigration(db, version, progress);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
