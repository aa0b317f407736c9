// Every locale says everything English says, with the same substitutions, under keys Chrome
// accepts; the manifest's __MSG_ references and the code's keys all exist.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLISH } from '../../../src/i18n/english';
import { formatMessage, substitutionsUsed, type Catalog } from '../../../src/i18n/format';

const root = join(import.meta.dirname, '..', '..', '..');
const localesDir = join(root, 'locales');
const languages = readdirSync(localesDir);
const parts = (lang: string): string[] => readdirSync(join(localesDir, lang)).filter((name) => name.endsWith('.json')).sort();
/** Chrome takes `$name$` as a named placeholder, one that messages.json must then define. */
const namedPlaceholder = (message: string): string | null => message.replace(/\$\$/g, '').match(/\$[A-Za-z0-9_@]+\$/)?.[0] ?? null;
const read = (lang: string, part: string): Catalog => JSON.parse(readFileSync(join(localesDir, lang, part), 'utf8')) as Catalog;

describe('locales', () => {
  it('locales, has English and at least one more language', () => {
    expect(languages).toContain('en');
    expect(languages.length).toBeGreaterThanOrEqual(2);
  });

  for (const lang of languages.filter((l) => l !== 'en')) {
    it(`locales, ${lang} has every part and key of English, no other, each translated with the same substitutions`, () => {
      expect(parts(lang)).toEqual(parts('en'));
      for (const part of parts('en')) {
        const en = read('en', part);
        const other = read(lang, part);
        expect(Object.keys(other).sort(), `${lang}/${part}`).toEqual(Object.keys(en).sort());
        for (const [key, entry] of Object.entries(en)) {
          const translated = other[key]!.message;
          expect(translated.trim(), `${lang}/${part}: ${key}`).not.toBe('');
          expect(substitutionsUsed(translated), `${lang}/${part}: ${key}`).toEqual(substitutionsUsed(entry.message));
          expect(namedPlaceholder(translated), `${lang}/${part}: ${key}`).toBeNull();
        }
      }
    });
  }

  it('locales, no English message holds what Chrome reads as a named placeholder ($1x$2 is "$1x$" to it: the extension fails to load)', () => {
    for (const part of parts('en')) {
      for (const [key, entry] of Object.entries(read('en', part))) expect(namedPlaceholder(entry.message), `en/${part}: ${key}`).toBeNull();
    }
  });

  it('locales, keys are what Chrome accepts and unique ignoring case across parts; the typed catalogue holds every English part', () => {
    const seen = new Set<string>();
    let count = 0;
    for (const part of parts('en')) {
      for (const key of Object.keys(read('en', part))) {
        expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(seen.has(key.toLowerCase()), key).toBe(false);
        seen.add(key.toLowerCase());
        count++;
      }
    }
    expect(Object.keys(ENGLISH)).toHaveLength(count);
  });

  it('locales, every __MSG_ reference of the manifest exists', () => {
    const manifest = readFileSync(join(root, 'manifest.json'), 'utf8');
    const refs = [...manifest.matchAll(/__MSG_(\w+)__/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(7);
    for (const ref of refs) expect(Object.keys(ENGLISH), ref).toContain(ref);
  });

  it('formatMessage, replaces $1..$9 and $$ as chrome.i18n.getMessage does', () => {
    expect(formatMessage('Saved $1 s of $2 ($$)', [30, 'tab'])).toBe('Saved 30 s of tab ($)');
    expect(substitutionsUsed('a $2 b $1 $$1')).toEqual([1, 2]);
  });
});
