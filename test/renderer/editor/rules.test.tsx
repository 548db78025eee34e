import { waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ScheduleInput } from '../../../src/shared/domain';
import { FakeApi, makeSchedule } from '../fakeApi';
import { choose, fill, fillNumber, openNew, save } from './helpers';

// The whole app and editor in jsdom, many fields per test, on a shared 2-core machine.
vi.setConfig({ testTimeout: 45_000 });

const box = (dialog: HTMLElement, name: string) => within(dialog).getByRole('textbox', { name });

async function created(api: FakeApi): Promise<ScheduleInput> {
  await waitFor(() => expect(api.callsTo('schedules.create')).toHaveLength(1));
  return api.callsTo('schedules.create')[0] as ScheduleInput;
}

describe('Rules: every policy field reaches the contract input', () => {
  it('timeout, grace, retries (attempts, backoff, longest), priority, pause after failures, catch-up limit and window', async () => {
    const api = new FakeApi();
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
    fillNumber(box(dialog, 'Catch-up limit'), '5');
    fillNumber(box(dialog, 'Catch-up window'), '3600');
    await save(user, dialog);
    expect((await created(api)).policy).toEqual({
      timeoutSeconds: 600,
      graceSeconds: 30,
      retries: { maxAttempts: 3, backoffSeconds: 10, maxBackoffSeconds: 120 },
      priority: 8,
      pauseAfterFailures: 4,
      overlap: 'skip',
      catchUp: 'latest',
      catchUpLimit: 5,
      catchUpWindowSeconds: 3600,
      notify: 'failure',
      then: { onSuccess: [], onFailure: [] },
      whenBusy: 'run',
      conditions: {},
    });
  });

  it('when busy and run conditions reach the contract input', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Heavy backup');
    fill(box(dialog, 'Command'), 'backup.sh');
    const busy = within(dialog).getByRole('radiogroup', { name: 'During busy calendar time' });
    await user.click(within(busy).getByRole('radio', { name: /^Skip/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /On AC power/ }));
    await save(user, dialog);
    expect((await created(api)).policy).toMatchObject({ whenBusy: 'skip', conditions: { onACPower: true } });
  });

  it('overlap, catch-up and notify choices, chains on success and on failure, group and notes', async () => {
    const api = new FakeApi();
    const parent = makeSchedule({ name: 'Fetch', group: 'Reports' });
    const other = makeSchedule({ name: 'Alert' });
    api.schedules.push(parent, other);
    const { user, dialog } = await openNew(api);
    fill(box(dialog, 'Name'), 'Publish');
    fill(box(dialog, 'Command'), 'publish.sh');
    await user.click(within(dialog).getByRole('radio', { name: /^Queue one/ }));
    await user.click(within(dialog).getByRole('radio', { name: /^All/ }));
    await user.click(within(dialog).getByRole('radio', { name: 'Always' }));
    const [onSuccessAdd, onFailureAdd] = within(dialog).getAllByRole('button', { name: '+ Add a schedule' });
    await user.click(onSuccessAdd!);
    await user.click(onFailureAdd!);
    await choose(user, dialog, 'When it fails, start 1', 'Alert');
    fill(within(dialog).getByRole('combobox', { name: 'Group' }), 'Reports');
    fill(box(dialog, 'Notes'), 'Runs after Fetch');
    await save(user, dialog);

    const input = await created(api);
    expect(input.group).toBe('Reports');
    expect(input.notes).toBe('Runs after Fetch');
    expect(input.enabled).toBe(true);
    expect(input.policy).toMatchObject({
      overlap: 'bufferOne',
      catchUp: 'all',
      notify: 'always',
      then: { onSuccess: [parent.id], onFailure: [other.id] },
    });
  });

  it('each overlap policy has its one-line explanation', async () => {
    const { dialog } = await openNew();
    const group = within(dialog).getByRole('radiogroup', { name: 'When the last run is still going' });
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((r) => (r as HTMLInputElement).value)).toEqual([
      'skip',
      'bufferOne',
      'bufferAll',
      'cancelOther',
      'allowAll',
    ]);
    for (const radio of radios)
      expect(radio.closest('label')?.querySelector('.ui-option-description')?.textContent).toMatch(
        /\w+ .+\./,
      );
  });
});
