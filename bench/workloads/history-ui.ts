/**
 * The renderer at a person's scale (issues 14 and 17), in Chromium against browser mode: the built
 * app (`npm run build`) served on the data set of `history.ts prepare DIR 100 1000000` (retention
 * set high so nothing is pruned), plus one schedule with 100,000 runs for its own page. Each moment is
 * timed in the page (performance.now(), a MutationObserver for "first row painted", the Long Tasks
 * API); the server's first answer is timed from the spawn.
 *
 *   node bench/workloads/history-ui.ts <cacheDir> [runs]
 *
 * `cacheDir` keeps the prepared data sets between runs (preparing 1,000,000 runs takes a while).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { Store } from '../../src/main/store';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { percentile, report } from '../harness';
import { call, serveDataDir as serve, stopServed as stop } from '../serve-dir';

const [cacheDir, runsArg] = process.argv.slice(2) as [string, string?];
const runs = Number(runsArg ?? 1_000_000);
// Run from the repository's root (as `npm run bench` runs its children), bundled or not.
const root = process.cwd();
const here = path.join(root, 'bench', 'workloads');
const tsx = ['--import', 'tsx'];
/** The sidebar's buttons, in the order of its places. */
const NAV = (n: number) => `nav[aria-label="Places"] li:nth-child(${n}) button`;

function prepared(name: string, schedules: number, count: number): string {
  const dir = path.join(cacheDir, name);
  const done = path.join(dir, '.prepared');
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  process.stderr.write(
    `  preparing ${name} (${schedules} schedules, ${count.toLocaleString('en-US')} runs)…\n`,
  );
  const result = spawnSync(
    process.execPath,
    [...tsx, path.join(here, 'history.ts'), 'prepare', dir, String(schedules), String(count)],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`prepare ${name} failed`);
  // Nothing is pruned while the bench looks at it.
  const store = Store.open(dir);
  store.settings.put({
    ...DEFAULT_SETTINGS,
    ...store.settings.get(),
    retention: { runsPerSchedule: 1_000_000, maxAgeDays: 36_500 },
  });
  store.close();
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}

/** Marks in the page: when each watched selector first appears, and every long task. */
const INIT = `
  window.__marks = {};
  window.__long = [];
  window.__watch = (name, selector) => { window.__pending.push([name, selector]); check(); };
  window.__pending = [];
  function check() {
    window.__pending = window.__pending.filter(([name, selector]) => {
      if (document.querySelector(selector)) { window.__marks[name] = performance.now(); return false; }
      return true;
    });
  }
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__long.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
`;

// The page's globals, as this file (typed for Node) sees them inside page.evaluate.
interface Win {
  __marks: Record<string, number>;
  __long: { start: number; duration: number }[];
  __watch(name: string, selector: string): void;
}
interface PageElement {
  scrollTop: number;
  click(): void;
}
declare const window: Win;
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
};
declare function requestAnimationFrame(callback: (time: number) => void): number;

/** Clicks what `selector` finds and times until `until` first appears, in the page's clock. */
async function clickToPaint(page: Page, selector: string, until: string): Promise<number> {
  const name = `${until}@${Math.random()}`;
  const start = await page.evaluate(
    ([selector, until, name]) => {
      const win = window as Win;
      const t0 = performance.now();
      win.__watch(name!, until!);
      document.querySelector(selector!)!.click();
      return t0;
    },
    [selector, until, name],
  );
  await page.waitForFunction((name) => window.__marks[name] !== undefined, name, {
    timeout: 60_000,
  });
  // the frame after the DOM change: painted
  const painted = await page.evaluate(
    (name) =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() => resolve(Math.max(window.__marks[name]!, performance.now()))),
      ),
    name,
  );
  return painted - start;
}

async function longTasks(page: Page, from = 0, to = Infinity) {
  const all = await page.evaluate(() => window.__long);
  const within = all.filter((task) => task.start >= from && task.start <= to);
  return { count: within.length, longestMs: within.reduce((max, task) => Math.max(max, task.duration), 0) };
}

function mainChunkGzipKb(): number {
  const html = fs.readFileSync(path.join(root, 'out/renderer/index.html'), 'utf8');
  const entry = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('no entry script in out/renderer/index.html');
  return gzipSync(fs.readFileSync(path.join(root, 'out/renderer', entry))).length / 1024;
}

if (!fs.existsSync(path.join(root, 'out/main/serve.js'))) throw new Error('run `npm run build` first');
fs.mkdirSync(cacheDir, { recursive: true });
const bigDir = prepared(`history-100x${runs}`, 100, runs);
const oneDir = prepared('history-1x100000', 1, 100_000);

const result: Record<string, unknown> = { runs, mainChunkGzipKb: Math.round(mainChunkGzipKb() * 10) / 10 };
const browser = await chromium.launch({
  executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
  args: ['--no-sandbox'],
});
try {
  // ── 100 schedules, a million runs ──
  const big = await serve(bigDir);
  try {
    result.firstAnswerMs = Math.round(big.firstAnswerMs);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await call(big.origin, big.token, 'runs.stats', {});
      times.push(performance.now() - t0);
    }
    result.statsAllMs = Math.round(percentile(times.slice(1), 50) * 10) / 10;

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(INIT);
    await page.addInitScript(() => window.__watch('schedule-row', '[data-testid="schedule-row"]'));
    await page.goto(big.pageUrl);
    await page.waitForFunction(() => window.__marks['schedule-row'] !== undefined, null, {
      timeout: 60_000,
    });
    result.loadToSchedulesMs = Math.round(await page.evaluate(() => window.__marks['schedule-row']!));
    await page.waitForTimeout(500);

    // History: cold (its chunk loads), then warm
    result.historyColdMs = Math.round(
      await clickToPaint(page, NAV(3), '[data-testid="history-list"] [data-testid="run-row"]'),
    );
    await page.waitForTimeout(300);
    await page.locator(NAV(1)).click();
    await page.waitForSelector('[data-testid="schedule-row"]');
    await page.waitForTimeout(300);
    result.historyMs = Math.round(
      await clickToPaint(page, NAV(3), '[data-testid="history-list"] [data-testid="run-row"]'),
    );

    // Scroll through 10,000 rows as fast as pages arrive; long tasks meanwhile.
    const scroll = await page.evaluate(async () => {
      const box = document.querySelector('[data-testid="history-scroll"]')!;
      box.scrollTop = 0;
      const t0 = performance.now();
      const target = 10_000 * 38;
      let frames = 0;
      while (box.scrollTop < target) {
        const before = box.scrollTop;
        box.scrollTop = Math.min(before + 760, target);
        frames++;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        // at the loaded end: wait for the next page to make room
        if (box.scrollTop === before) await new Promise((resolve) => setTimeout(resolve, 16));
        if (performance.now() - t0 > 120_000) break;
      }
      const rows = document.querySelectorAll('[data-testid="run-row"]').length;
      return { t0, t1: performance.now(), frames, reached: Math.round(box.scrollTop / 38), rowsInDom: rows };
    });
    const scrollTasks = await longTasks(page, scroll.t0, scroll.t1);
    result.scroll = {
      ...scroll,
      ms: Math.round(scroll.t1 - scroll.t0),
      longTasks: scrollTasks.count,
      longestTaskMs: Math.round(scrollTasks.longestMs),
    };

    await page.locator(NAV(1)).click();
    await page.waitForSelector('[data-testid="schedule-row"]');
    await page.waitForTimeout(300);
    result.calendarMs = Math.round(await clickToPaint(page, NAV(2), '[data-testid="cal-cell"]'));
    await page.waitForTimeout(1000);
    const visit = await longTasks(page);
    result.visitLongTasks = visit.count;
    result.visitLongestTaskMs = Math.round(visit.longestMs);
    await page.close();
  } finally {
    await stop(big);
  }

  // ── one schedule with 100,000 runs: its page ──
  const one = await serve(oneDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(INIT);
    await page.goto(one.pageUrl);
    await page.waitForSelector('[data-testid="schedule-row"]');
    await page.locator(NAV(3)).click();
    await page.waitForSelector('[data-testid="history-list"] [data-testid="run-row"]');
    // warm the page's chunk once, then time a visit from a history row
    const pages: number[] = [];
    for (let i = 0; i < 4; i++) {
      const ms = await clickToPaint(
        page,
        '[data-testid="history-list"] [data-testid="run-row"] .link-button',
        '[data-testid="schedule-page"] [data-testid="stats-total"]',
      );
      await page.waitForSelector('[data-testid="schedule-page"] [data-testid="run-row"]');
      pages.push(ms);
      await page.locator(NAV(3)).click();
      await page.waitForSelector('[data-testid="history-list"] [data-testid="run-row"]');
      await page.waitForTimeout(200);
    }
    result.schedulePageColdMs = Math.round(pages[0]!);
    result.schedulePageMs = Math.round(percentile(pages.slice(1), 50));
    await page.close();
  } finally {
    await stop(one);
  }
} finally {
  await browser.close();
}
report(result);
