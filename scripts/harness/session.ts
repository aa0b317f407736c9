// The set-up tests, the demo, the bench and the soak share: Looptab in Chromium on a served page
// (the demo page unless told otherwise), armed by a real toolbar click, an extension page to send
// requests from, and the downloads folder served over http (so Chromium's own <video>/<img> can
// load saved clips).
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { ClipFormat } from '../../src/clip/clip-formats';
import type { SaveReply, Status } from '../../src/contract/messages';
import { armByToolbarClick, launchLooptab, sendMessage, waitForFile, windowForPage, type LaunchLooptabOptions, type Looptab } from './browser';
import { distDir, fixturesDir } from './paths';
import { serveStatic, type StaticServer } from './server';
import { until, type UntilOptions } from './wait';

/** Where the settings store keeps them (extension/settings-store.ts). */
const SETTINGS_KEY = 'looptab.settings';

export interface SessionOptions extends Omit<LaunchLooptabOptions, 'distDir' | 'windowSize'> {
  /** The unpacked extension to load. Default: the dev build in `dist/`. */
  distDir?: string;
  /** The page to open, as a path on the pages server. Default `demo.html`. */
  page?: string;
  /** The folder pages are served from. Default `tests/fixtures/`. */
  pagesDir?: string;
  /** Size of the page itself (and of a tab capture of it). Default: a 1280x720 window. */
  pageSize?: { width: number; height: number };
}

export type SavedReply = Extract<SaveReply, { ok: true }>;

export interface Session {
  looptab: Looptab;
  /** Serves `pagesDir`. */
  pages: StaticServer;
  /** The page opened at launch. */
  page: Page;
  /** Serves the downloads folder. */
  downloads: StaticServer;
  /**
   * An extension page to send requests from, opened in a window of its own at its first use, so
   * a session opens none before it is armed.
   */
  controlPage(): Promise<Page>;
  send<T>(message: unknown): Promise<T>;
  /** Patches the stored settings (chrome.storage.sync), as the options page would. */
  setSettings(change: Record<string, unknown>): Promise<void>;
  status(): Promise<Status>;
  /** Polls status() until `done` (default: 30 s, every 250 ms). */
  until(what: string, done: (status: Status) => boolean, options?: UntilOptions): Promise<Status>;
  /** A real toolbar click on `page` (default: the session's page): arms it when nothing records. */
  arm(page?: Page): Promise<void>;
  /** Saves the last `seconds` and waits (default 15 s) for the new file in the downloads folder. */
  save(seconds: number, options?: { format?: ClipFormat; timeoutMs?: number }): Promise<{ reply: SavedReply; file: string }>;
  /** Where `downloads` serves a downloaded file. */
  downloadUrl(file: string): string;
  close(): Promise<void>;
}

/** Launches Looptab and opens the page; nothing is armed yet. */
export async function launchSession(options: SessionOptions = {}): Promise<Session> {
  const { page: pagePath = 'demo.html', pagesDir = fixturesDir, pageSize, distDir: extensionDir = distDir, ...launch } = options;
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  try {
    const pages = await serveStatic(pagesDir);
    closers.push(() => pages.close());
    const looptab = await launchLooptab({ ...launch, distDir: extensionDir, ...(pageSize ? { windowSize: windowForPage(pageSize) } : {}) });
    closers.push(() => looptab.close());
    const downloads = await serveStatic(looptab.downloadsDir);
    closers.push(() => downloads.close());
    const page = await looptab.browser.newPage();
    await page.goto(`${pages.origin}/${pagePath}`);

    let control: Promise<Page> | null = null;
    const controlPage = (): Promise<Page> => (control ??= looptab.extensionPage('options.html'));
    const send = async <T>(message: unknown): Promise<T> => sendMessage<T>(await controlPage(), message);
    const status = (): Promise<Status> => send<Status>({ type: 'status' });
    const setSettings = async (change: Record<string, unknown>): Promise<void> => {
      await (await controlPage()).evaluate(async (key, patch) => {
        const stored = ((await chrome.storage.sync.get(key))[key] ?? {}) as Record<string, unknown>;
        await chrome.storage.sync.set({ [key]: { ...stored, ...patch } });
      }, SETTINGS_KEY, change);
    };
    return {
      looptab,
      pages,
      page,
      downloads,
      controlPage,
      send,
      setSettings,
      status,
      until: (what, done, untilOptions) => until(what, status, done, untilOptions),
      arm: (target = page) => armByToolbarClick(looptab, target),
      async save(seconds, { format = 'mp4', timeoutMs = 15_000 } = {}) {
        const seen = await readdir(looptab.downloadsDir);
        const reply = await send<SaveReply>({ type: 'save', seconds, format });
        if (!reply.ok) throw new Error(`save ${seconds} s as ${format}: ${reply.error}`);
        const file = await waitForFile(looptab.downloadsDir, (name) => name.endsWith(`.${format}`) && !seen.includes(name), timeoutMs);
        return { reply, file };
      },
      downloadUrl: (file) => `${downloads.origin}/${encodeURIComponent(basename(file))}`,
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

export interface ArmedDemo extends Session {
  /** The extension page requests are sent from (opened once armed). */
  control: Page;
}

/** Arms the 1280x720 demo page (with sound) and waits (up to 30 s) until `bufferedSec` are buffered. */
export async function launchArmedDemo(bufferedSec: number, options: SessionOptions = {}): Promise<ArmedDemo> {
  const session = await launchSession({ audio: true, pageSize: { width: 1280, height: 720 }, ...options });
  try {
    await session.arm();
    const control = await session.controlPage();
    await session.until(`${bufferedSec} s buffered after arming the demo`, (s) => s.bufferedSec >= bufferedSec);
    return { ...session, control };
  } catch (error) {
    await session.close().catch(() => {});
    throw error;
  }
}
