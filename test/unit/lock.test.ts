import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/main/app';
import { acquireEngineLock, EngineLockedError } from '../../src/main/store';
import { quietLog, tempDir } from '../support/engine';

const root = path.resolve(import.meta.dirname, '../..');

describe('one engine per data directory', () => {
  it('a second engine on the same data dir refuses to start with a clear message', () => {
    const dataDir = tempDir();
    const first = startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog });
    try {
      expect(() => startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog })).toThrow(
        EngineLockedError,
      );
      expect(() => startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog })).toThrow(
        /Another Almanac engine is already running on .* \(pid \d+\)/,
      );
    } finally {
      first.close();
    }
    // released on close: a new engine may start
    startApp({ dataDir, mode: 'browser', version: 'test', log: quietLog }).close();
  });

  it('a crashed engine (kill -9) does not leave the lock stuck', async () => {
    const dataDir = tempDir();
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./src/main/store/lock.ts').then(({ acquireEngineLock }) => { acquireEngineLock(${JSON.stringify(dataDir)}); console.log('locked'); setInterval(() => {}, 1000); })`,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      holder.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    });
    expect(() => acquireEngineLock(dataDir)).toThrow(EngineLockedError);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const lock = acquireEngineLock(dataDir);
    lock.release();
  });
});
