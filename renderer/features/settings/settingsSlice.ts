import type { MethodInput, Settings, Stats } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export interface SettingsSlice {
  /** The engine's settings; null until first loaded. */
  settings: Settings | null;
  /** Counts, data folder and the models in use; null until first loaded. */
  stats: Stats | null;
  /** The last settings change that was refused, with the reason, shown next to the form. */
  settingsError: string | null;
  loadSettings(): Promise<void>;
  loadStats(): Promise<void>;
  /** Saves a change; resolves false (with settingsError set) when the engine refused it. */
  updateSettings(changes: MethodInput<"settings.update">): Promise<boolean>;
}

export const createSettingsSlice =
  (client: ApiClient): SliceCreator<SettingsSlice> =>
  (set, get) => ({
    settings: null,
    stats: null,
    settingsError: null,

    async loadSettings() {
      try {
        set({ settings: await client.call("settings.get", {}) });
      } catch (error) {
        get().showNotice(error);
      }
    },

    async loadStats() {
      try {
        set({ stats: await client.call("stats.get", {}) });
      } catch (error) {
        get().showNotice(error);
      }
    },

    async updateSettings(changes) {
      set({ settingsError: null });
      try {
        set({ settings: await client.call("settings.update", changes) });
        // A model or the offline switch may have changed what answers.
        void get().loadModels();
        return true;
      } catch (error) {
        set({ settingsError: error instanceof Error ? error.message : String(error) });
        return false;
      }
    },
  });
