/**
 * Migrations: every schema version's fixture (test/fixtures/schema-v<N>.db, as that version left it)
 * upgrades to the current schema with its data intact; a database from a newer Almanac is refused
 * with a clear message and left exactly as it was.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Action, Policy, Trigger } from '../../src/shared/domain';
import type { AppStatus } from '../../src/shared/api';
import { startApp } from '../../src/main/app';
import { applyMigration, SCHEMA_VERSION } from '../../src/main/store/migrations';
import { fillCountersSql } from '../../src/main/store/run-counters';
import { NewerDatabaseError, Store } from '../../src/main/store';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { call, quietLog, tempDir } from '../support/engine';
import { FakeClock } from '../support/fake-clock';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const versions = Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1);

/** A data dir holding a copy of the fixture as almanac.db (fixtures themselves are never opened for writing). */
function dataDirWithFixture(version: number): string {
  const dataDir = tempDir();
  fs.copyFileSync(path.join(fixtures, `schema-v${version}.db`), path.join(dataDir, 'almanac.db'));
  return dataDir;
}

type Row = Record<string, unknown>;

function rows(db: Database.Database, table: string): Row[] {
  return db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all() as Row[];
}

/** Tables, indexes and their SQL: what a database's schema is, independent of how it got there. */
function schemaOf(db: Database.Database): Row[] {
  return db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all() as Row[];
}

describe('fixtures', () => {
  it('there is one for every schema version, each at its version', () => {
    const present = fs
      .readdirSync(fixtures)
      .filter((name) => /^schema-v\d+\.db$/.test(name))
      .sort();
    expect(present).toEqual(versions.map((v) => `schema-v${v}.db`).sort());
    for (const version of versions) {
      const db = new Database(path.join(fixtures, `schema-v${version}.db`), { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      expect(rows(db, 'runs').length).toBeGreaterThan(0);
      db.close();
    }
  });
});

describe.each(versions)('a database at schema version %i', (version) => {
  it('upgrades to the current schema, the same as a new database', () => {
    const dataDir = dataDirWithFixture(version);
    const store = Store.open(dataDir);
    const fresh = Store.open(tempDir());
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(schemaOf(store.db)).toEqual(schemaOf(fresh.db));
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
      fresh.close();
    }
  });

  it('keeps every schedule and run, field for field', () => {
    const dataDir = dataDirWithFixture(version);
    const before = new Database(path.join(dataDir, 'almanac.db'), { readonly: true });
    const schedulesBefore = rows(before, 'schedules');
    const runsBefore = rows(before, 'runs');
    before.close();

    const store = Store.open(dataDir);
    try {
      // a later migration may add columns (with defaults), never lose or change what was there
      const schedulesAfter = rows(store.db, 'schedules');
      const runsAfter = rows(store.db, 'runs');
      expect(schedulesAfter.map((row) => pick(row, Object.keys(schedulesBefore[0]!)))).toEqual(
        schedulesBefore,
      );
      expect(runsAfter.map((row) => pick(row, Object.keys(runsBefore[0]!)))).toEqual(runsBefore);
    } finally {
      store.close();
    }
  });

  it('reads back through the repositories, and what it stored still validates against the contract', () => {
    const store = Store.open(dataDirWithFixture(version));
    try {
      const schedules = store.schedules.all();
      expect(schedules.map((s) => s.name).sort()).toEqual(['Dentist', 'Nightly backup', 'Ping the hook']);
      for (const s of schedules) {
        expect(Trigger.safeParse(s.trigger).success).toBe(true);
        expect(Action.safeParse(s.action).success).toBe(true);
        expect(Policy.safeParse(s.policy).success).toBe(true);
      }
      const nightly = schedules.find((s) => s.name === 'Nightly backup')!;
      expect(nightly).toMatchObject({
        group: 'backups',
        enabled: true,
        firedCount: 4,
        consecutiveFailures: 1,
      });
      expect(nightly.trigger).toEqual({
        type: 'cron',
        expression: '0 2 * * *',
        timezone: 'Europe/Berlin',
        jitterSeconds: 30,
      });
      const missed = store.runs.get('01KFA00000000000000000R002')!;
      expect(missed).toMatchObject({ status: 'missed', missedCount: 2, trigger: 'catch-up' });
      const retry = store.runs.get('01KFA00000000000000000R004')!;
      expect(retry).toMatchObject({
        attempt: 2,
        parentRunId: '01KFA00000000000000000R003',
        status: 'running',
      });
      const settings = store.settings.get();
      if (version >= 2) {
        expect(settings.maxConcurrentRuns).toBe(6);
        expect(settings.retention).toEqual({ runsPerSchedule: 500, maxAgeDays: 30 });
        expect(settings.closeToTray).toBe(false);
      } else {
        expect(settings).toEqual(DEFAULT_SETTINGS);
      }
    } finally {
      store.close();
    }
  });

  it('has run counters that equal a rebuild from its rows (built by the upgrade, or kept since)', () => {
    const store = Store.open(dataDirWithFixture(version));
    try {
      const tables = ['run_counts', 'run_durations', 'run_duration_days'];
      const counters = () => tables.map((table) => rows(store.db, table));
      const upgraded = counters();
      expect(upgraded[0]!.length).toBeGreaterThan(0);
      expect(upgraded[1]!.length).toBeGreaterThan(0);
      store.transaction(() => {
        for (const table of tables) store.db.exec(`DELETE FROM ${table}`);
        for (const { sql } of fillCountersSql()) store.db.exec(sql);
      });
      expect(counters()).toEqual(upgraded);
    } finally {
      store.close();
    }
  });

  it('starts an engine on it: what a crash left running becomes interrupted, and the API answers', async () => {
    const dataDir = dataDirWithFixture(version);
    const clock = new FakeClock('2026-01-10T08:00:30.000Z');
    const app = startApp({ dataDir, mode: 'browser', version: 'test', clock, log: quietLog });
    try {
      app.start();
      expect(app.store.runs.get('01KFA00000000000000000R004')!.status).toBe('interrupted');
      const status = await call<AppStatus>(app, 'app.status', {});
      expect(status.notices).toEqual([]);
      const list = await call<{ items: unknown[] }>(app, 'schedules.list', {});
      expect(list.items).toHaveLength(3);
    } finally {
      app.close();
    }
  });
});

describe('the upgrade to run counters (schema 3) on a large history', () => {
  it('says in the log what it does and how long each step took, and counts every run', () => {
    const db = new Database(path.join(tempDir(), 'almanac.db'));
    try {
      applyMigration(db, 0);
      applyMigration(db, 1);
      const insert = db.prepare(
        `INSERT INTO runs (id, schedule_id, scheduled_at, at, trigger, status, duration_ms)
         VALUES (?, ?, ?, ?, 'schedule', ?, ?)`,
      );
      db.transaction(() => {
        for (let i = 0; i < 60_000; i++)
          insert.run(`r${i}`, `s${i % 7}`, i * 60_000, i * 60_000, i % 10 ? 'succeeded' : 'failed', i % 1500);
      })();
      const heard: string[] = [];
      db.transaction(() => applyMigration(db, 2, (message) => heard.push(message)))();
      expect(heard[0]).toBe('schema 3: reading about 60000 rows in 5 steps; this takes a while');
      expect(heard.slice(1)).toHaveLength(5);
      expect(heard[1]).toMatch(/^schema 3: run counts by schedule \(1\/5\): \d+ rows in \d+ ms$/);
      const counted = db.prepare("SELECT SUM(n) FROM run_counts WHERE schedule_id = ''").pluck().get();
      expect(counted).toBe(60_000);
      // a small one stays quiet
      const small = new Database(':memory:');
      const quiet: string[] = [];
      for (let step = 0; step < SCHEMA_VERSION; step++) applyMigration(small, step, (m) => quiet.push(m));
      expect(quiet).toEqual([]);
      small.close();
    } finally {
      db.close();
    }
  });
});

describe('a database from a newer Almanac', () => {
  function newerDataDir(journal: 'WAL' | 'DELETE' = 'WAL'): { dataDir: string; file: string; bytes: Buffer } {
    const dataDir = dataDirWithFixture(SCHEMA_VERSION);
    const file = path.join(dataDir, 'almanac.db');
    const db = new Database(file);
    // as Almanac leaves its files (WAL), or as another tool might (a rollback journal)
    db.pragma(`journal_mode = ${journal}`);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    return { dataDir, file, bytes: fs.readFileSync(file) };
  }

  it('is refused with a message that says what to do, and left exactly as it was', () => {
    const { dataDir, file, bytes } = newerDataDir();
    expect(() => Store.open(dataDir)).toThrow(NewerDatabaseError);
    expect(() => Store.open(dataDir)).toThrow(
      `This database was written by a newer Almanac (schema ${SCHEMA_VERSION + 1}; this one knows ${SCHEMA_VERSION}). Update Almanac, or point it at another data directory.`,
    );
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('is refused before anything writes, even in rollback-journal mode (no switch to WAL)', () => {
    const { dataDir, file, bytes } = newerDataDir('DELETE');
    expect(() => Store.open(dataDir)).toThrow(NewerDatabaseError);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('is not mistaken for a damaged one: the app refuses to start, moves nothing, restores nothing', () => {
    const { dataDir, file, bytes } = newerDataDir();
    expect(() => startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog })).toThrow(
      NewerDatabaseError,
    );
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.readdirSync(dataDir).filter((name) => name.includes('corrupt'))).toEqual([]);
    // the lock was released: the refusal is about the file, not a stuck engine
    expect(() => startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog })).toThrow(
      NewerDatabaseError,
    );
  });
});

function pick(row: Row, keys: string[]): Row {
  return Object.fromEntries(keys.map((key) => [key, row[key]]));
}
