/**
 * Every trigger carries a time zone, and one given none gets the system zone (DESIGN.md §3); the
 * interval in §5's example has none and must be accepted as written (issue 11 §1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { call, startTestApp, type TestApp } from '../support/engine';

const systemZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
let app: TestApp;
afterEach(() => app?.close());

describe('a trigger without a timezone', () => {
  it.each([
    ['interval (DESIGN.md §5 example)', { type: 'interval', everySeconds: 300 }],
    ['cron', { type: 'cron', expression: '0 9 * * *' }],
    ['once', { type: 'once', at: '2026-12-24T18:00' }],
  ])('%s is accepted through the API and stored with the system zone', async (_, trigger) => {
    app = startTestApp({ start: '2026-03-20T12:00:00.000Z' });
    const result = (await app.dispatch('schedules.create', {
      name: 'No zone given',
      trigger,
      action: { type: 'reminder', title: 'Hi', body: '' },
    })) as Result<Schedule>;
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.value.trigger.timezone).toBe(systemZone);
    expect(result.value.nextFireAt).not.toBeNull();
    // what was stored reads back the same
    const stored = await call<Schedule>(app, 'schedules.get', { id: result.value.id });
    expect(stored.trigger).toEqual(result.value.trigger);
  });

  it('an interval without a zone runs every everySeconds from its creation', async () => {
    app = startTestApp({ start: '2026-03-20T12:00:00.000Z' });
    const created = await call<Schedule>(app, 'schedules.create', {
      name: 'Every 5 minutes',
      trigger: { type: 'interval', everySeconds: 300 },
      action: { type: 'reminder', title: 'Hi', body: '' },
    });
    expect(created.nextFireAt).toBe('2026-03-20T12:05:00.000Z');
    const preview = await call<{ occurrences: { at: string }[] }>(app, 'schedules.preview', {
      trigger: { type: 'interval', everySeconds: 300, startAt: '2026-03-20T12:00:00.000Z' },
      from: '2026-03-20T12:00:00.000Z',
      count: 2,
    });
    expect(preview.occurrences.map((o) => o.at)).toEqual([
      '2026-03-20T12:00:00.000Z',
      '2026-03-20T12:05:00.000Z',
    ]);
  });

  it('an unknown zone is still refused at its field', async () => {
    app = startTestApp({ start: '2026-03-20T12:00:00.000Z' });
    const result = (await app.dispatch('schedules.create', {
      name: 'Bad zone',
      trigger: { type: 'interval', everySeconds: 300, timezone: 'Mars/Olympus' },
      action: { type: 'reminder', title: 'Hi', body: '' },
    })) as Result<Schedule>;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues).toContainEqual({ path: 'trigger.timezone', message: 'Unknown time zone' });
  });
});
