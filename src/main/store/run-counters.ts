/**
 * Counters over ended runs, so `runs.stats` reads a few thousand counter rows instead of scanning a
 * month of history. SQLite triggers on `runs` keep them in the same transaction as every write that
 * ends, changes or deletes a run (the engine's run end, a claim that is born skipped or missed,
 * retention), whoever issues it:
 *
 * - `run_counts`: runs by schedule × UTC hour × status (a `missed` row weighs its `missed_count`).
 *   The schedule '' counts every schedule, so "all schedules" reads one row per hour and status.
 * - `run_durations`: a duration histogram by schedule × UTC hour × bucket, with the bucket's count
 *   and sum ('' again for all schedules).
 * - `run_duration_days`: the all-schedules histogram by UTC day, so a month of all schedules reads
 *   30 days of buckets, not 720 hours of them.
 *
 * Queued and running rows are not counted: they are few, change often, and are read live.
 *
 * Buckets: a duration d < 128 ms is its own bucket; above, a bucket keeps d's top 7 bits, so it is at
 * most 1/64 of its lower bound wide. A percentile answers with the mean of the durations in its
 * bucket: exact below 128 ms and whenever the bucket holds one value, otherwise within 1/64 (1.6 %).
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Rows that are history. */
export const ENDED_SQL = "NOT IN ('queued', 'running')";
export const LIVE_STATUSES = ['queued', 'running'] as const;
/** The statuses whose durations the percentiles describe. */
export const TIMED_SQL = "IN ('succeeded', 'failed', 'timed-out')";
export const TIMED = new Set(['succeeded', 'failed', 'timed-out']);

const EXACT_BELOW = 128;
const SUB_BUCKET_BITS = 6; // 64 buckets per doubling above EXACT_BELOW

/** Durations past 2^41 ms (70 years) share the top octave's arithmetic; none is real. */
const TOP_BIT = 40;

/** The histogram bucket of a duration (ms). */
export function bucketOf(durationMs: number): number {
  const d = Math.max(0, Math.floor(durationMs));
  if (d < EXACT_BELOW) return d;
  let shift = 1; // d ≥ 128 = 2^7: keep 7 bits
  for (let bit = 8; bit <= TOP_BIT; bit++) if (d >= 2 ** bit) shift++;
  return shift * 2 ** SUB_BUCKET_BITS + Math.floor(d / 2 ** shift);
}

/** The same in SQL, for the triggers and the migration: integer arithmetic, no math extension. */
export function bucketSql(duration: string): string {
  const bits = Array.from({ length: TOP_BIT - 7 }, (_, k) => `(${duration} >= ${2 ** (k + 8)})`).join('+');
  const shift = `(1+${bits})`;
  return `(CASE WHEN ${duration} < ${EXACT_BELOW} THEN max(${duration}, 0) ELSE (${shift} << ${SUB_BUCKET_BITS}) + (${duration} >> ${shift}) END)`;
}

/** A merged histogram: bucket → [count, sum of durations]. */
export type Histogram = Map<number, [number, number]>;

export function addTo(histogram: Histogram, bucket: number, n: number, total: number): void {
  const entry = histogram.get(bucket);
  if (entry) {
    entry[0] += n;
    entry[1] += total;
  } else histogram.set(bucket, [n, total]);
}

/** Nearest-rank p50 and p95 of a histogram (see the buckets above); null when it is empty. */
export function histogramPercentiles(histogram: Histogram): { p50: number; p95: number } | null {
  const buckets = [...histogram.entries()].filter(([, [n]]) => n > 0).sort((a, b) => a[0] - b[0]);
  const count = buckets.reduce((sum, [, [n]]) => sum + n, 0);
  if (!count) return null;
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (const [, [n, total]] of buckets) {
      seen += n;
      if (seen >= rank) return Math.round(total / n);
    }
    return Math.round(buckets[buckets.length - 1]![1][1] / buckets[buckets.length - 1]![1][0]);
  };
  return { p50: at(50), p95: at(95) };
}

const WEIGHT = (row: string) =>
  `(CASE WHEN ${row}.status = 'missed' THEN COALESCE(${row}.missed_count, 1) ELSE 1 END)`;

/** Statements that add (sign +1) or take away (-1) one row's share of the counters. */
function apply(row: 'NEW' | 'OLD', sign: 1 | -1): string {
  const hour = `${row}.at / ${HOUR_MS}`;
  const day = `${row}.at / ${DAY_MS}`;
  const bucket = bucketSql(`${row}.duration_ms`);
  const ended = `${row}.status ${ENDED_SQL}`;
  const timed = `${row}.status ${TIMED_SQL} AND ${row}.duration_ms IS NOT NULL`;
  if (sign === 1)
    return `
    INSERT INTO run_counts (schedule_id, hour, status, n)
      SELECT ${row}.schedule_id, ${hour}, ${row}.status, ${WEIGHT(row)} WHERE ${ended}
      UNION ALL SELECT '', ${hour}, ${row}.status, ${WEIGHT(row)} WHERE ${ended}
      ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO run_durations (schedule_id, hour, bucket, n, total_ms)
      SELECT ${row}.schedule_id, ${hour}, ${bucket}, 1, ${row}.duration_ms WHERE ${timed}
      UNION ALL SELECT '', ${hour}, ${bucket}, 1, ${row}.duration_ms WHERE ${timed}
      ON CONFLICT DO UPDATE SET n = n + 1, total_ms = total_ms + excluded.total_ms;
    INSERT INTO run_duration_days (day, bucket, n, total_ms)
      SELECT ${day}, ${bucket}, 1, ${row}.duration_ms WHERE ${timed}
      ON CONFLICT DO UPDATE SET n = n + 1, total_ms = total_ms + excluded.total_ms;`;
  const counts = `schedule_id IN (${row}.schedule_id, '') AND hour = ${hour} AND status = ${row}.status`;
  const durations = `schedule_id IN (${row}.schedule_id, '') AND hour = ${hour} AND bucket = ${bucket}`;
  const days = `day = ${day} AND bucket = ${bucket}`;
  return `
    UPDATE run_counts SET n = n - ${WEIGHT(row)} WHERE ${ended} AND ${counts};
    DELETE FROM run_counts WHERE ${ended} AND ${counts} AND n = 0;
    UPDATE run_durations SET n = n - 1, total_ms = total_ms - ${row}.duration_ms WHERE ${timed} AND ${durations};
    DELETE FROM run_durations WHERE ${timed} AND ${durations} AND n = 0;
    UPDATE run_duration_days SET n = n - 1, total_ms = total_ms - ${row}.duration_ms WHERE ${timed} AND ${days};
    DELETE FROM run_duration_days WHERE ${timed} AND ${days} AND n = 0;`;
}

const COUNTED = ['status', 'at', 'schedule_id', 'missed_count', 'duration_ms'];
const changed = COUNTED.map((column) => `OLD.${column} IS NOT NEW.${column}`).join(' OR ');

/** Schema step 3: the counter tables and the triggers that keep them (the rows come from `fillCounters`). */
export const COUNTERS_SCHEMA = `
  CREATE TABLE run_counts (
    schedule_id TEXT NOT NULL,
    hour INTEGER NOT NULL,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (schedule_id, hour, status)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE run_durations (
    schedule_id TEXT NOT NULL,
    hour INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    total_ms INTEGER NOT NULL,
    PRIMARY KEY (schedule_id, hour, bucket)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE run_duration_days (
    day INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    total_ms INTEGER NOT NULL,
    PRIMARY KEY (day, bucket)
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER runs_counted_insert AFTER INSERT ON runs WHEN NEW.status ${ENDED_SQL}
  BEGIN ${apply('NEW', 1)}
  END;
  CREATE TRIGGER runs_counted_delete AFTER DELETE ON runs WHEN OLD.status ${ENDED_SQL}
  BEGIN ${apply('OLD', -1)}
  END;
  CREATE TRIGGER runs_counted_update_old AFTER UPDATE OF ${COUNTED.join(', ')} ON runs
    WHEN OLD.status ${ENDED_SQL} AND (${changed})
  BEGIN ${apply('OLD', -1)}
  END;
  CREATE TRIGGER runs_counted_update_new AFTER UPDATE OF ${COUNTED.join(', ')} ON runs
    WHEN NEW.status ${ENDED_SQL} AND (${changed})
  BEGIN ${apply('NEW', 1)}
  END;
`;

/**
 * Builds the counters of the runs already in the file, in one pass per table. `progress` hears the
 * step names (the 1,000,000-run file takes seconds).
 */
export function fillCountersSql(): { name: string; sql: string }[] {
  const weight = "CASE WHEN status = 'missed' THEN COALESCE(missed_count, 1) ELSE 1 END";
  const bucket = bucketSql('duration_ms');
  return [
    {
      name: 'run counts by schedule',
      sql: `INSERT INTO run_counts (schedule_id, hour, status, n)
        SELECT schedule_id, at / ${HOUR_MS} AS hour, status, SUM(${weight}) FROM runs
        WHERE status ${ENDED_SQL} GROUP BY schedule_id, hour, status`,
    },
    {
      name: 'run counts for all schedules',
      sql: `INSERT INTO run_counts (schedule_id, hour, status, n)
        SELECT '', hour, status, SUM(n) FROM run_counts GROUP BY hour, status`,
    },
    {
      name: 'durations by schedule',
      sql: `INSERT INTO run_durations (schedule_id, hour, bucket, n, total_ms)
        SELECT schedule_id, at / ${HOUR_MS} AS hour, ${bucket} AS b, COUNT(*), SUM(duration_ms) FROM runs
        WHERE status ${TIMED_SQL} AND duration_ms IS NOT NULL GROUP BY schedule_id, hour, b`,
    },
    {
      name: 'durations for all schedules',
      sql: `INSERT INTO run_durations (schedule_id, hour, bucket, n, total_ms)
        SELECT '', hour, bucket, SUM(n), SUM(total_ms) FROM run_durations GROUP BY hour, bucket`,
    },
    {
      name: 'durations by day',
      sql: `INSERT INTO run_duration_days (day, bucket, n, total_ms)
        SELECT hour / 24 AS day, bucket, SUM(n), SUM(total_ms) FROM run_durations WHERE schedule_id = ''
        GROUP BY day, bucket`,
    },
  ];
}
