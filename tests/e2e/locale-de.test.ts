// German in real headless Chromium: every page, in every state the screenshot tour reaches
// (scripts/harness/page-tour.ts), shows no English. A text fails if it contains an English
// message of locales/en/ whose German in locales/de/ differs (messages equal in both, like
// "Looptab" or "MP4", and words German uses too, like "Pause", prove nothing), or an English
// function word, which catches text that never went through the catalogue. What the product
// shows but did not write (tab and clip titles) is left out.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { substitutionsUsed, type Catalog } from '../../src/i18n/format';
import { tourPages } from '../../scripts/harness/page-tour';
import { repoRoot } from '../../scripts/harness/paths';
import { launchSession, type Session } from '../../scripts/harness/session';
import { visibleTexts } from '../../scripts/harness/visible-text';

/** Words no German sentence uses; a text holding one was not translated. */
const ENGLISH_WORDS = ['the', 'and', 'of', 'is', 'to', 'this', 'that', 'with', 'for', 'your', 'you', 'what', 'when', 'from', 'are', 'been', 'can', 'by', 'at', 'its', 'into', 'or'];
/** A fragment of a message between its substitutions must be this long to be looked for. */
const MIN_FRAGMENT_LETTERS = 4;

async function catalog(lang: string): Promise<Catalog> {
  const dir = join(repoRoot, 'locales', lang);
  const parts = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const merged: Catalog = {};
  for (const part of parts) Object.assign(merged, JSON.parse(await readFile(join(dir, part), 'utf8')) as Catalog);
  return merged;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The English texts to look for: each message's literal parts between its `$n`, where the German differs. */
async function englishOnly(): Promise<{ key: string; fragment: string; pattern: RegExp }[]> {
  const [en, de] = await Promise.all([catalog('en'), catalog('de')]);
  const allGerman = Object.values(de).map(({ message }) => message).join('\n');
  const found: { key: string; fragment: string; pattern: RegExp }[] = [];
  for (const [key, { message }] of Object.entries(en)) {
    const german = de[key]?.message;
    if (german === undefined || german === message) continue;
    const split = substitutionsUsed(message).length > 0 ? message.replace(/\$\$/g, '$').split(/\$[1-9]/) : [message];
    for (const raw of split) {
      const fragment = raw.trim();
      if ((fragment.match(/\p{L}/gu)?.length ?? 0) < MIN_FRAGMENT_LETTERS || german.includes(fragment)) continue;
      // At word boundaries: "Save" is not found in "Saved".
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(fragment)}(?![\\p{L}\\p{N}])`, 'u');
      if (!pattern.test(allGerman)) found.push({ key, fragment, pattern });
    }
  }
  return found;
}

let session: Session;

beforeAll(async () => {
  session = await launchSession({ audio: true, pageSize: { width: 1280, height: 720 }, lang: 'de' });
});

afterAll(async () => {
  await session?.close();
});

describe('German locale', () => {
  it('Chromium runs in German', async () => {
    const control = await session.controlPage();
    expect(await control.evaluate(() => chrome.i18n.getUILanguage())).toMatch(/^de/);
  });

  it('every page in every state shows no English', { timeout: 300_000 }, async () => {
    const messages = await englishOnly();
    const wordPattern = new RegExp(`(?<![\\p{L}\\p{N}])(${ENGLISH_WORDS.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
    const findings = new Map<string, string[]>();
    await tourPages(session, async ({ name, page, userContent }) => {
      const found = new Set<string>();
      for (let text of await visibleTexts(page)) {
        for (const content of userContent) if (content !== '') text = text.split(content).join(' ');
        for (const { key, fragment, pattern } of messages) if (pattern.test(text)) found.add(`${key} "${fragment}" in "${text}"`);
        const word = wordPattern.exec(text);
        if (word) found.add(`the English word "${word[1]}" in "${text}"`);
      }
      findings.set(name, [...found]);
    });
    const report = [...findings].map(([name, found]) => `${name}: ${found.length}${found.map((line) => `\n    ${line}`).join('')}`);
    console.log(`English found per page:\n${report.join('\n')}`);
    const failing = [...findings].filter(([, found]) => found.length > 0);
    expect(failing.map(([name, found]) => `${name}: ${found.join('; ')}`)).toEqual([]);
  });
});
