/**
 * runs.list stays fast at a million rows because every filter combination searches an index in
 * (at, id) order and stops at the page size. These tests read SQLite's own query plan to hold that,
 * and compare each page with a brute-force filter over the same rows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStatus, RunTrigger, type RunStatus as Status } from '../../src/shared/domain';
import { listedAt, listQuery, Store, type RunFilter, type RunRecord } from '../../src/main/store';
import { tempDir } from '../support/engine';

let store: Store;
const rows: RunRecord[] = [];
const STATUSES = RunStatus.options;
const TRIGGERS = RunTrigger.options;

function planOf(filter: RunFilter): string[] {
  const { sql, params } = listQuery(filter);
  return (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map(
    (row) => row.detail,
  );
}

beforeAll(() => {
  store = Store.open(tempDir());
  // 3,000 runs over 6 schedules, with ties on `at` so the id tiebreak matters.
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  store.transaction(() => {
    for (let i = 0; i < 3000; i++) {
      const fireAt = 1_700_000_000_000 + Math.floor(i / 3) * 60_000;
      const run = {
        id: `r${String(i).padStart(5, '0')}`,
        scheduleId: `s${Math.floor(random() * 6)}`,
        scheduledAt: fireAt,
        fireAt,
        trigger: TRIGGERS[Math.floor(random() * TRIGGERS.length)]!,
        attempt: 1 + i, // unique per row: the claim key is not what this test is about
        status: STATUSES[Math.floor(random() * STATUSES.length)]!,
      };
      store.runs.insert(run);
      rows.push(store.runs.get(run.id)!);
    }
  });
});
afterAll(() => store.close());

const filters: [string, string, Omit<RunFilter, 'limit'>][] = [
  ['nothing', 'runs_by_at', {}],
  ['a schedule', 'runs_by_schedule', { scheduleId: 's1' }],
  ['one status', 'runs_by_status', { status: ['failed'] }],
  ['several statuses', 'runs_by_status', { status: ['failed', 'timed-out', 'interrupted'] }],
  [
    'a schedule and statuses',
    'runs_by_schedule_status',
    { scheduleId: 's1', status: ['failed', 'succeeded'] },
  ],
  ['one trigger', 'runs_by_trigger', { trigger: ['manual'] }],
  ['several triggers', 'runs_by_trigger', { trigger: ['manual', 'chain'] }],
  ['a schedule and a trigger', 'runs_by_schedule', { scheduleId: 's1', trigger: ['manual'] }],
  ['statuses and triggers', 'runs_by_status', { status: ['failed', 'cancelled'], trigger: ['manual'] }],
  ['a time range', 'runs_by_at', { from: 1_700_000_000_000, to: 1_700_003_000_000 }],
  [
    'everything and a cursor',
    'runs_by_schedule_status',
    {
      scheduleId: 's2',
      status: ['succeeded', 'failed'],
      trigger: ['schedule', 'retry'],
      from: 1,
      to: 2e12,
      after: { at: 1_700_010_000_000, id: 'r00500' },
    },
  ],
];

describe('runs.list query plans (EXPLAIN QUERY PLAN)', () => {
  it.each(filters)('filtered by %s, it searches %s and never scans the table', (_name, index, filter) => {
    const plan = planOf({ ...filter, limit: 51 });
    const touches = plan.filter((line) => /\bruns\b/.test(line));
    expect(touches.length).toBeGreaterThan(0);
    for (const line of touches)
      expect(line).toMatch(new RegExp(`^(SEARCH|SCAN) runs USING (COVERING )?INDEX ${index}\\b`));
    // The only sorting allowed is of one already-limited index range while merging ranges.
    plan.forEach((line, i) => {
      if (line.startsWith('USE TEMP B-TREE')) expect(plan[i - 1]).toMatch(/^SCAN \(subquery-\d+\)$/);
    });
  });

  it('an unsplit filter sorts nothing at all', () => {
    for (const [, , filter] of filters.filter(
      ([, , f]) => (f.status?.length ?? 0) < 2 && (f.trigger?.length ?? 0) < 2,
    )) {
      expect(planOf({ ...filter, limit: 51 }).some((line) => line.includes('TEMP B-TREE'))).toBe(false);
    }
  });

  it('the stats counts for one schedule read only that schedule’s index range', () => {
    const plan = (
      store.db
        .prepare(
          "EXPLAIN QUERY PLAN SELECT status, COUNT(*) FROM runs WHERE schedule_id = 's1' AND at >= 0 AND at < 1 GROUP BY status",
        )
        .all() as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan.join(' | ')).toMatch(/USING (COVERING )?INDEX runs_by_schedule(_status)? \(schedule_id=\?/);
  });
});

describe('runs.list pages are the brute-force answer', () => {
  const byNewest = (a: RunRecord, b: RunRecord) => listedAt(b) - listedAt(a) || (a.id < b.id ? 1 : -1);

  it('every filter and cursor walk yields exactly the matching rows, newest first, no gaps or repeats', () => {
    fc.assert(
      fc.property(
        fc.record({
          scheduleId: fc.option(fc.constantFrom('s0', 's1', 's5', 'nobody'), { nil: undefined }),
          status: fc.option(fc.uniqueArray(fc.constantFrom(...STATUSES), { maxLength: 3 }), {
            nil: undefined,
          }),
          trigger: fc.option(fc.uniqueArray(fc.constantFrom(...TRIGGERS), { maxLength: 2 }), {
            nil: undefined,
          }),
          from: fc.option(fc.integer({ min: 1_700_000_000_000, max: 1_700_060_000_000 }), { nil: undefined }),
          span: fc.integer({ min: 0, max: 70_000_000 }),
          limit: fc.integer({ min: 1, max: 400 }),
        }),
        ({ span, limit, ...filter }) => {
          const to = filter.from !== undefined ? filter.from + span : undefined;
          const expected = rows
            .filter((r) => !filter.scheduleId || r.scheduleId === filter.scheduleId)
            .filter((r) => !filter.status?.length || filter.status.includes(r.status as Status))
            .filter((r) => !filter.trigger?.length || filter.trigger.includes(r.trigger))
            .filter((r) => filter.from === undefined || listedAt(r) >= filter.from)
            .filter((r) => to === undefined || listedAt(r) < to)
            .sort(byNewest)
            .map((r) => r.id);
          const seen: string[] = [];
          let after: RunFilter['after'];
          for (;;) {
            const page = store.runs.list({ ...filter, to, after, limit });
            seen.push(...page.map((r) => r.id));
            if (page.length < limit) break;
            const last = page[page.length - 1]!;
            after = { at: listedAt(last), id: last.id };
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
