/**
 * Automatic backups: one at start and one a day, through SQLite's online backup API, newest seven
 * kept. Real SQLite files in temp dirs; time through the fake clock.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backupDatabase,
  BACKUPS_KEPT,
  listBackups,
  scheduleBackups,
  Store,
  type BackupSchedule,
} from '../../src/main/store';
import { FakeClock } from '../support/fake-clock';
import { quietLog, tempDir } from '../support/engine';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const opened: { close(): void }[] = [];
const schedules: BackupSchedule[] = [];

afterEach(() => {
  for (const schedule of schedules.splice(0)) schedule.stop();
  for (const handle of opened.splice(0)) handle.close();
});

/** A store with `count` runs in it, left open (the engine would be writing to it). */
function storeWithRuns(count: number): { store: Store; dataDir: string } {
  const dataDir = tempDir();
  const store = Store.open(dataDir);
  opened.push(store);
  addRuns(store, 0, count);
  return { store, dataDir };
}

function addRuns(store: Store, from: number, count: number): void {
  const insert = store.db.prepare(
    "INSERT INTO runs (id, schedule_id, scheduled_at, at, trigger, status, output) VALUES (?, 's1', ?, ?, 'schedule', 'succeeded', ?)",
  );
  store.transaction(() => {
    for (let i = from; i < from + count; i++)
      insert.run(`r${String(i).padStart(8, '0')}`, i, i, 'x'.repeat(100));
  });
}

function countRuns(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('a backup', () => {
  it('is a complete, intact, standalone copy of the open database, named by when it was taken', async () => {
    const { store, dataDir } = storeWithRuns(5000);
    const at = Date.parse('2026-03-01T08:30:15.250Z');
    const file = await backupDatabase(store.db, dataDir, { at });
    expect(path.relative(dataDir, file)).toBe(path.join('backups', 'almanac-20260301T083015250Z.db'));
    expect(countRuns(file)).toBe(5000);
    // a single file: no write-ahead log or shared memory beside it to lose when it is copied
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
    expect(listBackups(dataDir)).toEqual([{ file, takenAt: at }]);
  });

  it('sees what was committed before it started, while the store stays writable', async () => {
    const { store, dataDir } = storeWithRuns(100);
    const pending = backupDatabase(store.db, dataDir, { at: Date.parse('2026-03-01T00:00:00Z') });
    addRuns(store, 100, 50);
    const file = await pending;
    expect(countRuns(file)).toBeGreaterThanOrEqual(100);
    expect(countRuns(path.join(dataDir, 'almanac.db'))).toBe(150);
  });

  it('never takes the name of an earlier backup taken in the same millisecond', async () => {
    const { store, dataDir } = storeWithRuns(10);
    const at = Date.parse('2026-03-01T00:00:00Z');
    const first = await backupDatabase(store.db, dataDir, { at });
    addRuns(store, 10, 5);
    const second = await backupDatabase(store.db, dataDir, { at });
    expect(second).not.toBe(first);
    expect(countRuns(first)).toBe(10);
    expect(countRuns(second)).toBe(15);
    expect(listBackups(dataDir).map((b) => b.file)).toEqual([second, first]);
  });
});

describe('keeping backups', () => {
  it(`keeps the newest ${BACKUPS_KEPT} and deletes older ones`, async () => {
    const { store, dataDir } = storeWithRuns(10);
    const start = Date.parse('2026-03-01T00:00:00Z');
    const files: string[] = [];
    for (let day = 0; day < 10; day++)
      files.push(await backupDatabase(store.db, dataDir, { at: start + day * DAY }));
    const kept = listBackups(dataDir);
    expect(kept.map((b) => b.file)).toEqual(files.slice(-BACKUPS_KEPT).reverse());
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toHaveLength(BACKUPS_KEPT);
  });

  it('removes a partial copy that a crash left behind, and never lists one as a backup', async () => {
    const { store, dataDir } = storeWithRuns(10);
    fs.mkdirSync(path.join(dataDir, 'backups'));
    const leftover = path.join(dataDir, 'backups', 'almanac-20260228T000000000Z.db.partial');
    fs.writeFileSync(leftover, 'half a database');
    expect(listBackups(dataDir)).toEqual([]);
    await backupDatabase(store.db, dataDir, { at: Date.parse('2026-03-01T00:00:00Z') });
    expect(fs.existsSync(leftover)).toBe(false);
    expect(listBackups(dataDir)).toHaveLength(1);
  });

  it('leaves other files in backups/ alone', async () => {
    const { store, dataDir } = storeWithRuns(10);
    fs.mkdirSync(path.join(dataDir, 'backups'));
    const mine = path.join(dataDir, 'backups', 'before-the-upgrade.db');
    fs.writeFileSync(mine, 'kept by hand');
    for (let i = 0; i < BACKUPS_KEPT + 2; i++) await backupDatabase(store.db, dataDir, { at: i * DAY });
    expect(fs.readFileSync(mine, 'utf8')).toBe('kept by hand');
  });
});

describe('the backup schedule', () => {
  function start(store: Store, dataDir: string, clock: FakeClock): BackupSchedule {
    const schedule = scheduleBackups({ db: store.db, dataDir, clock, log: quietLog });
    schedules.push(schedule);
    return schedule;
  }

  it('takes one at start and one when the newest is a day old', async () => {
    const { store, dataDir } = storeWithRuns(10);
    const clock = new FakeClock('2026-03-01T09:00:00Z');
    const schedule = start(store, dataDir, clock);
    await schedule.whenIdle();
    expect(listBackups(dataDir)).toHaveLength(1);
    clock.advance(23 * HOUR);
    await schedule.whenIdle();
    expect(listBackups(dataDir)).toHaveLength(1);
    clock.advance(HOUR);
    await schedule.whenIdle();
    expect(listBackups(dataDir).map((b) => new Date(b.takenAt).toISOString())).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
    ]);
  });

  it('a restart within the day of the newest backup takes none at start, and the day runs from that backup', async () => {
    const { store, dataDir } = storeWithRuns(10);
    const clock = new FakeClock('2026-03-01T09:00:00Z');
    const first = start(store, dataDir, clock);
    await first.whenIdle();
    first.stop();
    clock.advance(5 * HOUR);
    const again = start(store, dataDir, clock);
    await again.whenIdle();
    expect(listBackups(dataDir)).toHaveLength(1);
    clock.advance(18 * HOUR);
    await again.whenIdle();
    expect(listBackups(dataDir)).toHaveLength(1);
    clock.advance(HOUR);
    await again.whenIdle();
    expect(listBackups(dataDir).map((b) => new Date(b.takenAt).toISOString())).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
    ]);
  });

  it('counts the day in wall-clock time, so a night asleep does not push the backup back', async () => {
    const { store, dataDir } = storeWithRuns(10);
    const clock = new FakeClock('2026-03-01T09:00:00Z');
    const schedule = start(store, dataDir, clock);
    await schedule.whenIdle();
    clock.advance(2 * HOUR);
    clock.suspend(22 * HOUR); // monotonic time (and every timer) stands still while asleep
    clock.advance(HOUR); // the next hourly look after waking
    await schedule.whenIdle();
    expect(listBackups(dataDir)).toHaveLength(2);
  });

  it('takes one after the clock is set back rather than waiting for it to catch up', async () => {
    const { store, dataDir } = storeWithRuns(10);
    const clock = new FakeClock('2026-03-01T09:00:00Z');
    const schedule = start(store, dataDir, clock);
    await schedule.whenIdle();
    clock.setWall(Date.parse('2025-03-01T09:00:00Z'));
    clock.advance(HOUR);
    await schedule.whenIdle();
    expect(listBackups(dataDir)).toHaveLength(2);
    clock.advance(HOUR);
    await schedule.whenIdle();
    expect(listBackups(dataDir)).toHaveLength(2);
  });

  it('stops: no timer left, and closing the store mid-backup leaves no partial file and no error', async () => {
    const { store, dataDir } = storeWithRuns(20_000);
    const clock = new FakeClock('2026-03-01T09:00:00Z');
    const log = { ...quietLog, errors: [] as string[] };
    const schedule = scheduleBackups({ db: store.db, dataDir, clock, log });
    schedule.stop();
    store.close();
    opened.length = 0;
    await schedule.whenIdle();
    expect(clock.pendingTimers()).toBe(0);
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toEqual([]);
    expect(log.errors).toEqual([]);
  });
});
