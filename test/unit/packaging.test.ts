/**
 * The packaging config (electron-builder.json) sets the Electron fuses of the security checklist.
 * electron-builder's own validator checks the file, so a typo in a key fails here, not at release.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const require = createRequire(path.join(root, 'package.json'));
const config = JSON.parse(fs.readFileSync(path.join(root, 'electron-builder.json'), 'utf8'));

describe('packaging config', () => {
  it('is a valid electron-builder configuration', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, electronFusez: {} }, new DebugLogger(false)),
    ).rejects.toThrow();
  });

  it('turns off runAsNode and the other fuses that would let a process run our binary as plain Node', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the app in an asar and never rebuilds the Node build of better-sqlite3 that tests use', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toContain('.electron-native/**');
  });
});
