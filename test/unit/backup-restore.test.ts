/**
 * "Restore this backup" (issue 15 §3): asked for through the API, done at the next start before the
 * store opens; the database it replaces is kept aside with its -wal and -shm, as recovery does. Real
 * SQLite files in a real data directory.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus, BackupList, BackupRestore, Schedule } from '../../src/shared/api';
import { backupDatabase } from '../../src/main/store';
import { RESTORE_MARKER } from '../../src/main/store/restore';
import { call, quietLog, startTestApp, tempDir, type TestApp } from '../support/engine';

const START = '2026-03-20T12:00:00.000Z';
const reminder = (name: string) => ({
  name,
  trigger: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
  action: { type: 'reminder', title: name },
});
const names = async (app: TestApp) =>
  (await call<{ items: Schedule[] }>(app, 'schedules.list', {})).items.map((s) => s.name).sort();

describe('restoring an automatic backup', () => {
  const apps: TestApp[] = [];
  afterEach(() => {
    for (const app of apps.splice(0)) app.close();
    quietLog.errors.length = 0;
  });

  it('is asked for now and done at the next start; the replaced database is kept aside', async () => {
    const dataDir = tempDir('almanac-restore-');
    const first = startTestApp({ start: START, dataDir });
    await call(first, 'schedules.create', reminder('Before the backup'));
    const backup = await backupDatabase(first.store.db, dataDir, { at: Date.parse(START) - 60_000 });
    await call(first, 'schedules.create', reminder('After the backup'));
    const answer = await call<BackupRestore>(first, 'backups.restore', { name: path.basename(backup) });
    expect(answer.appliesAt).toBe('next-start');
    expect(answer.message).toMatch(/next starts/);
    // nothing changes while this engine runs
    expect(await names(first)).toEqual(['After the backup', 'Before the backup']);
    first.close();

    const second = startTestApp({ start: START, dataDir });
    apps.push(second);
    expect(await names(second)).toEqual(['Before the backup']);
    const status = await call<AppStatus>(second, 'app.status', {});
    const notice = status.notices.find((n) => n.message.startsWith('Restored the backup'));
    expect(notice?.level).toBe('info');
    const keptName = /kept as (almanac\.db\.before-restore-\S+)\./.exec(notice!.message)?.[1];
    expect(keptName).toBeTruthy();
    // the file set aside is the database as it was, readable by SQLite, with both schedules
    const kept = new Database(path.join(dataDir, keptName!), { readonly: true });
    try {
      const rows = kept.prepare('SELECT name FROM schedules ORDER BY name').all() as { name: string }[];
      expect(rows.map((row) => row.name)).toEqual(['After the backup', 'Before the backup']);
    } finally {
      kept.close();
    }
    // asked once, done once
    expect(fs.existsSync(path.join(dataDir, RESTORE_MARKER))).toBe(false);
    expect((await call<BackupList>(second, 'backups.list', {})).pendingRestore).toBeNull();
  });

  it('a restore cancelled before the next start is not done', async () => {
    const dataDir = tempDir('almanac-restore-');
    const first = startTestApp({ start: START, dataDir });
    await call(first, 'schedules.create', reminder('Before'));
    const backup = await backupDatabase(first.store.db, dataDir, { at: Date.parse(START) - 60_000 });
    await call(first, 'schedules.create', reminder('After'));
    await call(first, 'backups.restore', { name: path.basename(backup) });
    expect(await call(first, 'backups.cancelRestore', {})).toEqual({ cancelled: true });
    first.close();
    const second = startTestApp({ start: START, dataDir });
    apps.push(second);
    expect(await names(second)).toEqual(['After', 'Before']);
  });

  it('a backup that is gone by the next start is not restored, and the person is told', async () => {
    const dataDir = tempDir('almanac-restore-');
    const first = startTestApp({ start: START, dataDir });
    await call(first, 'schedules.create', reminder('Kept'));
    const backup = await backupDatabase(first.store.db, dataDir, { at: Date.parse(START) - 60_000 });
    await call(first, 'backups.restore', { name: path.basename(backup) });
    first.close();
    fs.rmSync(backup);

    const second = startTestApp({ start: START, dataDir });
    apps.push(second);
    expect(await names(second)).toEqual(['Kept']);
    const status = await call<AppStatus>(second, 'app.status', {});
    expect(status.notices).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('was not restored: it is no longer in the backups folder'),
      }),
    );
  });
});
