/**
 * The data folder is private (DESIGN.md §7): the folder `700`, every file in it `600`, because the
 * database holds commands, HTTP headers and output. Modes are given explicitly where each file is
 * created rather than through a process-wide umask, which every scheduled command would inherit
 * (a backup job's files would turn private too). POSIX only: on Windows the folder sits under the
 * user's profile, whose ACL already keeps other users out, and chmod there means nothing.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const OTHERS = 0o077;
const posix = process.platform !== 'win32';

/**
 * Creates a folder (and any missing parents) that only its owner can enter. An existing folder is
 * left as it is: this also runs for databases opened outside a data folder (tests, the bench), whose
 * parent is not ours to change. The data folder itself is tightened by `securePrivateDir`.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * A file only its owner can read, created empty if missing, so that whatever writes it next
 * (SQLite, a backup) finds the mode already set. SQLite gives a database's -wal, -shm and journal
 * the mode of the database file itself.
 */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  if (posix) tighten(file, fs.statSync(file).mode);
}

/** Writes `text` to a new or existing file that only its owner can read. */
export function writePrivateFile(file: string, text: string): void {
  ensurePrivateFile(file);
  fs.writeFileSync(file, text);
}

function tighten(target: string, mode: number): boolean {
  if ((mode & OTHERS) === 0) return false;
  fs.chmodSync(target, mode & 0o7777 & ~OTHERS);
  return true;
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8);
}

/**
 * Makes `dataDir` private (at each start, before anything opens a file in it), creating it if needed. A folder left open by an older Almanac (or by
 * hand) is tightened, with everything inside it: symbolic links are left alone (their targets are
 * not ours to change). Returns one sentence for the log when something was tightened.
 */
export function securePrivateDir(dataDir: string): string | null {
  if (!fs.existsSync(dataDir)) {
    ensurePrivateDir(dataDir);
    return null;
  }
  if (!posix) return null;
  const before = fs.statSync(dataDir).mode;
  const folder = tighten(dataDir, before);
  let entries = 0;
  const failed: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      try {
        if (tighten(full, fs.lstatSync(full).mode)) entries++;
      } catch {
        failed.push(entry.name); // someone else's file, or gone meanwhile
      }
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dataDir);
  if (!folder && entries === 0 && failed.length === 0) return null;
  const parts: string[] = [];
  if (folder) parts.push(`the folder was ${octal(before)}, now 700`);
  if (entries)
    parts.push(
      `${entries} file${entries === 1 ? '' : 's'} or folder${entries === 1 ? '' : 's'} in it made private`,
    );
  if (failed.length)
    parts.push(`could not tighten ${failed.slice(0, 3).join(', ')}${failed.length > 3 ? ', …' : ''}`);
  return `Tightened permissions of ${dataDir}, which others could read: ${parts.join('; ')}.`;
}
