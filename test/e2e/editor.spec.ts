/**
 * The schedule editor in Chromium against browser mode, through the UI only; what the window shows
 * is compared with what the API answers.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import type { Occurrence } from '../../src/shared/api';
import type { Run, Schedule } from '../../src/shared/domain';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';
import { callApi } from '../support/e2e-api';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');
test.use({ timezoneId: 'UTC' });

let served: ServedAlmanac;
test.beforeEach(async () => {
  served = await serveAlmanac();
});
test.afterEach(async () => {
  await served.stop();
});

const api = <T>(page: Page, method: string, input: unknown): Promise<T> =>
  callApi<T>(page, served, method, input);

const schedulesOf = async (page: Page) =>
  (await api<{ items: Schedule[] }>(page, 'schedules.list', {})).items;
const byName = async (page: Page, name: string) => (await schedulesOf(page)).find((s) => s.name === name)!;

async function openNew(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New schedule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New schedule' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Picks an option in the react-aria Select whose label is `label`. */
async function pick(dialog: Locator, label: string, option: string) {
  await dialog
    .locator('.ui-select')
    .filter({ has: dialog.page().locator('.ui-label', { hasText: label }) })
    .getByRole('button')
    .first()
    .click();
  await dialog
    .page()
    .getByRole('option', { name: new RegExp(`^${option}`) })
    .click();
}

async function number(dialog: Locator, label: string, value: string) {
  const input = dialog.getByRole('textbox', { name: label, exact: true });
  await input.fill(value);
  await input.press('Tab');
}

async function create(dialog: Locator, name: string) {
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await expect(dialog)
    .toBeHidden({ timeout: 15_000 })
    .catch(async (error: Error) => {
      const said = await dialog.locator('.editor-foot, .ui-error').allTextContents();
      throw new Error(`The editor stayed open: ${said.join(' | ')}\n${error.message}`);
    });
  await expect(dialog.page().getByTestId('schedule-row').filter({ hasText: name })).toBeVisible();
}

/** The instants the preview lists, once it lists `count` of them. */
async function previewed(dialog: Locator, count = 10): Promise<string[]> {
  const items = dialog.getByTestId('preview-list').locator('li');
  await expect(items).toHaveCount(count);
  return items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-at') ?? ''));
}

test('one schedule of each trigger and each action type, made in the editor; planned runs and a succeeded interval run', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(served.pageUrl);

  // Repeat (a preset writing cron) + command
  let dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Weekday report');
  await pick(dialog, 'Repeat', 'Weekdays');
  await expect(dialog.getByTestId('preset-cron')).toContainText('0 9 * * 1-5');
  await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('echo report');
  const planned = await previewed(dialog);
  const truth = await api<{ occurrences: Occurrence[] }>(page, 'schedules.preview', {
    trigger: { type: 'cron', expression: '0 9 * * 1-5', timezone: 'UTC' },
    count: 10,
  });
  expect(planned).toEqual(truth.occurrences.map((o) => o.at));
  await create(dialog, 'Weekday report');

  // Interval every 2 s + command: it runs, and a succeeded run shows
  dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Tick');
  await dialog.getByRole('tab', { name: 'Interval' }).click();
  await number(dialog, 'Every', '2');
  await pick(dialog, 'Unit', 'seconds');
  await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('echo tick');
  await previewed(dialog);
  await create(dialog, 'Tick');

  // Once + reminder
  dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Dentist');
  await dialog.getByRole('tab', { name: 'Once' }).click();
  await dialog.getByRole('tab', { name: 'Reminder' }).click();
  await dialog.getByRole('textbox', { name: 'Title' }).fill('Dentist at ten');
  await expect(dialog.getByTestId('preview-list').locator('li')).toHaveCount(1);
  await create(dialog, 'Dentist');

  // Raw cron + HTTP
  dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Ping');
  await dialog.getByRole('tab', { name: 'Cron' }).click();
  await dialog.getByLabel('Cron expression').fill('*/10 * * * *');
  await dialog.getByRole('tab', { name: 'HTTP' }).click();
  await pick(dialog, 'Method', 'POST');
  await dialog.getByRole('textbox', { name: 'URL' }).fill(`${served.origin}/health`);
  await dialog.getByRole('textbox', { name: 'Expected status' }).fill('200, 401');
  await create(dialog, 'Ping');

  // Interval + watch (HTTP probe, status condition)
  dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Wait for server');
  await dialog.getByRole('tab', { name: 'Interval' }).click();
  await number(dialog, 'Every', '1');
  await pick(dialog, 'Unit', 'hours');
  await dialog.getByRole('tab', { name: 'Watch' }).click();
  await dialog.getByRole('textbox', { name: 'URL' }).fill(`${served.origin}/`);
  await pick(dialog, 'Until', 'Status is one of');
  await dialog.getByRole('textbox', { name: 'Statuses' }).fill('200');
  await create(dialog, 'Wait for server');

  const stored = await schedulesOf(page);
  const kinds = Object.fromEntries(stored.map((s) => [s.name, [s.trigger.type, s.action.type]]));
  expect(kinds).toEqual({
    'Weekday report': ['cron', 'command'],
    Tick: ['interval', 'command'],
    Dentist: ['once', 'reminder'],
    Ping: ['cron', 'http'],
    'Wait for server': ['interval', 'watch'],
  });
  expect(stored.find((s) => s.name === 'Ping')!.action).toMatchObject({
    method: 'POST',
    expectStatus: [200, 401],
  });

  // every row's next run is the API's (Tick moves on every 2 s: it is held by its runs below)
  for (const schedule of stored.filter((s) => s.name !== 'Tick')) {
    const row = page.getByTestId('schedule-row').filter({ hasText: schedule.name });
    await expect(row.locator('time').first()).toHaveAttribute('datetime', schedule.nextFireAt!);
  }

  // the interval one runs and succeeds, as the API records
  const tick = stored.find((s) => s.name === 'Tick')!;
  const succeeded = page
    .getByTestId('run-row')
    .filter({ hasText: 'Tick' })
    .and(page.locator('[data-status="succeeded"]'))
    .first();
  await expect(succeeded).toBeVisible({ timeout: 20_000 });
  const runId = await succeeded.getAttribute('data-id');
  const runs = (await api<{ items: Run[] }>(page, 'runs.list', { scheduleId: tick.id })).items;
  expect(runs.find((r) => r.id === runId)?.status).toBe('succeeded');
});

test('editing a cron changes its next run, as the API plans it', async ({ page }) => {
  await page.goto(served.pageUrl);
  const dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Report');
  await pick(dialog, 'Repeat', 'Daily');
  await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('true');
  await create(dialog, 'Report');
  const before = await byName(page, 'Report');
  const row = page.getByTestId('schedule-row').filter({ hasText: 'Report' });
  await expect(row.locator('time').first()).toHaveAttribute('datetime', before.nextFireAt!);

  await page.getByRole('button', { name: 'Edit Report' }).click();
  const edit = page.getByRole('dialog', { name: /Edit/ });
  await expect(edit.getByTestId('preset-cron')).toContainText('0 9 * * *');
  await edit.getByRole('tab', { name: 'Cron' }).click();
  await expect(edit.getByLabel('Cron expression')).toHaveValue('0 9 * * *');
  await edit.getByLabel('Cron expression').fill('30 * * * *');
  await previewed(edit);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();

  const after = await byName(page, 'Report');
  expect(after.version).toBe(before.version + 1);
  expect(after.trigger).toMatchObject({ type: 'cron', expression: '30 * * * *' });
  expect(after.nextFireAt).not.toBe(before.nextFireAt);
  await expect(row.locator('time').first()).toHaveAttribute('datetime', after.nextFireAt!);
});

test('a chain made in the editor: the child runs after the parent', async ({ page }) => {
  await page.goto(served.pageUrl);
  let dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Child');
  await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('echo child');
  await create(dialog, 'Child');

  dialog = await openNew(page);
  await dialog.getByLabel('Name').fill('Parent');
  await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('sleep 0.2; echo parent');
  await dialog.getByRole('button', { name: '+ Add a schedule' }).first().click();
  await expect(dialog.locator('[data-path="policy.then.onSuccess.0"]')).toContainText('Child');
  await create(dialog, 'Parent');

  const parent = await byName(page, 'Parent');
  const child = await byName(page, 'Child');
  expect(parent.policy.then?.onSuccess).toEqual([child.id]);

  await page
    .getByTestId('schedule-row')
    .filter({ hasText: 'Parent' })
    .getByRole('button', { name: 'Run now' })
    .click();
  const childRun = page
    .getByTestId('run-row')
    .filter({ hasText: 'Child' })
    .and(page.locator('[data-status="succeeded"]'));
  await expect(childRun).toBeVisible({ timeout: 20_000 });
  await expect(childRun).toContainText('chain');

  const parentRuns = (await api<{ items: Run[] }>(page, 'runs.list', { scheduleId: parent.id })).items;
  const childRuns = (await api<{ items: Run[] }>(page, 'runs.list', { scheduleId: child.id })).items;
  expect(parentRuns).toHaveLength(1);
  expect(childRuns).toHaveLength(1);
  expect(childRuns[0]!.trigger).toBe('chain');
  expect(childRuns[0]!.parentRunId).toBe(parentRuns[0]!.id);
  expect(Date.parse(childRuns[0]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(parentRuns[0]!.finishedAt!));
  await expect(childRun).toHaveAttribute('data-id', childRuns[0]!.id);
});

/** What has the focus: its accessible label (roughly), role and text. A string: it runs in the page. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el) return { label: '', role: '', text: '' };
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const label =
    el.getAttribute('aria-label') ||
    ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ') ||
    (el.id && document.querySelector('label[for="' + el.id + '"]') || {}).textContent ||
    (el.closest('label') || {}).textContent ||
    '';
  const role = el.getAttribute('role') || (el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase());
  return { label: label.trim(), role, text: (el.textContent || '').trim() };
})()`;

/** Presses Tab until the focused element matches, as a person would; fails after `max` presses. */
async function tabTo(
  page: Page,
  matches: (el: { label: string; role: string; text: string }) => boolean,
  max = 80,
) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{ label: string; role: string; text: string }>(FOCUSED);
    if (matches(focused)) return;
  }
  throw new Error('Tab never reached the field');
}

test('a whole schedule built with the keyboard alone, from the header button', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(served.pageUrl);
  await expect(page.getByText('No schedules yet')).toBeVisible();
  await tabTo(page, (el) => el.text === 'New schedule');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New schedule' });
  await expect(dialog).toBeVisible();
  // the name has the focus
  await page.keyboard.type('Keyboard only');

  // Repeat → Weekly on chosen days, Monday is chosen; add Friday with the space bar
  await tabTo(page, (el) => el.role === 'tab' && el.text === 'Repeat');
  await tabTo(page, (el) => el.label.endsWith('Repeat'));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox')).toBeVisible();
  await page.keyboard.type('Weekl');
  await expect(page.getByRole('option', { name: /^Weekly/ })).toHaveAttribute('data-focused', 'true');
  await page.keyboard.press('Enter');
  await tabTo(page, (el) => el.role === 'spinbutton' && el.label.includes('hour'));
  await page.keyboard.type('7');
  await tabTo(page, (el) => el.role === 'checkbox' && /^Fri/.test(el.label));
  await page.keyboard.press('Space');

  // What: the command
  await tabTo(page, (el) => el.label === 'Command' && el.role !== 'tab');
  await page.keyboard.type('echo typed with keys');

  // Rules: queue one on overlap (arrow keys move within the radio group)
  await tabTo(page, (el) => el.role === 'radio' && /^Skip/.test(el.label));
  await page.keyboard.press('ArrowDown');

  // save
  await tabTo(page, (el) => el.text === 'Create schedule');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  const made = await byName(page, 'Keyboard only');
  expect(made.trigger).toMatchObject({ type: 'cron', expression: '0 7 * * 1,5' });
  expect(made.action).toMatchObject({ type: 'command', command: 'echo typed with keys' });
  expect(made.policy.overlap).toBe('bufferOne');
  await expect(page.getByTestId('schedule-row').filter({ hasText: 'Keyboard only' })).toBeVisible();
});

test('screenshots of the editor, light and dark', async ({ page }) => {
  const docs = path.resolve(import.meta.dirname, '../../docs');
  const out = process.env.EDITOR_SHOTS ?? fs.mkdtempSync('/tmp/editor-shots-');
  await page.goto(served.pageUrl);
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      const dialog = await openNew(page);
      await dialog.getByLabel('Name').fill('Nightly backup');
      await pick(dialog, 'Repeat', 'Weekdays');
      await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('restic backup ~/docs');
      await previewed(dialog);
      const file = `editor-${scheme}${width === 1440 ? '' : `-${width}`}.png`;
      await page.screenshot({ path: path.join(out, file) });
      // UPDATE_DOC_SHOTS=1 refreshes the committed ones; a plain run leaves the tree clean.
      if (width === 1440 && process.env.UPDATE_DOC_SHOTS)
        fs.copyFileSync(path.join(out, file), path.join(docs, file));
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
    }
  }
});
