import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ScheduleFields, type ScheduleInput } from '../../../src/shared/domain';
import { FakeApi } from '../fakeApi';
import { choose, fill, fillNumber, openNew, save, selectValue, type User } from './helpers';

// The whole app and editor in jsdom, many fields per test, on a shared 2-core machine.
vi.setConfig({ testTimeout: 45_000 });

async function created(api: FakeApi): Promise<ScheduleInput> {
  await waitFor(() => expect(api.callsTo('schedules.create')).toHaveLength(1));
  const input = api.callsTo('schedules.create')[0] as ScheduleInput;
  // what the form sent is what the API accepts
  expect(ScheduleFields.safeParse(input).success).toBe(true);
  return input;
}

const box = (dialog: HTMLElement, name: string) => within(dialog).getByRole('textbox', { name });

async function addRow(user: User, dialog: HTMLElement, what: string, key: string, value: string, n = 1) {
  await user.click(within(dialog).getByRole('button', { name: `+ Add ${what.toLowerCase()}` }));
  fill(box(dialog, `${what} ${n}`), key);
  fill(box(dialog, `${what} ${n} value`), value);
}

describe('What: each action form builds the exact contract input', () => {
  it('command: no shell, working directory, environment rows', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Backup');
    fill(box(dialog, 'Command'), 'restic backup ~/docs');
    await user.click(within(dialog).getByRole('switch', { name: 'Run through the shell' }));
    fill(box(dialog, 'Working directory'), '/srv/data');
    await addRow(user, dialog, 'Variable', 'RESTIC_REPO', '/mnt/backup');
    await addRow(user, dialog, 'Variable', 'LANG', 'C', 2);
    await save(user, dialog);
    expect((await created(api)).action).toEqual({
      type: 'command',
      command: 'restic backup ~/docs',
      shell: false,
      cwd: '/srv/data',
      env: { RESTIC_REPO: '/mnt/backup', LANG: 'C' },
    });
  });

  it('http: method, URL, header rows, body, expected statuses', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Hook');
    await user.click(within(dialog).getByRole('tab', { name: 'HTTP' }));
    await choose(user, dialog, 'Method', 'POST');
    fill(box(dialog, 'URL'), 'https://example.com/hook');
    await addRow(user, dialog, 'Header', 'X-Token', 'abc');
    fill(box(dialog, 'Body'), '{"ok":true}');
    fill(box(dialog, 'Expected status'), '200, 201');
    await save(user, dialog);
    expect((await created(api)).action).toEqual({
      type: 'http',
      method: 'POST',
      url: 'https://example.com/hook',
      headers: { 'X-Token': 'abc' },
      body: '{"ok":true}',
      expectStatus: [200, 201],
    });
  });

  it('reminder: title and body', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Stretch');
    await user.click(within(dialog).getByRole('tab', { name: 'Reminder' }));
    fill(box(dialog, 'Title'), 'Stand up');
    fill(box(dialog, 'Body'), 'and stretch, {name}');
    await save(user, dialog);
    expect((await created(api)).action).toEqual({
      type: 'reminder',
      title: 'Stand up',
      body: 'and stretch, {name}',
    });
  });

  it('watch: an HTTP probe until a JSON field equals some values, with its numbers and messages', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Build');
    await user.click(within(dialog).getByRole('tab', { name: 'Watch' }));
    fill(box(dialog, 'URL'), 'https://ci.example.com/build/7');
    await choose(user, dialog, 'Until', 'A JSON field equals…');
    fill(box(dialog, 'JSON path'), 'build.status');
    fill(box(dialog, 'Equals one of'), 'success, 3, true');
    fillNumber(box(dialog, 'Every'), '10');
    fillNumber(box(dialog, 'Max attempts'), '5');
    fillNumber(box(dialog, 'Probe timeout'), '20');
    fill(box(dialog, 'Success message'), '{name} built after {attempts}: {result}');
    fill(box(dialog, 'Failure message'), '{name} never built');
    expect(within(dialog).getAllByText(/\{result\}, \{name\}, \{attempts\}/).length).toBeGreaterThan(0);
    await save(user, dialog);
    expect((await created(api)).action).toEqual({
      type: 'watch',
      probe: { type: 'http', method: 'GET', url: 'https://ci.example.com/build/7' },
      until: { type: 'json', path: 'build.status', equals: ['success', 3, true] },
      intervalSeconds: 10,
      maxAttempts: 5,
      probeTimeoutSeconds: 20,
      onSuccessMessage: '{name} built after {attempts}: {result}',
      onFailureMessage: '{name} never built',
    });
  });

  it('watch: a command probe until exit code 0, reopened with the same fields', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Disk');
    await user.click(within(dialog).getByRole('tab', { name: 'Watch' }));
    await choose(user, dialog, 'Probe', 'Command');
    fill(box(dialog, 'Command'), 'test -e /mnt/disk/ready');
    await choose(user, dialog, 'Until', 'Exit code is 0');
    await save(user, dialog);
    const input = await created(api);
    expect(input.action).toMatchObject({
      type: 'watch',
      probe: { type: 'command', command: 'test -e /mnt/disk/ready', shell: true },
      until: { type: 'exitZero' },
    });

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Edit Disk' }));
    const again = { dialog: await screen.findByRole('dialog', { name: /Edit/ }) };
    await waitFor(() =>
      expect((box(again.dialog, 'Command') as HTMLInputElement).value).toBe('test -e /mnt/disk/ready'),
    );
    expect(selectValue(again.dialog, 'Until')).toBe('Exit code is 0');
    expect(within(again.dialog).getByRole('tab', { name: 'Watch' }).getAttribute('aria-selected')).toBe(
      'true',
    );
  });
});
