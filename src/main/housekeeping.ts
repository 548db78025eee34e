/**
 * Retention on a timer (DESIGN.md §4.7): every few minutes, prune in batches of a few hundred rows,
 * yielding to the event loop between batches so API calls and claims interleave with the work.
 */
import type { Clock, Logger, TimerHandle } from './engine/ports';
import type { RetentionRules, Store } from './store';

export const RETENTION_EVERY_MS = 10 * 60_000;
const FIRST_PASS_AFTER_MS = 30_000;
const BATCH = 500;

export interface Housekeeping {
  /** Runs one full pass now (all batches), resolving with the rows deleted. */
  pruneNow(): Promise<number>;
  stop(): void;
}

export function startHousekeeping(store: Store, clock: Clock, log: Logger): Housekeeping {
  let timer: TimerHandle | null = null;
  let stopped = false;
  let pass: Promise<number> | null = null;

  const prune = (): Promise<number> => {
    pass ??= new Promise<number>((resolve) => {
      let total = 0;
      // One pass works to the rules in force when it began.
      let rules: RetentionRules | null = null;
      const step = () => {
        if (stopped) return resolve(total);
        try {
          rules ??= store.settings.get().retention;
          const deleted = store.retention.pruneBatch(rules, clock.now(), BATCH);
          total += deleted;
          if (deleted > 0) return void setImmediate(step);
        } catch (error) {
          log.error('retention pass failed', error);
        }
        if (total > 0) log.info(`retention: pruned ${total} old runs`);
        resolve(total);
      };
      step();
    }).finally(() => (pass = null));
    return pass;
  };

  const schedule = (delay: number) => {
    timer = clock.setTimer(() => {
      void prune().then(() => {
        if (!stopped) schedule(RETENTION_EVERY_MS);
      });
    }, delay);
  };
  schedule(FIRST_PASS_AFTER_MS);

  return {
    pruneNow: prune,
    stop() {
      stopped = true;
      if (timer) clock.clearTimer(timer);
    },
  };
}
