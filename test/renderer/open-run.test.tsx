/** Desktop: clicking a run's native notification opens that run (the preload's `onOpenRun` hook). */
import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesktopHooks } from '../../src/shared/ipc';
import { FakeApi, makeRun, makeSchedule } from './fakeApi';
import { renderApp } from './render';

// The places load lazily: transform their chunks once, before any test's clock starts.
beforeAll(async () => {
  await Promise.all([
    import('../../src/renderer/src/places/history/HistoryPlace'),
    import('../../src/renderer/src/places/schedule/SchedulePage'),
  ]);
}, 120_000);

class DesktopApi extends FakeApi implements DesktopHooks {
  openRun: ((runId: string) => void) | null = null;
  onOpenRun = (listener: (runId: string) => void) => {
    this.openRun = listener;
    return () => {
      if (this.openRun === listener) this.openRun = null;
    };
  };
}

describe('open a run from its notification', () => {
  it('shows the History place with that run’s detail', async () => {
    const api = new DesktopApi();
    const schedule = makeSchedule({ name: 'Backup' });
    const run = makeRun({ scheduleId: schedule.id, status: 'failed' });
    api.schedules = [schedule];
    api.runs = [run];
    api.outputs.set(run.id, 'disk full\n');
    await renderApp(api);
    expect(screen.queryByRole('heading', { level: 1, name: 'History' })).toBeNull();

    api.openRun!(run.id);
    await screen.findByRole('heading', { level: 1, name: 'History' });
    const detail = await screen.findByTestId('run-detail');
    await waitFor(() => expect(within(detail).getByTestId('run-output').textContent).toBe('disk full\n'));
    expect(api.callsTo('runs.get')).toContainEqual({ id: run.id });
  });

  it('a client without the hook (browser mode) is left alone', async () => {
    await renderApp(new FakeApi());
    expect(screen.queryByRole('heading', { level: 1, name: 'History' })).toBeNull();
  });
});
