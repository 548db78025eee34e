/**
 * `npm run chaos`: real engine processes on real files, killed, stopped, time-shifted and given a
 * damaged database, with the rules of DESIGN.md §4 checked after each blow. Prints a summary and
 * exits non-zero if any rule broke. `npm run chaos -- --kills N` changes the number of kill -9 rounds;
 * `--load` runs it all while busy loops keep every core busy (started and killed by the suite);
 * `--only kill,stop,clock,corrupt` runs just those scenarios.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { clockScenario, findLibfaketime } from './clock';
import { corruptScenario } from './corrupt';
import { killScenario } from './kill';
import { startLoad, stopLoad } from './load';
import { emptyResult, type ScenarioResult } from './scenario';
import { stopScenario } from './stop';

const SCENARIOS = ['kill', 'stop', 'clock', 'corrupt'] as const;
const { values } = parseArgs({
  options: {
    kills: { type: 'string' },
    load: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
// under load every engine start is slower: fewer kill rounds keep the suite within its time
const kills = Number(values.kills ?? (values.load ? 20 : 30));
if (!Number.isInteger(kills) || kills < 1)
  throw new Error(`--kills must be a positive integer, not ${values.kills}`);
const only = values.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !(SCENARIOS as readonly string[]).includes(name)) ?? [];
if (unknown.length) throw new Error(`--only takes ${SCENARIOS.join(', ')}; not ${unknown.join(', ')}`);
const wanted = (name: (typeof SCENARIOS)[number]) => !only || only.includes(name);

const began = Date.now();
/** The suite is bounded: CI must not hang on a child that never exits. */
const WATCHDOG_MS = 6 * 60_000;
setTimeout(() => {
  console.error(`chaos: still running after ${WATCHDOG_MS / 60_000} minutes; giving up`);
  process.exit(1);
}, WATCHDOG_MS).unref();
const log = (line: string) => console.log(line);
const results: ScenarioResult[] = [];
if (values.load) {
  const pids = startLoad();
  log(`load: ${pids.length} busy loops (one per core), pids ${pids.join(' ')}`);
}

async function scenario(title: string, run: () => Promise<ScenarioResult>, name: string): Promise<void> {
  const start = Date.now();
  log(`\n${title}`);
  try {
    results.push(await run());
  } catch (error) {
    const failed = emptyResult(name);
    failed.failures.push(
      `the scenario itself failed: ${error instanceof Error ? error.stack : String(error)}`,
    );
    results.push(failed);
  }
  const last = results[results.length - 1]!;
  log(`  ${last.failures.length ? 'FAILED' : 'ok'} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  for (const failure of last.failures.slice(0, 20)) log(`  ✗ ${failure}`);
  if (last.failures.length > 20) log(`  ✗ … and ${last.failures.length - 20} more`);
  for (const dir of last.dataDirs) {
    if (last.failures.length) log(`  data kept for a look: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (wanted('kill'))
  await scenario(
    `kill -9 at random moments during bursts, ${kills} times`,
    () => killScenario(kills, log),
    'kill -9',
  );
if (wanted('stop')) await scenario('SIGSTOP for 10 s, then SIGCONT', () => stopScenario(log), 'SIGSTOP');
const library = findLibfaketime();
if (wanted('clock'))
  await scenario(
    'wall clock of a running engine +3 h, then -1 h (libfaketime)',
    () => {
      if (!library) throw new Error('libfaketime is not installed (Debian: apt-get install faketime)');
      return clockScenario(library, log);
    },
    'clock',
  );
if (wanted('corrupt'))
  await scenario('a damaged database file at start', () => corruptScenario(log), 'corrupt');
stopLoad();

const sum = (pick: (r: ScenarioResult) => number) => results.reduce((total, r) => total + pick(r), 0);
const failures = sum((r) => r.failures.length);
const seconds = (Date.now() - began) / 1000;
const summary = [
  '',
  `chaos summary${values.load ? ' (under load: a busy loop on every core)' : ''}`,
  `  iterations            ${sum((r) => r.iterations)}`,
  `  kills (SIGKILL)       ${sum((r) => r.kills)}`,
  `  occurrences checked   ${sum((r) => r.occurrences)}`,
  `  duplicates            ${sum((r) => r.duplicates)}`,
  `  lost                  ${sum((r) => r.lost)}`,
  ...results.flatMap((r) => r.notes.map((note) => `  ${`${r.name}:`.padEnd(22)}${note}`)),
  `  scenarios             ${results.map((r) => `${r.name} ${r.failures.length ? 'FAILED' : 'ok'}`).join(', ')}`,
  `  time                  ${Math.floor(seconds / 60)}m${(seconds % 60).toFixed(0).padStart(2, '0')}s`,
  failures ? `  RESULT                FAILED (${failures} problems)` : '  RESULT                ok',
];
log(summary.join('\n'));
process.exit(failures ? 1 : 0);
