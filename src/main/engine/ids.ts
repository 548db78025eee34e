import { monotonicFactory } from 'ulid';

/**
 * Run ids: monotonic ULIDs whose random part comes from a pooled buffer. ulid's default asks
 * crypto for one byte at a time, about 40 µs an id, which a burst of claims cannot afford.
 */
export function runIdFactory(): (seedTime?: number) => string {
  const pool = new Uint8Array(4096);
  let next = pool.length;
  const random = () => {
    if (next === pool.length) {
      crypto.getRandomValues(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
  return monotonicFactory(random);
}
