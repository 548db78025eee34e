import { describe, expect, it, vi } from 'vitest';
import { appendOutput, upsertRun } from '../../src/renderer/src/stores/history';
import { applyScheduleChange } from '../../src/renderer/src/stores/schedules';
import { makeRun, makeSchedule } from './fakeApi';

describe('run list rules', () => {
  it('a run only moves forward: queued → running → finished', () => {
    const queued = makeRun({ scheduleId: 's', status: 'queued' });
    const running = { ...queued, status: 'running' as const };
    const done = { ...queued, status: 'succeeded' as const };
    expect(upsertRun(upsertRun([queued], running), done)[0]!.status).toBe('succeeded');
    expect(upsertRun([done], running)[0]!.status).toBe('succeeded');
    expect(upsertRun([done], queued)[0]!.status).toBe('succeeded');
  });

  it('an unseen run goes on top', () => {
    const a = makeRun({ scheduleId: 's' });
    const b = makeRun({ scheduleId: 's' });
    expect(upsertRun([a], b).map((run) => run.id)).toEqual([b.id, a.id]);
  });

  it('streamed output is appended without repeating what the fetched output already holds', () => {
    expect(appendOutput('hello ', 'world')).toBe('hello world');
    expect(appendOutput('hello wor', 'world\n')).toBe('hello world\n');
    expect(appendOutput('hello world\n', 'world\n')).toBe('hello world\n');
    expect(appendOutput('', 'x')).toBe('x');
  });
});

describe('schedule list rules', () => {
  it('upserts by id, removes on null, and refuses an older version', () => {
    const s = makeSchedule({ name: 'A', version: 2 });
    expect(applyScheduleChange([], { id: s.id, schedule: s })).toEqual([s]);
    expect(applyScheduleChange([s], { id: s.id, schedule: { ...s, version: 1, name: 'old' } })[0]!.name).toBe(
      'A',
    );
    expect(applyScheduleChange([s], { id: s.id, schedule: { ...s, version: 3, name: 'B' } })[0]!.name).toBe(
      'B',
    );
    expect(applyScheduleChange([s], { id: s.id, schedule: null })).toEqual([]);
  });
});

describe('navigation', () => {
  it("a schedule's page has an address that survives a reload, and leaving the place closes it", async () => {
    const { createAppStore } = await import('../../src/renderer/src/stores/app');
    const { FakeApi } = await import('./fakeApi');
    history.replaceState(null, '', '/#/history');
    const app = createAppStore(new FakeApi());
    expect(app.getState().place).toBe('history');
    app.getState().openSchedule('01ABC');
    expect(app.getState()).toMatchObject({ place: 'schedules', scheduleId: '01ABC' });
    expect(location.hash).toBe('#/schedules/01ABC');
    expect(createAppStore(new FakeApi()).getState()).toMatchObject({
      place: 'schedules',
      scheduleId: '01ABC',
    });
    app.getState().setPlace('calendar');
    expect(app.getState().scheduleId).toBeNull();
    expect(location.hash).toBe('#/calendar');
  });

  it('an address typed or pasted into the tab moves the window there', async () => {
    const { createAppStore } = await import('../../src/renderer/src/stores/app');
    const { FakeApi } = await import('./fakeApi');
    const app = createAppStore(new FakeApi());
    location.hash = '#/schedules/01XYZ';
    await vi.waitFor(() => expect(app.getState()).toMatchObject({ place: 'schedules', scheduleId: '01XYZ' }));
    location.hash = '#/calendar';
    await vi.waitFor(() => expect(app.getState()).toMatchObject({ place: 'calendar', scheduleId: null }));
  });

  it('the editor opens on one target at a time and closes', async () => {
    const { createAppStore } = await import('../../src/renderer/src/stores/app');
    const { FakeApi } = await import('./fakeApi');
    const app = createAppStore(new FakeApi());
    expect(app.getState().editor).toBeNull();
    app.getState().openEditor({ mode: 'edit', id: 'x' });
    app.getState().openEditor({ mode: 'duplicate', id: 'y' });
    expect(app.getState().editor).toEqual({ mode: 'duplicate', id: 'y' });
    app.getState().closeEditor();
    expect(app.getState().editor).toBeNull();
  });
});
