/**
 * The data folder is private (issue 13 item 1, DESIGN.md §7): the folder 700, the database, its
 * WAL and SHM, backups, the lock files and the token 600, whatever the umask; a folder left open is
 * tightened at start and the log says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/main/app';
import type { Logger } from '../../src/main/engine/ports';
import { listBackups } from '../../src/main/store';
import { tempDir } from '../support/engine';
import { waitUntil } from '../support/processes';

const windows = process.platform === 'win32';

let app: App | null = null;
let umask = 0;
beforeEach(() => {
  // the usual umask, which on its own would leave folders 755 and files 644
  if (!windows) umask = process.umask(0o022);
});
afterEach(() => {
  app?.close();
  app = null;
  if (!windows) process.umask(umask);
});

function capturingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(message),
    error: (message) => lines.push(message),
  };
}

/** Every entry under `dir` (the folder itself included) with its permission bits, as octal text. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': (fs.statSync(dir).mode & 0o777).toString(8) };
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      out[rel] = (fs.lstatSync(path.join(dir, rel)).mode & 0o777).toString(8);
      if (entry.isDirectory()) walk(rel);
    }
  };
  walk('');
  return out;
}

// Skipped on Windows: POSIX modes mean nothing there; the folder sits under the user's profile
// (%APPDATA%), whose ACL keeps other users out (README, "Where data lives").
describe.skipIf(windows)(
  'the data folder is private (POSIX file modes; on Windows the profile ACL does this)',
  () => {
    it('a new data folder is 700 and every file Almanac writes in it is 600: database, WAL, SHM, backups, lock', async () => {
      const dataDir = path.join(tempDir(), 'nested', 'Almanac');
      app = startApp({ dataDir, mode: 'browser', version: 'test', log: capturingLog() });
      app.start(); // takes the start-up backup
      await app.dispatch('schedules.create', {
        name: 'Secret header',
        trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
        action: {
          type: 'http',
          method: 'GET',
          url: 'http://127.0.0.1:9/',
          headers: { authorization: 'Bearer s3cret' },
        },
      });
      await waitUntil(() => listBackups(dataDir).length > 0, 20_000, 'the start-up backup');

      const found = modes(dataDir);
      for (const name of ['almanac.db', 'almanac.db-wal', 'almanac.db-shm', 'engine.lock', 'engine.pid']) {
        expect(found, name).toHaveProperty([name]);
      }
      expect(Object.keys(found).some((name) => name.startsWith(`backups${path.sep}almanac-`))).toBe(true);
      for (const [name, mode] of Object.entries(found)) {
        const isDir = fs.statSync(path.join(dataDir, name)).isDirectory();
        expect(`${name} ${mode}`).toBe(`${name} ${isDir ? '700' : '600'}`);
      }
    });

    it('an existing folder that others could read is tightened, with all inside it, and the log says so', () => {
      const dataDir = tempDir();
      fs.chmodSync(dataDir, 0o755);
      fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'kept', { mode: 0o644 });
      fs.mkdirSync(path.join(dataDir, 'backups'), { mode: 0o755 });
      fs.writeFileSync(path.join(dataDir, 'backups', 'old.db'), '', { mode: 0o644 });
      fs.mkdirSync(path.join(dataDir, 'logs'), { mode: 0o775 });
      fs.writeFileSync(path.join(dataDir, 'logs', 'almanac.log'), 'line\n', { mode: 0o664 });
      const outside = path.join(tempDir(), 'outside.txt');
      fs.writeFileSync(outside, 'not ours', { mode: 0o644 });
      fs.symlinkSync(outside, path.join(dataDir, 'link'));

      const log = capturingLog();
      app = startApp({ dataDir, mode: 'browser', version: 'test', log });

      const found = modes(dataDir);
      delete found.link; // a link's own mode means nothing; its target is left alone
      for (const [name, mode] of Object.entries(found)) {
        const isDir = fs.statSync(path.join(dataDir, name)).isDirectory();
        expect(`${name} ${mode}`).toBe(`${name} ${isDir ? '700' : '600'}`);
      }
      expect(fs.readFileSync(path.join(dataDir, 'notes.txt'), 'utf8')).toBe('kept');
      expect((fs.statSync(outside).mode & 0o777).toString(8)).toBe('644');
      expect(log.lines.join('\n')).toMatch(
        /Tightened permissions of .*: the folder was 755, now 700; 5 files or folders in it made private/,
      );
    });

    it('a folder that is already private is left alone and nothing is logged about it', () => {
      const dataDir = tempDir();
      fs.chmodSync(dataDir, 0o700);
      const log = capturingLog();
      app = startApp({ dataDir, mode: 'browser', version: 'test', log });
      app.close();
      app = startApp({ dataDir, mode: 'browser', version: 'test', log });
      expect(log.lines.filter((line) => line.includes('Tightened'))).toEqual([]);
    });
  },
);
