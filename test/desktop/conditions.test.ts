/**
 * Run conditions on the desktop (issue 16 §2): the real index.ts reads power and idle time from
 * powerMonitor (the fake, following Electron's typings), and a power change reaches the engine at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { launch, removeTempDirs, until, type Launched } from './launch';

const running: Launched[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.quit();
  removeTempDirs();
});

describe('run conditions on the desktop', () => {
  it('app.status says the desktop can tell power and idle time', async () => {
    const app = await launch();
    running.push(app);
    expect((await app.call('app.status', {})).conditionsSupported).toBe(true);
  });

  it('a run that needs AC power waits on battery and starts on powerMonitor’s on-ac', async () => {
    const app = await launch();
    running.push(app);
    app.electron.powerMonitor.switchPower('battery');
    const schedule = await app.call('schedules.create', {
      name: 'Backup on mains',
      trigger: { type: 'interval', everySeconds: 1, timezone: 'UTC' },
      action: { type: 'reminder', title: 'Backed up' },
      policy: { conditions: { onACPower: true }, graceSeconds: 600, overlap: 'skip' },
    });
    const runs = async () => (await app.call('runs.list', { scheduleId: schedule.id })).items;
    // the first occurrence is claimed and waits; later ones are skipped by the overlap policy meanwhile
    const waiting = await until(async () => {
      const queued = (await runs()).filter((run) => run.status === 'queued');
      expect(queued).toHaveLength(1);
      return queued[0]!;
    });
    await until(async () =>
      expect((await runs()).some((run) => run.status === 'skipped' && /overlap/.test(run.reason ?? ''))).toBe(
        true,
      ),
    );
    expect((await runs()).some((run) => run.status === 'succeeded')).toBe(false);
    app.electron.powerMonitor.switchPower('ac');
    // the timer waits up to 60 s on the desktop: only the on-ac event can start it this soon
    const started = await until(async () => {
      const run = (await runs()).find((r) => r.id === waiting.id)!;
      expect(run.status).toBe('succeeded');
      return run;
    }, 10_000);
    expect(started.scheduledAt).toBe(waiting.scheduledAt);
  });
});
