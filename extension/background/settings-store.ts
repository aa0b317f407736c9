import { parseSettings, type SettingsResult } from '../../src/settings/settings';

export const SETTINGS_KEY = 'looptab.settings';

/** Reads settings from sync storage, validated: bad fields fall back to defaults. */
export async function loadSettings(): Promise<SettingsResult> {
  const stored = (await chrome.storage.sync.get(SETTINGS_KEY))[SETTINGS_KEY];
  return parseSettings(stored);
}
