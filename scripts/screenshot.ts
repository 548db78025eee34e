/**
 * Takes the README screenshot of the real UI: browser mode on a temp data dir, a few schedules,
 * Chromium at 1280×800; then kills the server and takes the lost-server banner.
 * `node --import tsx scripts/screenshot.ts [out.png] [lost.png]`
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/support/browser';
import { serveAlmanac } from '../test/support/server';

const out = process.argv[2] ?? 'docs/screenshot.png';
const lostOut = process.argv[3] ?? 'docs/lost-server.png';
const served = await serveAlmanac();
const api = (method: string, input: unknown) =>
  fetch(`${served.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  }).then((res) => res.json());

const zone = 'Europe/Berlin';
await api('schedules.create', {
  name: 'Nightly backup',
  trigger: { type: 'cron', expression: '0 2 * * *', timezone: zone },
  action: { type: 'command', command: 'restic backup ~/docs' },
});
await api('schedules.create', {
  name: 'Check the build',
  trigger: { type: 'cron', expression: '*/2 * * * * *', timezone: zone },
  action: { type: 'command', command: 'echo "build is green"; date' },
});
await api('schedules.create', {
  name: 'Flaky sync',
  trigger: { type: 'cron', expression: '*/3 * * * * *', timezone: zone },
  action: { type: 'command', command: 'echo "remote unreachable" >&2; exit 1' },
});
await api('schedules.create', {
  name: 'Stand up',
  trigger: { type: 'cron', expression: '45 9 * * MON-FRI', timezone: zone },
  action: { type: 'reminder', title: 'Stand up', body: 'Stretch and walk for five minutes' },
});
await new Promise((resolve) => setTimeout(resolve, 7000));

const browser = await chromium.launch({
  executablePath: findChromium()?.executablePath,
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(served.pageUrl);
await page.getByLabel('Name').fill('Tick');
await page.getByLabel('Cron expression').fill('*/5 * * * 1-5');
await page.waitForTimeout(1000);
await page.screenshot({ path: out });
console.log(`wrote ${out}`);

await served.kill();
await page.getByTestId('connection-lost').waitFor({ timeout: 5000 });
await page.waitForTimeout(300);
await page.screenshot({ path: lostOut });
console.log(`wrote ${lostOut}`);
await browser.close();
