/** Around the run: retries and backoff, pauseAfterFailures, counters, and one folded notification per occurrence. */
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationEvent, Run, Schedule } from '../../src/shared/api';
import { startApp, type App } from '../../src/main/app';
import { FOLD_WINDOW_MS, RETRY_JITTER } from '../../src/main/engine/engine';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { call, quietLog, startTestApp, tempDir, type TestApp } from '../support/engine';
import { advanceUntil, create, noneRunning, runsOf, settle } from '../support/engine-runs';
import { FakeClock } from '../support/fake-clock';

let app: TestApp | undefined;
afterEach(() => {
  app?.close();
  app = undefined;
});

const cmd = (command: string) => ({ type: 'command', command });
const EVERY_MINUTE = { type: 'cron', expression: '* * * * *', timezone: 'UTC' };

const idle = () => app!.engine.status().queued + app!.engine.status().active === 0;

describe('retries', () => {
  it('back off exponentially with jitter up to the cap; each attempt is its own row for the occurrence', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:30Z' });
    const s = await create(app, {
      name: 'flaky',
      trigger: EVERY_MINUTE,
      action: cmd('exit 1'),
      policy: {
        retries: { maxAttempts: 4, backoffSeconds: 10, maxBackoffSeconds: 25 },
        overlap: 'bufferAll',
      },
    });
    app.clock.advance(30_000); // 00:01:00, attempt 1
    await noneRunning(app);
    const expected = [10_000, 20_000, 25_000]; // 10 s, 20 s, then 40 s capped at 25 s
    for (let attempt = 2; attempt <= 4; attempt++) {
      const list = await runsOf(app, s.id);
      const previous = list.at(-2)!;
      const retry = list.at(-1)!;
      expect(retry).toMatchObject({
        trigger: 'retry',
        attempt,
        status: 'queued',
        scheduledAt: '2026-03-02T00:01:00.000Z',
      });
      expect(retry.parentRunId).toBe(previous.id);
      const delay = Date.parse(retry.fireAt!) - Date.parse(previous.finishedAt!);
      const base = expected[attempt - 2]!;
      expect(delay).toBeGreaterThanOrEqual(base);
      expect(delay).toBeLessThanOrEqual(Math.min(base * (1 + RETRY_JITTER), 25_000));
      // not a moment early
      app.clock.advance(Date.parse(retry.fireAt!) - app.clock.now() - 1);
      expect(app.store.runs.get(retry.id)!.status).toBe('queued');
      app.clock.advance(1);
      await noneRunning(app);
      expect((await runsOf(app, s.id)).find((r) => r.id === retry.id)).toMatchObject({
        status: 'failed',
        startedAt: retry.fireAt,
      });
    }
    const list = await runsOf(app, s.id);
    expect(list.filter((r) => r.scheduledAt === '2026-03-02T00:01:00.000Z').map((r) => r.attempt)).toEqual([
      1, 2, 3, 4,
    ]);
    // one occurrence, counted once
    expect(await call<Schedule>(app, 'schedules.get', { id: s.id })).toMatchObject({
      totalRuns: 1,
      failedRuns: 1,
      consecutiveFailures: 1,
      lastStatus: 'failed',
    });
  });

  it('the jitter differs between occurrences', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:30Z' });
    const s = await create(app, {
      name: 'jittered',
      trigger: EVERY_MINUTE,
      action: cmd('exit 1'),
      policy: {
        retries: { maxAttempts: 2, backoffSeconds: 100, maxBackoffSeconds: 1000 },
        overlap: 'allowAll',
      },
    });
    app.clock.advance(30_000);
    for (let i = 0; i < 4; i++) {
      await noneRunning(app);
      app.clock.advance(60_000);
    }
    await noneRunning(app);
    const list = await runsOf(app, s.id);
    const delays = list
      .filter((r) => r.trigger === 'retry')
      .map(
        (retry) =>
          Date.parse(retry.fireAt!) - Date.parse(list.find((r) => r.id === retry.parentRunId)!.finishedAt!),
      );
    expect(delays.length).toBeGreaterThanOrEqual(4);
    expect(new Set(delays).size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(100_000);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(110_000);
  });

  it('an occurrence that falls due while a retry is pending goes through the overlap policy', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:30Z' });
    const s = await create(app, {
      name: 'slow retry',
      trigger: EVERY_MINUTE,
      action: cmd('exit 1'),
      policy: { retries: { maxAttempts: 2, backoffSeconds: 90 }, overlap: 'skip' },
    });
    app.clock.advance(30_000); // 00:01 runs and fails; its retry waits 90 s
    await noneRunning(app);
    app.clock.advance(60_000); // 00:02 falls due with the retry pending
    await noneRunning(app);
    const list = await runsOf(app, s.id);
    expect(list.map((r) => [r.scheduledAt!.slice(11, 16), r.attempt, r.status])).toEqual([
      ['00:01', 1, 'failed'],
      ['00:02', 1, 'skipped'], // listed by when each fires: the retry comes at 00:02:30
      ['00:01', 2, 'queued'],
    ]);
    expect(list[1]!.reason).toMatch(/overlap/);
  });
});

describe('pauseAfterFailures', () => {
  it('pauses the schedule after N consecutive failed occurrences and says so', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:30Z' });
    const s = await create(app, {
      name: 'broken',
      trigger: EVERY_MINUTE,
      action: cmd('exit 2'),
      policy: { pauseAfterFailures: 3, notify: 'never' },
    });
    await settle(app, 30_000);
    await settle(app, 60_000);
    let current = await call<Schedule>(app, 'schedules.get', { id: s.id });
    expect(current).toMatchObject({ enabled: true, consecutiveFailures: 2 });
    expect(app.of('notification')).toEqual([]); // notify: never
    await settle(app, 60_000);
    current = await call<Schedule>(app, 'schedules.get', { id: s.id });
    expect(current).toMatchObject({ enabled: false, state: 'paused', consecutiveFailures: 3, failedRuns: 3 });
    expect(app.of('schedule.changed').at(-1)!.schedule).toMatchObject({ enabled: false });
    expect(app.of('notification')).toMatchObject([
      {
        scheduleId: s.id,
        title: 'broken paused',
        level: 'failure',
        body: expect.stringContaining('Paused after 3 consecutive failures'),
      },
    ]);
    await settle(app, 5 * 60_000);
    expect((await runsOf(app, s.id)).filter((r) => r.status === 'failed')).toHaveLength(3);
  });

  it('a success resets the streak', async () => {
    app = startTestApp();
    const fs = await import('node:fs');
    const flag = `${tempDir()}/ok`;
    const s = await create(app, {
      name: 'wobbly',
      action: cmd(`test -f ${flag}`),
      policy: { pauseAfterFailures: 2 },
    });
    const runOnce = async () => {
      await call(app!, 'schedules.runNow', { id: s.id });
      await app!.engine.whenIdle();
      return call<Schedule>(app!, 'schedules.get', { id: s.id });
    };
    expect(await runOnce()).toMatchObject({ consecutiveFailures: 1, enabled: true });
    fs.writeFileSync(flag, '');
    expect(await runOnce()).toMatchObject({ consecutiveFailures: 0, lastStatus: 'succeeded' });
    fs.rmSync(flag);
    expect(await runOnce()).toMatchObject({
      consecutiveFailures: 1,
      enabled: true,
      failedRuns: 2,
      totalRuns: 3,
    });
    expect(await runOnce()).toMatchObject({ consecutiveFailures: 2, enabled: false });
  });
});

describe('notifications', () => {
  it('notify failure (the default): nothing for a success, one failure notification for a failed run', async () => {
    app = startTestApp();
    const good = await create(app, { name: 'good', action: cmd('echo fine') });
    const bad = await create(app, { name: 'bad', action: cmd('echo something broke; exit 5') });
    await call(app, 'schedules.runNow', { id: good.id });
    const run = await call<Run>(app, 'schedules.runNow', { id: bad.id });
    await app.engine.whenIdle();
    expect(app.of('notification')).toEqual([
      {
        scheduleId: bad.id,
        runId: run.id,
        title: 'bad failed',
        body: 'Exited with code 5\nsomething broke',
        level: 'failure',
        count: 1,
      },
    ]);
  });

  it('notify always tells successes; never tells nothing', async () => {
    app = startTestApp();
    const always = await create(app, {
      name: 'loud',
      action: cmd('echo done'),
      policy: { notify: 'always' },
    });
    const never = await create(app, { name: 'quiet', action: cmd('exit 1'), policy: { notify: 'never' } });
    await call(app, 'schedules.runNow', { id: always.id });
    await call(app, 'schedules.runNow', { id: never.id });
    await app.engine.whenIdle();
    expect(app.of('notification')).toMatchObject([
      {
        scheduleId: always.id,
        title: 'loud succeeded',
        level: 'success',
        count: 1,
        body: expect.stringContaining('done'),
      },
    ]);
  });

  it('one notification per finished occurrence, not per retry attempt', async () => {
    app = startTestApp();
    const s = await create(app, {
      name: 'retrying',
      action: cmd('exit 1'),
      policy: { retries: { maxAttempts: 3, backoffSeconds: 5 } },
    });
    await call(app, 'schedules.runNow', { id: s.id });
    await advanceUntil(app, idle, 1000);
    await app.engine.whenIdle();
    expect((await runsOf(app, s.id)).map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(app.of('notification')).toHaveLength(1);
    expect(app.of('notification')[0]!.runId).toBe((await runsOf(app, s.id))[2]!.id);
  });

  it('consecutive failures are folded into one notification, told again with a count after the window, and a recovery is told', async () => {
    app = startTestApp({ start: '2026-03-02T00:00:30Z' });
    const flag = `${tempDir()}/healthy`;
    const s = await create(app, {
      name: 'storm',
      trigger: EVERY_MINUTE,
      action: cmd(`test -f ${flag}`),
      policy: { overlap: 'bufferAll' },
    });
    await settle(app, 30_000);
    for (let i = 0; i < 9; i++) await settle(app, 60_000);
    expect(app.of('notification')).toMatchObject([{ title: 'storm failed', count: 1 }]);
    // past the window, the next failure tells how many there were since
    const minutes = FOLD_WINDOW_MS / 60_000;
    for (let i = 0; i < minutes; i++) await settle(app, 60_000);
    const notes = app.of('notification');
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatchObject({
      title: `storm failed ${minutes} times`,
      level: 'failure',
      count: minutes,
    });
    expect(notes[1]!.body).toMatch(
      new RegExp(`^${minutes} failures since the last notice; the latest: Exited with code 1`),
    );
    const fs = await import('node:fs');
    fs.writeFileSync(flag, '');
    await settle(app, 60_000);
    expect(app.of('notification')[2]).toMatchObject({
      title: 'storm recovered',
      level: 'success',
      body: `Succeeded again after ${10 + minutes} failed runs.`,
    });
    await settle(app, 60_000);
    expect(app.of('notification')).toHaveLength(3); // routine successes stay quiet under notify: failure
    expect((await call<Schedule>(app, 'schedules.get', { id: s.id })).totalRuns).toBe(12 + minutes);
  });

  it('a reminder always notifies (whatever notify says) and succeeds once posted', async () => {
    app = startTestApp();
    const s = await create(app, {
      name: 'stand up',
      action: { type: 'reminder', title: 'Stand up', body: 'Stretch, {name}' },
      policy: { notify: 'never' },
    });
    const run = await call<Run>(app, 'schedules.runNow', { id: s.id });
    await app.engine.whenIdle();
    expect(app.of('notification')).toEqual([
      {
        scheduleId: s.id,
        runId: run.id,
        title: 'Stand up',
        body: 'Stretch, stand up',
        level: 'info',
        count: 1,
      },
    ]);
    expect(app.store.runs.get(run.id)!.status).toBe('succeeded');
  });

  it('counters move in the same transaction as the run’s end', async () => {
    app = startTestApp();
    const s = await create(app, { name: 'counted', action: cmd('exit 1') });
    await call(app, 'schedules.runNow', { id: s.id });
    await app.engine.whenIdle();
    const endEvent = app.of('run.changed').find((r) => r.status === 'failed')!;
    const changed = app
      .of('schedule.changed')
      .filter((c) => c.id === s.id)
      .at(-1)!.schedule!;
    expect(changed).toMatchObject({
      totalRuns: 1,
      failedRuns: 1,
      consecutiveFailures: 1,
      lastStatus: 'failed',
    });
    expect(endEvent.scheduleId).toBe(s.id);
    // the stored row agrees with the record
    expect(app.store.schedules.get(s.id)).toMatchObject({
      totalRuns: 1,
      failedRuns: 1,
      consecutiveFailures: 1,
    });
  });
});

describe('delivery', () => {
  let plain: App | null = null;
  afterEach(() => {
    plain?.close();
    plain = null;
  });

  it('notification events reach AppOptions.notify, unless notifications are switched off in settings', async () => {
    const delivered: [string, string, NotificationEvent][] = [];
    plain = startApp({
      dataDir: tempDir(),
      mode: 'desktop',
      version: 'test',
      clock: new FakeClock('2026-03-01T00:00:00Z'),
      log: quietLog,
      notify: (title, body, event) => delivered.push([title, body, event]),
    });
    plain.start();
    const s = await plain.dispatch('schedules.create', {
      name: 'ping',
      trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
      action: { type: 'reminder', title: 'Ping', body: 'pong' },
    });
    if (!s.ok) throw new Error(s.error.message);
    const id = (s.value as Schedule).id;
    await plain.dispatch('schedules.runNow', { id });
    await plain.engine.whenIdle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered.map(([title, body, event]) => [title, body, event.scheduleId])).toEqual([
      ['Ping', 'pong', id],
    ]);
    plain.store.settings.put({
      ...DEFAULT_SETTINGS,
      notifications: { ...DEFAULT_SETTINGS.notifications, enabled: false },
    });
    await plain.dispatch('schedules.runNow', { id });
    await plain.engine.whenIdle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered).toHaveLength(1);
  });
});
