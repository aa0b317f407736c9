/**
 * Clip file names from a template, safe on every OS Chrome downloads to.
 */

const FORBIDDEN_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/** Chrome and most file systems cap a name at 255 bytes; keep room for " (12)" from uniquify. */
const MAX_BASENAME_CHARS = 120;

/** The tokens a template may use, in the order the options page lists them. */
export const FILENAME_TOKENS = ['title', 'date', 'time', 'seconds'] as const;
export type FilenameToken = (typeof FILENAME_TOKENS)[number];

/** The longest template accepted (the expanded name is cut to a safe length anyway). */
export const MAX_TEMPLATE_CHARS = 200;

/** Why a template cannot be used: nothing in it, too long, or a `{word}` that is not a token. */
export type TemplateProblem =
  | { kind: 'empty' }
  | { kind: 'too-long'; maxChars: number }
  | { kind: 'unknown-token'; token: string };

/**
 * The first reason `template` cannot be used, or null. A `{word}` that is not a token would
 * otherwise land in every file name as typed (a misspelt `{tilte}`), so it is refused; other
 * braces are text.
 */
export function templateProblem(template: string): TemplateProblem | null {
  if (template.trim() === '') return { kind: 'empty' };
  if (template.length > MAX_TEMPLATE_CHARS) return { kind: 'too-long', maxChars: MAX_TEMPLATE_CHARS };
  for (const match of template.matchAll(/\{([A-Za-z_]+)\}/g)) {
    const token = match[1]!;
    if (!(FILENAME_TOKENS as readonly string[]).includes(token)) return { kind: 'unknown-token', token };
  }
  return null;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

export interface FilenameFields {
  title: string;
  /** Local time the clip was saved. */
  date: Date;
  seconds: number;
}

/**
 * Expands `{title}`, `{date}` (yyyy-mm-dd), `{time}` (hh-mm-ss) and `{seconds}` in `template`,
 * sanitises the result and appends `.extension`.
 */
export function clipFilename(template: string, fields: FilenameFields, extension: string): string {
  const { date } = fields;
  const expanded = template
    .replaceAll('{title}', fields.title)
    .replaceAll('{date}', `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`)
    .replaceAll('{time}', `${pad2(date.getHours())}-${pad2(date.getMinutes())}-${pad2(date.getSeconds())}`)
    .replaceAll('{seconds}', String(Math.round(fields.seconds)));
  return `${sanitizeBasename(expanded)}.${extension}`;
}

/** Makes one path segment valid on Windows, macOS and Linux. */
export function sanitizeBasename(name: string): string {
  let safe = name
    .replace(FORBIDDEN_CHARS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    // Leading dots hide files (and Chrome rejects "..") ; trailing dots and spaces break Windows.
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (Array.from(safe).length > MAX_BASENAME_CHARS) {
    // Cut by code points so a surrogate pair (emoji in a title) is never split.
    safe = Array.from(safe).slice(0, MAX_BASENAME_CHARS).join('').replace(/[.\s]+$/, '');
  }
  if (WINDOWS_RESERVED.test(safe)) safe = `_${safe}`;
  return safe === '' ? 'Looptab clip' : safe;
}
