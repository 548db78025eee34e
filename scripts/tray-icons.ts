/**
 * Renders the tray icons (resources/tray-{idle,running,failed}.png, 32 px, and @2x) from
 * resources/icon.svg with a state dot, in Chromium. Electron's nativeImage cannot read SVG.
 * Run: node --import tsx scripts/tray-icons.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/support/browser';

const root = path.resolve(import.meta.dirname, '..');
const svg = fs.readFileSync(path.join(root, 'resources/icon.svg'), 'utf8');
const DOTS = { idle: null, running: '#2563eb', failed: '#dc2626' } as const;

const browser = findChromium();
if (!browser) throw new Error('No Chromium: apt-get install chromium, or set ALMANAC_CHROMIUM');
const instance = await chromium.launch({ executablePath: browser.executablePath, args: CHROMIUM_ARGS });
for (const scale of [1, 2]) {
  const page = await instance.newPage({ viewport: { width: 32, height: 32 }, deviceScaleFactor: scale });
  for (const [state, colour] of Object.entries(DOTS)) {
    const dot = colour
      ? `<circle cx="50" cy="50" r="13" fill="${colour}" stroke="#ffffff" stroke-width="4"/>`
      : '';
    const body = svg
      .replace('</svg>', `${dot}</svg>`)
      .replace(/width="64" height="64"/, 'width="32" height="32"');
    await page.setContent(`<html><body style="margin:0;background:transparent">${body}</body></html>`);
    const name = `tray-${state}${scale === 2 ? '@2x' : ''}.png`;
    await page.screenshot({ path: path.join(root, 'resources', name), omitBackground: true });
    console.log(`wrote resources/${name}`);
  }
  await page.close();
}
await instance.close();
