/**
 * The Settings place (and the calendar's slot size and working hours): the one settings object,
 * loaded on first use, saved as partial patches, and kept fresh by `settings.changed`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AlmanacApi, FieldIssue, Result } from '../../../shared/api';
import type { Settings, SettingsPatch } from '../../../shared/settings';

export type SaveState = 'idle' | 'pending' | 'saved' | 'failed';

export interface SettingsState {
  settings: Settings | null;
  loaded: boolean;
  loading: boolean;
  /** Why the last load failed, until one succeeds. */
  error: string | null;
  save: SaveState;
  /** Why the last save failed (the message of the refusal). */
  saveError: string | null;
  /** Field issues of the last refused save, by dotted path (`workingHours.end`). */
  issues: FieldIssue[];
  /** Loads once; later calls do nothing while loaded or loading. */
  ensureLoaded(): Promise<void>;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<Result<Settings>>;
  /** Forgets how the last save ended (the person edits again). */
  resetSave(): void;
  applyChanged(settings: Settings): void;
}

export function createSettingsStore(api: AlmanacApi): StoreApi<SettingsState> {
  let generation = 0;
  return createStore<SettingsState>()((set, get) => ({
    settings: null,
    loaded: false,
    loading: false,
    error: null,
    save: 'idle',
    saveError: null,
    issues: [],

    async ensureLoaded() {
      if (get().loaded || get().loading) return;
      await get().load();
    },

    async load() {
      const gen = ++generation;
      set({ loading: true });
      const result = await api.invoke('settings.get', {});
      if (gen !== generation) return;
      if (!result.ok) {
        set({ loading: false, error: result.error.message });
        return;
      }
      set({ settings: result.value, loaded: true, loading: false, error: null });
    },

    async update(patch) {
      set({ save: 'pending', saveError: null, issues: [] });
      const result = await api.invoke('settings.update', patch);
      if (result.ok) {
        // An answer supersedes any load still in flight.
        generation++;
        set({ settings: result.value, loaded: true, loading: false, error: null, save: 'saved' });
      } else {
        set({ save: 'failed', saveError: result.error.message, issues: result.error.issues ?? [] });
      }
      return result;
    },

    resetSave() {
      if (get().save !== 'pending') set({ save: 'idle', saveError: null, issues: [] });
    },

    applyChanged(settings) {
      generation++;
      set({ settings, loaded: true, loading: false, error: null });
    },
  }));
}
