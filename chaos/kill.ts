/**
 * kill -9 at random moments, most of them inside a burst, then restart on the same file. After each
 * restart: the file is intact, every occurrence so far is accounted for exactly once, nothing due
 * at restart is left unclaimed, and the runs the kill caught `running` are now `interrupted`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { account, breakdown, idsWithStatus, integrity, statusOf } from './check';
import { between, createSchedules, everySecond, kill, sleep, startEngine, tempDataDir } from './harness';
import { emptyResult, type ScenarioResult } from './scenario';

const BURST_EVERY_S = 2;
const BURST_SIZE = 24;

export async function killScenario(iterations: number, log: (line: string) => void): Promise<ScenarioResult> {
  const result = emptyResult('kill -9');
  const dataDir = tempDataDir('kill');
  result.dataDirs.push(dataDir);
  await createSchedules(dataDir, [
    everySecond('A every second, overlap allowAll', { policy: { overlap: 'allowAll' } }),
    everySecond('B every second, 1.5 s long, overlap skip, catch-up all (2)', {
      action: { type: 'command', command: 'sleep 1.5', shell: false },
      policy: { overlap: 'skip', graceSeconds: 1, catchUp: 'all', catchUpLimit: 2 },
    }),
    everySecond('C reminder every second, no catch-up', {
      action: { type: 'reminder', title: 'C', body: '' },
      policy: { overlap: 'allowAll', graceSeconds: 1, catchUp: 'none' },
    }),
    everySecond('D every second, overlap bufferOne, catch-up latest', {
      action: { type: 'command', command: 'sleep 0.3', shell: false },
      policy: { overlap: 'bufferOne', graceSeconds: 1, catchUp: 'latest' },
    }),
    ...Array.from({ length: BURST_SIZE }, (_, i) =>
      everySecond(`burst ${i}`, {
        trigger: { type: 'cron', expression: `*/${BURST_EVERY_S} * * * * *`, timezone: 'UTC' },
        action: { type: 'command', command: 'sleep 0.2', shell: false },
        policy: { overlap: 'allowAll' },
      }),
    ),
  ]);

  let engine = await startEngine(dataDir);
  let interrupted = 0;
  for (let i = 1; i <= iterations; i++) {
    // two kills in three land just after a burst fell due (claiming, spawning, running); the rest anywhere
    if (Math.random() < 2 / 3) {
      const burst = Math.ceil((Date.now() + 300) / (BURST_EVERY_S * 1000)) * BURST_EVERY_S * 1000;
      await sleep(burst - Date.now() + between(0, 800));
    } else {
      await sleep(between(300, 2500));
    }
    await kill(engine, 'SIGKILL');
    result.kills += 1;
    const running = idsWithStatus(dataDir, 'running');
    await sleep(between(0, 1500)); // down for a moment: some occurrences fall due with no engine
    engine = await startEngine(dataDir);
    result.iterations += 1;

    const fail = (message: string) => result.failures.push(`iteration ${i}: ${message}`);
    const ok = integrity(dataDir);
    if (ok !== 'ok') fail(`integrity_check: ${ok}`);
    const tally = account(dataDir, engine.ready.startedAt);
    result.occurrences += tally.occurrences;
    result.duplicates += tally.duplicates;
    result.lost += tally.lost;
    for (const problem of tally.problems) fail(problem);
    const statuses = statusOf(dataDir, running);
    const notInterrupted = [...statuses].filter(([, status]) => status !== 'interrupted');
    if (notInterrupted.length)
      fail(`runs left running by the kill are not interrupted: ${JSON.stringify(notInterrupted)}`);
    interrupted += running.length - notInterrupted.length;
    log(
      `  kill ${String(i).padStart(2)}: ${String(running.length).padStart(2)} running → interrupted; ` +
        `${tally.occurrences} occurrences accounted for, ${tally.duplicates} duplicates, ${tally.lost} lost`,
    );
  }
  await kill(engine, 'SIGTERM');
  const final = account(dataDir);
  result.occurrences += final.occurrences;
  result.duplicates += final.duplicates;
  result.lost += final.lost;
  for (const problem of final.problems) result.failures.push(`after the last stop: ${problem}`);
  if (integrity(dataDir) !== 'ok') result.failures.push('integrity_check failed after the last stop');
  result.notes.push(`${interrupted} runs caught running by a kill were marked interrupted`);
  result.notes.push(`final tally: ${final.occurrences} distinct occurrences, each accounted for once`);
  result.notes.push(`rows by status: ${breakdown(dataDir)}`);
  const self = selfTest(dataDir);
  if (self) result.failures.push(self);
  else result.notes.push('the checker itself, on a copy with one run deleted and one doubled: finds both');
  return result;
}

/** The zeros above mean something only if the checker can see a loss and a double: show it can. */
function selfTest(dataDir: string): string | null {
  const copy = tempDataDir('kill-selftest');
  fs.copyFileSync(path.join(dataDir, 'almanac.db'), path.join(copy, 'almanac.db'));
  const db = new Database(path.join(copy, 'almanac.db'));
  const [victim, twin] = db
    .prepare(
      `SELECT r.id, r.schedule_id, r.scheduled_at FROM runs r JOIN schedules s ON s.id = r.schedule_id
        WHERE r.status = 'succeeded' AND r.attempt = 1 AND r.scheduled_at < s.next_at ORDER BY r.scheduled_at LIMIT 2`,
    )
    .all() as { id: string; schedule_id: string; scheduled_at: number }[];
  db.prepare('DELETE FROM runs WHERE id = ?').run(victim!.id);
  // a missed row whose range claims the twin's occurrence a second time (its own key differs by 1 ms)
  db.prepare(
    `INSERT INTO runs (id, schedule_id, scheduled_at, at, trigger, status, missed_count, missed_first_at, missed_last_at)
     VALUES ('selftest', ?, ?, ?, 'catch-up', 'missed', 1, ?, ?)`,
  ).run(
    twin!.schedule_id,
    twin!.scheduled_at - 1,
    twin!.scheduled_at,
    twin!.scheduled_at,
    twin!.scheduled_at,
  );
  db.close();
  const tally = account(copy);
  fs.rmSync(copy, { recursive: true, force: true });
  return tally.lost >= 1 && tally.duplicates >= 1
    ? null
    : `the checker missed a deleted run or a doubled occurrence (lost ${tally.lost}, duplicates ${tally.duplicates})`;
}
