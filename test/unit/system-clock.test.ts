import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/main/engine/ports';

afterEach(() => {
  vi.useRealTimers();
});

describe('the system clock’s timers', () => {
  it('wait out delays beyond Node’s 24.8-day setTimeout limit instead of firing at once', () => {
    vi.useFakeTimers();
    const fired: number[] = [];
    const thirtyDays = 30 * 86_400_000;
    systemClock.setTimer(() => fired.push(Date.now()), thirtyDays);
    const start = Date.now();
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(thirtyDays - 1001);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([start + thirtyDays]);
  });

  it('can be cleared in any step of a long wait', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    const handle = systemClock.setTimer(() => fired.push('long'), 40 * 86_400_000);
    vi.advanceTimersByTime(26 * 86_400_000); // past the first step
    systemClock.clearTimer(handle);
    vi.advanceTimersByTime(20 * 86_400_000);
    expect(fired).toEqual([]);
    systemClock.setTimer(() => fired.push('short'), 10);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(['short']);
  });
});
