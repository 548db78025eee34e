import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { OpenOptions } from './database';
import { ensurePrivateDir, ensurePrivateFile, writePrivateFile } from './private-files';

export class EngineLockedError extends Error {
  constructor(dataDir: string, holder: string) {
    super(
      `Another Almanac engine is already running on ${dataDir}${holder ? ` (${holder})` : ''}. ` +
        'Close it first, or start this one with another data directory.',
    );
    this.name = 'EngineLockedError';
  }
}

export interface EngineLock {
  release(): void;
}

/**
 * One engine per data directory. The lock is an exclusive SQLite transaction on `engine.lock`:
 * the operating system drops it when the process dies, so a crash never leaves it stuck.
 */
export function acquireEngineLock(dataDir: string, options: OpenOptions = {}): EngineLock {
  ensurePrivateDir(dataDir);
  const lockFile = path.join(dataDir, 'engine.lock');
  const holderFile = path.join(dataDir, 'engine.pid');
  ensurePrivateFile(lockFile);
  const db = new Database(lockFile, {
    timeout: 0,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch {
    db.close();
    let holder = '';
    try {
      holder = fs.readFileSync(holderFile, 'utf8').trim();
    } catch {
      // the holder wrote no pid file yet
    }
    throw new EngineLockedError(dataDir, holder);
  }
  writePrivateFile(holderFile, `pid ${process.pid}`);
  return {
    release() {
      try {
        fs.rmSync(holderFile, { force: true });
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
