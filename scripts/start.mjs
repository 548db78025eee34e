// `npm start`: build, then open the desktop app. Where the Electron runtime is missing and cannot
// be downloaded, say so in one sentence and serve the same app in browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
buildIfNeeded(root);

// Requiring the electron package downloads the runtime on first use; a failure means we cannot have it.
const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
const args = process.argv.slice(2);
const electronPath = probe.status === 0 ? probe.stdout.trim() : null;

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * Electron needs better-sqlite3 built for its own ABI; the Node build in node_modules stays for
 * tests. The Electron build goes to .electron-native/ and is passed as `nativeBinding`.
 */
function ensureElectronNative() {
  const target = path.join(root, '.electron-native', 'better_sqlite3.node');
  if (fs.existsSync(target)) return;
  const version = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
  ).version;
  const work = fs.mkdtempSync(path.join(root, '.electron-native-build-'));
  fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true });
  fs.rmSync(path.join(work, 'build'), { recursive: true, force: true });
  const built = spawnSync(
    path.join(root, 'node_modules', '.bin', 'prebuild-install'),
    ['--runtime', 'electron', '--target', version, '--arch', process.arch],
    { cwd: work, stdio: 'inherit' },
  );
  if (built.status === 0) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  } else {
    console.error(
      'Could not fetch better-sqlite3 for Electron; the desktop app may fail to open its database.',
    );
  }
  fs.rmSync(work, { recursive: true, force: true });
}

if (electronPath) {
  ensureElectronNative();
  run(electronPath, ['.', ...args]);
} else {
  console.log(
    'The Electron runtime is not installed and could not be downloaded, so Almanac is starting in browser mode instead.',
  );
  run(process.execPath, [path.join(root, 'out', 'main', 'serve.js'), ...args]);
}
