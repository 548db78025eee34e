/**
 * A shared one-second clock for relative times ("in 3 sec."). One interval for the whole window,
 * running only while something shows a relative time.
 */
import { useSyncExternalStore } from 'react';

let now = Date.now();
const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function tick(): void {
  now = Date.now();
  for (const notify of [...subscribers]) notify();
}

function subscribe(notify: () => void): () => void {
  subscribers.add(notify);
  if (!timer) {
    timer = setInterval(tick, 1000);
    now = Date.now();
  }
  return () => {
    subscribers.delete(notify);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const snapshot = (): number => now;

export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
