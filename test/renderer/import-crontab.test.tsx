/** Schedules → Import crontab: paste or pick, preview per line (dry run), choose, import, summary. */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CrontabImport, MethodInput, Result } from '../../src/shared/api';
import { CRONTAB_MAX_BYTES } from '../../src/shared/api';
import { FakeApi, makeSchedule } from './fakeApi';
import { renderApp } from './render';

const TEXT = '30 2 * * * backup\n@reboot start-agent\n0 9 * * * stand-up\n';

/** What main answers for TEXT: line 1 ok, line 2 an error, line 3 already there. */
function answer(input: MethodInput<'schedules.importCrontab'>): Result<CrontabImport> {
  const draft = makeSchedule({ name: 'backup' });
  if (!input.dryRun && input.onError === 'abort') {
    return {
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'text: 1 line in error, nothing imported (Line 2: @reboot is not a schedule)',
        issues: [{ path: 'text', message: 'Line 2: @reboot is not a schedule' }],
      },
    };
  }
  return {
    ok: true,
    value: {
      format: 'user',
      created: input.dryRun ? 0 : 1,
      items: [
        { line: '30 2 * * * backup', lineNumber: 1, status: 'ok', schedule: draft },
        {
          line: '@reboot start-agent',
          lineNumber: 2,
          status: 'error',
          message: '@reboot is not a schedule: use a once or interval trigger',
        },
        {
          line: '0 9 * * * stand-up',
          lineNumber: 3,
          status: 'skipped',
          message: 'Already in Almanac as “stand-up”',
        },
      ],
    },
  };
}

async function openDialog(api: FakeApi) {
  await renderApp(api);
  fireEvent.click(screen.getByRole('button', { name: 'Import crontab' }));
  return within(await screen.findByRole('dialog', { name: 'Import a crontab' }));
}

describe('Import crontab', { timeout: 20_000 }, () => {
  it('previews each line with a dry run, then imports the good lines and sums up', async () => {
    const api = new FakeApi();
    api.handlers['schedules.importCrontab'] = answer;
    const dialog = await openDialog(api);
    // nothing pasted: refused beside the field, nothing asked
    fireEvent.click(dialog.getByRole('button', { name: 'Preview' }));
    expect(await dialog.findByText('Paste a crontab or pick a file')).toBeTruthy();
    expect(api.callsTo('schedules.importCrontab')).toHaveLength(0);

    fireEvent.change(dialog.getByLabelText('Crontab'), { target: { value: TEXT } });
    fireEvent.change(dialog.getByLabelText(/^Time zone/), { target: { value: 'Europe/Berlin' } });
    fireEvent.change(dialog.getByLabelText(/^Group/), { target: { value: 'cron' } });
    expect((dialog.getByRole('button', { name: /^Import/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(dialog.getByRole('button', { name: 'Preview' }));
    await dialog.findByTestId('import-counts');
    expect(api.callsTo('schedules.importCrontab')).toEqual([
      { text: TEXT, dryRun: true, timezone: 'Europe/Berlin', group: 'cron', onError: 'skip' },
    ]);
    const rows = dialog.getAllByTestId('import-item');
    expect(
      rows.map((row) => [row.dataset.status, (row as HTMLTableRowElement).cells[0]!.textContent]),
    ).toEqual([
      ['ok', '1'],
      ['error', '2'],
      ['skipped', '3'],
    ]);
    expect(rows[1]!.textContent).toContain('@reboot is not a schedule: use a once or interval trigger');
    expect(dialog.getByTestId('import-counts').textContent).toBe(
      '3 lines: 1 to import, 1 skipped, 1 in error.',
    );

    fireEvent.click(dialog.getByRole('button', { name: 'Import 1 schedule' }));
    const summary = await dialog.findByTestId('import-summary');
    expect(api.callsTo('schedules.importCrontab').at(-1)).toEqual({
      text: TEXT,
      dryRun: false,
      timezone: 'Europe/Berlin',
      group: 'cron',
      onError: 'skip',
    });
    expect(summary.textContent).toContain('Imported 1 schedule.');
    expect(summary.textContent).toContain('1 skipped.');
    expect(summary.textContent).toContain('1 line in error, not imported.');
    fireEvent.click(dialog.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Import a crontab' })).toBeNull());
  });

  it('all or nothing: main refuses while a line is in error, and the dialog says nothing was imported', async () => {
    const api = new FakeApi();
    api.handlers['schedules.importCrontab'] = answer;
    const dialog = await openDialog(api);
    fireEvent.change(dialog.getByLabelText('Crontab'), { target: { value: TEXT } });
    fireEvent.click(dialog.getByRole('button', { name: 'Preview' }));
    fireEvent.click(await dialog.findByLabelText(/^All or nothing/));
    fireEvent.click(dialog.getByRole('button', { name: 'Import all or nothing' }));
    await waitFor(() => expect(api.callsTo('schedules.importCrontab')).toHaveLength(2));
    expect((await dialog.findByRole('alert')).textContent).toMatch(
      /^Nothing was imported: text: 1 line in error/,
    );
    expect(api.callsTo('schedules.importCrontab').at(-1)).toMatchObject({ dryRun: false, onError: 'abort' });
  });

  it('an edit after the preview asks for a new preview before importing', async () => {
    const api = new FakeApi();
    api.handlers['schedules.importCrontab'] = answer;
    const dialog = await openDialog(api);
    fireEvent.change(dialog.getByLabelText('Crontab'), { target: { value: TEXT } });
    fireEvent.click(dialog.getByRole('button', { name: 'Preview' }));
    await dialog.findByTestId('import-counts');
    fireEvent.change(dialog.getByLabelText('Crontab'), { target: { value: TEXT + '* * * * * more\n' } });
    expect(dialog.queryByTestId('import-counts')).toBeNull();
    expect((dialog.getByRole('button', { name: /^Import/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('refuses an unknown zone beside its field, and a file over 5 MB without reading it', async () => {
    const api = new FakeApi();
    api.handlers['schedules.importCrontab'] = answer;
    const dialog = await openDialog(api);
    fireEvent.change(dialog.getByLabelText('Crontab'), { target: { value: TEXT } });
    fireEvent.change(dialog.getByLabelText(/^Time zone/), { target: { value: 'Mars/Olympus' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Preview' }));
    expect(await dialog.findByText('Unknown time zone')).toBeTruthy();
    expect(api.callsTo('schedules.importCrontab')).toHaveLength(0);

    const big = new File(['x'], 'huge.crontab');
    Object.defineProperty(big, 'size', { value: CRONTAB_MAX_BYTES + 1 });
    const reads = vi.spyOn(FileReader.prototype, 'readAsText');
    const picker = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    await act(async () => {
      fireEvent.change(picker, { target: { files: [big] } });
    });
    expect(await dialog.findByText('huge.crontab is 5.0 MB; the limit is 5.0 MB.')).toBeTruthy();
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();

    const small = new File(['0 1 * * * from-a-file\n'], 'mine.crontab');
    await act(async () => {
      fireEvent.change(picker, { target: { files: [small] } });
    });
    await waitFor(() =>
      expect((dialog.getByLabelText('Crontab') as HTMLTextAreaElement).value).toBe('0 1 * * * from-a-file\n'),
    );
  });

  it('is keyboard-closable: Escape closes it and focus returns to the header button', async () => {
    const api = new FakeApi();
    await renderApp(api);
    const opener = screen.getByRole('button', { name: 'Import crontab' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Import a crontab' });
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Import a crontab' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });
});
