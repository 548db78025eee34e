import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Action, Run, Schedule } from '../../src/shared/domain';
import type * as ActionKindModule from '../../src/renderer/src/places/schedules/ActionKind';
import { FakeApi, makeRun, makeSchedule } from './fakeApi';
import { renderApp } from './render';

// Counts renders of each row's action cell (rendered once per row render), by the action's command.
const rendered = vi.hoisted(() => ({ actions: [] as string[] }));
vi.mock('../../src/renderer/src/places/schedules/ActionKind', async (importOriginal) => {
  const original = await importOriginal<typeof ActionKindModule>();
  return {
    ActionKind: (props: { action: Action }) => {
      rendered.actions.push(props.action.type === 'command' ? props.action.command : props.action.type);
      return original.ActionKind(props);
    },
  };
});

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

const shownNames = () =>
  screen.getAllByTestId('schedule-row').map((row) => row.querySelector('.schedule-link')!.textContent);

const command = (cmd: string): Action => ({ type: 'command', command: cmd, shell: true });
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

async function choose(label: string, option: string) {
  const select = await screen.findByTestId(
    label === 'Group' ? 'group-filter' : 'state-filter',
    {},
    { timeout: 10_000 },
  );
  fireEvent.click(within(select).getByRole('button'));
  const listbox = await screen.findByRole('listbox');
  fireEvent.click(within(listbox).getByRole('option', { name: option }));
  await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
}

function listFixture(): Schedule[] {
  return [
    makeSchedule({ name: 'zeta backup', group: 'home', nextFireAt: inMinutes(30), action: command('a') }),
    makeSchedule({ name: 'Alpha sync', group: 'work', nextFireAt: inMinutes(5), action: command('b') }),
    makeSchedule({
      name: 'mail check',
      group: 'work',
      nextFireAt: inMinutes(1),
      lastStatus: 'failed',
      action: { type: 'http', method: 'GET', url: 'https://example.test/' } as Action,
    }),
    makeSchedule({
      name: 'Beta paused',
      group: null,
      enabled: false,
      state: 'paused',
      nextFireAt: null,
      action: { type: 'reminder', title: 'Stretch', body: '' },
    }),
    makeSchedule({
      name: 'Gamma watch',
      group: 'home',
      nextFireAt: inMinutes(12),
      lastStatus: 'timed-out',
      action: {
        type: 'watch',
        probe: { type: 'http', method: 'GET', url: 'https://example.test/health' },
      } as Action,
    }),
  ];
}

describe('The list: filter by group and state, sort by next run or name', () => {
  it('sorts by next run by default (nothing planned last), and by name on request', async () => {
    const api = new FakeApi();
    api.schedules = listFixture();
    await renderApp(api);
    const byNext = [...api.schedules]
      .filter((s) => s.nextFireAt !== null)
      .sort((a, b) => Date.parse(a.nextFireAt!) - Date.parse(b.nextFireAt!))
      .map((s) => s.name);
    expect(shownNames()).toEqual([...byNext, 'Beta paused']);

    fireEvent.click(await screen.findByRole('radio', { name: 'Name' }, { timeout: 10_000 }));
    await waitFor(() =>
      expect(shownNames()).toEqual(['Alpha sync', 'Beta paused', 'Gamma watch', 'mail check', 'zeta backup']),
    );
  });

  it('filters by group and by state; "failing" is a last run that failed or timed out; the count says so', async () => {
    const api = new FakeApi();
    api.schedules = listFixture();
    await renderApp(api);

    await choose('Group', 'work');
    expect(shownNames().sort()).toEqual(
      api.schedules
        .filter((s) => s.group === 'work')
        .map((s) => s.name)
        .sort(),
    );
    expect(screen.getByTestId('schedule-count').textContent).toBe('2 of 5');

    await choose('State', 'Failing');
    expect(shownNames()).toEqual(['mail check']);

    await choose('Group', 'All groups');
    expect(shownNames().sort()).toEqual(['Gamma watch', 'mail check']);

    await choose('State', 'Paused');
    expect(shownNames()).toEqual(['Beta paused']);

    await choose('Group', 'No group');
    expect(shownNames()).toEqual(['Beta paused']);
    await choose('Group', 'home');
    expect(screen.getByText('No schedule matches these filters.')).toBeTruthy();
  });

  it('the filters survive leaving the place and coming back', async () => {
    const api = new FakeApi();
    api.schedules = listFixture();
    await renderApp(api);
    await choose('Group', 'home');
    fireEvent.click(await screen.findByRole('radio', { name: 'Name' }, { timeout: 10_000 }));
    await waitFor(() => expect(shownNames()).toEqual(['Gamma watch', 'zeta backup']));

    fireEvent.click(screen.getByRole('button', { name: /History/ }));
    await waitFor(() => expect(screen.queryAllByTestId('schedule-row')).toHaveLength(0));
    fireEvent.click(screen.getByRole('button', { name: /Schedules/ }));
    await waitFor(() => expect(shownNames()).toEqual(['Gamma watch', 'zeta backup']));
    expect(
      within(await screen.findByTestId('group-filter', {}, { timeout: 10_000 })).getByRole('button')
        .textContent,
    ).toContain('home');
    expect(screen.getByRole('radio', { name: 'Name' }).getAttribute('aria-checked')).toBe('true');
  });

  it("shows each action's kind, and a name opens the schedule's page", async () => {
    const api = new FakeApi();
    api.schedules = listFixture();
    await renderApp(api);
    const kindOf = (name: string) => within(rowOf(name)).getByTestId('action-kind');
    expect(kindOf('zeta backup').textContent).toBe('Command');
    expect(kindOf('mail check').textContent).toBe('HTTP');
    expect(kindOf('Beta paused').textContent).toBe('Reminder');
    expect(kindOf('Gamma watch').textContent).toBe('Watch');
    expect(screen.getByRole('columnheader', { name: 'What' })).toBeTruthy();

    const target = api.schedules[1]!;
    fireEvent.click(screen.getByRole('link', { name: target.name }));
    await waitFor(() => expect(window.location.hash).toBe(`#/schedules/${target.id}`));
  });
});

describe('One event, one row', () => {
  it('a run.changed re-renders only its own row, and a finished run of an idle schedule none', async () => {
    const api = new FakeApi();
    api.schedules = Array.from({ length: 20 }, (_, i) =>
      makeSchedule({ name: `job ${i}`, action: command(`cmd-${i}`) }),
    );
    await renderApp(api);
    // the first rows come at once, the rest in a transition just after: wait for all of them
    await waitFor(() => expect(screen.getAllByTestId('schedule-row')).toHaveLength(20));
    const target = api.schedules[7]!;
    rendered.actions.length = 0;

    const run = makeRun({ scheduleId: target.id, status: 'running', finishedAt: null, durationMs: null });
    act(() => api.emit('run.changed', run));
    await waitFor(() => expect(within(rowOf('job 7')).getByText('running')).toBeTruthy());
    act(() =>
      api.emit('schedule.changed', {
        id: target.id,
        schedule: { ...target, version: 2, totalRuns: 1, lastStatus: 'succeeded' },
      }),
    );
    act(() => api.emit('run.changed', { ...run, status: 'succeeded', durationMs: 5 }));
    await waitFor(() => expect(within(rowOf('job 7')).getByText('succeeded')).toBeTruthy());
    expect(rendered.actions.length).toBeGreaterThan(0);
    expect(new Set(rendered.actions)).toEqual(new Set(['cmd-7']));

    rendered.actions.length = 0;
    act(() => api.emit('run.changed', makeRun({ scheduleId: api.schedules[3]!.id, status: 'succeeded' })));
    await waitFor(() => expect(screen.getAllByTestId('run-row').length).toBeGreaterThan(1));
    expect(rendered.actions).toEqual([]);
  });
});

describe('Run now says what happened', () => {
  it('a reminder that finished in 2 ms is "sent", never "Started … (running)"', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({
      name: 'Stretch',
      action: { type: 'reminder', title: 'Stretch', body: '' },
    });
    api.schedules = [schedule];
    const done = makeRun({ scheduleId: schedule.id, trigger: 'manual', status: 'succeeded', durationMs: 2 });
    api.handlers['schedules.runNow'] = () => ({ ok: true, value: done });
    await renderApp(api);

    fireEvent.click(within(rowOf('Stretch')).getByRole('button', { name: 'Run now' }));
    expect(await screen.findByText('Reminder “Stretch” sent.')).toBeTruthy();
    expect(screen.queryByText(/running/)).toBeNull();
  });

  it('the toast follows the run: queued, running, then failed with its exit code', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Build' });
    api.schedules = [schedule];
    await renderApp(api);

    fireEvent.click(within(rowOf('Build')).getByRole('button', { name: 'Run now' }));
    expect(await screen.findByText('Queued “Build”; it starts when a slot is free.')).toBeTruthy();
    const run = api.runs[0]!;
    act(() => api.emit('run.changed', { ...run, status: 'running' }));
    expect(await screen.findByText('Started “Build”; it is running.')).toBeTruthy();
    act(() => api.emit('run.changed', { ...run, status: 'failed', exitCode: 3, durationMs: 1500 }));
    expect(await screen.findByText('“Build” failed in 1.50 s (exit code 3).')).toBeTruthy();
    expect(screen.queryByText(/it is running/)).toBeNull();
  });

  it('an event that beat the answer wins: a run already succeeded is not shown as queued', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Quick' });
    api.schedules = [schedule];
    const queued = makeRun({
      scheduleId: schedule.id,
      trigger: 'manual',
      status: 'queued',
      durationMs: null,
    });
    api.handlers['schedules.runNow'] = () => {
      api.emit('run.changed', { ...queued, status: 'succeeded', durationMs: 4 });
      return { ok: true, value: queued };
    };
    await renderApp(api);
    fireEvent.click(within(rowOf('Quick')).getByRole('button', { name: 'Run now' }));
    expect(await screen.findByText('“Quick” succeeded in 4 ms.')).toBeTruthy();
    expect(screen.queryByText(/Queued/)).toBeNull();
  });
});

describe('Keyboard and focus', () => {
  it('"Skip to content" is the first Tab stop and moves focus to the place', async () => {
    await renderApp(new FakeApi());
    const first = document.querySelector<HTMLElement>(
      'a[href], button, input, select, textarea, [tabindex="0"]',
    );
    expect(first?.textContent).toBe('Skip to content');
    fireEvent.click(first!);
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Schedules' }));
  });

  it('Escape cancels the delete confirm, the table keeps its layout, and focus returns to Delete', async () => {
    const api = new FakeApi();
    api.schedules = [makeSchedule({ name: 'Backup' }), makeSchedule({ name: 'Sync' })];
    await renderApp(api);
    const table = screen.getByRole('table');
    const before = table.innerHTML;
    const trash = within(rowOf('Backup')).getByRole('button', { name: 'Delete' });
    trash.focus();
    fireEvent.click(trash);
    const dialog = await screen.findByRole('alertdialog', {}, { timeout: 10_000 });
    // the confirm floats outside the table: nothing in the table changed (no column jump)
    expect(table.contains(dialog)).toBe(false);
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));

    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(trash));
    expect(api.callsTo('schedules.delete')).toHaveLength(0);
    // the same table, cell for cell (relative times may have ticked meanwhile)
    const shape = (html: string) =>
      html.replace(/ data-[a-z-]+="[^"]*"/g, '').replace(/<time[^>]*>.*?<\/time>/g, '');
    expect(shape(table.innerHTML)).toBe(shape(before));
  });

  it('after a confirmed delete, focus goes to the next row rather than the page', async () => {
    const api = new FakeApi();
    api.schedules = [
      makeSchedule({ name: 'Backup', nextFireAt: inMinutes(1) }),
      makeSchedule({ name: 'Sync', nextFireAt: inMinutes(2) }),
    ];
    await renderApp(api);
    fireEvent.click(within(rowOf('Backup')).getByRole('button', { name: 'Delete' }));
    fireEvent.click(
      within(await screen.findByRole('alertdialog', {}, { timeout: 10_000 })).getByRole('button', {
        name: 'Delete',
      }),
    );
    await waitFor(() => expect(screen.getAllByTestId('schedule-row')).toHaveLength(1));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Sync' })));
  });

  it("focus returns to the run's row after its drawer closes (Escape or Close)", async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Backup' });
    api.schedules = [schedule];
    api.runs = [makeRun({ scheduleId: schedule.id }), makeRun({ scheduleId: schedule.id })];
    await renderApp(api);
    const [first, second] = screen.getAllByTestId('run-row');
    first!.focus();
    fireEvent.click(first!);
    const drawer = await screen.findByTestId('run-detail');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(drawer).getByRole('button', { name: 'Close' })),
    );
    fireEvent.keyDown(document, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('run-detail')).toBeNull());
    expect(document.activeElement).toBe(first);

    second!.focus();
    fireEvent.click(second!);
    fireEvent.click(within(await screen.findByTestId('run-detail')).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByTestId('run-detail')).toBeNull());
    expect(document.activeElement).toBe(second);
  });
});

describe('Cancel a running run', () => {
  function cancelling(api: FakeApi) {
    api.handlers['runs.cancel'] = ({ id }) => {
      const run = api.runs.find((r) => r.id === id)!;
      const cancelled: Run = {
        ...run,
        status: 'cancelled',
        finishedAt: new Date().toISOString(),
        durationMs: 900,
      };
      api.runs = api.runs.map((r) => (r.id === id ? cancelled : r));
      return { ok: true, value: cancelled };
    };
  }

  it('from its row: runs.cancel with the running run, and the row then shows what runs.list says', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Long job' });
    const idle = makeSchedule({ name: 'Idle job' });
    api.schedules = [schedule, idle];
    const running = makeRun({
      scheduleId: schedule.id,
      status: 'running',
      finishedAt: null,
      durationMs: null,
    });
    api.runs = [running];
    cancelling(api);
    await renderApp(api);

    expect(within(rowOf('Idle job')).queryByTestId('row-cancel')).toBeNull();
    expect(within(rowOf('Long job')).queryByRole('button', { name: 'Run now' })).toBeNull();
    const cancel = within(rowOf('Long job')).getByRole('button', {
      name: 'Cancel the running run of Long job',
    });
    expect(within(rowOf('Long job')).getByText('running')).toBeTruthy();
    fireEvent.click(cancel);
    await waitFor(() => expect(api.callsTo('runs.cancel')).toEqual([{ id: running.id }]));
    const listed = await api.invoke('runs.list', {});
    const status = listed.ok ? listed.value.items[0]!.status : null;
    expect(status).toBe('cancelled');
    await waitFor(() =>
      expect(screen.getAllByTestId('run-row')[0]!.getAttribute('data-status')).toBe(status),
    );
    await waitFor(() => expect(within(rowOf('Long job')).queryByText('running')).toBeNull());
    expect(within(rowOf('Long job')).getByRole('button', { name: 'Run now' })).toBeTruthy();
  });

  it("from its drawer: Cancel run calls runs.cancel and the drawer shows the run's new status", async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Long job' });
    api.schedules = [schedule];
    const running = makeRun({
      scheduleId: schedule.id,
      status: 'running',
      finishedAt: null,
      durationMs: null,
    });
    api.runs = [running];
    cancelling(api);
    await renderApp(api);

    fireEvent.click(screen.getByTestId('run-row'));
    const drawer = await screen.findByTestId('run-detail');
    fireEvent.click(within(drawer).getByRole('button', { name: 'Cancel run' }));
    await waitFor(() => expect(api.callsTo('runs.cancel')).toEqual([{ id: running.id }]));
    await waitFor(() => expect(within(drawer).getByText('cancelled')).toBeTruthy());
    expect(within(drawer).queryByRole('button', { name: 'Cancel run' })).toBeNull();
  });
});
