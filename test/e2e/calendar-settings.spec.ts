import { expect, test, type Page } from '@playwright/test';
import { DateTime } from 'luxon';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';
import { callApi } from '../support/e2e-api';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');

/** The viewer lives in Berlin, so the grid's zone is not the server's UTC. */
const ZONE = 'Europe/Berlin';
test.use({ timezoneId: ZONE });

let served: ServedAlmanac;
test.beforeEach(async () => {
  served = await serveAlmanac();
});
test.afterEach(async () => {
  await served.stop();
});

const api = <T>(page: Page, method: string, input: unknown): Promise<T> =>
  callApi<T>(page, served, method, input);

/** Moves the grid to the (Monday-first) week holding `iso`, from the current week. */
async function showWeekOf(page: Page, iso: string) {
  const weeks = Math.round(
    DateTime.fromISO(iso, { zone: ZONE })
      .startOf('week')
      .diff(DateTime.now().setZone(ZONE).startOf('week'), 'weeks').weeks,
  );
  await page.getByRole('button', { name: 'Today' }).click();
  for (let i = 0; i < weeks; i++) await page.getByRole('button', { name: 'Next week' }).click();
}

const cell = (page: Page, startIso: string) =>
  page.locator(`[data-testid="cal-cell"][data-start="${new Date(startIso).toISOString()}"]`);

test('a new schedule shows in the calendar; a free slot books a reminder; the slot size setting is saved and followed', async ({
  page,
}, testInfo) => {
  await page.goto(served.pageUrl);
  await expect(page).toHaveURL(served.url);

  // an hourly schedule, created in the UI
  await page.getByRole('button', { name: 'New schedule' }).click();
  await page.getByLabel('Name').fill('Hourly report');
  await page.getByRole('tab', { name: 'Cron' }).click();
  await page.getByLabel('Cron expression').fill('0 * * * *');
  await page.getByLabel('Time zone').fill(ZONE);
  await page.getByRole('textbox', { name: 'Command', exact: true }).fill('true');
  await page.getByRole('button', { name: /create/i }).click();
  await expect(page.getByTestId('schedule-row').filter({ hasText: 'Hourly report' })).toBeVisible();
  const [schedule] = (await api<{ items: { nextFireAt: string }[] }>(page, 'schedules.list', {})).items;
  const next = schedule!.nextFireAt;

  // the calendar shows it in the slot of its next occurrence, in 30-minute slots by default
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Calendar' }).click();
  await expect(page.getByRole('heading', { name: 'Calendar', level: 1 })).toBeVisible();
  await expect(page.locator('table.cal-grid')).toHaveAttribute('data-slot-minutes', '30');
  await showWeekOf(page, next);
  const planned = cell(page, next);
  await expect(planned).toHaveAttribute('data-planned', '1');
  await expect(planned).toContainText('Hourly report');
  await expect(planned).toHaveAttribute('aria-label', /1 planned \(Hourly report\)/);
  await expect(page.getByText('Runs', { exact: true })).toBeVisible();

  // the half hour after it is free: book a reminder there
  const freeStart = DateTime.fromISO(next).plus({ minutes: 30 }).toUTC().toISO()!;
  await showWeekOf(page, freeStart);
  const free = cell(page, freeStart);
  await expect(free).toHaveAttribute('data-planned', '0');
  await free.getByRole('button', { name: /^Book / }).click();
  const form = page.getByRole('form', { name: 'Book this slot' });
  await form.getByLabel('Name').fill('Stretch');
  await page.screenshot({ path: testInfo.outputPath('calendar-booking.png') });
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(page.getByText(/Booked “Stretch” for/)).toBeVisible();
  await expect(free).toHaveAttribute('data-planned', '1');
  await expect(free).toContainText('Stretch');
  await page.screenshot({ path: testInfo.outputPath('calendar.png') });

  // Settings: one-hour slots, saved
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Settings' }).click();
  const slotSize = page.getByLabel('Slot size');
  await expect(slotSize).toHaveValue('30');
  await slotSize.selectOption('60');
  await expect(page.getByTestId('settings-status')).toHaveText('1 unsaved change');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
  await page.screenshot({ path: testInfo.outputPath('settings.png'), fullPage: true });
  expect(
    (await api<{ calendar: { slotMinutes: number } }>(page, 'settings.get', {})).calendar.slotMinutes,
  ).toBe(60);

  // the calendar follows: hour rows, the booking now shares the schedule's slot
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Calendar' }).click();
  await expect(page.locator('table.cal-grid')).toHaveAttribute('data-slot-minutes', '60');
  await showWeekOf(page, next);
  await expect(page.locator('table.cal-grid tbody tr')).toHaveCount(24);
  const hour = cell(page, next);
  await expect(hour).toHaveAttribute('data-planned', '2');
  await expect(hour).toContainText('Hourly report');
  await expect(hour).toContainText('Stretch');

  // and it stays saved across a reload
  await page.reload();
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Slot size')).toHaveValue('60');
});
