/**
 * `almanac.db.open` exists while an Almanac has the database open, and is removed when it closes
 * cleanly: finding it at start means the last session ended in a crash, a kill or a power cut, and
 * the database gets SQLite's full integrity check before it is opened. After a clean close the
 * start checks only the header and leaves the full check to a worker (background-check.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from './private-files';

export const SESSION_MARKER = 'almanac.db.open';

export interface SessionMarker {
  /** True when the last session did not close cleanly (or asked for a full check at next start). */
  readonly unclean: boolean;
  /** Marks the database open (call once it is). */
  open(): void;
  /** A clean close: the next start may skip the full check. */
  closeCleanly(): void;
  /** Keeps the marker at close, so the next start checks fully (damage was seen meanwhile). */
  checkFullyNextTime(reason: string): void;
}

export function sessionMarker(dataDir: string): SessionMarker {
  const file = path.join(dataDir, SESSION_MARKER);
  const unclean = fs.existsSync(file);
  let keep = false;
  return {
    unclean,
    open: () => writePrivateFile(file, `pid ${process.pid}\n`),
    closeCleanly: () => {
      if (!keep) fs.rmSync(file, { force: true });
    },
    checkFullyNextTime: (reason) => {
      keep = true;
      writePrivateFile(file, `pid ${process.pid}\ncheck fully: ${reason}\n`);
    },
  };
}
