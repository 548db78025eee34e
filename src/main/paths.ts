import os from 'node:os';
import path from 'node:path';

/**
 * Where Almanac keeps its data (DESIGN.md §7): `--data-dir`, else `ALMANAC_DATA_DIR`, else the
 * OS's app-data folder for "Almanac" — the same one Electron's `app.getPath('userData')` gives.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.ALMANAC_DATA_DIR) return path.resolve(env.ALMANAC_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Almanac');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Almanac');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Almanac');
}
