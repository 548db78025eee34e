/**
 * "Restore this backup" (issue 15 §3). The engine holds the database open and the transports hold
 * the handler table, so the file is not swapped under them: a restore is asked for now (the backup
 * is checked at once, and a marker written beside the database) and done at the next start, before
 * the store opens, the way recovery puts a backup in place. The file it replaces is kept aside with
 * its -wal and -shm, never overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listBackups, type BackupFile } from './backup';
import type { OpenOptions } from './database';
import { SCHEMA_VERSION } from './migrations';
import { writePrivateFile } from './private-files';
import {
  asideName,
  checkDatabase,
  COMPANIONS,
  DATABASE_FILE,
  describe,
  schemaOf,
  type StoreNotice,
} from './recovery';

export const RESTORE_MARKER = 'restore-pending.json';

export interface PendingRestore {
  /** The backup's file name in `backups/`. */
  name: string;
  /** When the person asked (epoch ms). */
  requestedAt: number;
}

export function backupByName(dataDir: string, name: string): BackupFile | null {
  return listBackups(dataDir).find((backup) => path.basename(backup.file) === name) ?? null;
}

/** Why `file` cannot be restored, or null when it can. */
export function unusableBackup(file: string, options: OpenOptions): string | null {
  try {
    const damage = checkDatabase(file, options);
    if (damage !== null) return `the backup is damaged (${damage})`;
    if (schemaOf(file, options) > SCHEMA_VERSION) return 'the backup was written by a newer Almanac';
    return null;
  } catch (error) {
    return `the backup cannot be read (${(error as Error).message})`;
  }
}

export function pendingRestore(dataDir: string): PendingRestore | null {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(dataDir, RESTORE_MARKER), 'utf8')) as unknown;
    const { name, requestedAt } = (value ?? {}) as Partial<PendingRestore>;
    return typeof name === 'string' && typeof requestedAt === 'number' ? { name, requestedAt } : null;
  } catch {
    return null;
  }
}

/** Asks for `backup` at the next start (a later ask replaces an earlier one). */
export function requestRestore(dataDir: string, name: string, now: number): PendingRestore {
  const pending = { name, requestedAt: now };
  writePrivateFile(path.join(dataDir, RESTORE_MARKER), JSON.stringify(pending));
  return pending;
}

/** Forgets a restore asked for and not done yet; false when there was none. */
export function cancelRestore(dataDir: string): boolean {
  const marker = path.join(dataDir, RESTORE_MARKER);
  if (!fs.existsSync(marker)) return false;
  fs.rmSync(marker, { force: true });
  return true;
}

/**
 * At start, before the store opens: puts the asked-for backup in place of `almanac.db`, which moves
 * aside (as `almanac.db.before-restore-<time>`). A backup that is gone or damaged by now is not
 * restored, and the person is told why. Either way the marker is removed: it is asked for once.
 */
export function applyPendingRestore(dataDir: string, options: OpenOptions & { now: number }): StoreNotice[] {
  const marker = path.join(dataDir, RESTORE_MARKER);
  if (!fs.existsSync(marker)) return [];
  const pending = pendingRestore(dataDir);
  fs.rmSync(marker, { force: true });
  if (!pending) {
    return [
      {
        level: 'error',
        message: 'A backup restore was asked for, but its note could not be read: nothing was restored.',
      },
    ];
  }
  const backup = backupByName(dataDir, pending.name);
  const why = backup ? unusableBackup(backup.file, options) : 'it is no longer in the backups folder';
  if (!backup || why) {
    return [
      {
        level: 'error',
        message: `The backup ${pending.name} was not restored: ${why}. The database is as it was.`,
      },
    ];
  }
  const file = path.join(dataDir, DATABASE_FILE);
  let keptAs: string | null = null;
  if (fs.existsSync(file)) {
    keptAs = asideName(file, options.now, 'before-restore');
    fs.renameSync(file, keptAs);
    for (const companion of COMPANIONS) {
      if (fs.existsSync(file + companion)) fs.renameSync(file + companion, keptAs + companion);
    }
  }
  // copy, then rename: a crash here leaves either no database (and the backup still there) or all of it
  const partial = `${file}.restoring`;
  fs.copyFileSync(backup.file, partial);
  fs.renameSync(partial, file);
  return [
    {
      level: 'info',
      message:
        `Restored the backup from ${describe(backup.takenAt)}, as asked: changes made after it are not in this database. ` +
        (keptAs ? `The database it replaced was kept as ${path.basename(keptAs)}.` : ''),
    },
  ];
}
