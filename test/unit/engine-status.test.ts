/**
 * engine.status tells the truth (issue 12 §2): it is sent after the run transitions that run.changed
 * reports, and at every one its counts equal what runs.list's query finds in the store: `active` the
 * runs whose status is running, `queued` those queued. Real command runs, real SQLite file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { call, startTestApp, type TestApp } from '../support/engine';

let app: TestApp | null = null;
afterEach(() => {
  app?.close();
  app = null;
});

interface Seen {
  sent: EngineStatus;
  running: number;
  queued: number;
}

describe('engine.status', () => {
  it('follows every run start and end, and equals the running and queued counts runs.list finds', async () => {
    const test = startTestApp();
    app = test;
    test.engine.setMaxConcurrentRuns(2);
    const listed = (status: 'running' | 'queued') =>
      test.store.runs.list({ status: [status], limit: 1000 }).length;
    const seen: Seen[] = [];
    test.subscribe((event, payload) => {
      if (event !== 'engine.status') return;
      seen.push({ sent: payload as EngineStatus, running: listed('running'), queued: listed('queued') });
    });
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      const schedule = await call<Schedule>(test, 'schedules.create', {
        name,
        trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
        action: { type: 'command', command: 'sleep 0.3', shell: false },
      });
      ids.push(schedule.id);
    }
    for (const id of ids) await call(test, 'schedules.runNow', { id });
    await test.engine.whenIdle();
    // the last transition's status goes out once its batch is done
    await new Promise((resolve) => setImmediate(resolve));

    expect(seen.length).toBeGreaterThan(0);
    for (const { sent, running, queued } of seen) {
      expect({ active: sent.active, queued: sent.queued }).toEqual({ active: running, queued });
    }
    // it said so while the runs went (two at a time, the third waiting), and said idle after
    expect(seen.some(({ sent }) => sent.active === 2 && sent.queued === 1)).toBe(true);
    expect(seen.at(-1)!.sent).toMatchObject({ running: true, active: 0, queued: 0, scheduleCount: 3 });
    expect(listed('running') + listed('queued')).toBe(0);
    const status = await call<{ engine: EngineStatus }>(test, 'app.status', {});
    expect(status.engine).toEqual(seen.at(-1)!.sent);
  });

  it('follows runs that the timer claims, through their end', async () => {
    const test = startTestApp({ start: '2026-03-01T00:00:00.500Z' });
    app = test;
    const listed = (status: 'running' | 'queued') =>
      test.store.runs.list({ status: [status], limit: 1000 }).length;
    const seen: Seen[] = [];
    test.subscribe((event, payload) => {
      if (event !== 'engine.status') return;
      seen.push({ sent: payload as EngineStatus, running: listed('running'), queued: listed('queued') });
    });
    await call(test, 'schedules.create', {
      name: 'every second',
      trigger: { type: 'cron', expression: '* * * * * *', timezone: 'UTC' },
      action: { type: 'command', command: 'sleep 0.3', shell: false },
      policy: { overlap: 'allowAll' },
    });
    test.clock.advance(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.at(-1)!.sent.active).toBe(1);
    await test.engine.whenIdle();
    await new Promise((resolve) => setImmediate(resolve));
    for (const { sent, running, queued } of seen) {
      expect({ active: sent.active, queued: sent.queued }).toEqual({ active: running, queued });
    }
    expect(seen.at(-1)!.sent).toMatchObject({ active: 0, queued: 0 });
  });
});
