/**
 * Browser mode's entry (`npm run serve -- --data-dir DIR --port PORT [--host H] [--new-token]`): the
 * same store, engine and API as the desktop app, with the HTTP transport instead of Electron.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { TOKEN_PARAM } from '../shared/browser-mode';
import { startApp, type App } from './app';
import { defaultDataDir } from './paths';
import { EngineLockedError, NewerDatabaseError } from './store';
import { keptToken, takeEnvToken, WeakTokenError } from './token';
import { startHttpServer } from './transports/http';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What the person typed, as npm tells its scripts: `npm start` falls back to browser mode too. */
function launcher(): string | undefined {
  const event = process.env.npm_lifecycle_event;
  if (event === 'start') return '`npm start`';
  if (event === 'serve') return '`npm run serve`';
  return undefined;
}

/** A start-up failure the person can act on: said in one sentence, without a stack. */
class StartError extends Error {}

/** How to start again on another port, in the words of the command that was used. */
function anotherPort(port: number): string {
  const other = port === 4999 ? 5000 : 4999;
  const example =
    launcher() === '`npm start`'
      ? `\`npm start -- --port ${other}\``
      : launcher() === '`npm run serve`'
        ? `\`npm run serve -- --port ${other}\``
        : `--port ${other}`;
  return `choose another with --port, for example ${example}, or --port 0 for any free one`;
}

function listenFailure(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new StartError(
      `Port ${port} on ${host} is already in use (by another Almanac or another program); ${anotherPort(port)}.`,
    );
  if (code === 'EACCES')
    return new StartError(
      `Port ${port} on ${host} needs privileges this user does not have; ${anotherPort(port)}.`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new StartError(`${host} is not an address of this computer; use --host 127.0.0.1.`);
  return error as Error;
}

async function main(): Promise<void> {
  // First of all: a child (a scheduled command) must never inherit the token.
  const envToken = takeEnvToken(process.env);
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '4999' },
      host: { type: 'string', default: '127.0.0.1' },
      'new-token': { type: 'boolean', default: false },
    },
  });
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StartError(`--port must be a whole number from 0 to 65535, not ${values.port}.`);
  const host = values.host!;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.warn(
      `Warning: --host ${host} exposes Almanac beyond this computer. Anyone who can reach it and has the token can run commands as you.`,
    );
  }
  const app: App = startApp({
    dataDir,
    mode: 'browser',
    version: process.env.npm_package_version ?? '0.1.0',
  });
  // The kept token is read or made only under the engine lock, so a refused second server never replaces it.
  const kept = envToken === undefined ? keptToken(dataDir, { renew: values['new-token'] }) : null;
  const token = envToken ?? kept!.token;
  let server;
  try {
    server = await startHttpServer({
      dispatch: app.dispatch,
      subscribe: app.subscribe,
      downloads: app.downloads,
      token,
      host,
      port,
      staticDir: path.resolve(here, '../renderer'),
      launcher: launcher(),
    });
  } catch (error) {
    app.close();
    throw listenFailure(error, host, port);
  }
  app.start();
  console.log(`Almanac (browser mode) is serving ${dataDir}`);
  if (envToken !== undefined) console.log('The token is the one ALMANAC_TOKEN gave.');
  else if (kept!.made === null)
    console.log(`The token is the one kept in ${kept!.file} (--new-token makes a new one).`);
  else console.log(`A new token (${kept!.made}) is kept in ${kept!.file}; --new-token makes another.`);
  console.log(`Open ${server.url}#${TOKEN_PARAM}=${encodeURIComponent(token)}`);
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
  const known =
    error instanceof StartError ||
    error instanceof WeakTokenError ||
    error instanceof EngineLockedError ||
    error instanceof NewerDatabaseError ||
    (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
  if (known) console.error((error as Error).message);
  else console.error('Almanac could not start:', error);
  process.exit(1);
});
