/**
 * Issue 15 through the window, in Chromium against browser mode: a crontab pasted into the import
 * dialog becomes exactly the schedules `schedules.list` has; a busy calendar added in Settings shows
 * its blocks on the grid where `calendar.slots` puts them; "Download .ics" saves what
 * `calendar.ics` answers for the week shown.
 */
import { expect, test, type Page } from '@playwright/test';
import { DateTime } from 'luxon';
import fs from 'node:fs';
import path from 'node:path';
import type { CalendarIcs, CalendarSlots, CrontabImport, Schedule } from '../../src/shared/api';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';
import { callApi } from '../support/e2e-api';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');

const ZONE = 'Europe/Berlin';
test.use({ timezoneId: ZONE, locale: 'en-GB' });
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

let served: ServedAlmanac;
test.beforeEach(async () => {
  served = await serveAlmanac();
});
test.afterEach(async () => {
  await served.stop();
});

const api = <T>(page: Page, method: string, input: unknown): Promise<T> =>
  callApi<T>(page, served, method, input);

const places = (page: Page) => page.getByRole('navigation', { name: 'Places' });

/** Moves the grid to the week holding `iso` (in ZONE), back or forth from this week. */
async function showWeekOf(page: Page, iso: string) {
  await page.getByRole('button', { name: 'Today' }).click();
  const weeks = Math.round(
    DateTime.fromISO(iso, { zone: ZONE })
      .startOf('week')
      .diff(DateTime.now().setZone(ZONE).startOf('week'), 'weeks').weeks,
  );
  const button = page.getByRole('button', { name: weeks < 0 ? 'Previous week' : 'Next week' });
  for (let i = 0; i < Math.abs(weeks); i++) await button.click();
  const monday = DateTime.fromISO(iso, { zone: ZONE }).startOf('week').toUTC().toISO()!;
  await expect(page.locator(`[data-testid="cal-cell"][data-start="${monday}"]`)).toHaveCount(1);
}

test('a pasted crontab is imported through the dialog: the created schedules are what schedules.list has', async ({
  page,
}, testInfo) => {
  const text = fs.readFileSync(path.join(FIXTURES, 'crontab/personal.crontab'), 'utf8');
  await page.goto(served.pageUrl);
  await page.getByRole('button', { name: 'Import crontab' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a crontab' });
  await dialog.getByLabel('Crontab', { exact: true }).fill(text);
  await dialog.getByLabel(/^Time zone/).fill('UTC');
  await dialog.getByLabel(/^Group/).fill('crontab');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByTestId('import-counts')).toBeVisible();
  // the preview is the server's dry run, line by line
  const dry = await api<CrontabImport>(page, 'schedules.importCrontab', {
    text,
    dryRun: true,
    timezone: 'UTC',
    group: 'crontab',
  });
  const rows = dialog.getByTestId('import-item');
  await expect(rows).toHaveCount(dry.items.length);
  for (const [i, item] of dry.items.entries()) {
    await expect(rows.nth(i)).toHaveAttribute('data-status', item.status);
    await expect(rows.nth(i).locator('td').first()).toHaveText(String(item.lineNumber));
    if (item.message) await expect(rows.nth(i)).toContainText(item.message);
  }
  await page.screenshot({ path: testInfo.outputPath('import-preview.png') });
  const good = dry.items.filter((item) => item.status === 'ok').length;
  await dialog.getByRole('button', { name: `Import ${good} schedules` }).click();
  await expect(dialog.getByTestId('import-summary')).toContainText(`Imported ${good} schedules.`);
  fs.writeFileSync(
    testInfo.outputPath('per-line.txt'),
    dry.items
      .map((item) => `${item.lineNumber}\t${item.status}\t${item.line}\t${item.message ?? ''}`)
      .join('\n'),
  );
  await dialog.getByRole('button', { name: 'Done' }).click();

  const listed = (await api<{ items: Schedule[] }>(page, 'schedules.list', {})).items;
  expect(listed).toHaveLength(good);
  expect(listed.every((schedule) => schedule.group === 'crontab')).toBe(true);
  const shown = page.getByTestId('schedule-row');
  await expect(shown).toHaveCount(listed.length);
  expect((await shown.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')))).sort()).toEqual(
    listed.map((schedule) => schedule.id).sort(),
  );
  for (const schedule of listed) {
    await expect(page.locator(`[data-testid="schedule-row"][data-id="${schedule.id}"]`)).toContainText(
      schedule.name,
    );
  }
});

test('a busy calendar added in Settings shows its blocks on the grid, where calendar.slots puts them', async ({
  page,
}) => {
  const work = path.join(served.dataDir, 'work.ics');
  fs.copyFileSync(path.join(FIXTURES, 'busy/work.ics'), work);
  await page.goto(served.pageUrl);
  await places(page).getByRole('button', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Add a busy calendar' });
  // a path that does not exist is refused by the server, beside the field
  await form.getByLabel('Name').fill('Work');
  await form.getByLabel('Path of the .ics file').fill(path.join(served.dataDir, 'missing.ics'));
  await form.getByRole('button', { name: 'Add calendar' }).click();
  await expect(form.getByText('There is no file at this path')).toBeVisible();
  await expect(form.getByLabel('Path of the .ics file')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Path of the .ics file').fill(work);
  await form.getByRole('button', { name: 'Add calendar' }).click();
  await expect(page.getByRole('list', { name: 'Busy calendars' })).toContainText(work);
  expect((await api<{ busyCalendars: unknown[] }>(page, 'settings.get', {})).busyCalendars).toEqual([
    { path: work, name: 'Work' },
  ]);

  // the week of 30 March 2026: weekly planning after the DST change, a review, Good Friday all day
  await places(page).getByRole('button', { name: 'Calendar' }).click();
  await showWeekOf(page, '2026-03-30T12:00:00');
  const from = DateTime.fromISO('2026-03-30T00:00', { zone: ZONE });
  const slots = await api<CalendarSlots>(page, 'calendar.slots', {
    from: from.toUTC().toISO(),
    to: from.plus({ weeks: 1 }).toUTC().toISO(),
    timezone: ZONE,
  });
  expect(slots.busy.length).toBeGreaterThanOrEqual(3);
  const covered = page.locator('[data-testid="cal-cell"][data-busy]');
  let expectedCells = 0;
  for (const block of slots.busy) {
    const name = `${block.summary} (Work)`;
    const cells = slots.slots.filter((slot) => slot.start < block.end && slot.end > block.start);
    expectedCells += cells.length;
    // the block's first slot names it, and every slot it covers says so to screen readers
    const first = page.locator(`[data-testid="cal-cell"][data-start="${cells[0]!.start}"]`);
    await expect(first.locator('.cal-busy-name')).toHaveText(block.summary);
    for (const slot of cells) {
      const cell = page.locator(`[data-testid="cal-cell"][data-start="${slot.start}"]`);
      await expect(cell).toHaveAttribute('data-busy', new RegExp(name.replace(/[()]/g, '\\$&')));
    }
  }
  await expect(covered).toHaveCount(expectedCells);
});

test('Download .ics saves what calendar.ics answers for the week shown', async ({ page }) => {
  await api(page, 'schedules.create', {
    name: 'Daily digest',
    trigger: { type: 'cron', expression: '0 7 * * *', timezone: ZONE },
    action: { type: 'reminder', title: 'Digest' },
  });
  await page.goto(served.pageUrl);
  await places(page).getByRole('button', { name: 'Calendar' }).click();
  await page.getByRole('button', { name: 'Next week' }).click();
  const monday = DateTime.now().setZone(ZONE).startOf('week').plus({ weeks: 1 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download .ics' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(
    `almanac-${monday.toISODate()}-to-${monday.plus({ days: 6 }).toISODate()}.ics`,
  );
  const saved = fs.readFileSync((await download.path())!, 'utf8');
  const answer = await api<CalendarIcs>(page, 'calendar.ics', {
    from: monday.toUTC().toISO(),
    to: monday.plus({ weeks: 1 }).toUTC().toISO(),
  });
  expect(answer.events).toBe(7);
  const events = (text: string) => text.match(/^UID:.*$/gm)?.sort();
  expect(events(saved)).toEqual(events(answer.text));
  expect(events(saved)).toHaveLength(7);
});
