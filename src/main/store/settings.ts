import { DEFAULT_SETTINGS, Settings, type Settings as SettingsValue } from '../../shared/settings';
import type { Db } from './database';

/**
 * Settings live as one JSON value per top-level key, so a newer Almanac can add a key without a
 * migration and an older value that no longer validates falls back to its default, field by field.
 */
export class SettingsRepository {
  private readonly allStmt;
  private readonly putStmt;

  constructor(private readonly db: Db) {
    this.allStmt = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.putStmt = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(): SettingsValue {
    const stored: Record<string, unknown> = {};
    for (const row of this.allStmt.all()) {
      try {
        stored[row.key] = JSON.parse(row.value);
      } catch {
        // A value that is not JSON keeps its default.
      }
    }
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof SettingsValue)[]) {
      if (!(key in stored)) continue;
      const candidate = { ...DEFAULT_SETTINGS, [key]: mergeDefault(DEFAULT_SETTINGS[key], stored[key]) };
      if (Settings.safeParse(candidate).success) merged[key] = candidate[key];
    }
    return Settings.parse(merged);
  }

  /** Stores a whole, already validated settings object. */
  put(settings: SettingsValue): void {
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(settings)) this.putStmt.run(key, JSON.stringify(value));
    })();
  }
}

function mergeDefault(fallback: unknown, value: unknown): unknown {
  const isPlain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  return isPlain(fallback) && isPlain(value) ? { ...fallback, ...value } : value;
}
