/**
 * Chains (DESIGN.md §3 `then`): which schedules an ended occurrence starts, why one may not, and
 * the loops refused at save. Pure: the engine writes the chain runs and skipped rows.
 */
import type { Policy, RunStatus } from '../../shared/domain';
import { overlapReason, type OverlapPolicy } from './overlap';

/** Chain links from a schedule's own run to the deepest run it may start. */
export const CHAIN_DEPTH_CAP = 10;

export type Links = NonNullable<Policy['then']>;

/** The schedules an occurrence that ended with `status` starts, each once (a cancelled one starts none). */
export function chainTargets(then: Links | undefined, status: RunStatus): string[] {
  if (status === 'cancelled') return [];
  const targets = status === 'succeeded' ? then?.onSuccess : then?.onFailure;
  return [...new Set(targets ?? [])];
}

/** One target as the chain finds it. */
export interface ChainTarget {
  /** Links from the run that began the chain to the run this would start. */
  depth: number;
  enabled: boolean;
  overlap: OverlapPolicy;
  /** Its overlap policy admits one more run now. */
  admitted: boolean;
}

/** Why a chain run may not start (its skipped row's reason), or null when it queues. */
export function chainRefusal(target: ChainTarget, fromName: string): string | null {
  const from = `chained from "${fromName}"`;
  if (target.depth > CHAIN_DEPTH_CAP) return `chain: more than ${CHAIN_DEPTH_CAP} links deep (${from})`;
  if (!target.enabled) return `paused (${from})`;
  if (!target.admitted) return overlapReason(target.overlap, from);
  return null;
}

/**
 * The loop that `then` would close, as schedule ids from `id` back to `id`, or null. `linksOf`
 * gives the other schedules' links (a schedule's own come from `then`).
 */
export function chainLoop(
  id: string,
  then: Links,
  linksOf: (id: string) => Links | undefined,
): string[] | null {
  const targetsOf = (from: string): string[] => {
    const links = from === id ? then : linksOf(from);
    return [...(links?.onSuccess ?? []), ...(links?.onFailure ?? [])];
  };
  const path = [id];
  const seen = new Set<string>();
  const loops = (from: string): boolean => {
    for (const next of targetsOf(from)) {
      if (next === id) {
        path.push(next);
        return true;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      path.push(next);
      if (loops(next)) return true;
      path.pop();
    }
    return false;
  };
  return loops(id) ? path : null;
}
