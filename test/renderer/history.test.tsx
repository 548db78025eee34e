import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/api';
import type { Run } from '../../src/shared/domain';
import { App } from '../../src/renderer/src/App';
import { deferred, FakeApi, makeRun, makeSchedule } from './fakeApi';
import { renderApp } from './render';

// The places load lazily: transform their chunks once, before any test's clock starts.
beforeAll(async () => {
  await Promise.all([
    import('../../src/renderer/src/places/history/HistoryPlace'),
    import('../../src/renderer/src/places/schedule/SchedulePage'),
  ]);
}, 120_000);

async function openHistory(api: FakeApi) {
  await renderApp(api);
  fireEvent.click(screen.getByRole('button', { name: 'History' }));
  await screen.findByRole('heading', { name: 'History', level: 1 });
}

describe('History: every run, newest first, paged by cursor', { timeout: 60_000 }, () => {
  it('lists runs with schedule name, trigger, status badge, duration and exit code', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    api.runs = [
      makeRun({ scheduleId: schedule.id, status: 'failed', exitCode: 3, durationMs: 1500 }),
      makeRun({ scheduleId: schedule.id, status: 'succeeded', trigger: 'manual', durationMs: 40 }),
      makeRun({ scheduleId: 'gone-123456', status: 'missed', missedCount: 4, exitCode: null }),
    ];
    await openHistory(api);

    expect(screen.getByRole('button', { name: 'History' }).getAttribute('aria-current')).toBe('page');
    const rows = screen.getAllByTestId('run-row');
    expect(rows.map((row) => row.getAttribute('data-status'))).toEqual(['failed', 'succeeded', 'missed']);
    expect(within(rows[0]!).getByText('Backup')).toBeTruthy();
    expect(within(rows[0]!).getByText('failed').className).toContain('badge-failed');
    expect(within(rows[0]!).getByText('3')).toBeTruthy();
    expect(within(rows[0]!).getByText('1.50 s')).toBeTruthy();
    expect(within(rows[1]!).getByText('Run now')).toBeTruthy();
    expect(within(rows[1]!).getByText('40 ms')).toBeTruthy();
    expect(within(rows[2]!).getByText('deleted schedule 123456')).toBeTruthy();
    expect(within(rows[2]!).getByText('×4')).toBeTruthy();
    expect(api.callsTo('runs.list')).toEqual([{ limit: 50 }]);
  });

  it('asks for the next page with nextCursor by itself as the end of the list comes into view', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    const first = makeRun({ scheduleId: schedule.id });
    const second = makeRun({ scheduleId: schedule.id });
    api.handlers['runs.list'] = (input) =>
      input?.cursor === 'page-2'
        ? { ok: true, value: { items: [second], nextCursor: null } }
        : { ok: true, value: { items: [first], nextCursor: 'page-2' } };
    await openHistory(api);

    // One row is far less than a screenful: the list wants the next page at once.
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(2));
    expect(api.callsTo('runs.list')).toEqual([{ limit: 50 }, { limit: 50, cursor: 'page-2' }]);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('a new run arrives live at the top, and a known one is updated in place', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    const old = makeRun({ scheduleId: schedule.id, status: 'running' });
    api.runs = [old];
    await openHistory(api);

    const fresh = makeRun({ scheduleId: schedule.id, status: 'queued' });
    act(() => api.emit('run.changed', fresh));
    act(() => api.emit('run.changed', { ...old, status: 'timed-out' }));
    const rows = screen.getAllByTestId('run-row');
    expect(rows.map((row) => [row.getAttribute('data-id'), row.getAttribute('data-status')])).toEqual([
      [fresh.id, 'queued'],
      [old.id, 'timed-out'],
    ]);
    expect(api.callsTo('runs.list')).toHaveLength(1);
  });

  it('a run that lands while the first page is loading is kept', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    const page = deferred<Result<{ items: Run[]; nextCursor: string | null }>>();
    const listed = makeRun({ scheduleId: schedule.id, status: 'queued' });
    api.handlers['runs.list'] = () => page.promise;
    render(<App client={api} />);
    await waitFor(() => expect(api.callsTo('runs.list')).toHaveLength(1));

    const live = makeRun({ scheduleId: schedule.id, status: 'running' });
    act(() => api.emit('run.changed', live));
    act(() => api.emit('run.changed', { ...listed, status: 'succeeded' }));
    await act(async () => page.resolve({ ok: true, value: { items: [listed], nextCursor: null } }));

    const rows = screen.getAllByTestId('run-row');
    expect(rows.map((row) => [row.getAttribute('data-id'), row.getAttribute('data-status')])).toEqual([
      [live.id, 'running'],
      [listed.id, 'succeeded'],
    ]);
  });

  it('runs of a deleted schedule keep the name this window saw', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    api.runs = [makeRun({ scheduleId: schedule.id })];
    await openHistory(api);
    act(() => api.emit('schedule.changed', { id: schedule.id, schedule: null }));
    expect(within(screen.getByTestId('run-row')).getByText('Backup (deleted)')).toBeTruthy();
  });

  it('clicking a run shows its detail: output, exit code, reason', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    const run = makeRun({ scheduleId: schedule.id, status: 'failed', exitCode: 2, reason: 'exit code 2' });
    api.runs = [run];
    api.outputs.set(run.id, 'restic: repository locked\n');
    await openHistory(api);

    expect(screen.queryByTestId('run-detail')).toBeNull();
    fireEvent.click(screen.getByTestId('run-row'));
    const detail = await screen.findByTestId('run-detail');
    await waitFor(() =>
      expect(within(detail).getByTestId('run-output').textContent).toBe('restic: repository locked\n'),
    );
    expect(within(detail).getByTestId('run-reason').textContent).toBe(
      'The command exited with code 2 (0 means success).',
    );
    expect(within(detail).getByTestId('run-exit').textContent).toBe('2');
    expect(within(detail).getByRole('heading', { name: 'Backup' })).toBeTruthy();
  });
});

describe('Reachability and reconnects', { timeout: 60_000 }, () => {
  it('an UNAVAILABLE answer shows a banner; Retry reloads and clears it', async () => {
    const api = new FakeApi();
    let down = true;
    api.handlers['schedules.list'] = () =>
      down
        ? { ok: false, error: { code: 'UNAVAILABLE', message: 'Almanac is not reachable (fetch failed)' } }
        : { ok: true, value: { items: [makeSchedule({ name: 'Back' })] } };
    render(<App client={api} />);

    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('unreachable');
    expect(banner.textContent).toContain('fetch failed');

    down = false;
    fireEvent.click(within(banner).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(await screen.findByText('Back')).toBeTruthy();
  });

  it('a reconnect of the event stream reloads what the places show', async () => {
    const api = new FakeApi();
    await renderApp(api);
    expect(api.callsTo('schedules.list')).toHaveLength(1);
    const schedule = makeSchedule({ name: 'Created while offline' });
    api.schedules = [schedule];
    api.runs = [makeRun({ scheduleId: schedule.id })];

    act(() => api.reconnect());
    const row = await screen.findByTestId('schedule-row');
    expect(within(row).getByText('Created while offline')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(1));
    expect(api.callsTo('schedules.list')).toHaveLength(2);
    expect(api.callsTo('runs.list')).toHaveLength(2);
  });

  it('shows the mode and the data directory in the sidebar footer', async () => {
    await renderApp();
    expect(screen.getByText('/home/me/.config/Almanac')).toBeTruthy();
    expect(screen.getByText(/Browser mode/)).toBeTruthy();
    expect(screen.getByText('Engine: Idle')).toBeTruthy();
  });

  it('unsubscribes from every event when unmounted', async () => {
    const api = new FakeApi();
    const { view } = await renderApp(api);
    expect(api.listenerCount('run.changed')).toBe(1);
    view.unmount();
    for (const event of ['schedule.changed', 'run.changed', 'run.output', 'engine.status'] as const) {
      expect(api.listenerCount(event)).toBe(0);
    }
  });
});
