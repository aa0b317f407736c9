/**
 * The English catalogue (locales/en/, the default locale) as one typed table: every message key
 * the code may use, and English text for the core, which runs without chrome.i18n. Shells show
 * text in the user's language through extension/i18n.ts.
 */
import background from '../../locales/en/background.json';
import manifest from '../../locales/en/manifest.json';
import options from '../../locales/en/options.json';
import popup from '../../locales/en/popup.json';
import ui from '../../locales/en/ui.json';
import { formatMessage, type Catalog } from './format';

export const ENGLISH = { ...manifest, ...background, ...ui, ...popup, ...options } satisfies Catalog;

export type MessageKey = keyof typeof ENGLISH;

/** A message with its substitutions, to be shown in the user's language where it is shown. */
export interface LocalText {
  key: MessageKey;
  substitutions?: string[];
}

export function english(key: MessageKey, ...substitutions: (string | number)[]): string {
  return formatMessage(ENGLISH[key].message, substitutions);
}
