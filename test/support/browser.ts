/**
 * Which Chromium the e2e suite drives: $ALMANAC_CHROMIUM, then Playwright's own download, then
 * Debian's /usr/bin/chromium. Under CI=true a missing browser is a failure, never a skip.
 */
import { chromium } from '@playwright/test';
import fs from 'node:fs';

export interface BrowserChoice {
  executablePath: string | undefined;
  source: string;
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): BrowserChoice | null {
  if (env.ALMANAC_CHROMIUM) {
    if (!fs.existsSync(env.ALMANAC_CHROMIUM))
      throw new Error(`ALMANAC_CHROMIUM points at ${env.ALMANAC_CHROMIUM}, which does not exist`);
    return { executablePath: env.ALMANAC_CHROMIUM, source: 'ALMANAC_CHROMIUM' };
  }
  try {
    const own = chromium.executablePath();
    if (own && fs.existsSync(own))
      return { executablePath: undefined, source: `Playwright's Chromium (${own})` };
  } catch {
    // no Playwright browsers installed
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (fs.existsSync(candidate)) return { executablePath: candidate, source: candidate };
  }
  return null;
}

/** Flags for a closed network and root: no sandbox, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
