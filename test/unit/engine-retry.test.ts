/** retry.ts as a table: which ends get another attempt, and the backoff before it. */
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/shared/domain';
import { RETRY_JITTER, retryDelay } from '../../src/main/engine/retry';

const retries = { maxAttempts: 4, backoffSeconds: 30, maxBackoffSeconds: 100 };
const attempt = (n: number, status: RunStatus = 'failed') => ({
  scheduleId: 'sch-1',
  occurrence: Date.parse('2026-03-01T09:00:00Z'),
  attempt: n,
  status,
});

describe('retry backoff', () => {
  it.each([
    // attempt, status → [at least, below] (null: no retry)
    [1, 'succeeded', null],
    [1, 'cancelled', null],
    [1, 'failed', [30_000, 30_000 * (1 + RETRY_JITTER)]],
    [1, 'timed-out', [30_000, 30_000 * (1 + RETRY_JITTER)]],
    [1, 'interrupted', [30_000, 30_000 * (1 + RETRY_JITTER)]],
    [2, 'failed', [60_000, 60_000 * (1 + RETRY_JITTER)]],
    // 120 s would exceed maxBackoffSeconds: capped, jitter included
    [3, 'failed', [100_000, 100_000]],
    [4, 'failed', null],
  ] as const)('attempt %i ended %s → %j ms', (n, status, expected) => {
    const delay = retryDelay(retries, attempt(n, status));
    if (expected === null) return expect(delay).toBeNull();
    expect(delay).toBeGreaterThanOrEqual(expected[0]);
    expect(delay).toBeLessThanOrEqual(expected[1]);
  });

  it('is the same for the same occurrence (restarts agree) and differs between occurrences', () => {
    expect(retryDelay(retries, attempt(1))).toBe(retryDelay(retries, attempt(1)));
    const delays = new Set(
      Array.from({ length: 20 }, (_, i) =>
        retryDelay(retries, { ...attempt(1), occurrence: attempt(1).occurrence + i * 60_000 }),
      ),
    );
    expect(delays.size).toBeGreaterThan(10);
  });

  it('no backoff with backoffSeconds 0', () => {
    expect(retryDelay({ ...retries, backoffSeconds: 0 }, attempt(1))).toBe(0);
  });
});
