/**
 * Chrome's messages.json format and its substitution rule, for the English catalogue the core
 * speaks in (Node has no chrome.i18n) and for the locale checks: `$1`..`$9` are replaced by the
 * substitutions, `$$` is a dollar sign, as chrome.i18n.getMessage does.
 */
export interface MessageEntry {
  message: string;
  /** For translators: where the text appears and what each `$n` is. */
  description?: string;
}

export type Catalog = Record<string, MessageEntry>;

export function formatMessage(template: string, substitutions: readonly (string | number)[] = []): string {
  return template.replace(/\$(\$|[1-9])/g, (_, mark: string) => (mark === '$' ? '$' : String(substitutions[Number(mark) - 1] ?? '')));
}

/** The `$n` substitutions a message uses, ascending (translations must use the same). */
export function substitutionsUsed(template: string): number[] {
  const used = new Set<number>();
  for (const match of template.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)) used.add(Number(match[1]));
  return [...used].sort((a, b) => a - b);
}
