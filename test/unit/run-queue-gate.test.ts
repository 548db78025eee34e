/**
 * The run queue's start gate (run conditions, issue 16 §2): a run held back keeps its place and
 * names when to look again; a skipped one leaves the queue and its schedule's waiting count.
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/main/store';
import type { ConditionVerdict } from '../../src/main/engine/conditions';
import { RunQueue } from '../../src/main/engine/run-queue';

const run = (id: string, scheduleId: string, fireAt: number): RunRecord =>
  ({ id, scheduleId, fireAt, queuedAt: fireAt, priority: 5, trigger: 'schedule' }) as RunRecord;

describe('RunQueue.take with a start gate', () => {
  it.each<[string, ConditionVerdict, string[], string[], number | null, number]>([
    ['start: taken as without a gate', { action: 'start' }, ['a', 'b'], [], null, 0],
    [
      'wait: kept, with its recheck instant as the next to look at',
      { action: 'wait', recheckAt: 1500, failing: 'x' },
      ['b'],
      [],
      1500,
      1,
    ],
    [
      'skip: out of the queue and its waiting count, reason handed back',
      { action: 'skip', reason: 'why' },
      ['b'],
      ['a:why'],
      null,
      0,
    ],
  ])('%s', (_rule, verdict, started, skippedRows, next, waitingA) => {
    const queue = new RunQueue();
    queue.add(run('a', 'A', 1000), 1000);
    queue.add(run('b', 'B', 1000), 1000);
    const skipped: { run: RunRecord; reason: string }[] = [];
    const taken = queue.take(
      1000,
      10,
      () => 0,
      () => 'skip',
      (r) => (r.id === 'a' ? verdict : { action: 'start' }),
      skipped,
    );
    expect(taken.map((r) => r.id)).toEqual(started);
    expect(skipped.map((s) => `${s.run.id}:${s.reason}`)).toEqual(skippedRows);
    expect(queue.nextNotBefore(1000)).toBe(next);
    expect(queue.waiting('A')).toBe(waitingA);
    expect(queue.length).toBe(waitingA);
  });
});
