/**
 * The same visit as window-first-row.ts, counted in main-thread CPU time rather than wall time, so a
 * machine busy with other work does not blur it: a Chromium trace (devtools.timeline) of each page
 * load, summing the thread time (`tdur`) of the renderer main thread's tasks until the first row is
 * in the document, and the longest single task by thread time over the first 3 s.
 *
 *   node --import tsx bench/window-first-row-cpu.ts DIR [passes=3]   (ALMANAC_SERVE=… for another build)
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/support/browser';
import { serveDataDir } from './serve-dir';

const [dir, passesArg] = process.argv.slice(2) as [string, string?];
const { child, pageUrl } = await serveDataDir(dir, process.env.ALMANAC_SERVE);
process.on('exit', () => child.kill());

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { data?: { message?: string } };
}

const browser = await chromium.launch({
  executablePath: findChromium()?.executablePath,
  args: CHROMIUM_ARGS,
});
const passes: { cpuToFirstRowMs: number; longestTaskCpuMs: number; tasksOver50CpuMs: number }[] = [];
for (let i = 0; i < Number(passesArg ?? 3); i++) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({
    content: `
      const seen = new MutationObserver(() => {
        if (document.querySelector('[data-testid=schedule-row]')) {
          console.timeStamp('first-row');
          seen.disconnect();
        }
      });
      document.addEventListener('DOMContentLoaded', () =>
        seen.observe(document.body, { childList: true, subtree: true }));
    `,
  });
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'],
  });
  await page.goto(pageUrl);
  await page.locator('[data-testid=schedule-row]').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(3000);
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] })
    .traceEvents;
  const mark = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'first-row')!;
  const main = (e: TraceEvent) => e.pid === mark.pid && e.tid === mark.tid;
  const start = events
    .filter((e) => main(e) && e.name === 'RunTask')
    .reduce((t, e) => Math.min(t, e.ts), Infinity);
  const tasks = events.filter((e) => main(e) && e.name === 'RunTask' && e.ph === 'X');
  const cpu = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;
  const before = tasks.filter((e) => e.ts < mark.ts);
  const early = tasks.filter((e) => e.ts < start + 3_000_000 + (mark.ts - start));
  passes.push({
    cpuToFirstRowMs: Math.round(before.reduce((sum, e) => sum + cpu(e), 0)),
    longestTaskCpuMs: Math.round(Math.max(0, ...early.map(cpu))),
    tasksOver50CpuMs: early.filter((e) => cpu(e) > 50).length,
  });
  await page.close();
}
await browser.close();
console.log(JSON.stringify({ build: process.env.ALMANAC_SERVE ?? 'out/main/serve.js', passes }));
child.kill();
process.exit(0);
