/**
 * Overlap admission (DESIGN.md §3 `overlap`): what a schedule that already has runs going or
 * waiting does with one more. Pure: the engine cancels what `supersede` says and writes the rows.
 */
import type { Policy } from '../../shared/domain';

export type OverlapPolicy = Policy['overlap'];

/** bufferAll keeps at most this many runs waiting per schedule. */
export const BUFFER_ALL_LIMIT = 100;

/** A schedule's runs at the moment one more arrives. */
export interface Occupancy {
  /** Runs going. */
  going: number;
  /** Runs queued, not started. */
  waiting: number;
}

export interface Admission {
  /** The new run may queue (false: it becomes a skipped row). */
  admit: boolean;
  /** The runs going are cancelled and the waiting ones dropped first (cancelOther). */
  supersede: boolean;
}

/** Whether one more run of a schedule may queue, per its overlap policy. */
export function admit(policy: OverlapPolicy, { going, waiting }: Occupancy): Admission {
  if (going === 0 && waiting === 0) return { admit: true, supersede: false };
  switch (policy) {
    case 'skip':
      return { admit: false, supersede: false };
    case 'allowAll':
      return { admit: true, supersede: false };
    case 'bufferOne':
      return { admit: waiting === 0, supersede: false };
    case 'bufferAll':
      return { admit: waiting < BUFFER_ALL_LIMIT, supersede: false };
    case 'cancelOther':
      return { admit: true, supersede: true };
  }
}

/** Whether a queued run may start now: only allowAll runs beside a run of its own schedule. */
export function mayStart(policy: OverlapPolicy | undefined, going: number): boolean {
  return policy === 'allowAll' || going === 0;
}

/** The reason on the skipped row of an occurrence the policy turned away. */
export function overlapReason(policy: OverlapPolicy, from?: string): string {
  return `overlap: the previous run was still going (policy ${policy}${from ? `; ${from}` : ''})`;
}
