/**
 * Page load → first row of the Schedules place, in Chromium against browser mode on a prepared data
 * dir (`history.ts prepare DIR 100 1000000`; set retention high first so nothing is pruned). Prints the
 * time to the first row, the long tasks while the place loads, and the heaviest functions of a CPU
 * profile (CDP Profiler), so what blocks the main thread has a name.
 *
 *   node --import tsx bench/window-first-row.ts DIR [runs=3]
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/support/browser';
import { serveDataDir, stopServed } from './serve-dir';

const [dir, runsArg] = process.argv.slice(2) as [string, string?];
const server = await serveDataDir(dir, process.env.ALMANAC_SERVE);
process.on('exit', () => server.child.kill());
try {
  const choice = findChromium();
  const browser = await chromium.launch({ executablePath: choice?.executablePath, args: CHROMIUM_ARGS });
  const figures: { firstRowMs: number; longTasks: number[]; api: unknown }[] = [];
  let profileTop: [string, number][] = [];
  for (let i = 0; i < Number(runsArg ?? 3); i++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // in the page (a string: this file has no DOM types): long tasks, and the moment the first row
    // is in the document, measured there rather than by a polling driver
    await page.addInitScript({
      content: `
        window.__long = [];
        window.__firstRow = null;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__long.push(Math.round(entry.duration));
        }).observe({ type: 'longtask', buffered: true });
        const seen = new MutationObserver(() => {
          if (window.__firstRow === null && document.querySelector('[data-testid=schedule-row]')) {
            window.__firstRow = performance.now();
            seen.disconnect();
          }
        });
        document.addEventListener('DOMContentLoaded', () =>
          seen.observe(document.body, { childList: true, subtree: true }));
      `,
    });
    const cdp = await page.context().newCDPSession(page);
    const profiling = i === 0;
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(server.pageUrl);
    await page.locator('[data-testid=schedule-row]').first().waitFor({ timeout: 60_000 });
    const firstRowMs = await page.evaluate(() =>
      Math.round((globalThis as unknown as { __firstRow: number }).__firstRow),
    );
    await page.waitForTimeout(1500); // let the place settle; long tasks after the first row count too
    const longTasks = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long);
    // when each API answer arrived (ms since navigation), to tell server time from renderer time
    const api = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.includes('/api/') && !entry.name.includes('/api/events'))
        .map((entry) => [
          entry.name.split('/api/')[1],
          Math.round(entry.startTime),
          Math.round((entry as unknown as { responseEnd: number }).responseEnd),
        ]),
    );
    figures.push({ firstRowMs, longTasks, api });
    if (profiling) {
      const { profile } = (await cdp.send('Profiler.stop')) as {
        profile: {
          nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
          samples: number[];
          timeDeltas: number[];
        };
      };
      const self = new Map<number, number>();
      profile.samples.forEach((id, n) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[n] ?? 0)));
      const byName = new Map<string, number>();
      for (const node of profile.nodes) {
        const us = self.get(node.id) ?? 0;
        const { functionName, url, lineNumber } = node.callFrame;
        const key = `${functionName || '(anon)'} ${url.split('/').pop()}:${lineNumber}`;
        byName.set(key, (byName.get(key) ?? 0) + us / 1000);
      }
      profileTop = [...byName]
        .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)'))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([k, ms]) => [k, Math.round(ms)]);
    }
    await page.close();
  }
  await browser.close();
  console.log(JSON.stringify({ figures, goalMs: 300, profileTopSelfMs: profileTop }, null, 1));
} finally {
  await stopServed(server);
}
