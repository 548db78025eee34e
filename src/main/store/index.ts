import path from 'node:path';
import { openDatabase, type Db, type OpenOptions } from './database';
import { RunRepository } from './runs';
import { ScheduleRepository } from './schedules';
import { Retention } from './retention';
import { SettingsRepository } from './settings';
import { RunStats } from './stats';

export { EngineLockedError, acquireEngineLock, type EngineLock } from './lock';
export { NewerDatabaseError } from './database';
export type { RunRecord, NewRun, RunFilter, RunEnd } from './runs';
export type { ScheduleRecord } from './schedules';
export { listedAt, listQuery, toRun } from './runs';
export type { RunScope, StatusCounts } from './stats';
export type { RetentionRules } from './retention';
export { toSchedule, stateOf } from './schedules';
export {
  BACKUPS_KEPT,
  backupDatabase,
  listBackups,
  scheduleBackups,
  type BackupFile,
  type BackupSchedule,
} from './backup';
export { checkDatabase, recoverDatabase, type Recovery, type StoreNotice } from './recovery';
export {
  applyPendingRestore,
  backupByName,
  cancelRestore,
  pendingRestore,
  requestRestore,
  unusableBackup,
  type PendingRestore,
} from './restore';
export { ensurePrivateFile, securePrivateDir, writePrivateFile } from './private-files';

/** The store: one SQLite file in the data directory, and its repositories. */
export class Store {
  readonly schedules: ScheduleRepository;
  readonly runs: RunRepository;
  readonly settings: SettingsRepository;
  readonly stats: RunStats;
  readonly retention: Retention;

  constructor(readonly db: Db) {
    this.schedules = new ScheduleRepository(db);
    this.runs = new RunRepository(db);
    this.settings = new SettingsRepository(db);
    this.stats = new RunStats(db);
    this.retention = new Retention(db);
  }

  static open(dataDir: string, options: OpenOptions = {}): Store {
    return new Store(openDatabase(path.join(dataDir, 'almanac.db'), options));
  }

  /** Runs `work` in one transaction (nested calls become savepoints). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
  }
}
