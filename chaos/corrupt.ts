/**
 * A damaged database file at start: the engine moves it aside untouched, restores the newest
 * intact backup, says so, and goes on scheduling. With no backup it starts empty and says that.
 */
import fs from 'node:fs';
import path from 'node:path';
import { databaseFile, integrity, withDatabase } from './check';
import { createSchedules, everySecond, kill, sleep, startEngine, tempDataDir } from './harness';
import { emptyResult, tallyInto, type ScenarioResult } from './scenario';

/**
 * Overwrites the b-tree page headers of every other page after the first: still an SQLite file by
 * its header, but its tables and indexes are broken (damage in a page's free space would be no damage).
 */
function damagePages(file: string): void {
  const fd = fs.openSync(file, 'r+');
  const size = fs.fstatSync(fd).size;
  for (let at = 4096; at < size; at += 4096 * 2) fs.writeSync(fd, Buffer.alloc(64, 0xee), 0, 64, at);
  fs.closeSync(fd);
}

const backupsIn = (dataDir: string) =>
  fs.existsSync(path.join(dataDir, 'backups'))
    ? fs.readdirSync(path.join(dataDir, 'backups')).filter((name) => name.endsWith('.db'))
    : [];
const asideIn = (dataDir: string) =>
  fs.readdirSync(dataDir).filter((name) => /^almanac\.db\.corrupt-\d{8}T\d{9}Z(-\d+)?$/.test(name));
const scheduleCount = (dataDir: string) =>
  withDatabase(dataDir, (db) => (db.prepare('SELECT count(*) AS n FROM schedules').get() as { n: number }).n);

export async function corruptScenario(log: (line: string) => void): Promise<ScenarioResult> {
  const result = emptyResult('corrupt');
  const fail = (message: string) => result.failures.push(message);
  const dataDir = tempDataDir('corrupt');
  result.dataDirs.push(dataDir);
  await createSchedules(dataDir, [
    everySecond('tick'),
    everySecond('tock', { policy: { overlap: 'allowAll' } }),
  ]);

  // a life with a backup at its start, then a clean stop
  let engine = await startEngine(dataDir);
  for (let i = 0; i < 50 && backupsIn(dataDir).length === 0; i++) await sleep(100);
  await sleep(2000);
  await kill(engine, 'SIGTERM');
  if (backupsIn(dataDir).length !== 1)
    fail(`expected one backup from the start, found ${backupsIn(dataDir).length}`);

  // damaged pages: moved aside byte for byte, the backup restored, the person told
  const file = databaseFile(dataDir);
  damagePages(file);
  const damaged = fs.readFileSync(file);
  engine = await startEngine(dataDir);
  result.iterations += 1;
  const [notice] = engine.ready.notices;
  if (engine.ready.notices.length !== 1 || notice!.level !== 'warning' || !/restored/.test(notice!.message))
    fail(`expected one warning about the restore, got ${JSON.stringify(engine.ready.notices)}`);
  if (!engine.stderr().includes(notice?.message ?? '\u0000')) fail('the restore notice is not in the log');
  const aside = asideIn(dataDir);
  if (aside.length !== 1 || !fs.readFileSync(path.join(dataDir, aside[0]!)).equals(damaged))
    fail(`the damaged file was not kept as it was: ${JSON.stringify(aside)}`);
  await sleep(2500);
  const ran = withDatabase(
    dataDir,
    (db) =>
      (
        db.prepare('SELECT count(*) AS n FROM runs WHERE started_at > ?').get(engine.ready.startedAt) as {
          n: number;
        }
      ).n,
  );
  if (integrity(dataDir) !== 'ok') fail('the restored database fails integrity_check');
  if (scheduleCount(dataDir) !== 2)
    fail(`the restored database holds ${scheduleCount(dataDir)} schedules, not 2`);
  if (ran === 0) fail('the engine ran nothing after the restore');
  await kill(engine, 'SIGTERM');
  tallyInto(result, dataDir, false);
  const restoredLine = `damaged pages → moved aside as ${aside[0]}, backup restored, ${ran} runs since; notice: "${notice?.message.slice(0, 160)}…"`;
  log(`  ${restoredLine}`);
  result.notes.push(restoredLine);

  // not a database at all, and no backup: an empty start that says so
  fs.rmSync(path.join(dataDir, 'backups'), { recursive: true });
  fs.writeFileSync(file, 'this is not an SQLite database\n'.repeat(200));
  engine = await startEngine(dataDir);
  result.iterations += 1;
  const [empty] = engine.ready.notices;
  if (engine.ready.notices.length !== 1 || empty!.level !== 'error' || !/empty database/.test(empty!.message))
    fail(`expected one error saying it started empty, got ${JSON.stringify(engine.ready.notices)}`);
  if (asideIn(dataDir).length !== 2)
    fail(`expected two files moved aside, found ${JSON.stringify(asideIn(dataDir))}`);
  if (scheduleCount(dataDir) !== 0) fail('the empty start is not empty');
  await kill(engine, 'SIGTERM');
  const emptyLine = `not a database, no backup → started empty; notice: "${empty?.message.slice(0, 160)}…"`;
  log(`  ${emptyLine}`);
  result.notes.push(emptyLine);
  return result;
}
