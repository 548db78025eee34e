import { waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ScheduleInput } from '../../../src/shared/domain';
import { dstSentence, PREVIEW_COUNT } from '../../../src/renderer/src/places/editor/Preview';
import { FakeApi, makeSchedule } from '../fakeApi';
import { fill, openEdit, openNew, save } from './helpers';

// The whole app and editor in jsdom, on a shared 2-core machine.
vi.setConfig({ testTimeout: 45_000 });

describe('Preview: the next runs from schedules.preview, DST notes as sentences', () => {
  it('asks the planner for the next 10 and lists exactly what it answers', async () => {
    const api = new FakeApi();
    const { dialog } = await openNew(api);
    const list = await within(dialog).findByTestId('preview-list');
    const call = api.callsTo('schedules.preview').at(-1) as {
      trigger: ScheduleInput['trigger'];
      count: number;
    };
    expect(call.count).toBe(PREVIEW_COUNT);
    expect(call.trigger).toMatchObject({ type: 'cron', expression: '0 9 * * *' });
    const shown = [...list.querySelectorAll('li')].map((li) => li.getAttribute('data-at'));
    const answer = await api.invoke('schedules.preview', { trigger: call.trigger, count: PREVIEW_COUNT });
    expect(answer.ok && shown).toEqual(answer.ok ? answer.value.occurrences.map((o) => o.at) : null);
  });

  it('waits for a pause in typing: only what was typed last is previewed', async () => {
    const api = new FakeApi();
    const { user, dialog } = await openNew(api);
    await user.click(within(dialog).getByRole('tab', { name: 'Cron' }));
    const cron = within(dialog).getByRole('textbox', { name: 'Cron expression' });
    fill(cron, '1 * * * *');
    fill(cron, '2 * * * *');
    fill(cron, '3 * * * *');
    await waitFor(() =>
      expect(api.callsTo('schedules.preview').at(-1)).toMatchObject({ trigger: { expression: '3 * * * *' } }),
    );
    const asked = api
      .callsTo('schedules.preview')
      .map((c) => (c as { trigger: { expression?: string } }).trigger.expression);
    expect(asked).not.toContain('1 * * * *');
    expect(asked).not.toContain('2 * * * *');
  });

  it('shows the schedule zone and, when it differs, the viewer zone', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({
      name: 'Tokyo',
      trigger: { type: 'cron', expression: '0 9 * * *', timezone: 'Asia/Tokyo' },
    });
    const { dialog } = await openEdit(schedule, 'Edit', api);
    const list = await within(dialog).findByTestId('preview-list');
    expect(dialog.querySelector('#editor-preview-title')?.textContent).toContain('Asia/Tokyo');
    expect(list.querySelector('li .muted')).not.toBeNull();
  });

  it('a DST gap and a repeated hour read as sentences', () => {
    // 2026-03-29: Berlin jumps 02:00 → 03:00; a 02:30 run happens at 03:30 CEST (01:30Z)
    expect(dstSentence({ at: '2026-03-29T01:30:00.000Z', note: 'dst-shifted' }, 'Europe/Berlin')).toMatch(
      /^Runs at 3:30\s?AM: 2:30\s?AM does not exist that night/,
    );
    // 2026-10-25: Berlin repeats 02:00–03:00; 02:30 CEST is 00:30Z
    expect(dstSentence({ at: '2026-10-25T00:30:00.000Z', note: 'dst-repeated' }, 'Europe/Berlin')).toMatch(
      /^Runs once at 2:30\s?AM, the first time: that hour happens twice/,
    );
    expect(dstSentence({ at: '2026-10-25T00:30:00.000Z' }, 'Europe/Berlin')).toBeNull();
  });
});

describe('When, "More": start, end, max runs and jitter are kept through an edit', () => {
  it('reopens them and sends them back unchanged', async () => {
    const api = new FakeApi();
    const trigger = {
      type: 'interval' as const,
      everySeconds: 3600,
      timezone: 'Europe/Berlin',
      startAt: '2026-06-01T08:00:00+02:00',
      endAt: '2026-09-30T20:00:00+02:00',
      maxRuns: 12,
      jitterSeconds: 90,
    };
    const schedule = makeSchedule({ name: 'Summer', trigger });
    api.handlers['schedules.update'] = (input) => ({
      ok: true,
      value: { ...schedule, version: 2, ...input.patch } as never,
    });
    const { user, dialog } = await openEdit(schedule, 'Edit', api);
    expect(within(dialog).getByRole('button', { name: /More/ }).getAttribute('aria-expanded')).toBe('true');
    expect((within(dialog).getByRole('textbox', { name: 'Max runs' }) as HTMLInputElement).value).toBe('12');
    expect((within(dialog).getByRole('textbox', { name: 'Jitter' }) as HTMLInputElement).value).toBe('90');
    await save(user, dialog);
    await waitFor(() => expect(api.callsTo('schedules.update')).toHaveLength(1));
    const patch = (api.callsTo('schedules.update')[0] as { patch: ScheduleInput }).patch;
    expect(patch.trigger).toEqual(trigger);
  });
});
