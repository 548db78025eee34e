/**
 * due.ts as a table: a schedule's due occurrences at `now` → claims, one missed row, the newest due
 * occurrence and the next to plan. Interval triggers every 60 s from T keep the arithmetic visible.
 */
import { describe, expect, it } from 'vitest';
import type { Trigger } from '../../src/shared/domain';
import { decideDue, type DueDecision, type DueSchedule } from '../../src/main/engine/due';

const T = Date.parse('2026-03-01T00:00:00.000Z');
const s = (n: number) => T + n * 1000;
const everyMinute: Trigger = { type: 'interval', everySeconds: 60, timezone: 'UTC' };
const policy = { graceSeconds: 60, catchUp: 'latest', catchUpLimit: 10 } as DueSchedule['policy'];

function schedule(overrides: Partial<DueSchedule> = {}): DueSchedule {
  return {
    id: 'sch',
    trigger: everyMinute,
    policy,
    createdAt: T,
    nextAt: s(60),
    nextFireAt: s(60),
    firedCount: 0,
    ...overrides,
  };
}

const run = (at: number, trigger: 'schedule' | 'catch-up' = 'schedule') => ({ at, fireAt: at, trigger });

const table: [string, DueSchedule, number, number | null, DueDecision | null][] = [
  [
    'one due, on time: one claim, no croner call needed',
    schedule(),
    s(60) + 5,
    s(120),
    { claims: [run(s(60))], missed: null, latest: s(60), next: s(120), many: false },
  ],
  [
    'one due, past grace, catch-up none: one missed row',
    schedule({ policy: { ...policy, graceSeconds: 1, catchUp: 'none' } }),
    s(62),
    s(120),
    { claims: [], missed: { first: s(60), last: s(60), count: 1 }, latest: s(60), next: s(120), many: false },
  ],
  [
    'one due, past grace, catch-up latest: it runs as catch-up',
    schedule({ policy: { ...policy, graceSeconds: 1 } }),
    s(62),
    s(120),
    { claims: [run(s(60), 'catch-up')], missed: null, latest: s(60), next: s(120), many: false },
  ],
  [
    'one due, past grace and outside the catch-up window: missed',
    schedule({ policy: { ...policy, graceSeconds: 1, catchUpWindowSeconds: 1 } }),
    s(62),
    s(120),
    { claims: [], missed: { first: s(60), last: s(60), count: 1 }, latest: s(60), next: s(120), many: false },
  ],
  [
    'one due, maxRuns reached: nothing runs',
    schedule({ trigger: { ...everyMinute, maxRuns: 2 }, firedCount: 2 }),
    s(60) + 5,
    s(120),
    { claims: [], missed: null, latest: s(60), next: s(120), many: false },
  ],
  [
    'ten due, the newest on time, catch-up none: nine in one missed row, the newest runs',
    schedule({ policy: { ...policy, catchUp: 'none' } }),
    s(600) + 5,
    s(120),
    {
      claims: [run(s(600))],
      missed: { first: s(60), last: s(540), count: 9 },
      latest: s(600),
      next: s(660),
      many: true,
    },
  ],
  [
    'ten due, the newest on time, catch-up latest: no extra catch-up run',
    schedule(),
    s(600) + 5,
    s(120),
    {
      claims: [run(s(600))],
      missed: { first: s(60), last: s(540), count: 9 },
      latest: s(600),
      next: s(660),
      many: true,
    },
  ],
  [
    'ten due, none on time, catch-up latest: the newest runs as catch-up',
    schedule({ policy: { ...policy, graceSeconds: 1 } }),
    s(605),
    s(120),
    {
      claims: [run(s(600), 'catch-up')],
      missed: { first: s(60), last: s(540), count: 9 },
      latest: s(600),
      next: s(660),
      many: true,
    },
  ],
  [
    'ten due, none on time, catch-up all (3): the newest three run, oldest first',
    schedule({ policy: { ...policy, graceSeconds: 1, catchUp: 'all', catchUpLimit: 3 } }),
    s(605),
    s(120),
    {
      claims: [run(s(480), 'catch-up'), run(s(540), 'catch-up'), run(s(600), 'catch-up')],
      missed: { first: s(60), last: s(420), count: 7 },
      latest: s(600),
      next: s(660),
      many: true,
    },
  ],
  [
    'catch-up all (3) within a 100 s window: only the two inside it run',
    schedule({
      policy: { ...policy, graceSeconds: 1, catchUp: 'all', catchUpLimit: 3, catchUpWindowSeconds: 100 },
    }),
    s(605),
    s(120),
    {
      claims: [run(s(540), 'catch-up'), run(s(600), 'catch-up')],
      missed: { first: s(60), last: s(480), count: 8 },
      latest: s(600),
      next: s(660),
      many: true,
    },
  ],
  [
    'catch-up all (3) with room for two more runs (maxRuns): the newest two, the rest missed',
    schedule({
      trigger: { ...everyMinute, maxRuns: 5 },
      firedCount: 3,
      policy: { ...policy, graceSeconds: 1, catchUp: 'all', catchUpLimit: 3 },
    }),
    s(605),
    s(120),
    {
      claims: [run(s(540), 'catch-up'), run(s(600), 'catch-up')],
      missed: { first: s(60), last: s(480), count: 8 },
      latest: s(600),
      next: s(660),
      many: true,
    },
  ],
  [
    'a cron every 10 s, three due, grace 1 s, catch-up none',
    schedule({
      trigger: { type: 'cron', expression: '*/10 * * * * *', timezone: 'UTC' },
      nextAt: s(10),
      nextFireAt: s(10),
      policy: { ...policy, graceSeconds: 1, catchUp: 'none' },
    }),
    s(30) + 500,
    s(20),
    {
      claims: [run(s(30))],
      missed: { first: s(10), last: s(20), count: 2 },
      latest: s(30),
      next: s(40),
      many: true,
    },
  ],
];

describe('due occurrences → claims and one missed row', () => {
  it.each(table)('%s', (_, due, now, following, expected) => {
    expect(decideDue(due, now, following)).toEqual(expected);
  });

  it('accounts for every due occurrence exactly once (claims + missed = due), whatever the policy', () => {
    for (const [, due, now, following, expected] of table) {
      if (!expected || due.trigger.maxRuns) continue;
      const decision = decideDue(due, now, following)!;
      const dueCount = Math.floor((Math.min(now, decision.latest) - due.nextAt) / 60_000) + 1;
      if (due.trigger.type !== 'interval') continue;
      expect(decision.claims.length + (decision.missed?.count ?? 0)).toBe(dueCount);
    }
  });
});
