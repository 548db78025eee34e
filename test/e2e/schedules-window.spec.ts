/**
 * The Schedules place in Chromium against browser mode: cancelling a real long-running command from
 * the UI, the delete confirm with the keyboard, and the list's filters and sort, each compared with
 * what the API says. Also takes the screenshots of the place (light and dark, two sizes).
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import type { Run, Schedule, ScheduleInput } from '../../src/shared/domain';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');

let served: ServedAlmanac;
test.beforeEach(async () => {
  served = await serveAlmanac();
});
test.afterEach(async () => {
  await served.stop();
});

async function call<T>(method: string, input: unknown): Promise<T> {
  const response = await fetch(`${served.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

// Far-off cron so nothing fires by itself during the test; runs come from Run now only.
const rarely = { type: 'cron' as const, expression: '0 0 1 1 *', timezone: 'UTC' };

function create(input: Partial<ScheduleInput> & { name: string }): Promise<Schedule> {
  return call<Schedule>('schedules.create', {
    trigger: rarely,
    action: { type: 'command', command: 'true', shell: true },
    ...input,
  });
}

const rowOf = (page: Page, name: string) =>
  page.getByTestId('schedule-row').filter({ has: page.getByRole('link', { name, exact: true }) });

test('cancel a running command from its row and from its drawer; the UI shows what runs.list says', async ({
  page,
}) => {
  const long = await create({
    name: 'Long job',
    action: { type: 'command', command: 'sleep 60', shell: true },
  });
  await page.goto(served.pageUrl);
  const row = rowOf(page, 'Long job');

  // from the row
  await row.getByRole('button', { name: 'Run now' }).click();
  const cancel = row.getByRole('button', { name: 'Cancel the running run of Long job' });
  await expect(cancel).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Started “Long job”; it is running.')).toBeVisible();
  await cancel.click();
  await expect
    .poll(async () => (await call<{ items: Run[] }>('runs.list', { scheduleId: long.id })).items[0]?.status, {
      timeout: 15_000,
    })
    .toBe('cancelled');
  const first = (await call<{ items: Run[] }>('runs.list', { scheduleId: long.id })).items[0]!;
  await expect(page.locator(`[data-testid="run-row"][data-id="${first.id}"]`)).toHaveAttribute(
    'data-status',
    first.status,
  );
  await expect(cancel).toBeHidden();
  await expect(page.getByText('“Long job” was cancelled.')).toBeVisible();

  // from the drawer
  await row.getByRole('button', { name: 'Run now' }).click();
  await expect(cancel).toBeVisible({ timeout: 15_000 });
  const runs = await call<{ items: Run[] }>('runs.list', { scheduleId: long.id });
  const running = runs.items.find((run) => run.status === 'running' || run.status === 'queued')!;
  const runRow = page.locator(`[data-testid="run-row"][data-id="${running.id}"]`);
  await runRow.click();
  const drawer = page.getByTestId('run-detail');
  await drawer.getByRole('button', { name: 'Cancel run' }).click();
  await expect
    .poll(async () => (await call<Run>('runs.get', { id: running.id })).status, { timeout: 15_000 })
    .toBe('cancelled');
  await expect(drawer.locator('.badge').first()).toHaveText('cancelled');
  await expect(runRow).toHaveAttribute('data-status', 'cancelled');
  // the footer agrees with the engine: nothing running any more
  await expect
    .poll(async () => (await call<{ engine: { active: number } }>('app.status', {})).engine.active)
    .toBe(0);
  await expect(page.getByText(/Running \d+ now/)).toHaveCount(0, { timeout: 10_000 });
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(runRow).toBeFocused();
});

test('keyboard: Skip to content first; Escape cancels delete and focus returns to the Delete button', async ({
  page,
}) => {
  await create({ name: 'Keep me' });
  await page.goto(served.pageUrl);
  await expect(rowOf(page, 'Keep me')).toBeVisible();

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Schedules' })).toBeFocused();

  const trash = rowOf(page, 'Keep me').getByRole('button', { name: 'Delete' });
  // measure once the place is settled: the filters arrive in their own chunk and move the table a little
  await expect(page.getByTestId('group-filter')).toBeVisible();
  const box = await rowOf(page, 'Keep me').getByRole('button', { name: 'Run now' }).boundingBox();
  await trash.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  // the confirm floats: Run now has not moved and is not clipped
  expect(await rowOf(page, 'Keep me').getByRole('button', { name: 'Run now' }).boundingBox()).toEqual(box);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(trash).toBeFocused();
  const listed = await call<{ items: Schedule[] }>('schedules.list', {});
  expect(listed.items.map((s) => s.name)).toEqual(['Keep me']);
});

test('filter by group and state, sort by name or next run: the rows are schedules.list filtered the same way', async ({
  page,
}) => {
  const every = (minutes: number) => ({
    type: 'cron' as const,
    expression: `*/${minutes} * * * *`,
    timezone: 'UTC',
  });
  await create({ name: 'b-work-5', group: 'work', trigger: every(5) });
  await create({ name: 'A-work-2', group: 'work', trigger: every(2) });
  await create({ name: 'c-home', group: 'home', trigger: every(7) });
  await create({ name: 'd-work-paused', group: 'work', enabled: false });
  await create({ name: 'e-loose', trigger: every(3), action: { type: 'reminder', title: 'Hi', body: '' } });
  await page.goto(served.pageUrl);
  await expect(page.getByTestId('schedule-row')).toHaveCount(5);

  const shown = () => page.locator('[data-testid="schedule-row"] .schedule-link').allTextContents();
  const { items } = await call<{ items: Schedule[] }>('schedules.list', {});
  const byName = (a: Schedule, b: Schedule) =>
    a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

  // default: by next run, soonest first, the paused one last
  const planned = items.filter((s) => s.state === 'active' && s.nextFireAt);
  const expectedNext = [
    ...planned.sort((a, b) => Date.parse(a.nextFireAt!) - Date.parse(b.nextFireAt!) || byName(a, b)),
    ...items.filter((s) => !planned.includes(s)).sort(byName),
  ].map((s) => s.name);
  expect(await shown()).toEqual(expectedNext);

  await page.getByRole('radio', { name: 'Name' }).click();
  await page.getByTestId('group-filter').getByRole('button').click();
  await page.getByRole('option', { name: 'work' }).click();
  await expect.poll(shown).toEqual(
    items
      .filter((s) => s.group === 'work')
      .sort(byName)
      .map((s) => s.name),
  );

  await page.getByTestId('state-filter').getByRole('button').click();
  await page.getByRole('option', { name: 'Paused' }).click();
  await expect
    .poll(shown)
    .toEqual(items.filter((s) => s.group === 'work' && s.state === 'paused').map((s) => s.name));

  // the kind of each action is on its row
  await page.getByTestId('group-filter').getByRole('button').click();
  await page.getByRole('option', { name: 'All groups' }).click();
  await page.getByTestId('state-filter').getByRole('button').click();
  await page.getByRole('option', { name: 'All states' }).click();
  await expect(rowOf(page, 'e-loose').getByTestId('action-kind')).toHaveText('Reminder');
  await expect(rowOf(page, 'c-home').getByTestId('action-kind')).toHaveText('Command');
});

test('screenshots of the Schedules place, light and dark, 1440×900 and 1024×700; the drawer covers no run column', async ({
  page,
}) => {
  const quick = await create({
    name: 'Nightly backup',
    group: 'home',
    trigger: { type: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' },
    action: { type: 'command', command: 'echo backed up', shell: true },
  });
  await create({
    name: 'Status page',
    group: 'work',
    trigger: { type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' },
    action: { type: 'http', method: 'GET', url: 'http://127.0.0.1:9/' },
  });
  await create({
    name: 'Stretch',
    trigger: { type: 'cron', expression: '0 * * * MON-FRI', timezone: 'UTC' },
    action: { type: 'reminder', title: 'Stand up and stretch', body: '' },
  });
  await create({ name: 'Weekly report', group: 'work', enabled: false });
  await call('schedules.runNow', { id: quick.id });
  await expect
    .poll(async () => (await call<{ items: Run[] }>('runs.list', { scheduleId: quick.id })).items[0]?.status)
    .toBe('succeeded');

  fs.mkdirSync('/tmp/window', { recursive: true });
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('about:blank'); // a fresh load, not a hash change on the same page
      await page.goto(served.pageUrl);
      await expect(page.getByTestId('schedule-row')).toHaveCount(4);
      await expect(page.getByTestId('group-filter')).toBeVisible(); // the widgets' chunk is in
      await page.screenshot({ path: `/tmp/window/schedules-${width}x${height}-${scheme}.png` });

      // History with a run's drawer open: Started, Duration and Exit stay uncovered
      await page.getByRole('button', { name: /History/ }).click();
      const runRow = page.getByTestId('run-row').first();
      await runRow.click();
      const drawer = page.getByTestId('run-detail');
      await expect(drawer).toBeVisible();
      // the drawer's slide has ended (polled from Node: the page's CSP refuses string evaluation)
      await expect
        .poll(() =>
          page.evaluate<boolean>("document.getAnimations().every((a) => a.playState !== 'running')"),
        )
        .toBe(true);
      await page.screenshot({ path: `/tmp/window/history-drawer-${width}x${height}-${scheme}.png` });
      const drawerBox = (await drawer.boundingBox())!;
      for (const column of ['Started', 'Duration', 'Exit']) {
        const header = page.getByRole('columnheader', { name: column });
        const box = (await header.boundingBox())!;
        expect(box.x + box.width, `${column} at ${width}×${height}`).toBeLessThanOrEqual(drawerBox.x);
        await expect(header).toBeInViewport();
      }
    }
  }
});
