/**
 * Issue 14 in Chromium against browser mode: filter the history, open a run and watch its output
 * arrive live; a schedule's page shows the statistics `runs.stats` answers; an exported CSV holds
 * exactly the rows `runs.list` gives for the same filter.
 */
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import type { RunStats } from '../../src/shared/api';
import type { Run, RunDetail, Schedule } from '../../src/shared/domain';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';
import { callApi } from '../support/e2e-api';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');

let served: ServedAlmanac;
test.beforeEach(async () => {
  served = await serveAlmanac();
});
test.afterEach(async () => {
  await served.stop();
});

const api = <T>(page: Page, method: string, input: unknown): Promise<T> =>
  callApi<T>(page, served, method, input);

/** A schedule that fires once a year (never during a test) and runs `command` when asked. */
function command(page: Page, name: string, text: string): Promise<Schedule> {
  return api<Schedule>(page, 'schedules.create', {
    name,
    trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
    action: { type: 'command', command: text, shell: true },
  });
}

async function ended(page: Page, id: string): Promise<RunDetail> {
  let detail: RunDetail | null = null;
  await expect
    .poll(
      async () => {
        detail = await api<RunDetail>(page, 'runs.get', { id });
        return detail.status;
      },
      { timeout: 20_000 },
    )
    .not.toMatch(/^(queued|running)$/);
  return detail!;
}

async function openHistory(page: Page) {
  await page.goto(served.pageUrl);
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
}

async function pickStatus(page: Page, ...names: string[]) {
  await page.getByTestId('filter-status').getByRole('button').first().click();
  const list = page.getByRole('listbox');
  for (const name of names) await list.getByRole('option', { name, exact: true }).click();
  await page.keyboard.press('Escape');
}

test('filter the history, open a run and watch its output arrive live', async ({ page }) => {
  const slow = await command(page, 'Slow counter', 'for i in $(seq 1 15); do echo "tick-$i"; sleep 1; done');
  const broken = await command(page, 'Broken', 'echo "about to fail"; exit 3');
  const failed = await api<Run>(page, 'schedules.runNow', { id: broken.id });
  expect((await ended(page, failed.id)).status).toBe('failed');

  await openHistory(page);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  const running = await api<Run>(page, 'schedules.runNow', { id: slow.id });
  // the new run arrives live, without a reload
  await expect(page.getByTestId('run-row')).toHaveCount(2);

  await pickStatus(page, 'Failed');
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-id', failed.id);
  await pickStatus(page, 'Failed', 'Running');
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-id', running.id);

  await page.getByTestId('run-row').click();
  const detail = page.getByTestId('run-detail');
  const output = detail.getByTestId('run-output');
  // Seen while the run still goes: the first lines are there, the last not yet.
  await expect(output).toContainText('tick-1');
  await expect(detail.getByText('Streaming…')).toBeVisible();
  expect(await output.textContent()).not.toContain('tick-15');
  await expect(output).toContainText('tick-4');
  await expect(output).toContainText('tick-15', { timeout: 30_000 });
  const done = await ended(page, running.id);
  expect(done.status).toBe('succeeded');
  await expect(detail.getByTestId('run-exit')).toHaveText('0');
  await expect(output).toHaveText(done.output);
});

test('a schedule’s page shows its settings, next runs and the statistics runs.stats answers', async ({
  page,
}) => {
  const schedule = await command(page, 'Measured', 'sleep 0.2; echo measured');
  const other = await command(page, 'Other', 'exit 1');
  for (let i = 0; i < 3; i++)
    await ended(page, (await api<Run>(page, 'schedules.runNow', { id: schedule.id })).id);
  await ended(page, (await api<Run>(page, 'schedules.runNow', { id: other.id })).id);

  await openHistory(page);
  await page.getByTitle('Open the page of Measured').first().click();
  const view = page.getByTestId('schedule-page');
  await expect(view.getByRole('heading', { level: 1, name: 'Measured' })).toBeVisible();
  await expect(view.getByTestId('schedule-words')).toContainText('cron 0 0 1 1 *');
  await expect(view.getByTestId('schedule-next').locator('li')).toHaveCount(5);
  await expect(view.getByTestId('stats-total')).toHaveText('3');

  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const now = Date.now();
  const stats = await api<RunStats>(page, 'runs.stats', {
    scheduleId: schedule.id,
    from: new Date(now - 30 * 86_400_000).toISOString(),
    to: new Date(now).toISOString(),
    timezone: zone,
  });
  expect(stats.total).toBe(3);
  await expect(view.getByTestId('stats-success')).toHaveText(`${(stats.successRate! * 100).toFixed(1)} %`);
  await expect(view.getByTestId('stats-success')).toHaveAttribute('data-value', String(stats.successRate));
  await expect(view.getByTestId('stats-p50')).toHaveAttribute('data-ms', String(stats.durationMs!.p50));
  await expect(view.getByTestId('stats-p95')).toHaveAttribute('data-ms', String(stats.durationMs!.p95));
  await expect(view.getByTestId('stats-p50')).toHaveText(/^\d+(\.\d+)? (ms|s)$/);
  // its own history holds its runs only
  const own = await api<{ items: Run[] }>(page, 'runs.list', { scheduleId: schedule.id });
  await expect(view.getByTestId('run-row')).toHaveCount(own.items.length);
  // the charts are drawn (uPlot canvases)
  await expect(view.getByTestId('chart-days').locator('canvas')).toHaveCount(1);
  await expect(view.getByTestId('chart-trend').locator('canvas')).toHaveCount(1);
});

test('export CSV of the current filter holds exactly the rows runs.list gives', async ({ page }) => {
  const good = await command(page, 'Good, "quoted"', 'echo fine');
  const bad = await command(page, 'Bad', 'exit 2');
  for (let i = 0; i < 3; i++)
    await ended(page, (await api<Run>(page, 'schedules.runNow', { id: good.id })).id);
  for (let i = 0; i < 2; i++)
    await ended(page, (await api<Run>(page, 'schedules.runNow', { id: bad.id })).id);

  await openHistory(page);
  await pickStatus(page, 'Succeeded');
  await expect(page.getByTestId('run-row')).toHaveCount(3);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^almanac-runs-.*\.csv$/);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  const [header, ...rows] = parse(text) as string[][];
  const listed = await api<{ items: Run[] }>(page, 'runs.list', { status: ['succeeded'] });
  expect(rows.map((row) => row[header!.indexOf('id')])).toEqual(listed.items.map((run) => run.id));
  expect(rows.map((row) => row[header!.indexOf('status')])).toEqual(listed.items.map(() => 'succeeded'));
  expect(rows.map((row) => row[header!.indexOf('scheduleId')])).toEqual(listed.items.map(() => good.id));
  await expect(page.getByTestId('export-status')).toContainText('3 runs in');
});
