/**
 * Crash consistency of claims (issue 11 §1): a claim and the re-plan that follows it are one
 * transaction, so a crash leaves either both or neither; and a file where `next_at` already points
 * at a claimed occurrence (left by an older build) loses nothing when it is opened again. Every
 * occurrence is checked with the chaos suite's own accounting (croner, read straight from the file).
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { account } from '../../chaos/check';
import { startApp } from '../../src/main/app';
import { call, quietLog, startTestApp, tempDir, type TestApp } from '../support/engine';
import { waitUntil } from '../support/processes';

const root = path.resolve(import.meta.dirname, '../..');
const T0 = Date.parse('2026-03-01T00:00:00.500Z');
const every = { type: 'cron', expression: '* * * * * *', timezone: 'UTC' } as const;

/** Late occurrences of these become one `missed` row (none) or a missed row and one run (latest). */
const schedules = [
  {
    name: 'reminder, no catch-up',
    trigger: every,
    action: { type: 'reminder', title: 'C', body: '' },
    policy: { overlap: 'allowAll', graceSeconds: 1, catchUp: 'none' },
  },
  {
    name: 'command, catch-up latest, bufferOne',
    trigger: every,
    action: { type: 'command', command: 'true', shell: false },
    policy: { overlap: 'bufferOne', graceSeconds: 1, catchUp: 'latest' },
  },
];

async function settle(app: TestApp): Promise<void> {
  await app.engine.whenEvaluated();
  await app.engine.whenIdle();
}

/** Both or neither: rows claimed at or after a schedule's next_at mean a claim outlived its re-plan. */
function claimsBeyondPlan(dataDir: string): unknown[] {
  const db = new Database(path.join(dataDir, 'almanac.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT s.name, r.scheduled_at, r.status FROM runs r JOIN schedules s ON s.id = r.schedule_id
          WHERE r.scheduled_at >= s.next_at`,
      )
      .all();
  } finally {
    db.close();
  }
}

function expectAllAccounted(dataDir: string, claimedBy: number): void {
  const tally = account(dataDir, claimedBy);
  expect(tally.problems).toEqual([]);
  expect(tally.lost).toBe(0);
  expect(tally.duplicates).toBe(0);
  expect(tally.occurrences).toBeGreaterThan(20);
}

describe('a crash between a claim and its re-plan', () => {
  it('a claim that commits and a re-plan that does not: after a restart every occurrence is accounted for once', async () => {
    const dataDir = tempDir();
    const app = startTestApp({ start: T0, dataDir });
    for (const input of schedules) await call(app, 'schedules.create', input);
    for (let i = 0; i < 3; i++) {
      app.clock.advance(1000);
      await settle(app);
    }
    // the process dies while the re-plan is written: the seam is the store's schedule write
    app.store.schedules.save = () => {
      throw new Error('killed while writing the re-plan');
    };
    expect(() => app.clock.advance(1000)).toThrow('killed while writing the re-plan');
    app.close();
    expect(claimsBeyondPlan(dataDir)).toEqual([]);

    // down for 30 s: the occurrences in between are late (grace 1 s)
    const restartAt = T0 + 4000 + 30_000;
    const again = startTestApp({ start: restartAt, dataDir });
    await settle(again);
    again.clock.advance(3000);
    await settle(again);
    again.close();
    expectAllAccounted(dataDir, restartAt);
  });

  it('a file whose next_at points at an occurrence that already has a row (left by an older build) loses nothing', async () => {
    const dataDir = tempDir();
    const app = startTestApp({ start: T0, dataDir });
    for (const input of schedules) await call(app, 'schedules.create', input);
    for (let i = 0; i < 3; i++) {
      app.clock.advance(1000);
      await settle(app);
    }
    app.close();
    // what a kill between the two transactions of the older engine left: the claim, not the re-plan
    const db = new Database(path.join(dataDir, 'almanac.db'));
    const changed = db
      .prepare(
        `UPDATE schedules SET
           next_at = (SELECT max(scheduled_at) FROM runs WHERE runs.schedule_id = schedules.id),
           next_fire_at = (SELECT max(scheduled_at) FROM runs WHERE runs.schedule_id = schedules.id),
           last_scheduled_at = (SELECT max(scheduled_at) - 1000 FROM runs WHERE runs.schedule_id = schedules.id)`,
      )
      .run().changes;
    db.close();
    expect(changed).toBe(2);

    const restartAt = T0 + 3000 + 30_000;
    const again = startTestApp({ start: restartAt, dataDir });
    await settle(again);
    again.clock.advance(3000);
    await settle(again);
    again.close();
    expectAllAccounted(dataDir, restartAt);
  });
});

describe('kill -9 of a real engine process at the moment it writes the re-plan', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = null;
  });

  it('loses no occurrence and runs none twice after a restart', async () => {
    const dataDir = tempDir();
    const setup = startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog });
    for (const input of schedules) await call(setup, 'schedules.create', input);
    setup.close();

    // the child blocks inside its first schedule write after a claim and says so; we kill it there
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/engine-child.ts', dataDir, '4'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ALMANAC_TEST_BLOCK_REPLAN: '1' },
    });
    child = proc;
    let out = '';
    let err = '';
    proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const gone = new Promise((resolve) => proc.once('close', resolve));
    await waitUntil(() => out.includes('blocked in re-plan') || proc.exitCode !== null, 30_000, 'the block');
    expect(err).toBe('');
    expect(out).toContain('blocked in re-plan');
    proc.kill('SIGKILL');
    await gone;
    expect(claimsBeyondPlan(dataDir)).toEqual([]);

    // down long enough for occurrences to be late (grace 1 s)
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const restartAt = Date.now();
    const again = startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog });
    again.start();
    await again.engine.whenEvaluated();
    again.close();
    const tally = account(dataDir, restartAt);
    expect(tally.problems).toEqual([]);
    expect(tally.lost).toBe(0);
    expect(tally.duplicates).toBe(0);
    expect(tally.occurrences).toBeGreaterThan(2);
  }, 60_000);
});
