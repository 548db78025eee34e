/**
 * SIGSTOP for 10 s, then SIGCONT: the overdue work starts within 5 s (the timer cap), per policy —
 * within grace each occurrence runs; past grace, `all` with a limit of 3 runs the newest three late
 * ones as catch-up runs and counts the rest as missed.
 */
import { withDatabase } from './check';
import { createSchedules, everySecond, kill, sleep, startEngine, tempDataDir } from './harness';
import { emptyResult, tallyInto, type ScenarioResult } from './scenario';

const STOPPED_MS = 10_000;
/** The rule is 5 s; the check allows for a loaded 2-core machine, and the measured figure is reported. */
const LIMIT_MS = 5_000;

interface RunRow {
  scheduled_at: number;
  started_at: number | null;
  trigger: string;
  status: string;
  missed_count: number | null;
}

export async function stopScenario(log: (line: string) => void): Promise<ScenarioResult> {
  const result = emptyResult('SIGSTOP');
  const dataDir = tempDataDir('stop');
  result.dataDirs.push(dataDir);
  const [withinGrace, pastGrace] = await createSchedules(dataDir, [
    everySecond('every second, grace 60 s', { policy: { overlap: 'allowAll' } }),
    everySecond('every second, grace 1 s, catch-up all (3)', {
      policy: { overlap: 'allowAll', graceSeconds: 1, catchUp: 'all', catchUpLimit: 3 },
    }),
  ]);
  const engine = await startEngine(dataDir);
  await sleep(1500);
  engine.child.kill('SIGSTOP');
  const stoppedAt = Date.now();
  await sleep(STOPPED_MS);
  engine.child.kill('SIGCONT');
  const continuedAt = Date.now();
  await sleep(LIMIT_MS + 1000);
  await kill(engine, 'SIGTERM');
  result.iterations = 1;

  const rowsOf = (id: string, from: number, to: number) =>
    withDatabase(
      dataDir,
      (db) =>
        db
          .prepare(
            `SELECT scheduled_at, started_at, trigger, status, missed_count FROM runs
              WHERE schedule_id = ? AND coalesce(missed_last_at, scheduled_at) > ? AND scheduled_at <= ?
              ORDER BY scheduled_at`,
          )
          .all(id, from, to) as RunRow[],
    );
  const firstStart = (rows: RunRow[]) => Math.min(...rows.map((row) => row.started_at ?? Infinity));

  // within grace: each occurrence that fell due while stopped runs, none missed
  const graceRows = rowsOf(withinGrace!, stoppedAt + 1000, continuedAt);
  const graceLag = firstStart(graceRows) - continuedAt;
  if (graceRows.length < STOPPED_MS / 1000 - 2 || graceRows.some((row) => row.trigger !== 'schedule'))
    result.failures.push(
      `grace 60 s: expected each of ~${STOPPED_MS / 1000 - 1} overdue occurrences to run on schedule, got ${JSON.stringify(graceRows)}`,
    );
  // past grace: the three newest late occurrences as catch-up runs, the rest in one missed row
  const lateRows = rowsOf(pastGrace!, stoppedAt, continuedAt);
  const catchUps = lateRows.filter((row) => row.trigger === 'catch-up' && row.status !== 'missed');
  const missed = lateRows.filter((row) => row.status === 'missed');
  const lateLag = firstStart(catchUps) - continuedAt;
  if (catchUps.length !== 3 || missed.length !== 1 || (missed[0]!.missed_count ?? 0) < STOPPED_MS / 1000 - 6)
    result.failures.push(
      `grace 1 s, all (3): expected three catch-up runs and one missed row, got ${JSON.stringify(lateRows)}`,
    );
  for (const [what, lag] of [
    ['grace 60 s', graceLag],
    ['catch-up all (3)', lateLag],
  ] as const) {
    if (!(lag < LIMIT_MS))
      result.failures.push(`${what}: overdue work started ${lag} ms after SIGCONT (rule: < ${LIMIT_MS} ms)`);
  }
  tallyInto(result, dataDir);
  const line =
    `overdue work started ${graceLag} ms (grace 60 s: ${graceRows.length} runs) and ${lateLag} ms ` +
    `(catch-up all (3): ${catchUps.length} catch-up runs, ${missed[0]?.missed_count ?? 0} missed) after SIGCONT; limit ${LIMIT_MS} ms`;
  result.notes.push(line);
  log(`  ${line}`);
  return result;
}
