// Launches headless Chromium with an unpacked extension, the way FIELD-NOTES.md prescribes:
// puppeteer-core + system browser, headless (new), pipe, enableExtensions, installExtension.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Extension, type Page, type WebWorker } from 'puppeteer-core';
import { findChromium } from '../find-tools.mjs';
import { watchNextDownload, type DownloadWatch } from './downloads';
import { sleep } from './wait';

export type { CompletedDownload, DownloadWatch } from './downloads';

export interface LaunchLooptabOptions {
  /** Unpacked extension folder (the built `dist/`). */
  distDir: string;
  /** Keep tab audio audible (drops Puppeteer's `--mute-audio`); captured audio is silent without it. */
  audio?: boolean;
  /**
   * Browser window size, default 1280x720. Pages are not viewport-emulated, so a page (and a tab
   * capture of it) is the window minus the 87 px of height headless Chromium still reserves for
   * its invisible toolbar: 1280x720 gives a 1280x633 page.
   */
  windowSize?: { width: number; height: number };
  /** Where downloads land. Default: a fresh temp folder, removed by close(). */
  downloadsDir?: string;
  /**
   * Keep the file names `chrome.downloads.download({ filename })` asks for. By default downloads
   * are routed with CDP `Browser.setDownloadBehavior`, which names files itself (a blob: URL lands
   * as `<uuid>.mp4`, a data: URL as `download.txt`). With this set, the profile's download folder
   * preference is seeded instead and Chromium honours the extension's name.
   */
  keepDownloadNames?: boolean;
  /** A profile folder the caller owns and keeps, to relaunch on the same profile. Default: a fresh one, removed. */
  profileDir?: string;
  /**
   * Chromium's UI language, e.g. `de` (what `chrome.i18n.getUILanguage()` reports and which
   * `_locales` folder extension pages read). Default: the machine's.
   */
  lang?: string;
}

export interface Looptab {
  browser: Browser;
  extensionId: string;
  extension: Extension;
  downloadsDir: string;
  /** The extension's running service worker (waits up to 10 s for it to appear). */
  serviceWorker(): Promise<WebWorker>;
  /**
   * Opens `chrome-extension://<id>/<path>` in a NEW WINDOW, so the page under test stays the
   * active tab of its own window (tab capture and `tabs.query({ active: true })` depend on that).
   */
  extensionPage(path: string): Promise<Page>;
  /**
   * Watches for the first download the extension starts after this resolves; `completed()` then
   * says when Chromium finished writing it (its `chrome.downloads` events, no folder polling).
   * Await this before triggering the download. Default timeout 30 s. The service worker must be
   * running (Chrome stops it after ~30 s without events): send any message first after a pause.
   */
  watchNextDownload(timeoutMs?: number): Promise<DownloadWatch>;
  close(): Promise<void>;
}

const DEFAULT_WINDOW = { width: 1280, height: 720 };
/** Headless Chromium still reserves this much window height for its invisible toolbar. */
const HEADLESS_TOOLBAR_PX = 87;

/** The window size whose page (and a tab capture of it) is exactly `page`. */
export function windowForPage(page: { width: number; height: number }): { width: number; height: number } {
  return { width: page.width, height: page.height + HEADLESS_TOOLBAR_PX };
}

export async function launchLooptab(opts: LaunchLooptabOptions): Promise<Looptab> {
  const executablePath = findChromium();
  if (executablePath === null) {
    throw new Error('No Chromium/Chrome found: run `node scripts/ensure-env.mjs` or set CHROME_PATH');
  }
  const distDir = resolve(opts.distDir);
  const windowSize = opts.windowSize ?? DEFAULT_WINDOW;
  const ownsDownloadsDir = opts.downloadsDir === undefined;
  const downloadsDir = resolve(opts.downloadsDir ?? (await mkdtemp(join(tmpdir(), 'looptab-downloads-'))));

  const args = [
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    `--window-size=${windowSize.width},${windowSize.height}`,
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  // On Linux `--lang` alone is not enough: Chromium takes its UI language from LANGUAGE first.
  if (opts.lang) args.push(`--lang=${opts.lang}`, `--accept-lang=${opts.lang}`);

  // Puppeteer removes only the profiles it creates; this one is ours to remove.
  const seededProfile = opts.keepDownloadNames ? await profileWithDownloadsDir(downloadsDir) : undefined;
  const userDataDir = opts.profileDir ?? seededProfile;
  const cleanUp = async (): Promise<void> => {
    if (ownsDownloadsDir) await rm(downloadsDir, { recursive: true, force: true });
    if (seededProfile) await rm(seededProfile, { recursive: true, force: true });
  };

  const browser = await puppeteer
    .launch({
      executablePath,
      headless: true,
      pipe: true,
      enableExtensions: true,
      defaultViewport: null,
      args,
      ...(userDataDir ? { userDataDir } : {}),
      ...(opts.audio ? { ignoreDefaultArgs: ['--mute-audio'] } : {}),
      ...(opts.lang ? { env: { ...process.env, LANGUAGE: opts.lang, LANG: `${opts.lang}.UTF-8` } } : {}),
    })
    .catch(async (error: unknown) => {
      await cleanUp();
      throw error;
    });

  let cdp: CDPSession | undefined;
  try {
    const extensionId = await browser.installExtension(distDir);
    const extension = (await browser.extensions()).get(extensionId);
    if (!extension) throw new Error(`extension ${extensionId} installed from ${distDir} is not listed`);

    if (!seededProfile) {
      // Kept open for the browser's lifetime so the download behaviour stays in force.
      cdp = await browser.target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadsDir, eventsEnabled: true });
    }

    const origin = `chrome-extension://${extensionId}/`;
    const serviceWorker = async (): Promise<WebWorker> => {
      const target = await browser.waitForTarget(
        (t) => t.type() === 'service_worker' && t.url().startsWith(origin),
        { timeout: 10_000 },
      );
      const worker = await target.worker();
      if (!worker) throw new Error(`service worker ${target.url()} has no worker handle`);
      return worker;
    };
    return {
      browser,
      extensionId,
      extension,
      downloadsDir,
      serviceWorker,
      async extensionPage(path) {
        const page = await browser.newPage({ type: 'window' });
        await page.goto(origin + path.replace(/^\//, ''));
        return page;
      },
      async watchNextDownload(timeoutMs = 30_000) {
        return watchNextDownload(await serviceWorker(), timeoutMs);
      },
      async close() {
        await browser.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await browser.close().catch(() => {});
    await cleanUp();
    throw error;
  }
}

/** A fresh profile whose download preferences save into `downloadsDir` without asking. */
async function profileWithDownloadsDir(downloadsDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'looptab-profile-'));
  await mkdir(join(dir, 'Default'));
  const preferences = { download: { default_directory: downloadsDir, prompt_for_download: false, directory_upgrade: true } };
  await writeFile(join(dir, 'Default', 'Preferences'), JSON.stringify(preferences));
  return dir;
}

/** A real toolbar click on the extension's action for `page`: fires action.onClicked or opens the popup, and grants activeTab. */
export async function armByToolbarClick(looptab: Looptab, page: Page): Promise<void> {
  await page.bringToFront();
  await page.triggerExtensionAction(looptab.extension);
}

/** Clicks the toolbar icon on `page` and returns the popup it opens (a new target each time). */
export async function openPopupByToolbarClick(looptab: Looptab, page: Page): Promise<Page> {
  const before = new Set(looptab.browser.targets());
  await armByToolbarClick(looptab, page);
  const target = await looptab.browser.waitForTarget((t) => !before.has(t) && t.url().endsWith('/popup.html'), { timeout: 10_000 });
  const popup = await target.asPage();
  if (!popup) throw new Error('the popup has no page');
  return popup;
}

/** The id of the tab a popup was opened on (the popup is that tab's window's popup). */
export async function popupTabId(popup: Page): Promise<number> {
  const id = await popup.evaluate(async () => (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id ?? -1);
  if (id < 0) throw new Error('the popup sees no active tab');
  return id;
}

/** Runs `chrome.runtime.sendMessage(msg)` inside an extension page and returns the response. */
export async function sendMessage<T>(page: Page, msg: unknown): Promise<T> {
  return (await page.evaluate((m) => chrome.runtime.sendMessage(m), msg)) as T;
}

/**
 * Resolves to the full path of the first file in `dir` whose name matches `predicate` once its
 * size has stayed the same for 200 ms. Chromium's in-progress `.crdownload` files are ignored.
 */
export async function waitForFile(
  dir: string,
  predicate: (name: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  const STABLE_MS = 200;
  const POLL_MS = 50;
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<string, { size: number; sinceMs: number }>();
  let names: string[] = [];
  for (;;) {
    names = await readdir(dir).catch(() => []);
    const now = Date.now();
    for (const name of names) {
      if (name.endsWith('.crdownload') || !predicate(name)) continue;
      const file = join(dir, name);
      const size = await stat(file).then((s) => (s.isFile() ? s.size : -1), () => -1);
      if (size < 0) continue;
      const previous = seen.get(name);
      if (!previous || previous.size !== size) seen.set(name, { size, sinceMs: now });
      else if (now - previous.sinceMs >= STABLE_MS) return file;
    }
    if (now >= deadline) {
      throw new Error(
        `waitForFile: no matching file settled in ${dir} within ${timeoutMs} ms; it holds: ${names.join(', ') || '(nothing)'}`,
      );
    }
    await sleep(POLL_MS);
  }
}
