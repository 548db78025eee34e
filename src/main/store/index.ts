import path from 'node:path';
import { openDatabase, type Db, type OpenOptions } from './database';
import { RunRepository } from './runs';
import { ScheduleRepository } from './schedules';
import { SettingsRepository } from './settings';

export { EngineLockedError, acquireEngineLock, type EngineLock } from './lock';
export { NewerDatabaseError } from './database';
export type { RunRecord, NewRun, RunFilter, RunEnd } from './runs';
export type { ScheduleRecord } from './schedules';
export { listedAt, toRun } from './runs';
export { toSchedule, stateOf } from './schedules';

/** The store: one SQLite file in the data directory, and its repositories. */
export class Store {
  readonly schedules: ScheduleRepository;
  readonly runs: RunRepository;
  readonly settings: SettingsRepository;

  constructor(readonly db: Db) {
    this.schedules = new ScheduleRepository(db);
    this.runs = new RunRepository(db);
    this.settings = new SettingsRepository(db);
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
