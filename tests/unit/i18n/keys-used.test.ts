// Every message key the source names as a string literal exists in the catalogue, and no page
// asks chrome.i18n itself (t() is the one door, so MessageKey checks every call).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH } from '../../../src/i18n/english';

const root = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = ['src', 'extension', 'offscreen'].flatMap(sources);
/** A call that takes a message key first, or a LocalText written out. */
const KEY_USE = /\b(?:t|english|say|localize|failure|LocalError)\(\s*'([a-z][a-z0-9_]*)'|\bkey:\s*'([a-z][a-z0-9_]*)'/g;

describe('message keys in the source', () => {
  it('keys used, every string-literal key of t()/english()/failure()/a LocalText is in the catalogue', () => {
    const used = new Map<string, string>();
    for (const file of files) {
      for (const match of readFileSync(join(root, file), 'utf8').matchAll(KEY_USE)) used.set(match[1] ?? match[2]!, file);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const [key, file] of used) expect(Object.keys(ENGLISH), `${key} (${file})`).toContain(key);
  });

  it('keys used, only extension/i18n.ts calls chrome.i18n.getMessage', () => {
    const callers = files.filter((file) => /chrome\.i18n\.getMessage\(/.test(readFileSync(join(root, file), 'utf8'))).map((file) => relative(root, join(root, file)));
    expect(callers).toEqual([join('extension', 'i18n.ts')]);
  });
});
