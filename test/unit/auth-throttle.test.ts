import { describe, expect, it } from 'vitest';
import { createAuthThrottle } from '../../src/main/transports/auth-throttle';

function throttleAt(start = 0, options: { burst?: number; refillMs?: number; maxClients?: number } = {}) {
  let now = start;
  const throttle = createAuthThrottle({ burst: 3, refillMs: 1000, ...options, now: () => now });
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe('auth throttle: a token bucket of wrong tokens per client', () => {
  it.each([
    // [wrong tokens at once, then wait (ms), expected waitMs]
    [2, 0, 0],
    [3, 0, 1000],
    [3, 400, 600],
    [3, 1000, 0],
    [5, 0, 1000], // failures beyond the budget do not dig deeper: the bucket stops at empty
    [3, 2500, 0],
  ])('%i wrong at once, %i ms later: wait %i ms', (wrong, later, wait) => {
    const { throttle, advance } = throttleAt();
    for (let i = 0; i < wrong; i++) throttle.failed('10.0.0.1');
    advance(later);
    expect(throttle.waitMs('10.0.0.1')).toBe(wait);
  });

  it('after the burst, one more wrong token per refill interval', () => {
    const { throttle, advance } = throttleAt();
    for (let i = 0; i < 3; i++) throttle.failed('a');
    for (let round = 0; round < 5; round++) {
      expect(throttle.waitMs('a')).toBe(1000);
      advance(1000);
      expect(throttle.waitMs('a')).toBe(0);
      throttle.failed('a');
    }
  });

  it('clients are counted apart', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 3; i++) throttle.failed('a');
    expect(throttle.waitMs('a')).toBe(1000);
    expect(throttle.waitMs('b')).toBe(0);
  });

  it('a refilled client is forgotten, and memory is bounded: the oldest client goes first', () => {
    const { throttle, advance } = throttleAt(0, { maxClients: 2 });
    for (let i = 0; i < 3; i++) throttle.failed('old');
    throttle.failed('mid');
    throttle.failed('new'); // 'old' is forgotten: a clean slate, not a lockout
    expect(throttle.waitMs('old')).toBe(0);
    for (let i = 0; i < 2; i++) throttle.failed('new');
    expect(throttle.waitMs('new')).toBe(1000);
    advance(3000);
    expect(throttle.waitMs('new')).toBe(0);
  });
});
