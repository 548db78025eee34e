/**
 * Browser mode's token: from `ALMANAC_TOKEN`, or generated once and kept in the data folder so that a
 * bookmarked address keeps working across restarts (`--new-token` makes a new one).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateFile, writePrivateFile } from './store';

export const TOKEN_ENV = 'ALMANAC_TOKEN';
export const MIN_TOKEN_LENGTH = 32;
export const TOKEN_FILE = 'browser-token';
/** 24 random bytes: 192 bits, 32 characters of base64url. */
const TOKEN_BYTES = 24;
const STORED = /^[A-Za-z0-9_-]{32,}$/;

export class WeakTokenError extends Error {
  constructor(length: number) {
    super(
      `${TOKEN_ENV} is ${length} characters long; Almanac needs at least ${MIN_TOKEN_LENGTH}. ` +
        `Unset it to use a generated one, or make a strong one with: openssl rand -base64 24`,
    );
    this.name = 'WeakTokenError';
  }
}

/**
 * Takes the token out of the environment (deleting it from `env`, so no child inherits it), or
 * undefined when none was given. A token shorter than 32 characters is refused.
 */
export function takeEnvToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env[TOKEN_ENV];
  delete env[TOKEN_ENV];
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_TOKEN_LENGTH) throw new WeakTokenError(token.length);
  return token;
}

export function generateToken(): string {
  return crypto.randomBytes(TOKEN_BYTES).toString('base64url');
}

export interface StoredToken {
  token: string;
  file: string;
  /** Why a new one was made: null when the kept one was reused. */
  made: 'first start' | 'asked for' | 'the kept one was unreadable' | null;
}

/**
 * The token kept in `<dataDir>/browser-token` (mode 600), made on first use or when `renew` says so.
 * Call it only while holding the engine lock: a second server refused by the lock must not replace
 * the running one's token.
 */
export function keptToken(dataDir: string, options: { renew?: boolean } = {}): StoredToken {
  const file = path.join(dataDir, TOKEN_FILE);
  let made: StoredToken['made'] = options.renew ? 'asked for' : null;
  if (!made) {
    let text: string | null = null;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch {
      made = 'first start';
    }
    if (text !== null && STORED.test(text)) {
      ensurePrivateFile(file); // tightens a file someone loosened
      return { token: text, file, made: null };
    }
    made ??= 'the kept one was unreadable';
  }
  const token = generateToken();
  writePrivateFile(file, `${token}\n`);
  return { token, file, made };
}
