import { _electron as electron, expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** The electron package downloads its runtime on first use; where that fails, there is no runtime. */
function electronRuntime(): string | null {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
  });
  return probe.status === 0 && fs.existsSync(probe.stdout.trim()) ? probe.stdout.trim() : null;
}

const runtime = electronRuntime();
const SKIP_REASON =
  'The Electron runtime is not installed on this machine and cannot be downloaded here (no network beyond the package registries); this suite runs where it is.';
// the list reporter does not print skip reasons, so say it where the run log shows it
if (runtime === null) console.log(`electron suite skipped: ${SKIP_REASON}`);

test.skip(runtime === null, SKIP_REASON);

test('the desktop app creates a schedule that runs every second and shows its output', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'almanac-electron-'));
  const app = await electron.launch({
    executablePath: runtime!,
    args: [root, `--data-dir=${dataDir}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
  });
  try {
    const page = await app.firstWindow();
    // the built renderer, from Almanac's own origin (not file://, not a dev server)
    expect(page.url()).toBe('app://almanac/index.html');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(
      await page.evaluate(() => Object.keys((globalThis as { almanac?: object }).almanac ?? {}).sort()),
    ).toEqual(['invoke', 'on', 'onOpenRun']);
    await page.getByRole('button', { name: 'New schedule' }).click();
    await page.getByLabel('Name').fill('Tick');
    await page.getByRole('tab', { name: 'Cron' }).click();
    await page.getByLabel('Cron expression').fill('* * * * * *');
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('textbox', { name: 'Command', exact: true }).fill('echo hello-from-almanac');
    await page.getByRole('button', { name: /create/i }).click();
    const succeeded = page.locator('[data-testid="run-row"][data-status="succeeded"]').first();
    await expect(succeeded).toBeVisible({ timeout: 15_000 });
    await succeeded.click();
    await expect(page.getByTestId('run-output')).toContainText('hello-from-almanac');
  } finally {
    await app.close();
  }
});
