/** Settings → busy calendars (and, below, the data: export, import, backups). */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { FakeApi } from './fakeApi';
import { renderApp } from './render';

const MISSING = '/nowhere/missing.ics';

/** settings.update as main answers it: the schema, then "no file" for a path that does not exist. */
function setup() {
  const api = new FakeApi();
  const state = { settings: structuredClone(DEFAULT_SETTINGS) as Settings };
  api.handlers['settings.get'] = () => ({ ok: true, value: state.settings });
  api.handlers['settings.update'] = (patch) => {
    const result = applySettingsPatch(state.settings, patch);
    if (!result.success) throw new Error('the form sent a list main would refuse');
    const bad = patch.busyCalendars?.findIndex((calendar) => calendar.path === MISSING) ?? -1;
    if (bad >= 0) {
      const path = `busyCalendars.${bad}.path`;
      return {
        ok: false,
        error: {
          code: 'VALIDATION',
          message: `${path}: There is no file at this path`,
          issues: [{ path, message: 'There is no file at this path' }],
        },
      };
    }
    state.settings = result.data;
    return { ok: true, value: state.settings };
  };
  return { api, state };
}

async function openSettings(api: FakeApi) {
  await renderApp(api);
  fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
  await screen.findByRole('heading', { name: 'Busy calendars' });
}

function describedText(element: HTMLElement): string {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' | ');
}

describe('Settings: busy calendars', { timeout: 20_000 }, () => {
  it('adds one (path + name), refusing first what the schema refuses and then what main refuses, beside the field', async () => {
    const { api, state } = setup();
    await openSettings(api);
    const form = within(screen.getByRole('form', { name: 'Add a busy calendar' }));
    const name = form.getByLabelText('Name') as HTMLInputElement;
    const file = form.getByLabelText('Path of the .ics file') as HTMLInputElement;

    fireEvent.click(form.getByRole('button', { name: 'Add calendar' }));
    await waitFor(() => expect(describedText(name)).toBe('Name the calendar'));
    expect(describedText(file)).toBe('Give the path of an .ics file');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(api.callsTo('settings.update')).toHaveLength(0);

    fireEvent.change(name, { target: { value: 'Work' } });
    fireEvent.change(file, { target: { value: MISSING } });
    fireEvent.click(form.getByRole('button', { name: 'Add calendar' }));
    await waitFor(() => expect(describedText(file)).toBe('There is no file at this path'));
    expect(describedText(name)).not.toContain('Name');
    expect(state.settings.busyCalendars).toEqual([]);
    // what the person typed is kept
    expect(file.value).toBe(MISSING);

    fireEvent.change(file, { target: { value: '/home/me/work.ics' } });
    fireEvent.click(form.getByRole('button', { name: 'Add calendar' }));
    const list = await screen.findByRole('list', { name: 'Busy calendars' });
    expect(api.callsTo('settings.update').at(-1)).toEqual({
      busyCalendars: [{ name: 'Work', path: '/home/me/work.ics' }],
    });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([expect.stringContaining('/home/me/work.ics')]);
    expect(file.value).toBe('');

    // the same file twice is refused by the schema, before main is asked
    const calls = api.callsTo('settings.update').length;
    fireEvent.change(name, { target: { value: 'Again' } });
    fireEvent.change(file, { target: { value: '/home/me/work.ics' } });
    fireEvent.click(form.getByRole('button', { name: 'Add calendar' }));
    await waitFor(() => expect(describedText(file)).toBe('This file is already in the list'));
    expect(api.callsTo('settings.update')).toHaveLength(calls);
  });

  it('removes one', async () => {
    const { api, state } = setup();
    state.settings.busyCalendars = [
      { name: 'Work', path: '/a/work.ics' },
      { name: 'Home', path: '/a/home.ics' },
    ];
    await openSettings(api);
    fireEvent.click(screen.getByRole('button', { name: 'Remove Work' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove Work' })).toBeNull());
    expect(api.callsTo('settings.update')).toEqual([
      { busyCalendars: [{ name: 'Home', path: '/a/home.ics' }] },
    ]);
    expect(state.settings.busyCalendars).toEqual([{ name: 'Home', path: '/a/home.ics' }]);
  });
});
