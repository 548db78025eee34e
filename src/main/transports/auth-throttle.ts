/**
 * Slows down guessing: each client (remote address) may present a handful of wrong tokens at once,
 * then one more per interval. While a client is over its budget every request it makes that needs
 * the token is refused before the token is even compared, so guessing faster gains nothing.
 * A token bucket per address, on an injected clock so tests are exact.
 */

export interface AuthThrottleOptions {
  /** Wrong tokens a client may present in a burst. */
  burst?: number;
  /** One more wrong token allowed per this many milliseconds. */
  refillMs?: number;
  /** Addresses remembered at most; the oldest are forgotten first. */
  maxClients?: number;
  now?: () => number;
}

export interface AuthThrottle {
  /** Milliseconds before `client` may present a token again; 0 when it may now. */
  waitMs(client: string): number;
  /** Records a wrong token from `client`. */
  failed(client: string): void;
}

export const DEFAULT_BURST = 10;
export const DEFAULT_REFILL_MS = 1000;

interface Bucket {
  /** Wrong tokens still allowed, as of `at`. */
  left: number;
  at: number;
}

export function createAuthThrottle(options: AuthThrottleOptions = {}): AuthThrottle {
  const burst = options.burst ?? DEFAULT_BURST;
  const refillMs = options.refillMs ?? DEFAULT_REFILL_MS;
  const maxClients = options.maxClients ?? 1024;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();

  function current(client: string): Bucket | undefined {
    const bucket = buckets.get(client);
    if (!bucket) return undefined;
    const at = now();
    const left = Math.min(burst, bucket.left + Math.max(0, at - bucket.at) / refillMs);
    if (left >= burst) {
      buckets.delete(client); // back to a clean slate: nothing to remember
      return undefined;
    }
    return { left, at };
  }

  return {
    waitMs(client) {
      const bucket = current(client);
      if (!bucket || bucket.left >= 1) return 0;
      return Math.ceil((1 - bucket.left) * refillMs);
    },
    failed(client) {
      const bucket = current(client) ?? { left: burst, at: now() };
      buckets.delete(client); // re-inserted last: Map order is age order for forgetting
      buckets.set(client, { left: Math.max(0, bucket.left - 1), at: bucket.at });
      if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value!);
    },
  };
}
