import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../src/shared/api';
import type { Schedule, ScheduleInput } from '../../../src/shared/domain';
import { FakeApi, makeSchedule } from '../fakeApi';
import { choose, errorAt, fieldAt, fill, fillNumber, openEdit, openNew, save, type User } from './helpers';

// The whole app and editor in jsdom, many fields per test, on a shared 2-core machine.
vi.setConfig({ testTimeout: 45_000 });

const box = (dialog: HTMLElement, name: string) => within(dialog).getByRole('textbox', { name });

async function addHeaders(user: User, dialog: HTMLElement, rows: [string, string][]) {
  for (const [i, [key, value]] of rows.entries()) {
    await user.click(within(dialog).getByRole('button', { name: '+ Add header' }));
    fill(box(dialog, `Header ${i + 1}`), key);
    fill(box(dialog, `Header ${i + 1} value`), value);
  }
}

describe('Saving an edit: the version the editor loaded, and a stale one said plainly', () => {
  it('calls schedules.update with the loaded version and the whole schedule as the patch', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Nightly', version: 4 });
    api.handlers['schedules.update'] = (input) => ({
      ok: true,
      value: { ...schedule, name: input.patch.name ?? schedule.name, version: 5 },
    });
    const { user, dialog } = await openEdit(schedule, 'Edit', api);
    fill(box(dialog, 'Name'), 'Nightly backup');
    await save(user, dialog);
    await waitFor(() => expect(api.callsTo('schedules.update')).toHaveLength(1));
    const call = api.callsTo('schedules.update')[0] as { id: string; version: number; patch: ScheduleInput };
    expect(call.id).toBe(schedule.id);
    expect(call.version).toBe(4);
    expect(call.patch.name).toBe('Nightly backup');
    expect(call.patch.trigger).toEqual(schedule.trigger);
    expect(call.patch.action).toEqual(schedule.action);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('a stale version shows the conflict with Reload and Overwrite; Overwrite saves over the newer version', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Nightly', version: 1 });
    const updates: { version: number }[] = [];
    api.handlers['schedules.update'] = (input): Result<Schedule> => {
      updates.push(input);
      const stored = api.schedules.find((s) => s.id === input.id)!;
      if (input.version !== stored.version) {
        return {
          ok: false,
          error: { code: 'CONFLICT', message: 'Schedule "Nightly" was changed elsewhere' },
        };
      }
      return { ok: true, value: { ...stored, name: input.patch.name!, version: stored.version + 1 } };
    };
    const { user, dialog } = await openEdit(schedule, 'Edit', api);
    // someone else saves meanwhile
    api.schedules[0] = { ...schedule, name: 'Nightly (theirs)', version: 2 };
    fill(box(dialog, 'Name'), 'Nightly (mine)');
    await save(user, dialog);

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(/changed elsewhere since you opened it/);
    expect(within(alert).getByRole('button', { name: 'Reload' })).toBeTruthy();
    // nothing typed is lost while the choice is open
    expect((box(dialog, 'Name') as HTMLInputElement).value).toBe('Nightly (mine)');

    await user.click(within(alert).getByRole('button', { name: 'Overwrite' }));
    await waitFor(() => expect(updates).toHaveLength(2));
    expect(updates.map((u) => u.version)).toEqual([1, 2]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('Reload shows what is stored now', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Nightly', version: 1 });
    api.handlers['schedules.update'] = () => ({
      ok: false,
      error: { code: 'CONFLICT', message: 'changed elsewhere' },
    });
    const { user, dialog } = await openEdit(schedule, 'Edit', api);
    api.schedules[0] = { ...schedule, name: 'Renamed elsewhere', version: 2 };
    fill(box(dialog, 'Name'), 'Mine');
    await save(user, dialog);
    const alert = await within(dialog).findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect((box(dialog, 'Name') as HTMLInputElement).value).toBe('Renamed elsewhere'));
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });
});

describe('Errors beside their field, nested paths included; the first one gets the focus', () => {
  it('a bad header name (schema, before sending) lands beside its row, which gets the focus', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Hook');
    await user.click(within(dialog).getByRole('tab', { name: 'HTTP' }));
    fill(box(dialog, 'URL'), 'https://example.com');
    await addHeaders(user, dialog, [
      ['Accept', 'text/plain'],
      ['X-Ok', '1'],
      ['bad name', 'x'],
    ]);
    await save(user, dialog);
    await waitFor(() => expect(errorAt(dialog, 'action.headers.2')).toBe('Invalid header name'));
    expect(errorAt(dialog, 'action.headers.0')).toBeNull();
    expect(document.activeElement).toBe(box(dialog, 'Header 3'));
    expect(api.callsTo('schedules.create')).toHaveLength(0);
  });

  it("the API's VALIDATION issues land beside the same fields (policy.then.onSuccess.1, a chain loop), and what was typed stays", async () => {
    const api = new FakeApi();
    api.schedules.push(makeSchedule({ name: 'Parent' }), makeSchedule({ name: 'Child' }));
    api.handlers['schedules.create'] = () => ({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'policy.then.onSuccess.1: No schedule with id x',
        issues: [
          { path: 'policy.then.onSuccess.1', message: 'No schedule with id sch-x' },
          { path: 'policy.then.onFailure', message: 'This chain would loop: "A" → "B" → "A"' },
        ],
      },
    });
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Typed name');
    fill(box(dialog, 'Command'), 'echo typed');
    await user.click(within(dialog).getAllByRole('button', { name: '+ Add a schedule' })[0]!);
    await user.click(within(dialog).getAllByRole('button', { name: '+ Add a schedule' })[0]!);
    await save(user, dialog);

    await waitFor(() => expect(errorAt(dialog, 'policy.then.onSuccess.1')).toBe('No schedule with id sch-x'));
    expect(fieldAt(dialog, 'policy.then.onFailure').textContent).toContain(
      'This chain would loop: "A" → "B" → "A"',
    );
    expect(errorAt(dialog, 'policy.then.onSuccess.0')).toBeNull();
    expect(fieldAt(dialog, 'policy.then.onSuccess.1').contains(document.activeElement)).toBe(true);
    expect((box(dialog, 'Name') as HTMLInputElement).value).toBe('Typed name');
    expect((box(dialog, 'Command') as HTMLInputElement).value).toBe('echo typed');
  });

  it('empty name and command are flagged from the same schema main uses, the name focused', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    await save(user, dialog);
    await waitFor(() => expect(errorAt(dialog, 'name')).toBe('Name must not be empty'));
    expect(errorAt(dialog, 'action.command')).toBe('Command must not be empty');
    expect(document.activeElement).toBe(box(dialog, 'Name'));
    expect(api.callsTo('schedules.create')).toHaveLength(0);
  });
});

describe('Rules: every policy field reaches the contract input', () => {
  it('timeout, retries, overlap, catch-up, grace, priority, notify, pause, chains and group', async () => {
    const api = new FakeApi();
    const parent = makeSchedule({ name: 'Fetch', group: 'Reports' });
    const other = makeSchedule({ name: 'Alert' });
    api.schedules.push(parent, other);
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Publish');
    fill(box(dialog, 'Command'), 'publish.sh');
    fillNumber(box(dialog, 'Timeout'), '600');
    fillNumber(box(dialog, 'Grace'), '30');
    fillNumber(box(dialog, 'Attempts'), '3');
    fillNumber(box(dialog, 'Retry backoff'), '10');
    fillNumber(box(dialog, 'Longest backoff'), '120');
    fillNumber(box(dialog, 'Priority'), '8');
    fillNumber(box(dialog, 'Pause after failures'), '4');
    await user.click(within(dialog).getByRole('radio', { name: /^Queue one/ }));
    await user.click(within(dialog).getByRole('radio', { name: /^All/ }));
    fillNumber(box(dialog, 'Catch-up limit'), '5');
    fillNumber(box(dialog, 'Catch-up window'), '3600');
    await user.click(within(dialog).getByRole('radio', { name: 'Always' }));
    const [onSuccessAdd, onFailureAdd] = within(dialog).getAllByRole('button', { name: '+ Add a schedule' });
    await user.click(onSuccessAdd!);
    await user.click(onFailureAdd!);
    await choose(user, dialog, 'When it fails, start 1', 'Alert');
    fill(within(dialog).getByRole('combobox', { name: 'Group' }), 'Reports');
    await save(user, dialog);

    await waitFor(() => expect(api.callsTo('schedules.create')).toHaveLength(1));
    const input = api.callsTo('schedules.create')[0] as ScheduleInput;
    expect(input.group).toBe('Reports');
    expect(input.policy).toEqual({
      timeoutSeconds: 600,
      graceSeconds: 30,
      retries: { maxAttempts: 3, backoffSeconds: 10, maxBackoffSeconds: 120 },
      priority: 8,
      pauseAfterFailures: 4,
      overlap: 'bufferOne',
      catchUp: 'all',
      catchUpLimit: 5,
      catchUpWindowSeconds: 3600,
      notify: 'always',
      then: { onSuccess: [parent.id], onFailure: [other.id] },
    });
  });

  it('duplicate opens "… (copy)", off until saved, and creates a new schedule', async () => {
    const api = new FakeApi();
    const source = makeSchedule({ name: 'Nightly', group: 'Ops' });
    const { user, dialog } = await openEdit(source, 'Duplicate', api);
    expect((box(dialog, 'Name') as HTMLInputElement).value).toBe('Nightly (copy)');
    expect((within(dialog).getByRole('switch', { name: 'Enabled' }) as HTMLInputElement).checked).toBe(false);
    await save(user, dialog);
    await waitFor(() => expect(api.callsTo('schedules.create')).toHaveLength(1));
    const input = api.callsTo('schedules.create')[0] as ScheduleInput;
    expect(input).toMatchObject({
      name: 'Nightly (copy)',
      enabled: false,
      group: 'Ops',
      trigger: source.trigger,
    });
    expect(api.callsTo('schedules.update')).toHaveLength(0);
  });
});
