/** Errors as they cross a context: one line a user can read, and the few every context says. */

export const NOT_RECORDING_ERROR = 'Looptab is not recording: click its toolbar icon on a tab to arm it first.';

/** A GIF save the user cancelled: a failed reply, yet nothing to warn about. */
export const GIF_CANCELLED_ERROR = 'The GIF was cancelled; nothing was saved.';

/** Turns anything thrown into the one-line message a user sees. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return String(error);
}
