import { account, integrity } from './check';

export interface ScenarioResult {
  name: string;
  iterations: number;
  kills: number;
  /** Occurrence checks made (an occurrence re-verified after each restart counts each time). */
  occurrences: number;
  duplicates: number;
  lost: number;
  failures: string[];
  /** Measured figures and what was seen, for the summary. */
  notes: string[];
  /** Data dirs used: removed when the scenario passes, kept for a look when it fails. */
  dataDirs: string[];
}

export function emptyResult(name: string): ScenarioResult {
  return {
    name,
    iterations: 0,
    kills: 0,
    occurrences: 0,
    duplicates: 0,
    lost: 0,
    failures: [],
    notes: [],
    dataDirs: [],
  };
}

/** Accounts for every occurrence in the data dir (and, when asked, the file's integrity) into the result. */
export function tallyInto(result: ScenarioResult, dataDir: string, checkIntegrity = true): void {
  const tally = account(dataDir);
  result.occurrences += tally.occurrences;
  result.duplicates += tally.duplicates;
  result.lost += tally.lost;
  result.failures.push(...tally.problems);
  if (checkIntegrity && integrity(dataDir) !== 'ok') result.failures.push('integrity_check failed');
}
