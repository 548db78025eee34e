/**
 * The dispatcher's two gates around a run, kept apart from its queue and timers: at claim, what
 * busy time does to an occurrence (whenBusy, issue 15 §5); at start, whether the run's conditions
 * hold (issue 16 §2). The decisions themselves are pure (when-busy.ts, conditions.ts); this asks the
 * ports for what they need, and only for schedules whose policy has something to ask.
 */
import type { Policy, RunTrigger } from '../../shared/domain';
import { decideConditions, hasConditions, type ConditionVerdict } from './conditions';
import type { BusyTime, SystemConditions } from './ports';
import { decideWhenBusy, spansAround, type BusyDecision } from './when-busy';

const RUN: BusyDecision = { action: 'run' };
const START: ConditionVerdict = { action: 'start' };

/** Runs that wait for conditions: an occurrence's own (a manual, retry or chain run was asked for). */
const GATED: readonly RunTrigger[] = ['schedule', 'catch-up'];

export class RunGates {
  constructor(
    private readonly busy: BusyTime,
    private readonly conditions: SystemConditions,
  ) {}

  /**
   * At claim: an occurrence that would start at `startsAt` (its instant when on time; now for a
   * catch-up) under the schedule's whenBusy. `previousAt`: the occurrence before it, if any.
   */
  atClaim(policy: Policy, startsAt: number, previousAt: number | null): BusyDecision {
    if (!policy.whenBusy || policy.whenBusy === 'run') return RUN;
    return decideWhenBusy(policy.whenBusy, startsAt, previousAt, spansAround(this.busy, startsAt));
  }

  /** Whether `policy` has conditions a queued run of `trigger` must wait for. */
  gated(policy: Policy, trigger: RunTrigger): boolean {
    return GATED.includes(trigger) && hasConditions(policy.conditions);
  }

  /**
   * At start: a queued run that may start from `notBefore` (its fire instant, or the end of the
   * busy time it was deferred past) starts, waits, or is skipped once the grace after it is over.
   */
  atStart(policy: Policy, trigger: RunTrigger, notBefore: number, now: number): ConditionVerdict {
    if (!this.gated(policy, trigger)) return START;
    const readings = { onACPower: this.conditions.onACPower(), idleSeconds: this.conditions.idleSeconds() };
    return decideConditions(policy.conditions, readings, now, notBefore + policy.graceSeconds * 1000);
  }

  /** A power or idle change: the caller looks at waiting runs again at once. Returns a stop. */
  onChange(changed: () => void): () => void {
    return this.conditions.onChange(changed);
  }
}
