// Every extension page in every state a user meets, reached the way the e2e tests reach them:
// real toolbar clicks, the public messages (src/contract/messages.ts), page URLs, and a real
// encoder failure produced from outside the product. No page is found by its English text or
// its CSS classes, so the tour works in any language and after a redesign. The screenshot
// script and the German locale test walk the same tour with their own visitor.
import type { Page } from 'puppeteer-core';
import type { LibraryReply, OkReply, Status } from '../../src/contract/messages';
import { openPopupByToolbarClick, popupTabId } from './browser';
import type { Session } from './session';
import { sleep, until } from './wait';

/** A page in one state; `userContent` is text the product shows but did not write (tab and clip titles, file names). */
export interface TourStop {
  /** e.g. `popup-armed`: the screenshot's file name without scheme and extension. */
  name: string;
  page: Page;
  /** The size a screenshot of it is taken at: the popup sizes itself (width 360). */
  viewport: { width: number; height: number } | 'popup';
  userContent: string[];
}

export type TourVisitor = (stop: TourStop) => Promise<void>;

const PAGE_VIEWPORT = { width: 1280, height: 800 };
const OPTIONS_VIEWPORT = { width: 900, height: 900 };

/** Waits until nothing in the page's DOM changed for `quietMs` (at most `maxMs`: a live meter never rests), fonts and images loaded. */
export async function settle(page: Page, { quietMs = 600, maxMs = 4000 } = {}): Promise<void> {
  await page.evaluate(async (quiet, max) => {
    await document.fonts.ready;
    await Promise.all([...document.images].map((img) => (img.complete ? null : img.decode().catch(() => null))));
    await new Promise<void>((resolve) => {
      let last = performance.now();
      const observer = new MutationObserver(() => { last = performance.now(); });
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      const started = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        if (now - last >= quiet || now - started >= max) {
          clearInterval(timer);
          observer.disconnect();
          resolve();
        }
      }, 50);
    });
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }, quietMs, maxMs);
}

/** The popup waits out one status poll (500 ms) after a change made elsewhere, then settles. */
async function settledPopup(popup: Page): Promise<Page> {
  await sleep(700);
  await settle(popup);
  return popup;
}

async function libraryReply(session: Session): Promise<Extract<LibraryReply, { ok: true }>> {
  const reply = await session.send<LibraryReply>({ type: 'library' });
  if (!reply.ok) throw new Error(`library: ${reply.error}`);
  return reply;
}

async function ok(session: Session, message: unknown): Promise<void> {
  const reply = await session.send<OkReply>(message);
  if (!reply.ok) throw new Error(`${JSON.stringify(message)}: ${reply.error}`);
}

/** Arms `tabId` from its popup (which holds the activeTab grant); Chrome closes the popup as capture starts, so no reply is awaited. */
async function armFrom(popup: Page, tabId: number): Promise<void> {
  await popup.evaluate((id) => { void chrome.runtime.sendMessage({ type: 'arm', tabId: id }); }, tabId).catch(() => {});
  await sleep(500);
  if (!popup.isClosed()) await popup.close().catch(() => {});
}

/**
 * Makes every VideoEncoder the recorder creates fail on its first encode (configured again with
 * a codec nothing supports): after its retries the recorder gives up and reports an error.
 */
async function breakVideoEncoders(session: Session): Promise<void> {
  const offscreenUrl = `chrome-extension://${session.looptab.extensionId}/offscreen.html`;
  const target = await session.looptab.browser.waitForTarget((t) => t.url() === offscreenUrl, { timeout: 10_000 });
  const offscreen = await target.asPage();
  await offscreen.evaluate(() => {
    const encode = VideoEncoder.prototype.encode;
    VideoEncoder.prototype.encode = function (this: VideoEncoder, frame: VideoFrame, options?: VideoEncoderEncodeOptions) {
      this.configure({ codec: 'no-such-codec', width: frame.displayWidth, height: frame.displayHeight });
      encode.call(this, frame, options);
    };
  });
}

/**
 * Walks the session (launched, nothing armed, its page the demo) through every page and state,
 * calling `visit` for each; the state holds until `visit` returns. Leaves the session disarmed.
 */
export async function tourPages(session: Session, visit: TourVisitor): Promise<void> {
  const { looptab } = session;
  const demoTitle = await session.page.title();
  const clickToolbar = (page: Page) => openPopupByToolbarClick(looptab, page);
  // The control page first: a window opened later would take the focus and close a popup.
  await session.status();

  const options = await looptab.extensionPage('options.html');
  await options.setViewport({ ...OPTIONS_VIEWPORT, deviceScaleFactor: 1 });
  await settle(options);
  await visit({ name: 'options', page: options, viewport: OPTIONS_VIEWPORT, userContent: [] });
  await options.close();

  const emptyLibrary = await looptab.extensionPage('library.html');
  await emptyLibrary.setViewport({ ...PAGE_VIEWPORT, deviceScaleFactor: 1 });
  await settle(emptyLibrary);
  await visit({ name: 'library-empty', page: emptyLibrary, viewport: PAGE_VIEWPORT, userContent: [] });
  await emptyLibrary.close();

  // A page Chrome protects: the popup's arm is refused and it says why.
  const versionTab = await looptab.browser.newPage();
  await versionTab.goto('chrome://version');
  const protectedPopup = await clickToolbar(versionTab);
  // The refusal is the popup's own arm reply (nothing is stored): give it time to come back.
  await sleep(1000);
  await visit({ name: 'popup-protected', page: await settledPopup(protectedPopup), viewport: 'popup', userContent: [await versionTab.title()] });
  await protectedPopup.close();
  await versionTab.close();

  // Armed by the toolbar click (that popup closes as capture starts).
  await session.arm();
  await session.until('12 s buffered', (s) => s.state === 'armed' && s.bufferedSec >= 12, { timeoutMs: 40_000 });
  const armed = await clickToolbar(session.page);
  await visit({ name: 'popup-armed', page: await settledPopup(armed), viewport: 'popup', userContent: [demoTitle] });
  await armed.close();

  const otherTab = await looptab.browser.newPage();
  await otherTab.goto(`${session.pages.origin}/demo.html?tab=2`);
  const otherPopup = await clickToolbar(otherTab);
  await visit({ name: 'popup-other-tab', page: await settledPopup(otherPopup), viewport: 'popup', userContent: [demoTitle] });
  await otherPopup.close();
  await otherTab.close();

  await ok(session, { type: 'record-start' });
  await session.until('3 s recorded to disk', (s) => (s.recording?.durationSec ?? 0) >= 3);
  const recording = await clickToolbar(session.page);
  await visit({ name: 'popup-recording', page: await settledPopup(recording), viewport: 'popup', userContent: [demoTitle] });
  await recording.close();
  await ok(session, { type: 'record-stop' });

  await ok(session, { type: 'pause' });
  const paused = await clickToolbar(session.page);
  await visit({ name: 'popup-paused', page: await settledPopup(paused), viewport: 'popup', userContent: [demoTitle] });
  await paused.close();
  await ok(session, { type: 'resume' });

  // Clips for the library and the editor.
  await session.until('2 s buffered after the resume', (s) => s.state === 'armed' && s.timeline.newestFrameSec !== null);
  await session.save(8);
  await session.save(4, { format: 'gif', timeoutMs: 30_000 });
  await session.save(5);

  // A long GIF in the making, cancelled once seen.
  const exporting = await clickToolbar(session.page);
  const control = await session.controlPage();
  const buffered = (await session.status()).bufferedSec;
  await control.evaluate((seconds) => { void chrome.runtime.sendMessage({ type: 'save', seconds, format: 'gif' }); }, Math.floor(buffered));
  await session.until('the GIF a quarter made', (s) => (s.export?.fraction ?? 0) >= 0.2, { timeoutMs: 20_000, pollMs: 50 });
  await sleep(600);
  await visit({ name: 'popup-exporting', page: exporting, viewport: 'popup', userContent: [demoTitle] });
  if ((await session.status()).export === null) console.warn('popup-exporting: the GIF was finished before the visit ended');
  await ok(session, { type: 'cancel' });
  await exporting.close();

  // Thumbnails are made after each save; a card without one yet is a state too.
  await until('every clip with its thumbnail', () => libraryReply(session), (r) => r.clips.every((c) => c.hasThumbnail), { timeoutMs: 15_000 }).catch(() => {});
  const library = await libraryReply(session);
  const titles = [...new Set([demoTitle, ...library.clips.map((clip) => clip.title)])];
  const libraryPage = await looptab.extensionPage('library.html');
  await libraryPage.setViewport({ ...PAGE_VIEWPORT, deviceScaleFactor: 1 });
  await settle(libraryPage);
  await visit({ name: 'library-full', page: libraryPage, viewport: PAGE_VIEWPORT, userContent: titles });
  await libraryPage.close();

  const mp4 = library.clips.find((clip) => clip.format === 'mp4' && clip.kind === 'clip');
  if (!mp4) throw new Error('no MP4 clip in the library to edit');
  const editor = await looptab.extensionPage(`editor.html?ids=${encodeURIComponent(mp4.id)}`);
  await editor.setViewport({ ...PAGE_VIEWPORT, deviceScaleFactor: 1 });
  await editor.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.readyState >= 2), { timeout: 20_000 });
  await settle(editor, { quietMs: 1000, maxMs: 8000 });
  await visit({ name: 'editor', page: editor, viewport: PAGE_VIEWPORT, userContent: titles });
  await editor.close();

  // Capture ends when the recorded tab closes: a second tab is armed from its popup, then closed.
  const second = await looptab.browser.newPage();
  await second.goto(`${session.pages.origin}/demo.html?tab=3`);
  const secondPopup = await clickToolbar(second);
  const secondId = await popupTabId(secondPopup);
  await armFrom(secondPopup, secondId);
  await session.until('the second tab armed with 3 s', (s) => s.tabId === secondId && s.state === 'armed' && s.bufferedSec >= 3);
  await second.close();
  await session.until('capture to end', (s) => s.state === 'ended');
  const ended = await clickToolbar(session.page);
  await visit({ name: 'popup-ended', page: await settledPopup(ended), viewport: 'popup', userContent: [demoTitle] });

  // Arm this tab again from that popup, then the recorder fails while a popup is open.
  await armFrom(ended, await popupTabId(ended));
  await session.until('the demo armed again', (s) => s.state === 'armed' && s.bufferedSec >= 3);
  const failing = await clickToolbar(session.page);
  await settledPopup(failing);
  await breakVideoEncoders(session);
  await session.until('the recorder to give up', (s: Status) => s.state === 'error', { timeoutMs: 20_000 });
  await visit({ name: 'popup-error', page: await settledPopup(failing), viewport: 'popup', userContent: [demoTitle] });

  // Disarmed from elsewhere (a shortcut) while the popup is open: the popup is idle.
  await ok(session, { type: 'disarm' });
  await session.until('idle', (s) => s.state === 'idle');
  await visit({ name: 'popup-idle', page: await settledPopup(failing), viewport: 'popup', userContent: [demoTitle] });
  await failing.close();
}
