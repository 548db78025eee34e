/**
 * The page and a lost server (issue 12 §2), in a real Chromium against real browser-mode processes:
 * killed, the server is noticed within 5 s, with one banner; restarted on the same port and data
 * folder (and so the same kept token), the page reconnects by itself, reloads and says so. A server
 * that hangs (SIGSTOP) is noticed by the heartbeat's absence.
 */
import { expect, test, type Page } from '@playwright/test';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');
test.skip(process.platform === 'win32', 'SIGKILL and SIGSTOP are POSIX signals');

const running: ServedAlmanac[] = [];
test.afterEach(async () => {
  for (const served of running.splice(0)) {
    if (served.child.signalCode === null && served.child.exitCode === null) served.child.kill('SIGCONT');
    await served.stop();
  }
});

async function serve(options: Parameters<typeof serveAlmanac>[0] = {}): Promise<ServedAlmanac> {
  // token: null, so the server keeps its own token in the data folder and a restart reuses it
  const served = await serveAlmanac({ token: null, ...options });
  running.push(served);
  return served;
}

async function openLive(page: Page, served: ServedAlmanac): Promise<void> {
  await page.goto(served.pageUrl);
  await expect(page.getByText('Engine: Idle')).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
}

test('killed: one banner within 5 s; restarted on the same port and folder: reconnected, reloaded, and said so', async ({
  page,
}, testInfo) => {
  const first = await serve();
  await openLive(page, first);

  await first.kill();
  const banner = page.getByTestId('connection-lost');
  await expect(banner).toBeVisible({ timeout: 5_000 });
  await expect(banner).toContainText('Lost the connection to Almanac’s server');
  await expect(page.getByRole('alert')).toHaveCount(1);
  await expect(page.getByText('Engine: Unreachable')).toBeVisible();
  await expect(page.getByText('Not live')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('lost-server.png') });

  // while the page is away, another server on the same folder changes what it should show
  const meanwhile = await serve({ dataDir: first.dataDir });
  expect(meanwhile.token).toBe(first.token);
  const created = await page.request.post(`${meanwhile.origin}/api/schedules.create`, {
    headers: { authorization: `Bearer ${meanwhile.token}` },
    data: {
      name: 'Made while the page was away',
      trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
      action: { type: 'command', command: 'true' },
    },
  });
  expect(created.ok()).toBe(true);
  await meanwhile.stop();
  // the banner stayed, alone, through the page's own retries
  await expect(page.getByRole('alert')).toHaveCount(1);

  await serve({ dataDir: first.dataDir, port: first.port });
  await expect(banner).toBeHidden({ timeout: 20_000 });
  await expect(page.getByText('Reconnected to Almanac; everything shown was reloaded.')).toBeVisible();
  await expect(
    page.getByTestId('schedule-row').filter({ hasText: 'Made while the page was away' }),
  ).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await expect(page.getByText('Engine: Idle')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('hung (SIGSTOP): the missing heartbeat is noticed; resumed, the page reconnects by itself', async ({
  page,
}) => {
  const served = await serve();
  await openLive(page, served);

  served.child.kill('SIGSTOP');
  // nothing closes the connection: only the silence tells (5 s after the last heartbeat, at most
  // 2 s before the stop); the margin beyond that is for a loaded machine
  const banner = page.getByTestId('connection-lost');
  await expect(banner).toBeVisible({ timeout: 8_000 });
  await expect(banner).toContainText('nothing heard from the server for 5 s');

  served.child.kill('SIGCONT');
  await expect(banner).toBeHidden({ timeout: 20_000 });
  await expect(page.getByText('Reconnected to Almanac; everything shown was reloaded.')).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
});
