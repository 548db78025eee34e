import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/api';
import { applySettingsPatch, DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { deferred, FakeApi, STATUS } from './fakeApi';
import { renderApp } from './render';

/** A fake whose settings.update applies the patch like main does. */
function setup() {
  const api = new FakeApi();
  const state = { settings: structuredClone(DEFAULT_SETTINGS) as Settings };
  api.handlers['settings.get'] = () => ({ ok: true, value: state.settings });
  api.handlers['settings.update'] = (patch) => {
    const result = applySettingsPatch(state.settings, patch);
    if (!result.success) throw new Error('the form sent a patch main would refuse');
    state.settings = result.data;
    return { ok: true, value: state.settings };
  };
  return { api, state };
}

async function openSettings(api: FakeApi) {
  await renderApp(api);
  fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
  await screen.findByRole('heading', { name: 'Settings', level: 1 });
  await screen.findByLabelText('Runs at the same time');
}

const input = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;
const status = () => screen.getByTestId('settings-status');
const saveButton = () => screen.getByRole('button', { name: /^Save settings|^Saving/ }) as HTMLButtonElement;

/** The message an input points at with aria-describedby (its error, before any hint). */
function describedText(element: HTMLElement): string {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' | ');
}

describe('Settings: every setting, saved as a partial patch', () => {
  it('shows every setting with its label and current value', async () => {
    const { api } = setup();
    await openSettings(api);

    expect(input('Runs at the same time').value).toBe('4');
    expect(input('Runs kept per schedule').value).toBe('1000');
    expect(input('Keep runs for').value).toBe('90');
    expect(input('Show notifications').checked).toBe(true);
    expect((screen.getByLabelText('Notify new schedules by default') as HTMLSelectElement).value).toBe(
      'failure',
    );
    expect(input('Silent (no sound)').checked).toBe(false);
    expect(input('Working hours start').value).toBe('09:00');
    expect(input('Working hours end').value).toBe('17:00');
    const days = within(screen.getByRole('group', { name: 'Working days' }));
    expect(days.getAllByRole('checkbox').filter((box) => (box as HTMLInputElement).checked)).toHaveLength(5);
    expect((days.getByRole('checkbox', { name: 'Saturday' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText('Slot size') as HTMLSelectElement).value).toBe('30');
    expect(input('Keep running in the tray when the window closes').checked).toBe(true);
    expect(input('Start Almanac when I log in').checked).toBe(false);
    expect(saveButton().disabled).toBe(true);
    expect(api.callsTo('settings.get')).toHaveLength(1);
  });

  it('sends only what changed, nested objects partly, and shows pending then saved', async () => {
    const { api, state } = setup();
    const answer = deferred<Result<Settings>>();
    api.handlers['settings.update'] = () => answer.promise;
    await openSettings(api);

    fireEvent.change(input('Runs at the same time'), { target: { value: '8' } });
    fireEvent.change(screen.getByLabelText('Slot size'), { target: { value: '60' } });
    fireEvent.change(input('Working hours end'), { target: { value: '18:30' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Saturday' }));
    fireEvent.click(input('Start Almanac when I log in'));
    expect(status().textContent).toBe('5 unsaved changes');

    fireEvent.click(saveButton());
    expect(api.callsTo('settings.update')).toEqual([
      {
        maxConcurrentRuns: 8,
        calendar: { slotMinutes: 60 },
        workingHours: { end: '18:30', days: [1, 2, 3, 4, 5, 6] },
        launchAtLogin: true,
      },
    ]);
    await waitFor(() => expect(status().textContent).toBe('Saving…'));
    expect(saveButton().disabled).toBe(true);

    const saved: Settings = {
      ...state.settings,
      maxConcurrentRuns: 8,
      calendar: { slotMinutes: 60 },
      workingHours: { start: '09:00', end: '18:30', days: [1, 2, 3, 4, 5, 6] },
      launchAtLogin: true,
    };
    await act(async () => answer.resolve({ ok: true, value: saved }));
    expect(status().textContent).toBe('Saved.');
    expect(status().className).toContain('form-status-success');
    expect(input('Runs at the same time').value).toBe('8');
    expect(saveButton().disabled).toBe(true);

    // editing again forgets "Saved."
    fireEvent.change(input('Keep runs for'), { target: { value: '30' } });
    expect(status().textContent).toBe('1 unsaved change');
  });

  it('refuses bad values beside their field with the shared schemas, and sends nothing', async () => {
    const { api } = setup();
    await openSettings(api);

    fireEvent.change(input('Runs at the same time'), { target: { value: '0' } });
    fireEvent.change(input('Working hours end'), { target: { value: '08:00' } });
    fireEvent.change(input('Runs kept per schedule'), { target: { value: '' } });
    fireEvent.click(saveButton());

    expect(describedText(input('Runs at the same time'))).toMatch(/>=\s*1|at least 1|too small/i);
    expect(input('Runs at the same time').getAttribute('aria-invalid')).toBe('true');
    expect(describedText(input('Working hours end'))).toBe('Working hours must end after they start');
    expect(describedText(input('Runs kept per schedule'))).toContain('Enter a whole number');
    expect(status().textContent).toBe('Check the fields marked in red.');
    expect(document.activeElement).toBe(input('Runs at the same time'));
    expect(api.callsTo('settings.update')).toHaveLength(0);

    // fixing a field clears its message
    fireEvent.change(input('Working hours end'), { target: { value: '18:00' } });
    expect(input('Working hours end').getAttribute('aria-invalid')).toBeNull();
  });

  it('puts the VALIDATION issues main answers beside their fields and says the save failed', async () => {
    const { api } = setup();
    api.handlers['settings.update'] = () => ({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'retention.maxAgeDays: Keep runs for at most 100 years',
        issues: [{ path: 'retention.maxAgeDays', message: 'Keep runs for at most 100 years' }],
      },
    });
    await openSettings(api);

    fireEvent.change(input('Keep runs for'), { target: { value: '400' } });
    fireEvent.click(saveButton());
    await waitFor(() => expect(status().textContent).toMatch(/^Could not save/));
    expect(status().className).toContain('form-status-error');
    // the field message lands once the refused call has returned to the form
    await waitFor(() =>
      expect(describedText(input('Keep runs for'))).toBe('Keep runs for at most 100 years'),
    );
    // the draft is kept, so the person can correct it
    expect(input('Keep runs for').value).toBe('400');
  });

  it('follows settings.changed for fields not being edited, keeping the edited one', async () => {
    const { api, state } = setup();
    await openSettings(api);
    fireEvent.change(input('Runs at the same time'), { target: { value: '6' } });

    const elsewhere: Settings = {
      ...state.settings,
      maxConcurrentRuns: 2,
      closeToTray: false,
      retention: { ...state.settings.retention, maxAgeDays: 7 },
    };
    act(() => api.emit('settings.changed', elsewhere));

    expect(input('Keep running in the tray when the window closes').checked).toBe(false);
    expect(input('Keep runs for').value).toBe('7');
    expect(input('Runs at the same time').value).toBe('6');
    expect(status().textContent).toBe('1 unsaved change');

    fireEvent.click(screen.getByRole('button', { name: 'Revert' }));
    expect(input('Runs at the same time').value).toBe('2');
  });

  it('shows a failed load with a retry', async () => {
    const { api, state } = setup();
    let down = true;
    api.handlers['settings.get'] = () =>
      down
        ? { ok: false, error: { code: 'INTERNAL', message: 'settings table is locked' } }
        : { ok: true, value: state.settings };
    await renderApp(api);
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the settings: settings table is locked');
    down = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await screen.findByLabelText('Runs at the same time');
  });
});

describe('Startup notices', () => {
  it('shows what app.status says about this start at the top, until dismissed', async () => {
    const { api } = setup();
    api.handlers['app.status'] = () => ({
      ok: true,
      value: {
        ...STATUS,
        notices: [
          {
            level: 'error',
            message: 'The database was damaged; restored from the backup of 2026-01-04 03:00.',
            at: '2026-01-05T09:00:00.000Z',
          },
          { level: 'info', message: 'A new data directory was created.', at: '2026-01-05T09:00:00.000Z' },
        ],
      },
    });
    await renderApp(api);

    const region = screen.getByRole('region', { name: 'Startup notices' });
    const main = region.closest('main')!;
    expect(main.firstElementChild).toBe(region);
    const notices = within(region).getAllByTestId('startup-notice');
    expect(notices).toHaveLength(2);
    expect(notices[0]!.getAttribute('role')).toBe('alert');
    expect(notices[0]!.textContent).toContain('restored from the backup of 2026-01-04 03:00');
    expect(notices[1]!.getAttribute('role')).toBe('status');

    fireEvent.click(within(notices[0]!).getByRole('button', { name: /^Dismiss/ }));
    expect(within(region).getAllByTestId('startup-notice')).toHaveLength(1);

    // a reconnect reloads the same notices; a dismissed one stays dismissed
    act(() => api.reconnect());
    await waitFor(() => expect(api.callsTo('app.status').length).toBeGreaterThan(1));
    expect(screen.getAllByTestId('startup-notice')).toHaveLength(1);
    // (the reconnect's own toast has a Dismiss button too)
    fireEvent.click(within(screen.getByTestId('startup-notice')).getByRole('button', { name: /^Dismiss/ }));
    expect(screen.queryByRole('region', { name: 'Startup notices' })).toBeNull();
  });
});
