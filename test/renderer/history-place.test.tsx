/**
 * The History place of issue 14: filters (and their refusals beside the field), the scroll and
 * filters kept across places, attempts grouped under their occurrence, ANSI output that never
 * becomes markup, the catch-up notice and its link, and a schedule's own page.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatchUpSummary, MethodInput, RunStats } from '../../src/shared/api';
import type { Run } from '../../src/shared/domain';
import { ansiToHtml, plainOutput } from '../../src/renderer/src/places/history/RunOutput';
import { catchUpText } from '../../src/renderer/src/shell/CatchUpNotice';
import { formatInstant, viewerZone } from '../../src/renderer/src/lib/time';
import { FakeApi, makeRun, makeSchedule } from './fakeApi';
import { renderApp } from './render';

// The places load lazily: transform their chunks once, before any test's clock starts.
beforeAll(async () => {
  await Promise.all([
    import('../../src/renderer/src/places/history/HistoryPlace'),
    import('../../src/renderer/src/places/schedule/SchedulePage'),
  ]);
}, 120_000);

async function openHistory(api: FakeApi) {
  await renderApp(api);
  fireEvent.click(screen.getByRole('button', { name: 'History' }));
  await screen.findByRole('heading', { name: 'History', level: 1 });
  await waitFor(() => expect(api.callsTo('runs.list').length).toBeGreaterThan(0));
}

const listCalls = (api: FakeApi) => api.callsTo('runs.list') as NonNullable<MethodInput<'runs.list'>>[];
const lastList = (api: FakeApi) => listCalls(api).at(-1)!;
const rowIds = () => screen.queryAllByTestId('run-row').map((row) => row.getAttribute('data-id'));

/** Opens a react-aria picker by its label and clicks the options named. */
async function pick(label: string, ...options: string[]) {
  const group = screen.getByTestId(`filter-${label}`);
  fireEvent.click(within(group).getAllByRole('button')[0]!);
  const list = await screen.findByRole('listbox');
  for (const option of options) fireEvent.click(within(list).getByRole('option', { name: option }));
  // a multiple select stays open: close it
  if (screen.queryByRole('listbox')) fireEvent.keyDown(screen.getByRole('listbox'), { key: 'Escape' });
}

function world() {
  const api = new FakeApi();
  const backup = makeSchedule({ name: 'Backup' });
  const report = makeSchedule({ name: 'Report' });
  api.schedules = [backup, report];
  api.runs = [
    makeRun({ scheduleId: backup.id, status: 'failed', exitCode: 1 }),
    makeRun({ scheduleId: report.id, status: 'succeeded', trigger: 'manual' }),
    makeRun({ scheduleId: backup.id, status: 'skipped', trigger: 'catch-up', exitCode: null }),
    makeRun({ scheduleId: report.id, status: 'timed-out' }),
  ].reverse();
  return { api, backup, report };
}

describe('History filters', { timeout: 60_000 }, () => {
  it('status (several), trigger and schedule narrow runs.list, and the rows are its answer', async () => {
    const { api, backup } = world();
    await openHistory(api);
    expect(rowIds()).toHaveLength(4);

    await pick('status', 'Failed', 'Timed out');
    await waitFor(() => expect(lastList(api)).toEqual({ status: ['failed', 'timed-out'], limit: 50 }));
    await waitFor(() =>
      expect(rowIds()).toEqual(
        api.runs.filter((run) => ['failed', 'timed-out'].includes(run.status)).map((run) => run.id),
      ),
    );

    await pick('trigger', 'On schedule');
    await waitFor(() =>
      expect(lastList(api)).toEqual({ status: ['failed', 'timed-out'], trigger: ['schedule'], limit: 50 }),
    );

    const combo = within(screen.getByTestId('filter-schedule')).getByRole('combobox');
    act(() => combo.focus());
    fireEvent.change(combo, { target: { value: 'Back' } });
    const list = await screen.findByRole('listbox');
    expect(within(list).queryByRole('option', { name: 'Report' })).toBeNull();
    fireEvent.click(within(list).getByRole('option', { name: 'Backup' }));
    await waitFor(() => expect(lastList(api).scheduleId).toBe(backup.id));
    await waitFor(() =>
      expect(rowIds()).toEqual(
        api.runs
          .filter(
            (run) => run.scheduleId === backup.id && run.status === 'failed' && run.trigger === 'schedule',
          )
          .map((run) => run.id),
      ),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(lastList(api)).toEqual({ limit: 50 }));
    await waitFor(() => expect(rowIds()).toHaveLength(4));
  });

  it('last hour asks from an hour ago; a custom range is read in the viewer’s zone', async () => {
    const { api } = world();
    await openHistory(api);
    const before = Date.now();
    await pick('range', 'Last hour');
    await waitFor(() => expect(lastList(api).from).toBeDefined());
    const from = Date.parse(lastList(api).from!);
    expect(from).toBeGreaterThanOrEqual(before - 3_600_000 - 5);
    expect(from).toBeLessThanOrEqual(Date.now() - 3_600_000 + 5);
    expect(lastList(api).to).toBeUndefined();

    await pick('range', 'Custom…');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-05T08:00:00' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-05T10:30:00' } });
    await waitFor(() =>
      expect(lastList(api)).toMatchObject({
        from: DateTime.fromISO('2026-01-05T08:00:00').toUTC().toISO(),
        to: DateTime.fromISO('2026-01-05T10:30:00').toUTC().toISO(),
      }),
    );
  });

  it('a VALIDATION refusal shows beside the field it names, and the last good page stays', async () => {
    const { api } = world();
    await openHistory(api);
    const shown = rowIds();
    expect(shown).toHaveLength(4);
    api.handlers['runs.list'] = (input) =>
      input?.from && input.to && Date.parse(input.to) <= Date.parse(input.from)
        ? {
            ok: false,
            error: {
              code: 'VALIDATION',
              message: 'to: to must be after from',
              issues: [{ path: 'to', message: 'to must be after from' }],
            },
          }
        : { ok: true, value: { items: api.runs, nextCursor: null } };
    await pick('range', 'Custom…');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-05T10:00:00' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-05T09:00:00' } });

    const error = await screen.findByText('to must be after from');
    expect(error.id).toBe('range-to-error');
    expect(screen.getByLabelText('To').getAttribute('aria-describedby')).toBe('range-to-error');
    expect(screen.getByLabelText('To').getAttribute('aria-invalid')).toBe('true');
    expect(rowIds()).toEqual(shown);

    // Put right, the error goes and the list follows the filter again.
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-05T11:00:00' } });
    await waitFor(() => expect(screen.queryByText('to must be after from')).toBeNull());
  });

  it('an unknown schedule in the filter is named beside the schedule picker', async () => {
    const { api } = world();
    // listed when the page loaded, deleted (with no runs) before it was picked
    const gone = makeSchedule({ name: 'Gone' });
    api.schedules = [...api.schedules, gone];
    api.handlers['runs.list'] = (input) =>
      input?.scheduleId === gone.id
        ? {
            ok: false,
            error: {
              code: 'VALIDATION',
              message: 'scheduleId: no schedule with this id',
              issues: [{ path: 'scheduleId', message: 'No schedule with this id' }],
            },
          }
        : { ok: true, value: { items: api.runs, nextCursor: null } };
    await openHistory(api);
    const combo = within(screen.getByTestId('filter-schedule')).getByRole('combobox');
    act(() => combo.focus());
    fireEvent.change(combo, { target: { value: 'Gone' } });
    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option', { name: 'Gone' }));
    const picker = screen.getByTestId('filter-schedule');
    expect(await within(picker).findByText('No schedule with this id')).toBeTruthy();
    expect(rowIds()).toHaveLength(4);
  });

  it('filters and the scroll position survive leaving the place and coming back', async () => {
    const { api } = world();
    api.runs = Array.from({ length: 300 }, (_, i) => makeRun({ scheduleId: api.schedules[i % 2]!.id }));
    await openHistory(api);
    await pick('status', 'Succeeded');
    await waitFor(() => expect(lastList(api).status).toEqual(['succeeded']));
    const scroller = screen.getByTestId('history-scroll');
    scroller.scrollTop = 1900;
    fireEvent.scroll(scroller);

    fireEvent.click(screen.getByRole('button', { name: /^Schedules/ }));
    await waitFor(() => expect(screen.queryByTestId('history-scroll')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'History' }));
    const again = await screen.findByTestId('history-scroll');
    await waitFor(() => expect(again.scrollTop).toBe(1900));
    expect(screen.getByTestId('filter-status').querySelector('.picker-value')!.textContent).toBe('Succeeded');
    // The rows near the kept offset are the ones drawn (1900 px / 38 px a row = row 50).
    await waitFor(() => expect(rowIds()).toContain(api.runs[55]!.id));
    expect(rowIds()).not.toContain(api.runs[0]!.id);
  });
});

describe('Run detail', { timeout: 60_000 }, () => {
  it('groups a retry’s attempts under its occurrence, and links the schedule’s page', async () => {
    const { api, backup } = world();
    const at = '2026-01-05T09:00:00.000Z';
    const first = makeRun({
      scheduleId: backup.id,
      status: 'failed',
      scheduledAt: at,
      fireAt: at,
      exitCode: 1,
    });
    const second = makeRun({
      scheduleId: backup.id,
      status: 'failed',
      trigger: 'retry',
      attempt: 2,
      parentRunId: first.id,
      scheduledAt: at,
      fireAt: '2026-01-05T09:00:30.000Z',
      exitCode: 1,
    });
    const third = makeRun({
      scheduleId: backup.id,
      status: 'succeeded',
      trigger: 'retry',
      attempt: 3,
      parentRunId: second.id,
      scheduledAt: at,
      fireAt: '2026-01-05T09:01:30.000Z',
    });
    // another occurrence's retry, which must not join this group
    const other = makeRun({
      scheduleId: backup.id,
      status: 'succeeded',
      trigger: 'retry',
      attempt: 2,
      parentRunId: 'someone-else',
      fireAt: '2026-01-05T09:02:00.000Z',
    });
    api.runs = [other, third, second, first];
    await openHistory(api);
    fireEvent.click(
      screen.getAllByTestId('run-row').find((row) => row.getAttribute('data-id') === second.id)!,
    );
    const detail = await screen.findByTestId('run-detail');
    const attempts = await within(detail).findByTestId('run-attempts');
    expect(
      within(attempts)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      expect.stringMatching(/^Attempt 1 failed/),
      expect.stringMatching(/^Attempt 2 failed/),
      expect.stringMatching(/^Attempt 3 succeeded/),
    ]);
    expect(within(attempts).getByRole('button', { name: 'Attempt 2' }).getAttribute('aria-current')).toBe(
      'true',
    );
    // each attempt opens in place
    fireEvent.click(within(attempts).getByRole('button', { name: 'Attempt 3' }));
    await waitFor(() => expect(api.callsTo('runs.get')).toContainEqual({ id: third.id }));

    fireEvent.click(
      within(screen.getByTestId('run-detail')).getByRole('button', { name: 'Open the schedule’s page' }),
    );
    await screen.findByTestId('schedule-page');
    expect(screen.getByRole('heading', { level: 1, name: 'Backup' })).toBeTruthy();
  });

  it('ANSI colours render, and an HTML payload in the output shows as text, never as markup', async () => {
    const { api, backup } = world();
    const run = makeRun({ scheduleId: backup.id, status: 'succeeded' });
    api.runs = [run];
    const payload = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';
    api.outputs.set(run.id, `\u001b[31mred ${payload}\u001b[0m plain\n\u001b[1;32mbold green\u001b[0m\n`);
    await openHistory(api);
    fireEvent.click(screen.getByTestId('run-row'));
    const output = await screen.findByTestId('run-output');
    await waitFor(() => expect(output.textContent).toContain('bold green'));
    expect(output.querySelector('img')).toBeNull();
    expect(output.querySelector('script')).toBeNull();
    expect(output.textContent).toBe(`red ${payload} plain\nbold green\n`);
    const red = [...output.querySelectorAll('span')].find((span) => span.textContent?.startsWith('red'));
    expect(red?.className).toContain('ansi-red-fg');
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
    expect(plainOutput(api.outputs.get(run.id)!)).toBe(`red ${payload} plain\nbold green\n`);
    expect(ansiToHtml('<b>')).toBe('&lt;b&gt;');
  });

  it('streams output while the run goes, and marks a cut output', async () => {
    const { api, backup } = world();
    const run = makeRun({ scheduleId: backup.id, status: 'running', finishedAt: null, durationMs: null });
    api.runs = [run];
    api.outputs.set(run.id, 'line 1\n');
    await openHistory(api);
    fireEvent.click(screen.getByTestId('run-row'));
    const output = await screen.findByTestId('run-output');
    await waitFor(() => expect(output.textContent).toBe('line 1\n'));
    expect(screen.getByText('Streaming…')).toBeTruthy();
    act(() => api.emit('run.output', { runId: run.id, scheduleId: backup.id, chunk: 'line 2\n' }));
    expect(output.textContent).toBe('line 1\nline 2\n');
    api.handlers['runs.get'] = () => ({
      ok: true,
      value: { ...run, status: 'succeeded', output: 'line 2\n', outputTruncated: true },
    });
    act(() => api.emit('run.changed', { ...run, status: 'succeeded' }));
    expect(await screen.findByTestId('output-truncated')).toBeTruthy();
  });
});

describe('the catch-up notice', { timeout: 60_000 }, () => {
  const summary: CatchUpSummary = {
    ran: 5,
    missed: 12,
    skipped: 2,
    schedules: 4,
    reason: 'suspend',
    at: '2026-01-05T12:00:00.000Z',
    since: '2026-01-05T09:00:00.000Z',
    runIds: [],
    more: 0,
  };

  it('says what happened in one sentence', () => {
    expect(catchUpText(summary)).toBe(
      'While the computer slept for 3 h: 5 runs caught up, 12 missed, 2 skipped',
    );
    expect(catchUpText({ ...summary, reason: 'start', ran: 1 })).toBe(
      'While Almanac was not running for 3 h: 1 run caught up, 12 missed, 2 skipped',
    );
  });

  it('shows one notice for engine.catchUp and links to exactly its rows', async () => {
    const { api } = world();
    const caught: Run[] = api.runs.slice(1, 3);
    await renderApp(api);
    // a routine tick that merely ran late says nothing
    act(() => api.emit('engine.catchUp', { ...summary, reason: 'tick', missed: 0 }));
    expect(screen.queryByTestId('catch-up-notice')).toBeNull();
    act(() => api.emit('engine.catchUp', { ...summary, runIds: caught.map((run) => run.id) }));
    const notice = await screen.findByTestId('catch-up-notice');
    expect(notice.textContent).toContain(
      'While the computer slept for 3 h: 5 runs caught up, 12 missed, 2 skipped',
    );
    fireEvent.click(within(notice).getByRole('button', { name: 'Show these 2' }));
    await screen.findByRole('heading', { name: 'History', level: 1 });
    await waitFor(() => expect(lastList(api)).toEqual({ ids: caught.map((run) => run.id), limit: 50 }));
    await waitFor(() => expect(rowIds()).toEqual(caught.map((run) => run.id)));
    expect(screen.getByTestId('filter-ids').textContent).toContain('2 rows of the catch-up');
    fireEvent.click(within(screen.getByTestId('catch-up-notice')).getByRole('button', { name: /Dismiss/ }));
    expect(screen.queryByTestId('catch-up-notice')).toBeNull();
  });
});

describe('a schedule’s page', { timeout: 60_000 }, () => {
  it('shows its settings in words, next runs, stats equal to runs.stats and its own history; Edit opens the editor', async () => {
    const { api, backup, report } = world();
    const stats: RunStats = {
      from: '2025-12-06T00:00:00.000Z',
      to: '2026-01-05T00:00:00.000Z',
      total: 40,
      byStatus: {
        queued: 0,
        running: 0,
        succeeded: 30,
        failed: 6,
        'timed-out': 2,
        cancelled: 0,
        skipped: 1,
        missed: 1,
        interrupted: 0,
      },
      successRate: 30 / 38,
      durationMs: { p50: 1250, p95: 64_000 },
      days: [],
    };
    api.handlers['runs.stats'] = () => ({ ok: true, value: stats });
    await openHistory(api);
    const row = (await screen.findAllByTestId('run-row')).find(
      (r) => r.getAttribute('data-id') === api.runs[0]!.id,
    )!;
    fireEvent.click(within(row).getByTitle(/^Open the page of/));
    await waitFor(() => expect(api.callsTo('runs.stats').length).toBeGreaterThan(0));
    const page = await screen.findByTestId('schedule-page');
    const name = page.querySelector('h1')!.textContent!;
    const shown = name === 'Backup' ? backup : report;
    expect(api.callsTo('runs.stats').at(-1)).toMatchObject({ scheduleId: shown.id });
    expect(within(page).getByTestId('schedule-words').textContent).toContain('Every 5 minutes');
    expect(within(page).getByTestId('schedule-words').textContent).toContain('Runs the command “true”');
    expect(await within(page).findByTestId('schedule-next')).toBeTruthy();
    expect(within(page).getByTestId('schedule-next').querySelectorAll('li')).toHaveLength(5);
    // each planned run reads in the schedule's own zone, as schedules.preview plans it
    const planned = api.callsTo('schedules.preview').at(-1) as { trigger: { timezone?: string } } | undefined;
    const previewed = await api.invoke('schedules.preview', planned as never);
    const first = previewed.ok ? previewed.value.occurrences[0]!.at : '';
    const zone = shown.trigger.timezone ?? viewerZone();
    expect(within(page).getByTestId('schedule-next').querySelector('li')!.textContent).toContain(
      formatInstant(first, { weekday: true, zone, seconds: false }),
    );
    expect(within(page).getByTestId('stats-success').textContent).toBe(`${((30 / 38) * 100).toFixed(1)} %`);
    expect(within(page).getByTestId('stats-p50').textContent).toBe('1.25 s');
    expect(within(page).getByTestId('stats-p95').textContent).toBe('1 min 4 s');
    expect(within(page).getByTestId('stats-total').textContent).toBe('40');
    await waitFor(() =>
      expect(rowIds()).toEqual(api.runs.filter((run) => run.scheduleId === shown.id).map((run) => run.id)),
    );
    expect(listCalls(api).at(-1)).toMatchObject({ scheduleId: shown.id });
    expect(within(page).getByRole('button', { name: 'Edit' })).toBeTruthy();
  });
});
