/** Settings → busy calendars (and, below, the data: export, import, backups). */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
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

const DOC = {
  almanac: 1,
  exportedAt: '2026-01-05T09:00:00.000Z',
  schedules: [
    {
      name: 'Backup',
      trigger: { type: 'cron', expression: '0 2 * * *', timezone: 'UTC' },
      action: { type: 'command', command: 'restic backup', shell: true },
    },
  ],
};

function pick(file: File) {
  const inputs = [...document.querySelectorAll<HTMLInputElement>('input[type="file"]')];
  fireEvent.change(inputs.at(-1)!, { target: { files: [file] } });
}

describe('Settings: export, import, backups', { timeout: 20_000 }, () => {
  it('exports the document from schedules.export as a JSON file', async () => {
    const { api } = setup();
    const exported = { ...DOC, schedules: [DOC.schedules[0]!, { ...DOC.schedules[0]!, name: 'Two' }] };
    api.handlers['schedules.export'] = () => ({ ok: true, value: exported as never });
    const saved: Blob[] = [];
    URL.createObjectURL = (blob: Blob) => (saved.push(blob), 'blob:x');
    URL.revokeObjectURL = () => {};
    const names: string[] = [];
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download);
    });
    await openSettings(api);
    fireEvent.click(screen.getByRole('button', { name: 'Export all schedules' }));
    expect(await screen.findByText('Exported 2 schedules (no run history).')).toBeTruthy();
    expect(names).toEqual(['almanac-schedules-2026-01-05.json']);
    expect(JSON.parse(await readBlob(saved[0]!))).toEqual(exported);
    clicks.mockRestore();
  });

  it('imports a picked file: checks it with the schema, previews a dry run per conflict choice, then imports', async () => {
    const { api } = setup();
    api.handlers['schedules.import'] = (input) => ({
      ok: true,
      value: {
        items: [
          input.onConflict === 'copy'
            ? {
                name: 'Backup',
                status: 'created',
                storedAs: 'Backup (2)',
                ...(input.dryRun ? {} : { id: 'x' }),
              }
            : { name: 'Backup', status: 'skipped', message: 'A schedule named “Backup” exists' },
        ],
        created: input.onConflict === 'copy' ? 1 : 0,
        replaced: 0,
        skipped: input.onConflict === 'copy' ? 0 : 1,
      },
    });
    await openSettings(api);
    // a document from a newer Almanac is refused before main is asked, saying where
    pick(new File([JSON.stringify({ ...DOC, almanac: 2 })], 'future.json'));
    const error = await screen.findByTestId('document-error');
    expect(error.textContent).toContain('almanac: This document comes from a newer Almanac');
    pick(new File(['{ not json'], 'broken.json'));
    await waitFor(() =>
      expect(screen.getByTestId('document-error').textContent).toMatch(/^broken\.json is not JSON/),
    );
    expect(api.callsTo('schedules.import')).toHaveLength(0);

    pick(new File([JSON.stringify(DOC)], 'mine.json'));
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    expect((await screen.findByTestId('document-counts')).textContent).toBe(
      'Would create 0, replace 0, skip 1.',
    );
    expect((screen.getByRole('button', { name: 'Import mine.json' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
    // another choice needs its own preview
    fireEvent.click(screen.getByRole('radio', { name: /Add a copy/ }));
    expect(screen.queryByTestId('document-counts')).toBeNull();
    expect((screen.getByRole('button', { name: 'Import mine.json' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByTestId('document-counts')).textContent).toBe(
      'Would create 1, replace 0, skip 0.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Import mine.json' }));
    const summary = await screen.findByTestId('document-summary');
    expect(summary.textContent).toContain('Created 1, replaced 0, skipped 0.');
    expect(summary.textContent).toContain('as “Backup (2)”');
    expect(api.callsTo('schedules.import')).toEqual([
      { document: DOC, onConflict: 'skip', dryRun: true },
      { document: DOC, onConflict: 'copy', dryRun: true },
      { document: DOC, onConflict: 'copy', dryRun: false },
    ]);
  });

  it('lists the backups and restores one after a confirm, saying it happens at the next start', async () => {
    const { api } = setup();
    const backups = {
      items: [
        { name: 'almanac-20260105T080000000Z.db', takenAt: '2026-01-05T08:00:00.000Z', bytes: 40960 },
        { name: 'almanac-20260104T080000000Z.db', takenAt: '2026-01-04T08:00:00.000Z', bytes: 36864 },
      ],
      pendingRestore: null as null | { name: string; requestedAt: string },
    };
    api.handlers['backups.list'] = () => ({ ok: true, value: structuredClone(backups) });
    api.handlers['backups.restore'] = ({ name }) => {
      backups.pendingRestore = { name, requestedAt: '2026-01-05T09:00:00.000Z' };
      return {
        ok: true,
        value: {
          name,
          takenAt: '2026-01-04T08:00:00.000Z',
          appliesAt: 'next-start',
          message: 'The backup from 2026-01-04 08:00:00 UTC replaces the database when Almanac next starts.',
        },
      };
    };
    await openSettings(api);
    const list = await screen.findByRole('list', { name: 'Backups' });
    const items = within(list).getAllByTestId('backup-item');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('almanac-20260105T080000000Z.db · 40 KB'),
      expect.stringContaining('almanac-20260104T080000000Z.db · 36 KB'),
    ]);
    const restoreOlder = within(items[1]!).getByRole('button', { name: /^Restore the backup from/ });
    // Cancel asks nothing
    fireEvent.click(restoreOlder);
    const confirm = await screen.findByRole('alertdialog', { name: 'Restore this backup?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(api.callsTo('backups.restore')).toHaveLength(0);

    fireEvent.click(restoreOlder);
    fireEvent.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Restore at next start' }),
    );
    const note = await screen.findByTestId('restore-pending');
    expect(api.callsTo('backups.restore')).toEqual([{ name: 'almanac-20260104T080000000Z.db' }]);
    expect(note.textContent).toContain('replaces the database when Almanac next starts');
    expect(note.textContent).toContain('Quit Almanac and start it again to finish');
    expect(items[1]!.textContent).toContain('restores at next start');

    // asked by mistake: cancelled, and the list says so
    api.handlers['backups.cancelRestore'] = () => {
      backups.pendingRestore = null;
      return { ok: true, value: { cancelled: true } };
    };
    fireEvent.click(within(note).getByRole('button', { name: 'Cancel the restore' }));
    await waitFor(() => expect(screen.queryByTestId('restore-pending')).toBeNull());
    expect(api.callsTo('backups.cancelRestore')).toEqual([{}]);
    expect(items[1]!.textContent).not.toContain('restores at next start');
  });
});

const readBlob = (blob: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });
