import type { SettingEntry } from '@shared/domain/settings';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import type { SliceCreator } from './types';

export interface SettingsSlice {
  settings: { entries: SettingEntry[] | null; error: string | null };
  loadSettings(): Promise<void>;
  setSettingEntries(entries: SettingEntry[]): void;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set) => ({
  settings: { entries: null, error: null },

  async loadSettings() {
    try {
      set({ settings: { entries: await api.call('settings.get', {}), error: null } });
    } catch (err) {
      set((s) => ({ settings: { ...s.settings, error: errorMessage(err) } }));
    }
  },

  setSettingEntries(entries) {
    set({ settings: { entries, error: null } });
  },
});
