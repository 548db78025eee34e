import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { App } from '../../src/renderer/src/App';
import { deferred, FakeApi, makeRun, makeSchedule } from './fakeApi';
import { renderApp } from './render';

// The list's widgets are lazy chunks in the app; load them once here so no test waits on a first transform.
beforeAll(async () => {
  await Promise.all([
    import('../../src/renderer/src/places/schedules/ListControls'),
    import('../../src/renderer/src/ui/ConfirmPopover'),
  ]);
}, 60_000);

function rowOf(name: string): HTMLElement {
  const row = screen.getAllByTestId('schedule-row').find((element) => within(element).queryByText(name));
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe('Schedule list: what each schedule is doing, and the actions on it', () => {
  it('shows name, pattern and zone, state, last status and run counts', async () => {
    const api = new FakeApi();
    api.schedules = [
      makeSchedule({ name: 'Backup', lastStatus: 'failed', totalRuns: 7, failedRuns: 2 }),
      makeSchedule({ name: 'Sync', enabled: false, state: 'paused' }),
    ];
    await renderApp(api);

    const backup = rowOf('Backup');
    expect(within(backup).getByText('*/5 * * * *')).toBeTruthy();
    expect(within(backup).getByText('UTC')).toBeTruthy();
    expect(within(backup).getByText('Every 5 minutes')).toBeTruthy();
    expect(within(backup).getByText('active')).toBeTruthy();
    expect(within(backup).getByText('failed').className).toContain('badge-failed');
    expect(within(backup).getByText('7')).toBeTruthy();
    expect(within(backup).getByText(/2 failed/)).toBeTruthy();
    expect(within(backup).getByText(/^in \d+ (sec|min)/)).toBeTruthy();
    expect(within(rowOf('Sync')).getByText('paused')).toBeTruthy();
  });

  it('toggling Enabled calls schedules.setEnabled, shows pending, then the answer', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    const answer = deferred<Result<Schedule>>();
    api.handlers['schedules.setEnabled'] = () => answer.promise;
    await renderApp(api);

    const toggle = screen.getByRole('switch', { name: 'Enabled Backup' }) as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);

    expect(api.callsTo('schedules.setEnabled')).toEqual([{ id: schedule.id, enabled: false }]);
    await waitFor(() => expect(toggle.disabled).toBe(true));
    expect(toggle.checked).toBe(false);

    await act(async () =>
      answer.resolve({ ok: true, value: { ...schedule, enabled: false, state: 'paused', version: 2 } }),
    );
    expect(toggle.disabled).toBe(false);
    expect(toggle.checked).toBe(false);
    expect(within(rowOf('Backup')).getByText('paused')).toBeTruthy();
    expect(screen.getByText('Paused “Backup”.')).toBeTruthy();
  });

  it('a refused toggle falls back to the real state and says why', async () => {
    const api = new FakeApi();
    api.schedules = [makeSchedule({ name: 'Backup' })];
    api.handlers['schedules.setEnabled'] = () => ({
      ok: false,
      error: { code: 'CONFLICT', message: 'changed elsewhere' },
    });
    await renderApp(api);
    const toggle = screen.getByRole('switch', { name: 'Enabled Backup' }) as HTMLInputElement;
    fireEvent.click(toggle);
    expect(await screen.findByText('Could not pause “Backup”: changed elsewhere')).toBeTruthy();
    expect(toggle.checked).toBe(true);
  });

  it('Delete asks for confirmation first, then calls schedules.delete and removes the row', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    await renderApp(api);

    fireEvent.click(within(rowOf('Backup')).getByRole('button', { name: 'Delete' }));
    expect(api.callsTo('schedules.delete')).toHaveLength(0);
    const confirm = await screen.findByRole('alertdialog', {}, { timeout: 10_000 });
    expect(within(confirm).getByText('Delete “Backup”? Its run history goes too.')).toBeTruthy();

    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(api.callsTo('schedules.delete')).toHaveLength(0);

    fireEvent.click(within(rowOf('Backup')).getByRole('button', { name: 'Delete' }));
    fireEvent.click(
      within(await screen.findByRole('alertdialog', {}, { timeout: 10_000 })).getByRole('button', {
        name: 'Delete',
      }),
    );
    await waitFor(() => expect(api.callsTo('schedules.delete')).toEqual([{ id: schedule.id }]));
    await waitFor(() => expect(screen.queryAllByTestId('schedule-row')).toHaveLength(0));
    expect(screen.getByText('Deleted “Backup”.')).toBeTruthy();
  });

  it('Run now calls schedules.runNow and the run appears in Recent runs', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    await renderApp(api);

    fireEvent.click(within(rowOf('Backup')).getByRole('button', { name: 'Run now' }));
    expect(api.callsTo('schedules.runNow')).toEqual([{ id: schedule.id }]);
    const run = await screen.findByTestId('run-row');
    expect(run.getAttribute('data-status')).toBe('queued');
    expect(within(run).getByText('Backup')).toBeTruthy();
    expect(screen.getByText('Queued “Backup”; it starts when a slot is free.')).toBeTruthy();
  });
});

describe('Live: schedule.changed keeps the list fresh without a reload', () => {
  it('adds, updates and (with schedule: null) removes rows', async () => {
    const api = new FakeApi();
    const kept = makeSchedule({ name: 'Kept' });
    api.schedules = [kept];
    await renderApp(api);

    const added = makeSchedule({ name: 'Added elsewhere' });
    act(() => api.emit('schedule.changed', { id: added.id, schedule: added }));
    expect(screen.getAllByTestId('schedule-row')).toHaveLength(2);

    act(() =>
      api.emit('schedule.changed', {
        id: kept.id,
        schedule: { ...kept, lastStatus: 'succeeded', totalRuns: 1 },
      }),
    );
    expect(within(rowOf('Kept')).getByText('succeeded')).toBeTruthy();

    act(() => api.emit('schedule.changed', { id: kept.id, schedule: null }));
    expect(screen.getAllByTestId('schedule-row')).toHaveLength(1);
    expect(screen.queryByText('Kept')).toBeNull();
    expect(api.callsTo('schedules.list')).toHaveLength(1);
  });

  it('an older version arriving late does not overwrite a newer one', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup', version: 3, totalRuns: 9 });
    api.schedules = [schedule];
    await renderApp(api);
    act(() =>
      api.emit('schedule.changed', { id: schedule.id, schedule: { ...schedule, version: 2, totalRuns: 1 } }),
    );
    expect(within(rowOf('Backup')).getByText('9')).toBeTruthy();
  });

  it('a change that lands while the list is loading is not lost to the list answer', async () => {
    const api = new FakeApi();
    const answer = deferred<Result<{ items: Schedule[] }>>();
    api.handlers['schedules.list'] = () => answer.promise;
    const listed = makeSchedule({ name: 'Listed' });
    const created = makeSchedule({ name: 'Created meanwhile' });
    render(<App client={api} onReconnected={api.onReconnected} />);

    act(() => api.emit('schedule.changed', { id: created.id, schedule: created }));
    act(() => api.emit('schedule.changed', { id: listed.id, schedule: null }));
    await act(async () => answer.resolve({ ok: true, value: { items: [listed] } }));

    const rows = screen.getAllByTestId('schedule-row');
    expect(rows).toHaveLength(1);
    expect(within(rows[0]!).getByText('Created meanwhile')).toBeTruthy();
  });
});

describe('Live: run.changed feeds Recent runs on the Schedules place', () => {
  it('a run.changed event makes a run appear, then updates it in place, without refetching', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Tick' });
    api.schedules = [schedule];
    await renderApp(api);
    expect(screen.queryAllByTestId('run-row')).toHaveLength(0);

    const run = makeRun({ scheduleId: schedule.id, status: 'running', finishedAt: null, durationMs: null });
    act(() => api.emit('run.changed', run));
    let rows = screen.getAllByTestId('run-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.getAttribute('data-status')).toBe('running');
    expect(within(rows[0]!).getByText('Tick')).toBeTruthy();

    act(() => api.emit('run.changed', { ...run, status: 'succeeded', durationMs: 8 }));
    rows = screen.getAllByTestId('run-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.getAttribute('data-status')).toBe('succeeded');
    expect(within(rows[0]!).getByText('succeeded')).toBeTruthy();

    const later = makeRun({ scheduleId: schedule.id });
    act(() => api.emit('run.changed', later));
    rows = screen.getAllByTestId('run-row');
    expect(rows.map((row) => row.getAttribute('data-id'))).toEqual([later.id, run.id]);
    expect(api.callsTo('runs.list')).toHaveLength(1);
  });

  it('a stale "running" event does not undo a finished run', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Tick' });
    api.schedules = [schedule];
    const run = makeRun({ scheduleId: schedule.id, status: 'succeeded' });
    api.runs = [run];
    await renderApp(api);
    act(() => api.emit('run.changed', { ...run, status: 'running' }));
    expect(screen.getByTestId('run-row').getAttribute('data-status')).toBe('succeeded');
  });

  it('clicking a recent run opens its detail with the output; output streams in; a change refetches it', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Tick' });
    api.schedules = [schedule];
    const run = makeRun({ scheduleId: schedule.id, status: 'running', exitCode: null, finishedAt: null });
    api.runs = [run];
    api.outputs.set(run.id, 'hello-');
    await renderApp(api);

    fireEvent.click(screen.getByTestId('run-row'));
    expect(api.callsTo('runs.get')).toEqual([{ id: run.id }]);
    const output = await screen.findByTestId('run-output');
    await waitFor(() => expect(output.textContent).toBe('hello-'));

    act(() => api.emit('run.output', { runId: run.id, scheduleId: schedule.id, chunk: 'from-' }));
    expect(output.textContent).toBe('hello-from-');
    act(() => api.emit('run.output', { runId: 'another-run', scheduleId: schedule.id, chunk: 'noise' }));
    expect(output.textContent).toBe('hello-from-');

    api.outputs.set(run.id, 'hello-from-almanac\n');
    api.runs = [{ ...run, status: 'succeeded', exitCode: 0 }];
    act(() => api.emit('run.changed', api.runs[0]!));
    await waitFor(() => expect(screen.getByTestId('run-output').textContent).toBe('hello-from-almanac\n'));
    expect(api.callsTo('runs.get')).toHaveLength(2);
    const detail = screen.getByTestId('run-detail');
    expect(within(detail).getByText('succeeded')).toBeTruthy();
    expect(within(detail).getByText('0')).toBeTruthy();

    fireEvent.click(within(detail).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('run-detail')).toBeNull();

    fireEvent.click(screen.getByTestId('run-row'));
    expect(await screen.findByTestId('run-detail')).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByTestId('run-detail')).toBeNull();
  });
});
