/**
 * Automatic backups (DESIGN.md §7: `<dataDir>/backups/`): one at start and one a day, taken with
 * SQLite's online backup API while the engine keeps writing. The newest seven are kept.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock, Logger, TimerHandle } from '../engine/ports';
import type { Db, OpenOptions } from './database';
import { ensurePrivateDir, ensurePrivateFile } from './private-files';

export const BACKUPS_KEPT = 7;
export const BACKUP_EVERY_MS = 24 * 60 * 60 * 1000;
/**
 * How often the daily backup asks whether it is due. A timer runs on monotonic time, which stands
 * still while the computer sleeps: a single 24 h timer on a laptop that sleeps at night would back up
 * every other day or less. An hourly look at the wall clock does not drift that way.
 */
const CHECK_EVERY_MS = 60 * 60 * 1000;

const BACKUP_NAME = /^almanac-(\d{8}T\d{9}Z)(?:-(\d+))?\.db$/;

export function backupDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

/** `20261121T224133892Z`: file names with it sort in time order, and say when. */
export function fileStamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:.]/g, '');
}

export interface BackupFile {
  file: string;
  /** When it was taken (from its name), epoch milliseconds. */
  takenAt: number;
}

/** The backups in a data directory, newest first. */
export function listBackups(dataDir: string): BackupFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(backupDir(dataDir));
  } catch {
    return [];
  }
  const out: (BackupFile & { name: string; seq: number })[] = [];
  for (const name of names) {
    const match = BACKUP_NAME.exec(name);
    if (!match) continue;
    const iso = match[1]!.replace(
      /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/,
      '$1-$2-$3T$4:$5:$6.$7Z',
    );
    out.push({
      name,
      seq: Number(match[2] ?? 0),
      file: path.join(backupDir(dataDir), name),
      takenAt: Date.parse(iso),
    });
  }
  out.sort((a, b) => b.takenAt - a.takenAt || b.seq - a.seq);
  return out.map(({ file, takenAt }) => ({ file, takenAt }));
}

/** Partial copies being written by this process; any other partial file is a crash's leftover. */
const writing = new Set<string>();

/**
 * Copies the open database into `backups/` with the online backup API, then keeps the newest `keep`.
 * The copy is written under a temporary name and renamed when complete, so a crash mid-backup never
 * leaves a partial file that looks like a backup.
 */
export async function backupDatabase(
  db: Db,
  dataDir: string,
  options: OpenOptions & { at: number; keep?: number },
): Promise<string> {
  const { at, keep = BACKUPS_KEPT } = options;
  const dir = backupDir(dataDir);
  ensurePrivateDir(dir);
  let file = path.join(dir, `almanac-${fileStamp(at)}.db`);
  for (let seq = 1; fs.existsSync(file) || writing.has(`${file}.partial`); seq++) {
    file = path.join(dir, `almanac-${fileStamp(at)}-${seq}.db`);
  }
  const partial = `${file}.partial`;
  writing.add(partial);
  try {
    // an empty file is an empty database to SQLite: the copy is written into a file that is private from the start
    ensurePrivateFile(partial);
    await db.backup(partial);
    // The copy inherits WAL mode; a rollback-journal file stands alone, with no -wal or -shm beside it.
    const copy = new Database(partial, { fileMustExist: true, nativeBinding: options.nativeBinding });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    writing.delete(partial);
  }
  pruneBackups(dataDir, keep);
  return file;
}

/** Deletes all but the newest `keep` backups, and partial copies a crash left behind. */
export function pruneBackups(dataDir: string, keep: number = BACKUPS_KEPT): void {
  for (const { file } of listBackups(dataDir).slice(keep)) fs.rmSync(file, { force: true });
  const dir = backupDir(dataDir);
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.endsWith('.partial') && !writing.has(file)) fs.rmSync(file, { force: true });
  }
}

export interface BackupScheduleOptions extends OpenOptions {
  db: Db;
  dataDir: string;
  clock: Clock;
  log: Logger;
  keep?: number;
}

export interface BackupSchedule {
  /** Resolves when no backup is being written (tests; and close, so the file is never cut short). */
  whenIdle(): Promise<void>;
  stop(): void;
}

/** One backup now, then one whenever the newest is a day old (checked hourly through the clock). */
export function scheduleBackups(options: BackupScheduleOptions): BackupSchedule {
  const { db, dataDir, clock, log } = options;
  let stopped = false;
  let timer: TimerHandle | null = null;
  let current: Promise<void> | null = null;
  let lastWall = -Infinity;
  let lastMono = -Infinity;

  const take = (): void => {
    if (stopped || current) return;
    const at = clock.now();
    current = backupDatabase(db, dataDir, { ...options, at })
      .then((file) => {
        lastWall = at;
        lastMono = clock.monotonic();
        log.info(`Backup written: ${file}`);
      })
      .catch((error: unknown) => {
        // closing the database aborts a backup in progress: that is not worth a warning
        if (!stopped) log.error('Backup failed; the next try is in an hour', error);
      })
      .finally(() => {
        current = null;
        arm();
      });
  };

  const arm = (): void => {
    if (stopped) return;
    if (timer) clock.clearTimer(timer);
    timer = clock.setTimer(() => {
      timer = null;
      const wallAge = clock.now() - lastWall;
      // a clock set back (negative age) must not hold backups off until it catches up again
      if (wallAge >= BACKUP_EVERY_MS || wallAge < 0 || clock.monotonic() - lastMono >= BACKUP_EVERY_MS)
        take();
      else arm();
    }, CHECK_EVERY_MS);
  };

  // A backup younger than a day (an earlier session's) counts: a restart does not copy a large
  // file again, and the day runs from that backup.
  const newest = listBackups(dataDir)[0];
  const age = newest ? clock.now() - newest.takenAt : -1;
  if (newest && age >= 0 && age < BACKUP_EVERY_MS) {
    lastWall = newest.takenAt;
    lastMono = clock.monotonic() - age;
    arm();
  } else take();
  return {
    whenIdle: async () => {
      while (current) await current;
    },
    stop() {
      stopped = true;
      if (timer) clock.clearTimer(timer);
      timer = null;
    },
  };
}
