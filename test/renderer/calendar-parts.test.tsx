/**
 * The calendar's parts beyond the grid's counts: busy blocks from the person's calendars, the planned
 * schedules of a slot opening their page or the editor, booking's title placeholder, and the .ics
 * download.
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BusyBlock, CalendarSlot, CalendarSlots, MethodInput, Result } from '../../src/shared/api';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { FakeApi } from './fakeApi';
import { renderApp } from './render';
import { CalendarPlace } from '../../src/renderer/src/places/calendar/CalendarPlace';
import { createStores, StoresContext } from '../../src/renderer/src/stores';

const NOW = Date.parse('2026-01-07T12:00:00.000Z');
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

interface Plan {
  slots: Map<number, Partial<CalendarSlot>>;
  busy: BusyBlock[];
  problems: CalendarSlots['busyProblems'];
}

/** Hour slots from each local midnight, as main cuts them, with `plan` filled in. */
function answerSlots(input: MethodInput<'calendar.slots'>, plan: Plan): Result<CalendarSlots> {
  const slots: CalendarSlot[] = [];
  for (
    let at = DateTime.fromISO(input.from, { zone: input.timezone });
    at.toMillis() < Date.parse(input.to);
    at = at.plus({ hours: 1 })
  ) {
    slots.push({
      start: at.toUTC().toISO()!,
      end: at.plus({ hours: 1 }).toUTC().toISO()!,
      plannedCount: 0,
      planned: [],
      past: {},
      pastCount: 0,
      ...plan.slots.get(at.toMillis()),
    });
  }
  return {
    ok: true,
    value: {
      slotMinutes: 60,
      timezone: input.timezone,
      slots,
      truncated: false,
      notShown: [],
      busy: plan.busy,
      busyProblems: plan.problems,
    },
  };
}

function setup() {
  const api = new FakeApi();
  const plan: Plan = { slots: new Map(), busy: [], problems: [] };
  api.handlers['settings.get'] = () => ({ ok: true, value: { ...DEFAULT_SETTINGS } });
  api.handlers['calendar.slots'] = (input) => answerSlots(input, plan);
  return { api, plan };
}

async function openCalendar(api: FakeApi) {
  await renderApp(api);
  fireEvent.click(
    within(screen.getByRole('navigation', { name: 'Places' })).getByRole('button', { name: 'Calendar' }),
  );
  await waitFor(() => expect(screen.getAllByTestId('cal-cell').length).toBeGreaterThan(0));
}

function cellAt(localIso: string): HTMLElement {
  const start = local(localIso).toUTC().toISO();
  const cell = screen.getAllByTestId('cal-cell').find((element) => element.dataset.start === start);
  if (!cell) throw new Error(`no cell at ${localIso}`);
  return cell;
}

const readBlob = (blob: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe('Calendar parts', { timeout: 20_000 }, () => {
  it('draws each busy block over the slots it covers, named once where it begins, and says so to screen readers', async () => {
    const { api, plan } = setup();
    plan.busy = [
      {
        start: local('2026-01-08T09:30').toUTC().toISO()!,
        end: local('2026-01-08T11:00').toUTC().toISO()!,
        calendar: 'Work',
        summary: 'Planning',
      },
    ];
    await openCalendar(api);
    const covered = screen.getAllByTestId('cal-cell').filter((cell) => cell.dataset.busy);
    // the block covers the second half of 09:00 and all of 10:00: exactly two cells
    expect(covered.map((cell) => cell.dataset.start)).toEqual([
      local('2026-01-08T09:00').toUTC().toISO(),
      local('2026-01-08T10:00').toUTC().toISO(),
    ]);
    const first = within(cellAt('2026-01-08T09:00')).getByTestId('cal-busy');
    expect(parseFloat(first.style.top)).toBe(50);
    // named once, where it begins
    expect(cellAt('2026-01-08T09:00').querySelector('.cal-busy-name')?.textContent).toBe('Planning');
    expect(within(cellAt('2026-01-08T10:00')).getByTestId('cal-busy')).toBeTruthy();
    expect(cellAt('2026-01-08T10:00').querySelector('.cal-busy-name')).toBeNull();
    expect(cellAt('2026-01-08T10:00').getAttribute('aria-label')).toContain('busy: Planning (Work)');
    expect(screen.queryByTestId('busy-problems')).toBeNull();
  });

  it('shows the calendars that could not be read as a notice naming each, with why', async () => {
    const { api, plan } = setup();
    plan.problems = [{ calendar: 'Home', path: '/gone/home.ics', message: 'There is no file at this path' }];
    await openCalendar(api);
    const notice = screen.getByTestId('busy-problems');
    expect(notice.textContent).toContain('Home');
    expect(notice.textContent).toContain('/gone/home.ics');
    expect(notice.textContent).toContain('There is no file at this path');
  });

  it('refetches the grid when a busy calendar changes on disk (busy.changed)', async () => {
    const { api } = setup();
    await openCalendar(api);
    const before = api.callsTo('calendar.slots').length;
    act(() => api.emit('busy.changed', { calendar: 'Work', path: '/x/work.ics' }));
    await waitFor(() => expect(api.callsTo('calendar.slots').length).toBe(before + 1), { timeout: 5000 });
  });

  it('a planned schedule opens its own page or the editor from its slot', async () => {
    const { api, plan } = setup();
    const at = local('2026-01-08T14:00');
    plan.slots.set(at.toMillis(), {
      plannedCount: 2,
      planned: [
        { scheduleId: 'sch-a', name: 'Backup', at: at.plus({ minutes: 5 }).toUTC().toISO()! },
        { scheduleId: 'sch-b', name: 'Sync', at: at.plus({ minutes: 30 }).toUTC().toISO()! },
      ],
    });
    // The place alone, with the stores in hand: the editor's target lives in the app store.
    const stores = createStores(api);
    render(
      <StoresContext value={stores}>
        <CalendarPlace />
      </StoresContext>,
    );
    await waitFor(() => expect(screen.getAllByTestId('cal-cell').length).toBeGreaterThan(0));
    const planned = () => within(cellAt('2026-01-08T14:00')).getByRole('button', { name: /^2 planned/ });
    fireEvent.click(planned());
    const list = await screen.findByRole('dialog', { name: /^Planned/ });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([expect.stringContaining('Backup'), expect.stringContaining('Sync')]);
    fireEvent.click(within(list).getByRole('button', { name: 'Open in editor: Sync' }));
    expect(stores.app.getState().editor).toEqual({ mode: 'edit', id: 'sch-b' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Planned/ })).toBeNull());

    fireEvent.click(planned());
    const again = await screen.findByRole('dialog', { name: /^Planned/ });
    fireEvent.click(within(again).getByRole('button', { name: 'Open Backup' }));
    expect(stores.app.getState()).toMatchObject({ place: 'schedules', scheduleId: 'sch-a' });
    expect(location.hash).toBe('#/schedules/sch-a');
  });

  it('booking: an empty reminder title follows the name, so only the name is asked for', async () => {
    const { api } = setup();
    await openCalendar(api);
    const cell = cellAt('2026-01-08T15:00');
    fireEvent.click(within(cell).getByRole('button', { name: /^Book / }));
    const form = within(cell).getByRole('form', { name: 'Book this slot' });
    expect(within(form).getByLabelText('Reminder title').getAttribute('placeholder')).toBe(
      'Same as the name',
    );
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));
    expect(await within(form).findByText('Name must not be empty')).toBeTruthy();
    expect(within(form).queryByText('Title must not be empty')).toBeNull();
    expect(api.callsTo('schedules.create')).toHaveLength(0);
  });

  it('downloads the visible week as .ics from calendar.ics and shows the cap message', async () => {
    const { api } = setup();
    api.handlers['calendar.ics'] = () => ({
      ok: true,
      value: {
        text: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
        events: 5000,
        truncated: true,
        message: '5,000 events is the most one file holds; 120 later ones were left out.',
      },
    });
    const saved: Blob[] = [];
    URL.createObjectURL = (blob: Blob) => (saved.push(blob), 'blob:x');
    URL.revokeObjectURL = () => {};
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe('almanac-2026-01-05-to-2026-01-11.ics');
    });
    await openCalendar(api);
    fireEvent.click(screen.getByRole('button', { name: 'Download .ics' }));
    await waitFor(() => expect(clicks).toHaveBeenCalledTimes(1));
    const week = local('2026-01-05T00:00');
    expect(api.callsTo('calendar.ics')).toEqual([
      { from: week.toUTC().toISO(), to: week.plus({ days: 7 }).toUTC().toISO() },
    ]);
    expect(await readBlob(saved[0]!)).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    expect(screen.getByTestId('ics-message').textContent).toContain('120 later ones were left out');
    clicks.mockRestore();
  });

  it('suggests free slots for the week shown and books one: the form opens at that slot and time', async () => {
    const { api } = setup();
    const start = local('2026-01-08T10:30');
    api.handlers['calendar.freeSlots'] = () => ({
      ok: true,
      value: {
        slots: [
          { start: start.toUTC().toISO()!, end: start.plus({ minutes: 30 }).toUTC().toISO()!, load: 0 },
          {
            start: start.plus({ hours: 2 }).toUTC().toISO()!,
            end: start.plus({ hours: 2, minutes: 30 }).toUTC().toISO()!,
            load: 1,
          },
        ],
        notCounted: [],
      },
    });
    await openCalendar(api);
    fireEvent.click(screen.getByRole('button', { name: 'Suggest a free slot' }));
    const list = await screen.findByRole('list', { name: 'Free slots' });
    // from now (Wednesday noon) to the end of the week shown, 30 minutes, in the viewer's zone
    expect(api.callsTo('calendar.freeSlots')).toEqual([
      {
        from: new Date(NOW).toISOString(),
        to: local('2026-01-12T00:00').toUTC().toISO(),
        durationMinutes: 30,
        timezone: ZONE,
        count: 5,
      },
    ]);
    const items = within(list).getAllByTestId('free-slot');
    expect(items.map((item) => item.dataset.start)).toEqual([
      start.toUTC().toISO(),
      start.plus({ hours: 2 }).toUTC().toISO(),
    ]);
    expect(items[0]!.textContent).toContain('nothing planned');
    expect(items[1]!.textContent).toContain('1 planned');
    fireEvent.click(within(items[0]!).getByRole('button', { name: /^Book / }));
    const cell = cellAt('2026-01-08T10:00');
    const form = await within(cell).findByRole('form', { name: 'Book this slot' });
    expect((within(form).getByLabelText(/^Time/) as HTMLInputElement).value).toBe('10:30');

    // another length asks again
    fireEvent.click(screen.getByRole('button', { name: 'Suggest a free slot' }));
    fireEvent.change(await screen.findByLabelText('Length'), { target: { value: '60' } });
    await waitFor(() =>
      expect(api.callsTo('calendar.freeSlots').at(-1)).toMatchObject({ durationMinutes: 60 }),
    );
  });
});
