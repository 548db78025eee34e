import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { deferred, FakeApi, makeSchedule } from './fakeApi';
import { renderApp } from './render';

function fill(values: Partial<Record<'name' | 'cron' | 'zone' | 'command', string>>) {
  if (values.name !== undefined)
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: values.name } });
  if (values.cron !== undefined) {
    fireEvent.change(screen.getByLabelText('Cron expression'), { target: { value: values.cron } });
  }
  if (values.zone !== undefined)
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: values.zone } });
  if (values.command !== undefined) {
    fireEvent.change(screen.getByLabelText('Command'), { target: { value: values.command } });
  }
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Create schedule' }));

/** The error element a field points at through aria-describedby. */
function errorOf(label: string): HTMLElement | null {
  const input = screen.getByLabelText(label);
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const errorId = ids.find((id) => id.endsWith('-error'));
  return errorId ? document.getElementById(errorId) : null;
}

describe('New schedule form: errors appear beside the field, from the same schema main uses', () => {
  it('flags an empty name and an empty command beside their fields and sends nothing', async () => {
    const { api } = await renderApp();
    fill({ cron: '*/5 * * * *' });
    submit();

    expect(errorOf('Name')?.textContent).toBe('Name must not be empty');
    expect(errorOf('Name')?.id).toBe('name-error');
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(errorOf('Command')?.textContent).toBe('Command must not be empty');
    expect(errorOf('Cron expression')).toBeNull();
    expect(errorOf('Time zone')).toBeNull();
    expect(api.callsTo('schedules.create')).toHaveLength(0);
  });

  it('flags an invalid cron expression beside the cron field and sends nothing', async () => {
    const { api } = await renderApp();
    fill({ name: 'Backup', cron: '61 * * * *', command: 'echo hi' });
    submit();

    expect(errorOf('Cron expression')?.id).toBe('expression-error');
    expect(errorOf('Cron expression')?.textContent).toBe('Minute must be 0–59; you wrote 61');
    expect(errorOf('Name')).toBeNull();
    expect(api.callsTo('schedules.create')).toHaveLength(0);
  });

  it('flags a cron expression with the wrong number of fields', async () => {
    const { api } = await renderApp();
    fill({ name: 'Backup', cron: '* * *', command: 'echo hi' });
    submit();

    expect(errorOf('Cron expression')?.textContent).toBe(
      'A cron expression has 5 fields (or 6 with seconds first); this one has 3',
    );
    expect(api.callsTo('schedules.create')).toHaveLength(0);
  });

  it('flags an unknown time zone beside the zone field and sends nothing', async () => {
    const { api } = await renderApp();
    fill({ name: 'Backup', cron: '0 2 * * *', zone: 'Mars/Olympus_Mons', command: 'echo hi' });
    submit();

    expect(errorOf('Time zone')?.id).toBe('timezone-error');
    expect(errorOf('Time zone')?.textContent).toBe('Unknown time zone');
    expect(api.callsTo('schedules.create')).toHaveLength(0);
  });

  it('clears a field’s error once the field is edited', async () => {
    await renderApp();
    submit();
    expect(errorOf('Name')).not.toBeNull();
    fill({ name: 'Fixed' });
    expect(errorOf('Name')).toBeNull();
    expect(document.getElementById('name-error')).toBeNull();
  });

  it('sends the contract payload, shows pending, and the new schedule appears in the list', async () => {
    const api = new FakeApi();
    const answer = deferred<Result<Schedule>>();
    api.handlers['schedules.create'] = () => answer.promise;
    await renderApp(api);
    fill({ name: 'Tick', cron: '* * * * * *', zone: 'Europe/Berlin', command: 'echo hello-from-almanac' });
    submit();

    const pendingButton = await screen.findByRole('button', { name: 'Creating…' });
    expect(pendingButton).toHaveProperty('disabled', true);
    expect(api.callsTo('schedules.create')).toEqual([
      {
        name: 'Tick',
        trigger: { type: 'cron', expression: '* * * * * *', timezone: 'Europe/Berlin' },
        action: { type: 'command', command: 'echo hello-from-almanac', shell: true },
      },
    ]);
    expect(screen.queryAllByTestId('schedule-row')).toHaveLength(0);

    const schedule = makeSchedule({
      id: 'tick-1',
      name: 'Tick',
      trigger: { type: 'cron', expression: '* * * * * *', timezone: 'Europe/Berlin' },
    });
    await act(async () => answer.resolve({ ok: true, value: schedule }));

    const row = await screen.findByTestId('schedule-row');
    expect(within(row).getByText('Tick')).toBeTruthy();
    expect(within(row).getByText('* * * * * *')).toBeTruthy();
    expect(within(row).getByText('Europe/Berlin')).toBeTruthy();
    expect(within(row).getByText('active')).toBeTruthy();
    expect(screen.getByText('Created “Tick”.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create schedule' })).toHaveProperty('disabled', false);
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('');
  });

  it('shows the server’s VALIDATION issues beside their fields', async () => {
    const api = new FakeApi();
    api.handlers['schedules.create'] = () => ({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'trigger.expression: never fires',
        issues: [
          { path: 'trigger.expression', message: 'This pattern never fires' },
          { path: 'action.command', message: 'Command is not allowed' },
        ],
      },
    });
    await renderApp(api);
    fill({ name: 'Never', cron: '0 0 30 2 *', command: 'echo never' });
    submit();

    await waitFor(() => expect(errorOf('Cron expression')?.textContent).toBe('This pattern never fires'));
    expect(errorOf('Command')?.textContent).toBe('Command is not allowed');
    expect(errorOf('Name')).toBeNull();
    expect(screen.queryAllByTestId('schedule-row')).toHaveLength(0);
    expect(api.callsTo('schedules.create')).toHaveLength(1);
  });

  it('reports a failure that is not about a field in the status line', async () => {
    const api = new FakeApi();
    api.handlers['schedules.create'] = () => ({
      ok: false,
      error: { code: 'INTERNAL', message: 'disk full' },
    });
    await renderApp(api);
    fill({ name: 'Backup', cron: '0 2 * * *', command: 'restic backup' });
    submit();
    expect(await screen.findByText('Could not create the schedule: disk full')).toBeTruthy();
  });
});

describe('Cron hint: the pattern in words and the next runs from schedules.preview', () => {
  it('describes a 6-field (seconds) pattern and lists the next 3 runs from the planner', async () => {
    const { api } = await renderApp();
    fill({ cron: '*/10 * * * * *', zone: 'UTC' });

    expect(screen.getByText('Every 10 seconds')).toBeTruthy();
    const list = await screen.findByRole('list', { name: 'Next runs' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(api.callsTo('schedules.preview').at(-1)).toEqual({
      trigger: { type: 'cron', expression: '*/10 * * * * *', timezone: 'UTC' },
      count: 3,
    });
  });

  it('does not ask for a preview while the pattern is invalid', async () => {
    const { api } = await renderApp();
    fill({ cron: '99 * * * *' });
    expect(screen.getByText('Not a complete cron expression yet.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(api.callsTo('schedules.preview')).toHaveLength(0);
    expect(screen.queryByRole('list', { name: 'Next runs' })).toBeNull();
  });
});
