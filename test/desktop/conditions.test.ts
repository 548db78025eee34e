/**
 * Run conditions on the desktop (issue 16 §2): the real index.ts reads power and idle time from
 * powerMonitor (the fake, following Electron's typings), and a power change reaches the engine at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { launch, removeTempDirs, type Launched } from './launch';

const running: Launched[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.quit();
  removeTempDirs();
});

describe('run conditions on the desktop', () => {
  it('app.status says the desktop can tell power and idle time', async () => {
    const app = await launch();
    running.push(app);
    expect((await app.call('app.status', {})).conditionsSupported).toBe(true);
  });
});
