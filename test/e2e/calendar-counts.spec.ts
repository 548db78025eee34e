/**
 * Issue 12 §1 in a real browser: two schedules every minute and one every 2 minutes. The week's
 * slots show what calendar.slots says, which is what the planner says (schedules.preview), in full:
 * 75 per half hour, no "planning stopped early" notice, and busy slots can still be booked.
 */
import { expect, test, type Page } from '@playwright/test';
import { DateTime } from 'luxon';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';
import { callApi } from '../support/e2e-api';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');

const ZONE = 'Europe/Berlin';
test.use({ timezoneId: ZONE, viewport: { width: 1440, height: 900 } });

let served: ServedAlmanac;
test.beforeEach(async () => {
  served = await serveAlmanac();
});
test.afterEach(async () => {
  await served.stop();
});

const api = <T>(page: Page, method: string, input: unknown): Promise<T> =>
  callApi<T>(page, served, method, input);

interface Slot {
  start: string;
  end: string;
  plannedCount: number;
}

const SETUP = [
  { name: 'Every minute A', expression: '* * * * *' },
  { name: 'Every minute B', expression: '* * * * *' },
  { name: 'Every 2 minutes', expression: '*/2 * * * *' },
];

test('the calendar counts the three-schedule week in full, as the planner does', async ({
  page,
}, testInfo) => {
  // a dozen API calls and two weeks of cells: room for a loaded 2-core machine
  test.setTimeout(150_000);
  const triggers = SETUP.map(({ expression }) => ({ type: 'cron', expression, timezone: ZONE }));
  for (const [i, { name }] of SETUP.entries()) {
    await api(page, 'schedules.create', {
      name,
      trigger: triggers[i],
      action: { type: 'command', command: 'true' },
    });
  }
  await page.goto(served.pageUrl);
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Calendar' }).click();
  await expect(page.locator('table.cal-grid')).toHaveAttribute('data-slot-minutes', '30');

  // next week: every slot is ahead of now, so the answer does not move while the test looks at it
  await page.getByRole('button', { name: 'Next week' }).click();
  const monday = DateTime.now().setZone(ZONE).startOf('week').plus({ weeks: 1 });
  const range = {
    from: monday.toUTC().toISO()!,
    to: monday.plus({ weeks: 1 }).toUTC().toISO()!,
    timezone: ZONE,
  };
  const grid = await api<{ slots: Slot[]; truncated: boolean; notShown: unknown[] }>(page, 'calendar.slots', {
    ...range,
    slotMinutes: 30,
  });
  expect(grid.truncated).toBe(false);
  expect(grid.notShown).toEqual([]);

  // a few slots across the week: the cell shows the API's count, and that count is the planner's
  const picked = [0, 100, grid.slots.length - 1].map((i) => grid.slots[i]!);
  for (const slot of picked) {
    let planner = 0;
    for (const trigger of triggers) {
      const { occurrences } = await api<{ occurrences: { at: string }[] }>(page, 'schedules.preview', {
        trigger,
        from: slot.start,
        count: 40,
      });
      planner += occurrences.filter((o) => Date.parse(o.at) < Date.parse(slot.end)).length;
    }
    expect(slot.plannedCount).toBe(planner);
    const cell = page.locator(`[data-testid="cal-cell"][data-start="${slot.start}"]`);
    await expect(cell).toHaveAttribute('data-planned', String(slot.plannedCount));
    await expect(cell.locator('.cal-planned-count')).toHaveText(String(slot.plannedCount));
  }
  // busy, but the queue has room: a booking can still be made there
  const busy = page.locator(`[data-testid="cal-cell"][data-start="${picked[1]!.start}"]`);
  await expect(busy.getByRole('button', { name: /^Book / })).toBeVisible();
  await expect(page.locator('.cal-truncated')).toHaveCount(0);

  // this week too (past slots hold the runs so far), and its picture
  await page.getByRole('button', { name: 'Today' }).click();
  const thisMonday = monday.minus({ weeks: 1 }).toUTC().toISO()!;
  await expect(page.locator(`[data-testid="cal-cell"][data-start="${thisMonday}"]`)).toHaveCount(1);
  await expect(page.locator('.cal-truncated')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('calendar-week.png') });
});
