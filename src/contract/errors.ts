/**
 * Errors as they cross a context: one line a user can read, and the few every context says.
 * A failed reply keeps `error` in English (automation clients and tests read it) and, where the
 * error is one a user sees, says the same as `errorText` for a page to show in the user's
 * language (extension/i18n.ts `failureText`). Both come from the catalogue, so they cannot drift.
 */
import { english, inEnglish, localize, type LocalText, type MessageKey } from '../i18n/english';

/** Every failed reply of every boundary. */
export interface Failure {
  ok: false;
  error: string;
  errorText?: LocalText;
}

/** A failed reply saying catalogue message `key`. */
export function failure(key: MessageKey, ...substitutions: (string | number)[]): Failure {
  return { ok: false, error: english(key, ...substitutions), errorText: localize(key, ...substitutions) };
}

/** A thrown error that a page can show in the user's language: `message` is its English. */
export class LocalError extends Error {
  readonly text: LocalText;
  constructor(key: MessageKey, ...substitutions: (string | number)[]) {
    super(english(key, ...substitutions));
    this.text = localize(key, ...substitutions);
  }
}

/** An error or notice kept for a status: catalogue text where it has it, else English only. */
export type Notice = LocalText | string;

/** A notice's English, as `Status.lastError` and the console say it. */
export function noticeEnglish(notice: Notice): string {
  return typeof notice === 'string' ? notice : inEnglish(notice);
}

/**
 * A status's `lastError` and `lastErrorText` from one notice, so the two cannot drift; a page
 * shows `lastErrorText` in the user's language, or `lastError` when it is null.
 */
export function statusError(notice: Notice | null): { lastError: string | null; lastErrorText: LocalText | null } {
  if (notice === null) return { lastError: null, lastErrorText: null };
  return { lastError: noticeEnglish(notice), lastErrorText: typeof notice === 'string' ? null : notice };
}

export const NOT_RECORDING_ERROR = english('err_not_recording');

/** A GIF save the user cancelled: a failed reply, yet nothing to warn about. */
export const GIF_CANCELLED_ERROR = english('err_gif_cancelled');

/** Turns anything thrown into the one-line message a user sees. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return String(error);
}

/** Anything thrown as a failed reply, with its local form when it has one. */
export function failureOf(error: unknown): Failure {
  return error instanceof LocalError ? { ok: false, error: error.message, errorText: error.text } : { ok: false, error: errorMessage(error) };
}
