/**
 * The wall clock of a running engine moves forward 3 h, then back 1 h, through libfaketime (Debian's
 * `faketime` package): the offset lives in a file the preloaded library re-reads on every call, so
 * it changes under the running process. Monotonic time stays real, which is how the engine tells a
 * jump from elapsed time. Forward: catch-up follows each schedule's policy. Back: nothing re-runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { withDatabase } from './check';
import { createSchedules, everySecond, kill, sleep, startEngine, tempDataDir, type Engine } from './harness';
import { emptyResult, tallyInto, type ScenarioResult } from './scenario';

const LIBFAKETIME = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];
const HOUR = 3600_000;

export function findLibfaketime(): string | null {
  return LIBFAKETIME.find((file) => fs.existsSync(file)) ?? null;
}

interface Row {
  schedule_id: string;
  scheduled_at: number;
  trigger: string;
  status: string;
  missed_count: number | null;
}

async function until(what: string, test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function clockScenario(library: string, log: (line: string) => void): Promise<ScenarioResult> {
  const result = emptyResult('clock');
  const dataDir = tempDataDir('clock');
  result.dataDirs.push(dataDir);
  const offsetFile = path.join(dataDir, 'faketime-offset');
  fs.writeFileSync(offsetFile, '+0\n');
  const policies = {
    latest: { overlap: 'skip', catchUp: 'latest' },
    all: { overlap: 'allowAll', catchUp: 'all', catchUpLimit: 5, graceSeconds: 5 },
    none: { overlap: 'allowAll', catchUp: 'none', graceSeconds: 1 },
  } as const;
  const ids = await createSchedules(dataDir, [
    everySecond('latest, grace 60 s', { policy: policies.latest }),
    everySecond('all (limit 5), grace 5 s', { policy: policies.all }),
    everySecond('none, grace 1 s', { policy: policies.none }),
  ]);
  const [latest, all, none] = ids as [string, string, string];
  let engine: Engine | null = await startEngine(dataDir, {
    env: {
      LD_PRELOAD: library,
      FAKETIME_TIMESTAMP_FILE: offsetFile,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
  });
  try {
    const rows = (): Row[] =>
      withDatabase(
        dataDir,
        (db) =>
          db
            .prepare(
              'SELECT schedule_id, scheduled_at, trigger, status, missed_count FROM runs ORDER BY scheduled_at',
            )
            .all() as Row[],
      );
    await sleep(2500);

    // forward 3 h
    fs.writeFileSync(offsetFile, '+3h\n');
    const jumpedAt = Date.now();
    const current = engine;
    await until(
      'the catch-up after the jump',
      () => current.catchUps.some((c) => c.reason !== 'start'),
      10_000,
    );
    const detected = engine.catchUps.find((c) => c.reason !== 'start')!;
    await sleep(2500);
    const afterForward = rows();
    const newest = Math.max(...afterForward.map((row) => row.scheduled_at));
    // proof that the child's clock moved: it claimed occurrences ~3 h ahead of ours
    if (newest < Date.now() + 3 * HOUR - 30_000)
      result.failures.push(
        `the engine's clock did not move forward (newest occurrence ${new Date(newest).toISOString()})`,
      );
    if (detected.reason !== 'suspend')
      result.failures.push(`the jump was seen as ${detected.reason}, not as a suspend`);
    const inJump = (id: string) =>
      afterForward.filter((row) => row.schedule_id === id && row.scheduled_at > jumpedAt - 2000);
    const catchUpRuns = (id: string) =>
      inJump(id).filter((row) => row.trigger === 'catch-up' && row.status !== 'missed');
    const missedCount = (id: string) =>
      inJump(id)
        .filter((row) => row.status === 'missed')
        .reduce((sum, row) => sum + (row.missed_count ?? 0), 0);
    const expectations: [string, string, number][] = [
      // latest: on-time runs are about to happen within grace, so no extra catch-up run
      ['latest', latest, 0],
      ['all (limit 5)', all, 5],
      ['none', none, 0],
    ];
    for (const [name, id, want] of expectations) {
      const got = catchUpRuns(id).length;
      if (got !== want)
        result.failures.push(`${name}: ${got} catch-up runs after the jump, policy says ${want}`);
      if (missedCount(id) < 3 * 3600 - 120)
        result.failures.push(`${name}: only ${missedCount(id)} occurrences recorded as missed over 3 h`);
    }
    const forwardLine =
      `+3 h seen as "${detected.reason}" ${detected.at - jumpedAt - 3 * HOUR} ms after the jump: ` +
      `catch-up runs latest ${catchUpRuns(latest).length}, all ${catchUpRuns(all).length}, none ${catchUpRuns(none).length}; ` +
      `missed ${missedCount(latest)} / ${missedCount(all)} / ${missedCount(none)}`;
    log(`  ${forwardLine}`);
    result.notes.push(forwardLine);

    // back 1 h: everything in the next hour was already claimed, so nothing may run again. The
    // snapshot above races the engine's ticks on the +3 h clock: a tick under way when it was taken
    // (likely on a loaded machine) commits its rows after it. Those were due before the clock went
    // back and are no fault; what the engine claims once it reads the -1 h clock is either an
    // occurrence it already had (a re-run) or one beyond the +3 h clock at the moment of the change.
    const claimed = new Map(afterForward.map((row) => [`${row.schedule_id}@${row.scheduled_at}`, row]));
    const newestOf = new Map<string, number>();
    for (const row of afterForward)
      newestOf.set(row.schedule_id, Math.max(newestOf.get(row.schedule_id) ?? -Infinity, row.scheduled_at));
    fs.writeFileSync(offsetFile, '+2h\n');
    // a clock read before the write took effect saw at most this (+3 h)
    const backAt = Date.now();
    await sleep(8000);
    const afterBack = rows();
    const added = afterBack.filter((row) => !claimed.has(`${row.schedule_id}@${row.scheduled_at}`));
    const rerun = added.filter((row) => row.scheduled_at <= (newestOf.get(row.schedule_id) ?? -Infinity));
    const dueBefore = added.filter((row) => !rerun.includes(row) && row.scheduled_at <= backAt + 3 * HOUR);
    const afterBackRows = added.filter((row) => !rerun.includes(row) && !dueBefore.includes(row));
    const describe = (list: Row[]) =>
      list
        .map((row) => `${row.trigger} ${row.status} at ${new Date(row.scheduled_at).toISOString()}`)
        .join(', ');
    if (rerun.length)
      result.failures.push(
        `after the clock went back, ${rerun.length} occurrences ran again: ${describe(rerun)}`,
      );
    if (afterBackRows.length)
      result.failures.push(
        `after the clock went back, ${afterBackRows.length} new rows within the next 8 s, ` +
          `not due before it went back (${new Date(backAt + 3 * HOUR).toISOString()} on the +3 h clock): ${describe(afterBackRows)}`,
      );
    const backLine =
      `-1 h: ${afterBackRows.length} new rows in the following 8 s, ${rerun.length} re-runs` +
      (dueBefore.length
        ? ` (${dueBefore.length} rows of a tick due before the change committed after the snapshot)`
        : '');
    log(`  ${backLine}`);
    result.notes.push(backLine);

    await kill(engine, 'SIGTERM');
    engine = null;
    result.iterations = 1;
    tallyInto(result, dataDir);
  } finally {
    if (engine) await kill(engine);
  }
  return result;
}
