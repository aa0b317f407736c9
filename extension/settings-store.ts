/**
 * The one settings store every page uses (options, popup, service worker), after Refined
 * GitHub's options-storage: settings are typed from their defaults, stored as one object in
 * chrome.storage.sync, validated on every read (src/settings/settings.ts) and on every save.
 */
import {
  DEFAULT_SETTINGS,
  parseSettings,
  validateSettings,
  type Settings,
  type SettingsResult,
  type SettingsValidation,
} from '../src/settings/settings';

export const SETTINGS_KEY = 'looptab.settings';

/** Reads settings from sync storage, validated: bad fields fall back to defaults and are reported. */
export async function loadSettings(): Promise<SettingsResult> {
  const stored = (await chrome.storage.sync.get(SETTINGS_KEY))[SETTINGS_KEY];
  return parseSettings(stored);
}

/**
 * Stores `changes` over the current settings, all or nothing: if any field is invalid nothing is
 * written and the reply names each refused field.
 */
export async function saveSettings(changes: Partial<Record<keyof Settings, unknown>>): Promise<SettingsValidation> {
  const { settings: current } = await loadSettings();
  const checked = validateSettings({ ...current, ...changes });
  if (checked.ok) await chrome.storage.sync.set({ [SETTINGS_KEY]: checked.settings });
  return checked;
}

/** Forgets every stored setting: all back to their defaults. */
export async function resetSettings(): Promise<Settings> {
  await chrome.storage.sync.remove(SETTINGS_KEY);
  return { ...DEFAULT_SETTINGS };
}

/**
 * Calls `listener` with the new settings whenever they change, from any page. Register it at the
 * top level of the service worker so a change wakes it. Returns the unsubscribe function.
 */
export function onSettingsChange(listener: (result: SettingsResult) => void): () => void {
  const onChanged = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
    const change = changes[SETTINGS_KEY];
    if (area === 'sync' && change) listener(parseSettings(change.newValue));
  };
  chrome.storage.onChanged.addListener(onChanged);
  return () => chrome.storage.onChanged.removeListener(onChanged);
}
