/**
 * The engine as a real process: stopped with SIGSTOP, killed with SIGKILL mid-burst, restarted on
 * the same SQLite file. Wall-clock time is real here.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/main/app';
import { quietLog, tempDir } from '../support/engine';
import { waitUntil } from '../support/processes';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.length = 0;
});

function spawnEngine(dataDir: string, concurrency = 4): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/engine-child.ts', dataDir, String(concurrency)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`engine exited (${code}): ${err}`)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));

function createSchedules(
  dataDir: string,
  count: number,
  trigger: Record<string, unknown>,
  command: string,
): void {
  const app = startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog });
  for (let i = 0; i < count; i++) {
    void app.dispatch('schedules.create', {
      name: `job ${i}`,
      trigger,
      action: { type: 'command', command },
      policy: { overlap: 'allowAll' },
    });
  }
  app.close();
}

describe('an engine process stopped with SIGSTOP for 10 s', () => {
  it('starts overdue work within the 5 s timer cap after SIGCONT, per policy', async () => {
    const dataDir = tempDir();
    createSchedules(dataDir, 1, { type: 'cron', expression: '* * * * * *', timezone: 'UTC' }, 'true');
    const child = await spawnEngine(dataDir);
    await sleep(1500);
    child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await sleep(10_000);
    child.kill('SIGCONT');
    const continuedAt = Date.now();
    await sleep(2500);
    child.kill('SIGTERM');
    await exited(child);
    const db = new Database(path.join(dataDir, 'almanac.db'), { readonly: true });
    const rows = db
      .prepare(
        'SELECT scheduled_at, started_at, status FROM runs WHERE scheduled_at > ? AND scheduled_at <= ? ORDER BY scheduled_at',
      )
      .all(stoppedAt + 1000, continuedAt) as {
      scheduled_at: number;
      started_at: number | null;
      status: string;
    }[];
    db.close();
    // the occurrences that fell due while stopped were within grace (60 s): each runs, none lost
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const firstStart = Math.min(...rows.map((row) => row.started_at ?? Infinity));
    expect(firstStart - continuedAt).toBeLessThan(5000);
    expect(new Set(rows.map((row) => row.scheduled_at)).size).toBe(rows.length);
  }, 30_000);
});

describe('kill -9 during a burst of 500 due occurrences, then restart', () => {
  it('runs no occurrence twice, loses none, marks running rows interrupted, and keeps the file intact', async () => {
    const dataDir = tempDir();
    const at = DateTime.utc().plus({ seconds: 3 }).startOf('second');
    createSchedules(
      dataDir,
      500,
      { type: 'once', at: at.toFormat("yyyy-MM-dd'T'HH:mm:ss"), timezone: 'UTC' },
      'sleep 0.2',
    );
    const child = await spawnEngine(dataDir, 8);
    // kill at a random moment inside the burst: once runs are going (on a loaded machine the claim
    // may come late), then up to 1.5 s on; 500 runs of 0.2 s, 8 at a time, last over 12 s
    const running = () => {
      const db = new Database(path.join(dataDir, 'almanac.db'), { readonly: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM runs WHERE status = 'running'").get() as { n: number })
          .n;
      } finally {
        db.close();
      }
    };
    await sleep(Math.max(0, at.toMillis() - Date.now()));
    await waitUntil(() => running() > 0, 20_000, 'the burst to start');
    await sleep(Math.random() * 1500);
    child.kill('SIGKILL');
    await exited(child);

    const peek = new Database(path.join(dataDir, 'almanac.db'), { readonly: true });
    const runningAtKill = peek.prepare("SELECT id FROM runs WHERE status = 'running'").all() as {
      id: string;
    }[];
    peek.close();
    expect(runningAtKill.length).toBeGreaterThan(0);

    const again = startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog });
    again.engine.setMaxConcurrentRuns(16);
    again.start();
    await again.engine.whenIdle();
    again.close();

    const db = new Database(path.join(dataDir, 'almanac.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const dupes = db
      .prepare(
        'SELECT schedule_id, scheduled_at, attempt, count(*) AS n FROM runs GROUP BY 1, 2, 3 HAVING n > 1',
      )
      .all();
    expect(dupes).toEqual([]);
    const perSchedule = db
      .prepare(
        `SELECT s.id, count(r.id) AS rows, coalesce(sum(coalesce(r.missed_count, 1)), 0) AS accounted
           FROM schedules s LEFT JOIN runs r ON r.schedule_id = s.id AND r.attempt = 1 GROUP BY s.id`,
      )
      .all() as { id: string; rows: number; accounted: number }[];
    expect(perSchedule).toHaveLength(500);
    expect(perSchedule.filter((s) => s.accounted !== 1)).toEqual([]);
    for (const { id } of runningAtKill) {
      expect((db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status).toBe(
        'interrupted',
      );
    }
    const open = db.prepare("SELECT count(*) AS n FROM runs WHERE status IN ('queued', 'running')").get();
    expect(open).toEqual({ n: 0 });
    db.close();
  }, 60_000);
});
