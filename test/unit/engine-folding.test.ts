/**
 * notifications.ts as a table: a schedule's ends, in order, → what is told after each (title and
 * count, or nothing), folding a streak of failures to one notice per FOLD_WINDOW_MS.
 */
import { describe, expect, it } from 'vitest';
import type { Policy, RunStatus } from '../../src/shared/domain';
import { type Ending, type FailureStreak, FOLD_WINDOW_MS, tell } from '../../src/main/engine/notifications';

const MIN = 60_000;
type Step = [at: number, status: RunStatus, told: string | null];

function play(notify: Policy['notify'], steps: Step[], extra: Partial<Ending> = {}): (string | null)[] {
  let streak: FailureStreak | null = null;
  let failures = 0;
  return steps.map(([at, status]) => {
    failures = status === 'succeeded' ? 0 : failures + 1;
    const told = tell(
      {
        scheduleId: 'sch',
        scheduleName: 'Backup',
        runId: `run@${at}`,
        notify,
        status,
        reason: status === 'succeeded' ? null : 'Exited with code 1',
        durationMs: 1500,
        output: '',
        message: null,
        paused: false,
        consecutiveFailures: failures,
        at,
        ...extra,
      },
      streak,
    );
    streak = told.streak;
    return told.notification ? `${told.notification.title} ×${told.notification.count}` : null;
  });
}

const table: [string, Policy['notify'], Step[]][] = [
  [
    'failure: the first failure at once, the next ones folded, told once the window has passed',
    'failure',
    [
      [0, 'failed', 'Backup failed ×1'],
      [1 * MIN, 'failed', null],
      [2 * MIN, 'timed-out', null],
      [FOLD_WINDOW_MS, 'failed', 'Backup failed 3 times ×3'],
      [FOLD_WINDOW_MS + MIN, 'failed', null],
    ],
  ],
  [
    'failure: a success after told failures says recovered; a plain success says nothing',
    'failure',
    [
      [0, 'succeeded', null],
      [MIN, 'failed', 'Backup failed ×1'],
      [2 * MIN, 'succeeded', 'Backup recovered ×1'],
      [3 * MIN, 'succeeded', null],
    ],
  ],
  [
    'always: every success is told',
    'always',
    [
      [0, 'succeeded', 'Backup succeeded ×1'],
      [MIN, 'succeeded', 'Backup succeeded ×1'],
    ],
  ],
  [
    'never: nothing, not even recovery',
    'never',
    [
      [0, 'failed', null],
      [MIN, 'succeeded', null],
    ],
  ],
  [
    'interrupted and timed out are named',
    'failure',
    [
      [0, 'interrupted', 'Backup was interrupted ×1'],
      [MIN, 'succeeded', 'Backup recovered ×1'],
      [2 * MIN, 'timed-out', 'Backup timed out ×1'],
    ],
  ],
];

describe('notification folding', () => {
  it.each(table)('%s', (_, notify, steps) => {
    expect(play(notify, steps)).toEqual(steps.map((step) => step[2]));
  });

  it('a pause is always told, even with notify never and inside the fold window', () => {
    const told = play(
      'never',
      [
        [0, 'failed', null],
        [MIN, 'failed', null],
      ],
      { paused: true },
    );
    expect(told).toEqual(['Backup paused ×1', 'Backup paused ×1']);
  });

  it("a run's own message stands in for the policy's, and a success ends the streak", () => {
    const message = { title: 'Stand up', body: 'now', level: 'info' as const };
    const first = tell(
      {
        scheduleId: 'sch',
        scheduleName: 'Reminder',
        runId: 'r1',
        notify: 'never',
        status: 'succeeded',
        reason: null,
        durationMs: 2,
        output: '',
        message,
        paused: false,
        consecutiveFailures: 0,
        at: 0,
      },
      { postedAt: -1, folded: 2, failures: 3 },
    );
    expect(first).toEqual({
      notification: { scheduleId: 'sch', runId: 'r1', ...message, count: 1 },
      streak: null,
    });
  });
});
