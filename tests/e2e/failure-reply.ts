// A failed reply as the automation contract gives it: `ok: false`, the English `error`, and when
// the failure is one a user sees, `errorText` naming the same catalogue message.
import { expect } from 'vitest';
import { english, type LocalText } from '../../src/i18n/english';

export function expectFailure(reply: unknown, error: RegExp, label?: string): void {
  const { errorText, ...rest } = reply as { errorText?: LocalText };
  expect(rest, label).toEqual({ ok: false, error: expect.stringMatching(error) });
  if (errorText) expect(english(errorText.key, ...(errorText.substitutions ?? [])), label).toBe((rest as { error: string }).error);
}

/** The same, for a failure that must carry its local form under `key`. */
export function expectLocalFailure(reply: unknown, error: RegExp, key: LocalText['key']): void {
  expectFailure(reply, error);
  expect((reply as { errorText?: LocalText }).errorText?.key).toBe(key);
}
