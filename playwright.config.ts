import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './test/support/browser';

const browser = findChromium();
if (!browser && process.env.CI === 'true') {
  throw new Error(
    'No Chromium found for the e2e suite (set ALMANAC_CHROMIUM, install Playwright browsers, or apt-get install chromium). Under CI=true this is a failure.',
  );
}

export default defineConfig({
  reporter: [['list']],
  timeout: 60_000,
  workers: 1,
  projects: [
    {
      name: 'e2e',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: browser?.executablePath, args: CHROMIUM_ARGS },
        viewport: { width: 1280, height: 800 },
        trace: 'retain-on-failure',
      },
    },
    {
      name: 'electron',
      testDir: 'test/electron',
    },
  ],
});
