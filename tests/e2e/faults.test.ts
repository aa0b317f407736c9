// Faults a replay buffer meets in real browsing, each produced in real Chromium: what was
// buffered stays savable and the extension keeps answering.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaveReply } from '../../src/contract/messages';
import { openPopupByToolbarClick, popupTabId } from '../../scripts/harness/browser';
import { decodeErrors, probe } from '../../scripts/harness/media';
import { launchSession, type Session } from '../../scripts/harness/session';
import { sleep, until } from '../../scripts/harness/wait';

let session: Session;
let looptab: Session['looptab'];
let demo: Page;
let control: Page;

async function saveAndCheck(seconds: number): Promise<{ file: string }> {
  const { file } = await session.save(seconds);
  expect(await decodeErrors(file)).toBe('');
  return { file };
}

const clickToolbar = (page: Page) => openPopupByToolbarClick(looptab, page);

async function arm(page: Page): Promise<void> {
  await session.arm(page);
  await session.until('the tab to be armed with 3 s buffered', (s) => s.armed && s.bufferedSec >= 3);
}

/**
 * Fails the recorder's live video encoder for real, from outside the product: its next encode()
 * first reconfigures it with a codec nothing supports, which closes it with a NotSupportedError
 * through its error callback, as a reclaimed hardware encoder fails.
 */
async function failLiveVideoEncoder(): Promise<void> {
  const offscreenUrl = `chrome-extension://${looptab.extensionId}/offscreen.html`;
  const target = await looptab.browser.waitForTarget((t) => t.url() === offscreenUrl, { timeout: 10_000 });
  const page = await target.asPage();
  await page.evaluate(() => {
    const encode = VideoEncoder.prototype.encode;
    VideoEncoder.prototype.encode = function (this: VideoEncoder, frame: VideoFrame, options?: VideoEncoderEncodeOptions) {
      VideoEncoder.prototype.encode = encode;
      this.configure({ codec: 'no-such-codec', width: frame.displayWidth, height: frame.displayHeight });
      encode.call(this, frame, options);
    };
  });
}

beforeAll(async () => {
  session = await launchSession({ audio: true });
  ({ looptab, page: demo } = session);
  await session.arm();
  control = await session.controlPage();
  await session.until('3 s buffered', (s) => s.bufferedSec >= 3);
});

afterAll(async () => {
  await session?.close();
});

describe('faults', () => {
  it('five saves at once, every one answered with a valid file', async () => {
    await session.until('7 s buffered', (s) => s.bufferedSec >= 7);
    const seen = await readdir(looptab.downloadsDir);
    const replies = await Promise.all([2, 3, 4, 5, 6].map((seconds) => session.send<SaveReply>({ type: 'save', seconds, format: 'mp4' })));
    for (const reply of replies) expect(reply.ok).toBe(true);
    const newClips = async () => (await readdir(looptab.downloadsDir)).filter((name) => name.endsWith('.mp4') && !seen.includes(name));
    const files = await until('five new clips', newClips, (names) => names.length === 5, { timeoutMs: 20_000, pollMs: 200 }).catch(newClips);
    expect(files).toHaveLength(5);
    await sleep(500);
    const durations = await Promise.all(files.map(async (name) => (await probe(join(looptab.downloadsDir, name))).formatDurationSec));
    expect(durations.map(Math.round).sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('the armed tab navigates same-origin and cross-origin, capture goes on and a clip spans it', async () => {
    await demo.goto(`${session.pages.origin}/demo.html?second=1`);
    // localhost and 127.0.0.1 are different origins.
    await demo.goto(`${session.pages.origin.replace('127.0.0.1', 'localhost')}/demo.html`);
    const before = await session.status();
    await sleep(2000);
    const after = await session.status();
    expect(after.armed).toBe(true);
    expect(after.encodedFrames - before.encodedFrames).toBeGreaterThan(30);
    const { file } = await saveAndCheck(4);
    expect((await probe(file)).formatDurationSec).toBeCloseTo(4, 1);
  });

  it('the service worker is stopped, state is rebuilt and saving still works', async () => {
    const cdp = await control.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
    await sleep(500);
    const after = await session.status();
    expect(after.armed).toBe(true);
    expect(after.tabTitle).toBe('Looptab demo');
    await saveAndCheck(2);
  });

  it('two arms of one tab at once, both succeed and one capture goes on', async () => {
    const demoTabId = (await session.status()).tabId;
    const second = await looptab.browser.newPage();
    await second.goto(`${session.pages.origin}/demo.html?tab=double-arm`);
    // The toolbar click grants activeTab; the popup shows the other tab's view and arms nothing.
    const popup = await clickToolbar(second);
    const secondId = await popupTabId(popup);
    await popup.close();
    const replies = await control.evaluate(
      (tabId) => Promise.all([chrome.runtime.sendMessage({ type: 'arm', tabId }), chrome.runtime.sendMessage({ type: 'arm', tabId })]),
      secondId,
    );
    expect(replies).toEqual([{ ok: true }, { ok: true }]);
    const armed = await session.until('the second tab armed with 3 s', (s) => s.state === 'armed' && s.tabId === secondId && s.bufferedSec >= 3);
    expect(armed.lastError).toBe(null);
    await saveAndCheck(2);
    // The demo tab again, for the tests after this one.
    const demoPopup = await clickToolbar(demo);
    await demoPopup.close();
    expect(await session.send({ type: 'arm', tabId: demoTabId })).toEqual({ ok: true });
    await session.until('the demo tab armed again with 3 s', (s) => s.state === 'armed' && s.tabId === demoTabId && s.bufferedSec >= 3);
    await second.close();
  });

  it('the armed tab is closed, the buffer stays savable and the popup says what happened', async () => {
    const second = await looptab.browser.newPage();
    await second.goto(`${session.pages.origin}/demo.html?tab=2`);
    // Another tab records: the popup offers to switch rather than dropping that buffer silently.
    const firstTabId = (await session.status()).tabId;
    const popup = await clickToolbar(second);
    const switchButton = await popup.waitForSelector('::-p-text(Record this tab instead)', { timeout: 10_000 });
    await switchButton!.click();
    // Both tabs have the same title: only the tab id says the switch happened.
    const armed = await session.until(
      'the second tab to be armed',
      (s) => s.armed && s.tabId !== firstTabId && s.bufferedSec >= 3 && s.encodedFrames > 0,
    );
    expect(armed.tabId).not.toBe(null);
    await second.close();
    const ended = await session.until('capture to end', (s) => s.state === 'ended');
    expect(ended.lastError).toMatch(/closed|stopped being captured/);
    const { file } = await saveAndCheck(2);
    expect((await probe(file)).formatDurationSec).toBeCloseTo(2, 1);
    // Opening the popup elsewhere shows why capture stopped, and does not arm over the buffer.
    const after = await clickToolbar(demo);
    const alert = await after.waitForSelector('[data-state="ended"] .reason', { timeout: 10_000 });
    expect(await alert!.evaluate((el) => el.textContent)).toMatch(/closed|stopped being captured/);
    expect((await session.status()).state).toBe('ended');
    await after.close();
  });

  it('the offscreen document disappears, the user is told and arming again works', async () => {
    const worker = await looptab.serviceWorker();
    await worker.evaluate(() => chrome.offscreen.closeDocument());
    const after = await session.status();
    expect(after.armed).toBe(false);
    expect(after.lastError).toMatch(/recorder stopped unexpectedly/);
    expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('ERR');
    await demo.bringToFront();
    await arm(demo);
    await saveAndCheck(2);
  });

  it('the video encoder fails mid-stream, a new one takes over and the buffer stays savable', async () => {
    const before = await session.status();
    await failLiveVideoEncoder();
    const after = await session.until('frames from the new encoder', (s) => s.encodedFrames > before.encodedFrames + 30);
    expect(after.armed).toBe(true);
    expect(after.lastError).toMatch(/recording continues/);
    const { file } = await saveAndCheck(3);
    const video = (await probe(file)).streams.find((s) => s.codecType === 'video');
    expect(video?.frames).toBeGreaterThan(20);
  });

  it('a web page cannot reach Looptab (no externally_connectable)', async () => {
    expect(await demo.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');
  });
});
