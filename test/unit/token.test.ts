/** Browser mode's token: strong, out of the environment at once, and kept across starts. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateToken,
  keptToken,
  MIN_TOKEN_LENGTH,
  takeEnvToken,
  TOKEN_FILE,
  WeakTokenError,
} from '../../src/main/token';
import { tempDir } from '../support/engine';

describe('ALMANAC_TOKEN', () => {
  it('is taken out of the environment, whether it is used or refused', () => {
    const strong = 'x'.repeat(MIN_TOKEN_LENGTH);
    const env: NodeJS.ProcessEnv = { ALMANAC_TOKEN: strong, PATH: '/bin' };
    expect(takeEnvToken(env)).toBe(strong);
    expect(env).toEqual({ PATH: '/bin' });

    const weak: NodeJS.ProcessEnv = { ALMANAC_TOKEN: 'letmein' };
    expect(() => takeEnvToken(weak)).toThrow(WeakTokenError);
    expect(weak).toEqual({});
  });

  it('shorter than 32 characters is refused with a message that says how to make a good one', () => {
    expect(() => takeEnvToken({ ALMANAC_TOKEN: 'x'.repeat(31) })).toThrow(
      'ALMANAC_TOKEN is 31 characters long; Almanac needs at least 32. Unset it to use a generated one, or make a strong one with: openssl rand -base64 24',
    );
  });

  it('unset or empty means "generate one"', () => {
    expect(takeEnvToken({})).toBeUndefined();
    expect(takeEnvToken({ ALMANAC_TOKEN: '' })).toBeUndefined();
  });
});

describe('the generated token', () => {
  it('holds 192 random bits: 32 base64url characters, different each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(24);
    }
  });

  it('is kept in the data folder (600) and reused, so a bookmark keeps working; renew makes a new one', () => {
    const dataDir = tempDir();
    const first = keptToken(dataDir);
    expect(first).toMatchObject({ made: 'first start', file: path.join(dataDir, TOKEN_FILE) });
    if (process.platform !== 'win32') expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const again = keptToken(dataDir);
    expect(again).toEqual({ token: first.token, file: first.file, made: null });
    const renewed = keptToken(dataDir, { renew: true });
    expect(renewed.made).toBe('asked for');
    expect(renewed.token).not.toBe(first.token);
    expect(keptToken(dataDir).token).toBe(renewed.token);
  });

  it('a damaged or weak kept token is replaced, and a loosened file is tightened', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, TOKEN_FILE);
    fs.writeFileSync(file, 'short\n', { mode: 0o644 });
    const replaced = keptToken(dataDir);
    expect(replaced.made).toBe('the kept one was unreadable');
    expect(replaced.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    if (process.platform !== 'win32') {
      fs.chmodSync(file, 0o644);
      keptToken(dataDir);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
  });
});
