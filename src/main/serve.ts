/**
 * Browser mode's entry (`npm run serve -- --data-dir DIR --port PORT [--host H]`): the same store,
 * engine and API as the desktop app, with the HTTP transport instead of Electron.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startApp } from './app';
import { defaultDataDir } from './paths';
import { EngineLockedError, NewerDatabaseError } from './store';
import { startHttpServer } from './transports/http';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '4999' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, not ${values.port}`);
  const host = values.host!;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.warn(
      `Warning: --host ${host} exposes Almanac beyond this computer. Anyone who can reach it and has the token can run commands as you.`,
    );
  }
  const token = process.env.ALMANAC_TOKEN || crypto.randomBytes(24).toString('base64url');
  const app = startApp({ dataDir, mode: 'browser', version: process.env.npm_package_version ?? '0.1.0' });
  const server = await startHttpServer({
    dispatch: app.dispatch,
    subscribe: app.subscribe,
    token,
    host,
    port,
    staticDir: path.resolve(here, '../renderer'),
  });
  app.start();
  console.log(`Almanac (browser mode) is serving ${dataDir}`);
  console.log(`Open ${server.url}?token=${encodeURIComponent(token)}`);
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void server.close().finally(() => {
      app.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof EngineLockedError || error instanceof NewerDatabaseError) {
    console.error(error.message);
  } else {
    console.error('Almanac could not start:', error);
  }
  process.exit(1);
});
