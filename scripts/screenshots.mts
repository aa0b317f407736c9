// npm run screenshots [-- --lang de]: every page of Looptab in every state (scripts/harness/
// page-tour.ts), light and dark, as PNGs in docs/screenshots/ (docs/screenshots/<lang>/ with
// --lang). The popup is shot at its own size (360 px wide), the other pages at a fixed viewport.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emulateColorScheme } from './harness/a11y';
import { tourPages } from './harness/page-tour';
import { repoRoot } from './harness/paths';
import { launchSession } from './harness/session';

const { values } = parseArgs({ options: { lang: { type: 'string' } } });
const lang = values.lang;
const outDir = join(repoRoot, 'docs', 'screenshots', ...(lang ? [lang] : []));
await mkdir(outDir, { recursive: true });
for (const name of await readdir(outDir)) if (name.endsWith('.png')) await rm(join(outDir, name));

const session = await launchSession({ audio: true, pageSize: { width: 1280, height: 720 }, ...(lang ? { lang } : {}) });
try {
  if (lang) {
    const uiLanguage = await (await session.controlPage()).evaluate(() => chrome.i18n.getUILanguage());
    if (!uiLanguage.startsWith(lang)) {
      throw new Error(`Chromium runs in ${uiLanguage}, not ${lang}: install its locale files (Debian: apt-get install chromium-l10n)`);
    }
  }
  await tourPages(session, async ({ name, page, viewport }) => {
    for (const scheme of ['light', 'dark'] as const) {
      await emulateColorScheme(page, scheme);
      // The scheme's repaint, and a popup's resize to its content.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const file = join(outDir, `${name}-${scheme}.png`);
      await page.screenshot({ path: file as `${string}.png`, fullPage: viewport === 'popup', captureBeyondViewport: false });
      console.log(`${file.slice(repoRoot.length + 1)} (${Math.round((await stat(file)).size / 1024)} KiB)`);
    }
    await emulateColorScheme(page, 'light');
  });
} finally {
  await session.close();
}
