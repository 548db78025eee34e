import { expect, test } from '@playwright/test';
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

test('a schedule created in the UI runs every second and its output shows up live', async ({ page }) => {
  await page.goto(served.pageUrl);
  // the page takes the token from the fragment and drops it from the address bar
  await expect(page).toHaveURL(served.url);

  await page.getByRole('button', { name: 'New schedule' }).click();
  await page.getByLabel('Name').fill('Tick');
  await page.getByRole('tab', { name: 'Cron' }).click();
  await page.getByLabel('Cron expression').fill('* * * * * *');
  await page.getByLabel('Time zone').fill('UTC');
  await page.getByRole('textbox', { name: 'Command', exact: true }).fill('echo hello-from-almanac');
  await page.getByRole('button', { name: /create/i }).click();

  await expect(page.getByTestId('schedule-row').filter({ hasText: 'Tick' })).toBeVisible();
  const succeeded = page.locator('[data-testid="run-row"][data-status="succeeded"]').first();
  await expect(succeeded).toBeVisible({ timeout: 15_000 });
  await succeeded.click();
  await expect(page.getByTestId('run-output')).toContainText('hello-from-almanac');
});

test('bad input is refused beside its field and nothing is stored', async ({ page, request }) => {
  await page.goto(served.pageUrl);
  await page.getByRole('button', { name: 'New schedule' }).click();
  await page.getByLabel('Name').fill('Broken');
  await page.getByRole('tab', { name: 'Cron' }).click();
  await page.getByLabel('Cron expression').fill('61 * * * *');
  await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await page.getByRole('textbox', { name: 'Command', exact: true }).fill('   ');
  await page.getByRole('button', { name: /create/i }).click();

  await expect(page.locator('[data-path="trigger.expression"] .ui-error')).toContainText(/minute/i);
  await expect(page.locator('[data-path="trigger.timezone"] .ui-error')).toContainText(/time zone/i);
  await expect(page.locator('[data-path="action.command"] .ui-error')).toContainText(/empty/i);

  const list = await request.post(`${served.origin}/api/schedules.list`, {
    headers: { authorization: `Bearer ${served.token}` },
    data: {},
  });
  expect((await list.json()).value.items).toEqual([]);
});
