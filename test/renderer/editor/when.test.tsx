import { screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { describe, expect, it, vi } from 'vitest';
import { normalizeCron } from '../../../src/shared/cron-normalize';
import { ScheduleFields, type ScheduleInput } from '../../../src/shared/domain';
import { emptyValues, type WhenValues } from '../../../src/renderer/src/places/editor/formState';
import { presetCron, recognisePreset, splitInterval } from '../../../src/renderer/src/places/editor/presets';
import { FakeApi, makeSchedule } from '../fakeApi';
import {
  choose,
  errorAt,
  fill,
  fillNumber,
  openEdit,
  openNew,
  save,
  selectValue,
  type User,
} from './helpers';

// The whole app and editor in jsdom, many fields per test, on a shared 2-core machine.
vi.setConfig({ testTimeout: 45_000 });

const PRESET_CASES: [string, Partial<WhenValues>][] = [
  ['every 5 minutes', { preset: 'minutes', everyMinutes: 5 }],
  ['every minute', { preset: 'minutes', everyMinutes: 1 }],
  ['hourly at :07', { preset: 'hourly', minute: 7 }],
  ['daily at 09:30', { preset: 'daily', time: '09:30' }],
  ['weekdays at 18:05', { preset: 'weekdays', time: '18:05' }],
  ['weekly on Sun, Wed, Sat at 00:00', { preset: 'weekly', time: '00:00', days: ['0', '3', '6'] }],
  ['monthly on day 15 at 12:00', { preset: 'monthly', time: '12:00', monthDay: 15, monthLast: false }],
  ['monthly on the last day at 23:59', { preset: 'monthly', time: '23:59', monthLast: true }],
];

describe('When: each preset writes cron and is recognised again when reopened', () => {
  it.each(PRESET_CASES)('%s: preset → cron → stored (normalised) → the same preset', (_, preset) => {
    const when = { ...emptyValues().when, kind: 'preset' as const, ...preset };
    const written = presetCron(when);
    if (!('cron' in written)) throw new Error(written.message);
    const stored = normalizeCron(written.cron);
    if ('error' in stored) throw new Error(stored.error);
    const again = recognisePreset(stored.expression);
    expect(again).not.toBeNull();
    const reopened = { ...emptyValues().when, kind: 'preset' as const, ...again };
    expect(presetCron(reopened)).toEqual({ cron: written.cron });
    for (const [key, value] of Object.entries(preset))
      expect(reopened[key as keyof WhenValues]).toEqual(value);
  });

  it('reads other dialects of a preset as that preset (names, 7 for Sunday, a Quartz `?`)', () => {
    expect(recognisePreset('30 9 * * MON-FRI')).toMatchObject({ preset: 'weekdays', time: '09:30' });
    expect(recognisePreset('0 8 * * MON,7')).toMatchObject({ preset: 'weekly', days: ['0', '1'] });
    expect(recognisePreset('0 8 ? * *')).toMatchObject({ preset: 'daily', time: '08:00' });
    expect(recognisePreset('0 8 1-7 * *')).toBeNull();
    expect(recognisePreset('*/7 */2 * * *')).toBeNull();
  });

  it('an interval is shown in the largest whole unit', () => {
    expect(splitInterval(7200)).toEqual({ intervalValue: 2, intervalUnit: 'h' });
    expect(splitInterval(90)).toEqual({ intervalValue: 90, intervalUnit: 's' });
    expect(splitInterval(300)).toEqual({ intervalValue: 5, intervalUnit: 'min' });
  });
});

function fillBasics(_user: User, dialog: HTMLElement) {
  fill(within(dialog).getByRole('textbox', { name: 'Name' }), 'Job');
  fill(within(dialog).getByRole('textbox', { name: 'Command' }), 'true');
}

async function setNumber(_user: User, dialog: HTMLElement, label: string, value: string) {
  fillNumber(within(dialog).getByRole('textbox', { name: label }), value);
}

describe('When, in the editor: a preset made in the form reopens as the same preset', () => {
  const cases: [string, string, (user: User, dialog: HTMLElement) => Promise<void>, string][] = [
    ['Every N minutes', '*/20 * * * *', (u, d) => setNumber(u, d, 'Every', '20'), 'Every N minutes'],
    ['Hourly', '45 * * * *', (u, d) => setNumber(u, d, 'At minute', '45'), 'Hourly'],
    ['Daily', '0 9 * * *', async () => {}, 'Daily'],
    ['Weekdays', '0 9 * * 1-5', async () => {}, 'Weekdays'],
    [
      'Weekly on chosen days',
      '0 9 * * 1,3',
      async (u, d) => u.click(within(d).getByRole('checkbox', { name: /^Wed/ })),
      'Weekly on chosen days',
    ],
    ['Monthly', '0 9 12 * *', (u, d) => setNumber(u, d, 'On day', '12'), 'Monthly'],
    [
      'Monthly',
      '0 9 L * *',
      async (u, d) => u.click(within(d).getByRole('switch', { name: 'On the last day of the month' })),
      'Monthly',
    ],
  ];

  it.each(cases)('%s → %s', async (preset, cron, fill, shown) => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    await choose(user, dialog, 'Repeat', preset);
    await fill(user, dialog);
    fillBasics(user, dialog);
    expect(within(dialog).getByTestId('preset-cron').textContent).toContain(cron);
    await save(user, dialog);
    await waitFor(() => expect(api.callsTo('schedules.create')).toHaveLength(1));
    const input = api.callsTo('schedules.create')[0] as ScheduleInput;
    expect(input.trigger).toMatchObject({ type: 'cron', expression: cron });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // reopen what was stored
    const created = api.schedules.at(-1)!;
    await user.click(screen.getByRole('button', { name: `Edit ${created.name}` }));
    const again = await screen.findByRole('dialog', { name: /Edit/ });
    await waitFor(() => expect(selectValue(again, 'Repeat')).toBe(shown));
    expect(within(again).getByRole('tab', { name: 'Repeat' }).getAttribute('aria-selected')).toBe('true');
    expect(within(again).getByTestId('preset-cron').textContent).toContain(cron);
  });

  it('a cron no preset writes reopens as raw cron, with its words', async () => {
    const schedule = makeSchedule({
      name: 'Odd',
      trigger: { type: 'cron', expression: '*/7 1-5 * * *', timezone: 'UTC' },
    });
    const { dialog } = await openEdit(schedule);
    expect(within(dialog).getByRole('tab', { name: 'Cron' }).getAttribute('aria-selected')).toBe('true');
    expect((within(dialog).getByRole('textbox', { name: 'Cron expression' }) as HTMLInputElement).value).toBe(
      '*/7 1-5 * * *',
    );
    expect(dialog.querySelector('.cron-words')?.textContent).toMatch(/every 7 minutes/i);
  });

  it('interval and once triggers build the exact contract input', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    await user.click(within(dialog).getByRole('tab', { name: 'Interval' }));
    await setNumber(user, dialog, 'Every', '90');
    await choose(user, dialog, 'Unit', 'seconds');
    fillBasics(user, dialog);
    await save(user, dialog);
    await waitFor(() => expect(api.callsTo('schedules.create')).toHaveLength(1));
    const input = api.callsTo('schedules.create')[0] as ScheduleInput;
    expect(input.trigger).toEqual({ type: 'interval', everySeconds: 90, timezone: input.trigger.timezone });
    expect(ScheduleFields.safeParse(input).success).toBe(true);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // once: a local date and time (the field starts at tomorrow 09:00 on the viewer's clock)
    await user.click(screen.getByRole('button', { name: 'New schedule' }));
    const again = await screen.findByRole('dialog', { name: 'New schedule' });
    await user.click(within(again).getByRole('tab', { name: 'Once' }));
    fill(within(again).getByRole('textbox', { name: 'Name' }), 'Once');
    fill(within(again).getByRole('textbox', { name: 'Command' }), 'true');
    await save(user, again);
    await waitFor(() => expect(api.callsTo('schedules.create')).toHaveLength(2));
    const once = api.callsTo('schedules.create')[1] as ScheduleInput;
    const tomorrow = DateTime.now().plus({ days: 1 }).toFormat('yyyy-MM-dd');
    expect(once.trigger).toEqual({ type: 'once', at: `${tomorrow}T09:00`, timezone: once.trigger.timezone });
  });
});

describe('When: messages as they are typed (issue 12 §5, issue 15 §1)', () => {
  it('marks an unknown time zone at once, before any save', async () => {
    const { dialog } = await openNew();
    const zone = within(dialog).getByRole('combobox', { name: 'Time zone' });
    fill(zone, 'Mars/Olympus');
    expect(errorAt(dialog, 'trigger.timezone')).toBe('Unknown time zone');
    fill(zone, 'Europe/Berlin');
    expect(errorAt(dialog, 'trigger.timezone')).toBeNull();
  });

  it("a complete but invalid cron gets Almanac's message naming the field and its range", async () => {
    const { user, dialog } = await openNew();
    await user.click(within(dialog).getByRole('tab', { name: 'Cron' }));
    const cron = within(dialog).getByRole('textbox', { name: 'Cron expression' });
    fill(cron, '61 * * *');
    expect(errorAt(dialog, 'trigger.expression')).toBeNull();
    fill(cron, '61 * * * *');
    expect(errorAt(dialog, 'trigger.expression')).toBe('Minute must be 0–59; you wrote 61');
  });

  it('says "you wrote X; Almanac reads it as Y" when the normalised cron differs', async () => {
    const { user, dialog } = await openNew();
    await user.click(within(dialog).getByRole('tab', { name: 'Cron' }));
    const cron = within(dialog).getByRole('textbox', { name: 'Cron expression' });
    fill(cron, '5/15 * * * *');
    const normal = normalizeCron('5/15 * * * *');
    expect('expression' in normal && normal.changed).toBe(true);
    expect(within(dialog).getByTestId('cron-reads-as').textContent).toBe(
      `You wrote 5/15 * * * *; Almanac reads it as ${'expression' in normal ? normal.expression : ''}. `,
    );
  });
});
