/**
 * SQLite's full integrity check reads every page: seconds for a large history. After a clean
 * shutdown the start does only the header check (recovery.ts) and this runs the full one in a
 * worker thread, on its own read-only connection, while the app already answers. Damage found here
 * is told to the person, and the next start (which then checks fully, see session-marker.ts) moves
 * the file aside and restores a backup.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker: plain CommonJS, so it needs no build step of its own. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, {
    readonly: true,
    fileMustExist: true,
    ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}),
  });
  const problems = db
    .pragma('integrity_check(4)')
    .flatMap((row) => row.integrity_check.split('\\n'))
    .filter((line) => line && !line.startsWith('***'));
  parentPort.postMessage(problems.length === 1 && problems[0] === 'ok' ? null : problems.slice(0, 3).join('; '));
} catch (error) {
  const code = String(error && error.code);
  // only content errors are damage; a file that went away or a lock is not
  parentPort.postMessage(code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' ? error.message : undefined);
} finally {
  if (db) db.close();
}
`;

export interface BackgroundCheck {
  /** null: intact; a string: what is wrong; undefined: the check could not say (stopped, or failed). */
  readonly result: Promise<string | null | undefined>;
  stop(): void;
}

export function checkInBackground(file: string, options: { nativeBinding?: string } = {}): BackgroundCheck {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { module, file, nativeBinding: options.nativeBinding },
  });
  // a low-priority chore: it never keeps the process alive
  worker.unref();
  const result = new Promise<string | null | undefined>((resolve) => {
    worker.once('message', (message: string | null | undefined) => resolve(message));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return {
    result,
    stop: () => void worker.terminate(),
  };
}
