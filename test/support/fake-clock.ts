import type { Clock, TimerHandle } from '../../src/main/engine/ports';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * Time for tests: wall clock and monotonic clock move only when told, and can be made to
 * disagree (a suspend moves the wall clock only; a clock change moves it either way).
 */
export class FakeClock implements Clock {
  private wall: number;
  private mono = 0;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start: number | string) {
    this.wall = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.mono + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.id !== (handle as unknown as number));
  }

  /** Elapsed time passes normally: both clocks advance, timers fire in order. */
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.wall += due.at - this.mono;
      this.mono = due.at;
      this.timers = this.timers.filter((timer) => timer !== due);
      due.callback();
    }
    this.wall += end - this.mono;
    this.mono = end;
  }

  /** The machine slept: the wall clock moved, monotonic time and timers did not. */
  suspend(ms: number): void {
    this.wall += ms;
  }

  /** Someone set the system clock. */
  setWall(ms: number): void {
    this.wall = ms;
  }

  /** Delays (ms from now, monotonic) of the timers still armed, soonest first. */
  pendingDelays(): number[] {
    return this.timers.map((timer) => timer.at - this.mono).sort((a, b) => a - b);
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
