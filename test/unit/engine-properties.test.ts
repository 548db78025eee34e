/** Properties of the dispatcher over random triggers and random clock histories (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Run, Schedule } from '../../src/shared/api';
import type { Trigger } from '../../src/shared/domain';
import { countBetween } from '../../src/main/engine/count';
import { preview } from '../../src/main/engine/planner';
import { call, startTestApp } from '../support/engine';

const zones = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
];
const cronTrigger = fc.record({
  type: fc.constant('cron' as const),
  expression: fc.constantFrom(
    '* * * * *',
    '*/7 * * * *',
    '0 * * * *',
    '30 2 * * *',
    '15 1-3 * * *',
    '*/20 * * * * *',
    '0 9 * * MON-FRI',
    '0 0 L * *',
    '@hourly',
  ),
  timezone: fc.constantFrom(...zones),
});
const intervalTrigger = fc.record({
  type: fc.constant('interval' as const),
  everySeconds: fc.integer({ min: 1, max: 7200 }),
  timezone: fc.constant('UTC'),
});
const trigger: fc.Arbitrary<Trigger> = fc.oneof(cronTrigger, intervalTrigger);
// starts spread over a year, including both DST transitions of the northern and southern zones
const start = fc.integer({
  min: Date.parse('2026-01-01T00:00:00Z'),
  max: Date.parse('2026-12-31T00:00:00Z'),
});

async function allRuns(app: ReturnType<typeof startTestApp>, id: string): Promise<Run[]> {
  return (await call<{ items: Run[] }>(app, 'runs.list', { scheduleId: id, limit: 500 })).items.reverse();
}

describe('the engine keeps the promises of the planner', () => {
  it('occurrence by occurrence, it runs exactly the occurrences the preview promised', async () => {
    await fc.assert(
      fc.asyncProperty(trigger, start, async (t, t0) => {
        const app = startTestApp({ start: t0 });
        try {
          // a year of monthly occurrences outlives the default 90 days of history: keep it all
          await call(app, 'settings.update', { retention: { maxAgeDays: 36_500 } });
          const s = await call<Schedule>(app, 'schedules.create', {
            name: 'p',
            trigger: t,
            action: { type: 'reminder', title: 'p' },
            policy: { overlap: 'allowAll' },
          });
          const promised = preview(s.trigger, t0 + 1, 12, Date.parse(s.createdAt)).map((o) => o.at);
          for (const at of promised) {
            // skip the idle stretch (the wall clock only), then let the last 3 s pass as real elapsed time
            if (at - app.clock.now() > 3000) app.clock.suspend(at - app.clock.now() - 3000);
            app.clock.advance(at - app.clock.now());
            await app.engine.whenIdle();
          }
          // the timer may sit up to its 5 s cap past the last suspend: let it come round once more
          app.clock.advance(5000);
          await app.engine.whenIdle();
          const last = promised[promised.length - 1] ?? t0;
          const ran = (await allRuns(app, s.id))
            .map((r) => Date.parse(r.scheduledAt!))
            .filter((at) => at <= last);
          expect(ran).toEqual(promised);
        } finally {
          app.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('through random sleeps and clock jumps, every occurrence ends as exactly one run, skipped row or missed count', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20_000 }) }),
      fc.record({ kind: fc.constant('suspend' as const), ms: fc.integer({ min: 1, max: 3 * 86_400_000 }) }),
      fc.record({ kind: fc.constant('back' as const), ms: fc.integer({ min: 1, max: 3_600_000 }) }),
      fc.record({ kind: fc.constant('wake' as const) }),
    );
    const policy = fc.record({
      catchUp: fc.constantFrom('latest', 'all', 'none'),
      catchUpLimit: fc.integer({ min: 1, max: 5 }),
      graceSeconds: fc.integer({ min: 0, max: 120 }),
    });
    await fc.assert(
      fc.asyncProperty(
        trigger,
        start,
        policy,
        fc.array(step, { minLength: 1, maxLength: 12 }),
        async (t, t0, p, steps) => {
          const app = startTestApp({ start: t0 });
          try {
            const s = await call<Schedule>(app, 'schedules.create', {
              name: 'p',
              trigger: t,
              action: { type: 'reminder', title: 'p' },
              policy: { ...p, overlap: 'bufferAll' },
            });
            for (const st of steps) {
              if (st.kind === 'advance') app.clock.advance(st.ms);
              else if (st.kind === 'suspend') app.clock.suspend(st.ms);
              else if (st.kind === 'back') app.clock.setWall(app.clock.now() - st.ms);
              else app.engine.wake();
              await app.engine.whenIdle();
            }
            app.clock.advance(5000);
            await app.engine.whenIdle();
            const after = await call<Schedule>(app, 'schedules.get', { id: s.id });
            const runs = await allRuns(app, s.id);
            const claimed = after.lastScheduledAt ? Date.parse(after.lastScheduledAt) : null;
            const expected = claimed === null ? 0 : countBetween(s.trigger, t0, claimed, t0);
            const accounted = runs.reduce((sum, r) => sum + (r.missedCount ?? 1), 0);
            expect(accounted).toBe(expected);
            const instants = runs
              .filter((r) => r.status !== 'missed' && r.status !== 'skipped')
              .map((r) => r.scheduledAt);
            expect(new Set(instants).size).toBe(instants.length);
          } finally {
            app.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);
});
