/**
 * The English catalogue (locales/en/, the default locale) as one typed table: every message key
 * the code may use, and English text for the core, which runs without chrome.i18n. Shells show
 * text in the user's language through extension/i18n.ts.
 */
import background from '../../locales/en/background.json';
import editor from '../../locales/en/editor.json';
import errors from '../../locales/en/errors.json';
import library from '../../locales/en/library.json';
import region from '../../locales/en/region.json';
import manifest from '../../locales/en/manifest.json';
import options from '../../locales/en/options.json';
import popup from '../../locales/en/popup.json';
import ui from '../../locales/en/ui.json';
import { formatMessage, type Catalog } from './format';

export const ENGLISH = { ...manifest, ...background, ...errors, ...library, ...editor, ...region, ...ui, ...popup, ...options } satisfies Catalog;

export type MessageKey = keyof typeof ENGLISH;

/** A message with its substitutions, to be shown in the user's language where it is shown. */
export interface LocalText {
  key: MessageKey;
  substitutions?: string[];
}

/** A LocalText for `key`, its substitutions as the strings chrome.i18n takes. */
export function localize(key: MessageKey, ...substitutions: (string | number)[]): LocalText {
  return substitutions.length > 0 ? { key, substitutions: substitutions.map(String) } : { key };
}

/** Says a message in some language: `english` here, chrome.i18n's `t` in the shells. */
export type Say = (key: MessageKey, ...substitutions: (string | number)[]) => string;

export function english(key: MessageKey, ...substitutions: (string | number)[]): string {
  return formatMessage(ENGLISH[key].message, substitutions);
}

/** A LocalText's English: what replies and the automation contract say beside it. */
export function inEnglish(text: LocalText): string {
  return english(text.key, ...(text.substitutions ?? []));
}
