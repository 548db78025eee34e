import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  CalendarSlot,
  CalendarSlots,
  MethodInput,
  Result,
  RunStats,
  Schedule,
} from '../../src/shared/api';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { deferred, FakeApi, makeRun, makeSchedule } from './fakeApi';
import { renderApp } from './render';

/** Wednesday noon UTC: the same ISO week in every zone from UTC−12 to UTC+14. */
const NOW = Date.parse('2026-01-07T12:00:00.000Z');
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const WEEK_START = local('2026-01-05T00:00');

type SlotsInput = MethodInput<'calendar.slots'>;

interface Plan {
  /** Extra content per slot start (epoch ms). */
  slots: Map<number, Partial<CalendarSlot>>;
  settings: Settings;
  /** Schedules main left out of the counts (planning reached its budget). */
  notShown: CalendarSlots['notShown'];
}

/** Cuts [from, to) into slots from each local midnight, as main does, and fills in `plan`. */
function answerSlots(input: SlotsInput, plan: Plan): Result<CalendarSlots> {
  const slotMinutes = input.slotMinutes ?? plan.settings.calendar.slotMinutes;
  const to = Date.parse(input.to);
  const slots: CalendarSlot[] = [];
  let day = DateTime.fromISO(input.from, { zone: input.timezone }).startOf('day');
  let start = Date.parse(input.from);
  while (start < to) {
    const nextDay = day.plus({ days: 1 }).toMillis();
    for (let k = 1; start < Math.min(nextDay, to); k++) {
      const end = Math.min(day.toMillis() + k * slotMinutes * 60_000, nextDay, to);
      if (end <= start) continue;
      slots.push({
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        plannedCount: 0,
        planned: [],
        past: {},
        pastCount: 0,
        ...plan.slots.get(start),
      });
      start = end;
    }
    day = day.plus({ days: 1 });
  }
  const { notShown } = plan;
  return {
    ok: true,
    value: {
      slotMinutes,
      timezone: input.timezone,
      slots,
      truncated: notShown.length > 0,
      notShown,
      busy: [],
      busyProblems: [],
    },
  };
}

const STATS: RunStats = {
  from: '2026-01-05T00:00:00.000Z',
  to: '2026-01-12T00:00:00.000Z',
  total: 12,
  byStatus: {
    queued: 0,
    running: 0,
    succeeded: 9,
    failed: 2,
    'timed-out': 1,
    cancelled: 0,
    skipped: 0,
    missed: 0,
    interrupted: 0,
  },
  successRate: 0.75,
  durationMs: { p50: 1500, p95: 4000 },
  days: [],
};

function setup(extra: (api: FakeApi, plan: Plan) => void = () => {}) {
  const api = new FakeApi();
  const plan: Plan = { slots: new Map(), settings: structuredClone(DEFAULT_SETTINGS), notShown: [] };
  api.handlers['settings.get'] = () => ({ ok: true, value: plan.settings });
  api.handlers['calendar.slots'] = (input) => answerSlots(input, plan);
  api.handlers['runs.stats'] = () => ({ ok: true, value: STATS });
  extra(api, plan);
  return { api, plan };
}

async function openCalendar(api: FakeApi) {
  await renderApp(api);
  fireEvent.click(places().getByRole('button', { name: 'Calendar' }));
  await screen.findByRole('heading', { name: 'Calendar', level: 1 });
  await waitFor(() => expect(screen.getAllByTestId('cal-cell').length).toBeGreaterThan(0));
}

function cellAt(localIso: string): HTMLElement {
  const start = local(localIso).toUTC().toISO();
  const cell = screen.getAllByTestId('cal-cell').find((element) => element.dataset.start === start);
  if (!cell) throw new Error(`no cell starting at ${localIso} (${start})`);
  return cell;
}

const slotCalls = (api: FakeApi) => api.callsTo('calendar.slots') as SlotsInput[];
/** Queries scoped to the toolbar and the sidebar: role queries over the whole grid are slow in jsdom. */
const toolbar = () => within(document.querySelector<HTMLElement>('.cal-toolbar')!);
const places = () => within(screen.getByRole('navigation', { name: 'Places' }));
const rowCount = () => document.querySelectorAll('.cal-grid tbody th[scope="row"]').length;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Calendar: a week of slots in the viewer’s zone', { timeout: 20_000 }, () => {
  it('asks calendar.slots and runs.stats for the week in the viewer’s zone and draws 7 days of rows', async () => {
    const { api } = setup();
    await openCalendar(api);

    expect(places().getByRole('button', { name: 'Calendar' }).getAttribute('aria-current')).toBe('page');
    const [first] = slotCalls(api);
    expect(first).toMatchObject({
      from: WEEK_START.toUTC().toISO(),
      to: WEEK_START.plus({ days: 7 }).toUTC().toISO(),
      timezone: ZONE,
    });
    expect(api.callsTo('runs.stats')).toEqual([{ from: first!.from, to: first!.to, timezone: ZONE }]);

    const grid = screen.getByRole('table', { name: /slots of 30 min/ });
    // a corner header and one per day, Monday first
    const headers = within(grid).getAllByRole('columnheader');
    expect(headers).toHaveLength(8);
    expect(headers[1]!.getAttribute('aria-label')).toBe(
      WEEK_START.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' }),
    );
    expect(rowCount()).toBe(48);
    expect(within(grid.querySelector('tbody tr')!).getAllByRole('rowheader')).toHaveLength(1);
    expect(within(grid).getAllByTestId('cal-cell')).toHaveLength(7 * 48);
  });

  it('shows planned occurrences ahead of now, past runs behind it by status, load heat, working hours and the now line', async () => {
    const { api } = setup((_, plan) => {
      plan.slots.set(local('2026-01-08T10:00').toMillis(), {
        plannedCount: 4,
        planned: [
          { scheduleId: 'a', name: 'Backup', at: local('2026-01-08T10:00').toUTC().toISO()! },
          { scheduleId: 'b', name: 'Sync', at: local('2026-01-08T10:05').toUTC().toISO()! },
          { scheduleId: 'c', name: 'Report', at: local('2026-01-08T10:10').toUTC().toISO()! },
        ],
      });
      plan.slots.set(local('2026-01-06T09:30').toMillis(), {
        past: { succeeded: 2, failed: 1 },
        pastCount: 3,
      });
    });
    await openCalendar(api);

    const planned = cellAt('2026-01-08T10:00');
    expect(planned.getAttribute('aria-label')).toContain('4 planned (Backup, Sync, Report and 1 more)');
    expect(planned.textContent).toContain('Backup, Sync, Report +1');
    expect(planned.style.getPropertyValue('--heat')).toBe('1.000');
    // a slot with planned runs can still be booked while the queue has room
    expect(within(planned).getByRole('button', { name: /^Book / })).toBeTruthy();

    const past = cellAt('2026-01-06T09:30');
    expect(past.querySelector('.cal-run-ok')?.textContent).toBe('2');
    expect(past.querySelector('.cal-run-failed')?.textContent).toBe('1');
    expect(past.getAttribute('aria-label')).toContain('3 past runs: 2 succeeded, 1 failed');
    expect(past.style.getPropertyValue('--heat')).toBe('0.750');
    expect(past.className).toContain('cal-past');

    // working hours: Monday–Friday 09:00–17:00 by default
    expect(cellAt('2026-01-07T09:00').className).toContain('cal-working');
    expect(cellAt('2026-01-07T16:30').className).toContain('cal-working');
    expect(cellAt('2026-01-07T17:00').className).not.toContain('cal-working');
    expect(cellAt('2026-01-10T10:00').className).not.toContain('cal-working');
    expect(cellAt('2026-01-07T09:00').getAttribute('aria-label')).toContain('working hours');

    // one now line, in the slot holding now
    const lines = document.querySelectorAll('.cal-now-line');
    expect(lines).toHaveLength(1);
    const nowSlot = DateTime.fromMillis(NOW, { zone: ZONE });
    const nowCell = cellAt(
      nowSlot.set({ minute: nowSlot.minute < 30 ? 0 : 30 }).toISO({ includeOffset: false })!,
    );
    expect(nowCell.contains(lines[0]!)).toBe(true);
  });

  it('names the schedules left out when planning stopped early, and says nothing when none were', async () => {
    const { api, plan } = setup();
    await openCalendar(api);
    expect(document.querySelector('.cal-truncated')).toBeNull();
    plan.notShown = Array.from({ length: 7 }, (_, i) => ({ scheduleId: `s${i}`, name: `Job ${i}` }));
    fireEvent.click(toolbar().getByRole('button', { name: 'Next week' }));
    await waitFor(() =>
      expect(document.querySelector('.cal-truncated')?.textContent).toBe(
        'Planning stopped early for this range; not counted: Job 0, Job 1, Job 2, Job 3, Job 4 and 2 more.',
      ),
    );
  });

  it('shows the range’s run statistics', async () => {
    const { api } = setup();
    await openCalendar(api);
    const strip = screen.getByRole('region', { name: 'Runs in this range' });
    expect(within(strip).getByTestId('stat-total').textContent).toBe('12');
    expect(within(strip).getByTestId('stat-success').textContent).toBe('75%');
    expect(within(strip).getByTestId('stat-p50').textContent).toBe('1.50 s');
    expect(within(strip).getByTestId('stat-p95').textContent).toBe('4.00 s');
    expect(within(strip).getByText('3')).toBeTruthy(); // failed + timed out
  });

  it('moves by week, back to today, and switches to a single day', async () => {
    const { api } = setup();
    await openCalendar(api);
    const fromOf = () => slotCalls(api).at(-1)!.from;

    fireEvent.click(toolbar().getByRole('button', { name: 'Next week' }));
    await waitFor(() => expect(fromOf()).toBe(WEEK_START.plus({ weeks: 1 }).toUTC().toISO()));
    fireEvent.click(toolbar().getByRole('button', { name: 'Previous week' }));
    fireEvent.click(toolbar().getByRole('button', { name: 'Previous week' }));
    await waitFor(() => expect(fromOf()).toBe(WEEK_START.minus({ weeks: 1 }).toUTC().toISO()));
    fireEvent.click(toolbar().getByRole('button', { name: 'Today' }));
    await waitFor(() => expect(fromOf()).toBe(WEEK_START.toUTC().toISO()));

    fireEvent.click(toolbar().getByRole('button', { name: 'Day' }));
    expect(toolbar().getByRole('button', { name: 'Day' }).getAttribute('aria-pressed')).toBe('true');
    const today = DateTime.fromMillis(NOW, { zone: ZONE }).startOf('day');
    await waitFor(() =>
      expect(slotCalls(api).at(-1)).toMatchObject({
        from: today.toUTC().toISO(),
        to: today.plus({ days: 1 }).toUTC().toISO(),
      }),
    );
    await waitFor(() => expect(document.querySelectorAll('.cal-grid thead th')).toHaveLength(2));
    fireEvent.click(toolbar().getByRole('button', { name: 'Next day' }));
    await waitFor(() => expect(fromOf()).toBe(today.plus({ days: 1 }).toUTC().toISO()));
  });

  it('uses the slot size of the settings, a size picked in the toolbar, and follows settings.changed', async () => {
    const { api, plan } = setup((_, plan) => {
      plan.settings.calendar.slotMinutes = 60;
    });
    await openCalendar(api);
    await waitFor(() => expect(rowCount()).toBe(24));

    fireEvent.change(toolbar().getByLabelText('Slot'), { target: { value: '120' } });
    await waitFor(() => expect(slotCalls(api).at(-1)!.slotMinutes).toBe(120));
    await waitFor(() => expect(rowCount()).toBe(12));

    plan.settings = { ...plan.settings, calendar: { slotMinutes: 15 } };
    act(() => api.emit('settings.changed', plan.settings));
    await waitFor(() => expect(slotCalls(api).at(-1)!.slotMinutes).toBe(15));
    await waitFor(() => expect(rowCount()).toBe(96));
    expect((toolbar().getByLabelText('Slot') as HTMLSelectElement).value).toBe('15');
  });

  it('shows that it is loading, and a failed load with a retry', async () => {
    const { api, plan } = setup();
    const answer = deferred<Result<CalendarSlots>>();
    let fail = true;
    api.handlers['calendar.slots'] = (input) => {
      if (fail) return answer.promise;
      return answerSlots(input, plan);
    };
    await renderApp(api);
    fireEvent.click(places().getByRole('button', { name: 'Calendar' }));
    await waitFor(() => expect(screen.getAllByText('Loading…').length).toBeGreaterThan(0));

    await act(async () =>
      answer.resolve({ ok: false, error: { code: 'INTERNAL', message: 'planner broke' } }),
    );
    const alert = await screen.findByText(/Could not load the calendar: planner broke/);
    expect(screen.queryAllByTestId('cal-cell')).toHaveLength(0);
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByTestId('cal-cell').length).toBeGreaterThan(0));
    expect(screen.queryByText(/Could not load the calendar/)).toBeNull();
  });
});

describe('Calendar: booking a free slot', { timeout: 20_000 }, () => {
  it('a free slot ahead books a one-time reminder there with schedules.create, pending then done', async () => {
    const { api } = setup();
    const answer = deferred<Result<Schedule>>();
    api.handlers['schedules.create'] = () => answer.promise;
    await openCalendar(api);
    const before = slotCalls(api).length;

    const cell = cellAt('2026-01-08T15:00');
    fireEvent.click(within(cell).getByRole('button', { name: /^Book / }));
    const form = within(cell).getByRole('form', { name: 'Book this slot' });
    expect(document.activeElement).toBe(within(form).getByLabelText('Name'));
    expect((within(form).getByLabelText(/^Time/) as HTMLInputElement).value).toBe('15:00');

    // the same schema main uses refuses a blank name, beside the field, and nothing is sent
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));
    expect(await within(form).findByText('Name must not be empty')).toBeTruthy();
    expect(api.callsTo('schedules.create')).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Stretch' } });
    fireEvent.change(within(form).getByLabelText(/^Time/), { target: { value: '15:10' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));
    expect(api.callsTo('schedules.create')).toEqual([
      {
        name: 'Stretch',
        trigger: { type: 'once', at: '2026-01-08T15:10', timezone: ZONE },
        action: { type: 'reminder', title: 'Stretch' },
      },
    ]);
    const pending = within(form).getByRole('button', { name: 'Booking…' }) as HTMLButtonElement;
    expect(pending.disabled).toBe(true);

    await act(async () =>
      answer.resolve({ ok: true, value: makeSchedule({ id: 'booked', name: 'Stretch' }) }),
    );
    expect(await screen.findByText(/Booked “Stretch” for/)).toBeTruthy();
    expect(document.querySelector('.cal-book-form')).toBeNull();
    await waitFor(() => expect(slotCalls(api).length).toBe(before + 1));
  });

  it('books a command, and shows the server’s refusal beside the field', async () => {
    const { api } = setup();
    api.handlers['schedules.create'] = () => ({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'trigger.at: That time does not exist',
        issues: [{ path: 'trigger.at', message: 'That time does not exist' }],
      },
    });
    await openCalendar(api);

    const cell = cellAt('2026-01-09T11:30');
    fireEvent.click(within(cell).getByRole('button', { name: /^Book / }));
    const form = within(cell).getByRole('form', { name: 'Book this slot' });
    fireEvent.click(within(form).getByRole('radio', { name: 'Command' }));
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Clean' } });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Command' }), {
      target: { value: 'rm -f ~/tmp/*.log' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));

    await within(form).findByText('That time does not exist');
    expect(within(form).getByLabelText(/^Time/).getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByRole('alert').textContent).toContain('Could not book');
    expect(api.callsTo('schedules.create')).toEqual([
      {
        name: 'Clean',
        trigger: { type: 'once', at: '2026-01-09T11:30', timezone: ZONE },
        action: { type: 'command', command: 'rm -f ~/tmp/*.log', shell: true },
      },
    ]);
  });

  it('offers booking in a busy slot while the queue has room: fewer planned runs than one per lane a minute', async () => {
    const { api } = setup((_, plan) => {
      // 4 lanes (maxConcurrentRuns by default) × 30 minutes = 120 starts
      plan.slots.set(local('2026-01-08T10:00').toMillis(), { plannedCount: 75 });
      plan.slots.set(local('2026-01-08T10:30').toMillis(), { plannedCount: 119 });
      plan.slots.set(local('2026-01-08T11:00').toMillis(), { plannedCount: 120 });
      plan.slots.set(local('2026-01-08T11:30').toMillis(), { plannedCount: 1800 });
    });
    await openCalendar(api);
    const book = (iso: string) => within(cellAt(iso)).queryByRole('button', { name: /^Book / });
    expect(book('2026-01-08T10:00')).not.toBeNull();
    expect(book('2026-01-08T10:30')).not.toBeNull();
    expect(book('2026-01-08T11:00')).toBeNull();
    expect(book('2026-01-08T11:30')).toBeNull();
  });

  it('offers no booking behind now, and refuses a time already past', async () => {
    const { api } = setup();
    await openCalendar(api);
    expect(within(cellAt('2026-01-05T10:00')).queryByRole('button')).toBeNull();

    const cell = cellAt('2026-01-08T09:00');
    fireEvent.click(within(cell).getByRole('button', { name: /^Book / }));
    const form = within(cell).getByRole('form', { name: 'Book this slot' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Late' } });
    fireEvent.change(within(form).getByLabelText(/^Time/), { target: { value: '00:00' } });
    // 2026-01-08T00:00 local is before Wednesday noon UTC in any zone up to UTC+12
    if (local('2026-01-08T00:00').toMillis() <= NOW) {
      fireEvent.click(within(form).getByRole('button', { name: 'Book' }));
      expect(await within(form).findByText('Pick a time that is still ahead')).toBeTruthy();
      expect(api.callsTo('schedules.create')).toHaveLength(0);
    }
    fireEvent.keyDown(within(form).getByLabelText('Name'), { key: 'Escape' });
    expect(document.querySelector('.cal-book-form')).toBeNull();
  });
});

describe('Calendar: kept fresh', { timeout: 20_000 }, () => {
  it('schedule and run events refresh it at most once per 2 s, and only while it is shown', async () => {
    const { api } = setup();
    await openCalendar(api);
    const base = slotCalls(api).length;
    const run = makeRun({ scheduleId: 'x' });

    act(() => {
      for (let i = 0; i < 5; i++) api.emit('run.changed', { ...run, id: `r${i}` });
      api.emit('schedule.changed', { id: 'x', schedule: null });
    });
    await waitFor(() => expect(slotCalls(api).length).toBe(base + 1), { timeout: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(slotCalls(api).length).toBe(base + 1);

    // hidden: events only mark it stale; showing it again loads once
    fireEvent.click(places().getByRole('button', { name: 'Schedules' }));
    act(() => api.emit('run.changed', run));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slotCalls(api).length).toBe(base + 1);
    fireEvent.click(places().getByRole('button', { name: 'Calendar' }));
    await waitFor(() => expect(slotCalls(api).length).toBe(base + 2));
  });

  it('reloads after the event stream reconnects', async () => {
    const { api } = setup();
    await openCalendar(api);
    const base = slotCalls(api).length;
    const stats = api.callsTo('runs.stats').length;
    act(() => api.reconnect());
    await waitFor(() => expect(slotCalls(api).length).toBe(base + 1));
    expect(api.callsTo('runs.stats').length).toBe(stats + 1);
  });
});
