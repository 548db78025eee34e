/**
 * Retention (DESIGN.md §4.7): old history goes in small batches, never in one long write, and never
 * takes a run the engine still owns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { call, startTestApp, tempDir, type TestApp } from '../support/engine';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');

function seed(
  store: Store,
  scheduleId: string,
  count: number,
  newest: number,
  step: number,
  status = 'succeeded',
) {
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = newest - i * step;
      store.runs.insert({
        id: `${scheduleId}-${status}-${String(i).padStart(6, '0')}`,
        scheduleId,
        scheduledAt: at,
        fireAt: at,
        trigger: 'schedule',
        status: status as 'succeeded',
      });
    }
  });
}

const idsOf = (store: Store, scheduleId: string) =>
  store.db
    .prepare('SELECT id FROM runs WHERE schedule_id = ? ORDER BY at DESC')
    .pluck()
    .all(scheduleId) as string[];

describe('pruneBatch', () => {
  let store: Store;
  afterEach(() => store?.close());

  it('keeps the newest N finished runs per schedule, deleting at most one batch per call', () => {
    store = Store.open(tempDir());
    seed(store, 'a', 1000, NOW, 60_000);
    seed(store, 'b', 30, NOW, 60_000);
    const keepA = idsOf(store, 'a').slice(0, 100);
    const rules = { runsPerSchedule: 100, maxAgeDays: 365 };
    const batches: number[] = [];
    for (
      let n = store.retention.pruneBatch(rules, NOW, 200);
      n > 0;
      n = store.retention.pruneBatch(rules, NOW, 200)
    ) {
      batches.push(n);
    }
    expect(Math.max(...batches)).toBeLessThanOrEqual(200);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(900);
    expect(idsOf(store, 'a')).toEqual(keepA);
    expect(idsOf(store, 'b')).toHaveLength(30);
  });

  it('deletes finished runs older than the maximum age, oldest first', () => {
    store = Store.open(tempDir());
    seed(store, 'a', 40, NOW, DAY); // one a day for 40 days
    const rules = { runsPerSchedule: 1000, maxAgeDays: 10 };
    expect(store.retention.pruneBatch(rules, NOW, 5)).toBe(5);
    while (store.retention.pruneBatch(rules, NOW, 5) > 0);
    const left = store.db.prepare('SELECT MIN(at) AS oldest, COUNT(*) AS n FROM runs').get() as {
      oldest: number;
      n: number;
    };
    expect(left.oldest).toBeGreaterThanOrEqual(NOW - 10 * DAY);
    expect(left.n).toBe(11);
  });

  it('never prunes queued or running runs, however old or many', () => {
    store = Store.open(tempDir());
    seed(store, 'a', 20, NOW - 400 * DAY, 1000, 'queued');
    seed(store, 'a', 20, NOW - 400 * DAY + 300, 1000, 'running');
    seed(store, 'a', 20, NOW - 400 * DAY + 600, 1000, 'failed');
    const rules = { runsPerSchedule: 1, maxAgeDays: 1 };
    while (store.retention.pruneBatch(rules, NOW, 7) > 0);
    const statuses = store.db
      .prepare('SELECT status, COUNT(*) AS n FROM runs GROUP BY status ORDER BY status')
      .all();
    expect(statuses).toEqual([
      { status: 'queued', n: 20 },
      { status: 'running', n: 20 },
    ]);
  });
});

describe('retention on its timer', () => {
  let app: TestApp;
  afterEach(() => app?.close());

  it('runs after start with the settings in force, and again every ten minutes', async () => {
    app = startTestApp({ start: NOW });
    await call(app, 'settings.update', { retention: { runsPerSchedule: 5 } });
    seed(app.store, 'gone', 50, NOW - 1000, 1000);
    app.clock.advance(29_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idsOf(app.store, 'gone')).toHaveLength(50);
    app.clock.advance(1_000);
    await app.housekeeping!.pruneNow();
    expect(idsOf(app.store, 'gone')).toHaveLength(5);
    seed(app.store, 'later', 20, NOW, 1000);
    app.clock.advance(10 * 60_000);
    await app.housekeeping!.pruneNow();
    expect(idsOf(app.store, 'later')).toHaveLength(5);
  });
});
