/**
 * Text in the user's language: chrome.i18n reads dist/_locales/ (built from locales/), and
 * falls back to English for a key a locale lacks (the locale test keeps that from shipping).
 */
import { english, type LocalText, type MessageKey } from '../src/i18n/english';

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  return chrome.i18n.getMessage(key, substitutions.map(String)) || english(key, ...substitutions);
}

/** A LocalText (an error or notice made where chrome.i18n is missing) in the user's language. */
export function localText(text: LocalText): string {
  return t(text.key, ...(text.substitutions ?? []));
}

/** The page's language for `<html lang>` and number formats. */
export function uiLanguage(): string {
  return chrome.i18n.getUILanguage();
}

/** What a failed reply says, in the user's language when it carries its local form. */
export function failureText(failure: { error: string; errorText?: LocalText }): string {
  return failure.errorText ? localText(failure.errorText) : failure.error;
}

/** A status's last error or notice in the user's language when it has its catalogue form. */
export function statusErrorText(status: { lastError: string | null; lastErrorText: LocalText | null }): string | null {
  return status.lastErrorText ? localText(status.lastErrorText) : status.lastError;
}
