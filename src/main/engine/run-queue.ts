/**
 * The one bounded queue every run passes (DESIGN.md §4.5): runs claimed but not started, in order
 * of priority (10 first), then the instant each was meant to fire. Counts per schedule are kept so
 * overlap checks stay O(1) in a burst.
 */
import type { RunRecord } from '../store';
import type { ConditionVerdict } from './conditions';
import { mayStart, type OverlapPolicy } from './overlap';

export interface Queued {
  run: RunRecord;
  /** Not before this wall-clock instant (retries wait out their backoff). */
  notBefore: number;
  /** Waiting for its run conditions: looked at again at this instant at the latest. */
  recheckAt?: number;
}

/** Run conditions (run-gates.ts): whether a run that may otherwise start does, waits or is skipped. */
export type StartGate = (run: RunRecord, notBefore: number) => ConditionVerdict;

export class RunQueue {
  private entries: Queued[] = [];
  private sorted = true;
  private readonly waitingBy = new Map<string, number>();

  get length(): number {
    return this.entries.length;
  }

  /** Runs of this schedule waiting. */
  waiting(scheduleId: string): number {
    return this.waitingBy.get(scheduleId) ?? 0;
  }

  add(run: RunRecord, now: number): void {
    this.entries.push({ run, notBefore: Math.max(run.fireAt ?? now, run.queuedAt ?? now) });
    this.count(run.scheduleId, 1);
    this.sorted = false;
  }

  /** Takes one run out by id; null when it is not waiting. */
  remove(runId: string): RunRecord | null {
    const index = this.entries.findIndex((entry) => entry.run.id === runId);
    if (index < 0) return null;
    const [entry] = this.entries.splice(index, 1);
    this.count(entry!.run.scheduleId, -1);
    return entry!.run;
  }

  /** Takes out every waiting run of a schedule, and returns them. */
  dropSchedule(scheduleId: string): RunRecord[] {
    if (!this.waiting(scheduleId)) return [];
    const dropped: RunRecord[] = [];
    this.entries = this.entries.filter((entry) => {
      if (entry.run.scheduleId !== scheduleId) return true;
      dropped.push(entry.run);
      return false;
    });
    this.waitingBy.delete(scheduleId);
    return dropped;
  }

  /**
   * The earliest instant after `now` at which a waiting run may start (a retry's backoff, a run
   * deferred past busy time) or is looked at again (waiting for its conditions), or null.
   */
  nextNotBefore(now: number): number | null {
    let next: number | null = null;
    for (const entry of this.entries) {
      if (entry.notBefore > now && (next === null || entry.notBefore < next)) next = entry.notBefore;
      const recheck = entry.recheckAt;
      if (recheck !== undefined && recheck > now && (next === null || recheck < next)) next = recheck;
    }
    return next;
  }

  /**
   * Takes, in order, the runs that may start now: up to `room` of them, none before its notBefore,
   * and none whose schedule's overlap policy says wait for a run going (`going`) or starting. Then
   * `gate` (run conditions) may hold one back until a recheck instant, or take it out into `skipped`.
   */
  take(
    now: number,
    room: number,
    going: (scheduleId: string) => number,
    overlapOf: (scheduleId: string) => OverlapPolicy | undefined,
    gate?: StartGate,
    skipped?: { run: RunRecord; reason: string }[],
  ): RunRecord[] {
    // no room: neither sort nor scan (a catch-up may have queued thousands)
    if (room <= 0 || this.entries.length === 0) return [];
    if (!this.sorted) {
      this.entries.sort(
        (a, b) => b.run.priority - a.run.priority || (a.run.fireAt ?? 0) - (b.run.fireAt ?? 0),
      );
      this.sorted = true;
    }
    const starting: RunRecord[] = [];
    const startingBySchedule = new Set<string>();
    const kept: Queued[] = [];
    let taken = false;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (starting.length >= room) {
        // full: the rest stays queued in order
        for (let j = i; j < this.entries.length; j++) kept.push(this.entries[j]!);
        break;
      }
      const id = entry.run.scheduleId;
      const goingNow = going(id) + (startingBySchedule.has(id) ? 1 : 0);
      if (entry.notBefore > now || !mayStart(overlapOf(id), goingNow)) {
        kept.push(entry);
        continue;
      }
      const verdict = gate?.(entry.run, entry.notBefore);
      if (verdict?.action === 'wait') {
        entry.recheckAt = verdict.recheckAt;
        kept.push(entry);
        continue;
      }
      taken = true;
      this.count(id, -1);
      if (verdict?.action === 'skip') {
        skipped?.push({ run: entry.run, reason: verdict.reason });
        continue;
      }
      starting.push(entry.run);
      startingBySchedule.add(id);
    }
    if (taken) this.entries = kept;
    return starting;
  }

  private count(scheduleId: string, by: number): void {
    const value = (this.waitingBy.get(scheduleId) ?? 0) + by;
    if (value > 0) this.waitingBy.set(scheduleId, value);
    else this.waitingBy.delete(scheduleId);
  }
}
