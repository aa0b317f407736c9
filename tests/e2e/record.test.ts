// The whole chain in real headless Chromium: a toolbar click arms a tab that moves and makes
// sound, a save lands an MP4 in the downloads folder, ffprobe/ffmpeg judge the file.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaveReply } from '../../src/contract/messages';
import { openPopupByToolbarClick } from '../../scripts/harness/browser';
import { audioMeanVolumeDb, decodeErrors, probe } from '../../scripts/harness/media';
import { launchSession, type Session } from '../../scripts/harness/session';
import { sleep } from '../../scripts/harness/wait';
import { expectLocalFailure } from './failure-reply';

let session: Session;

async function badgeText(tabId?: number): Promise<string> {
  const worker = await session.looptab.serviceWorker();
  return worker.evaluate((id) => chrome.action.getBadgeText(id === undefined ? {} : { tabId: id }), tabId);
}

const clickToolbar = (page: Page) => openPopupByToolbarClick(session.looptab, page);

beforeAll(async () => {
  session = await launchSession({ audio: true });
});

afterAll(async () => {
  await session?.close();
});

describe('Looptab in Chromium', () => {
  it('toolbar click on a chrome:// page, refuses clearly and crashes nothing', async () => {
    const page = await session.looptab.browser.newPage();
    await page.goto('chrome://version');
    const popup = await clickToolbar(page);
    const message = await popup.waitForSelector('[data-state="protected"]', { timeout: 10_000 });
    expect(await message?.evaluate((el) => el.textContent)).toMatch(/does not let extensions record this page/);
    const tabId = await popup.evaluate(async () => (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id);
    expect(await badgeText(tabId)).toBe('ERR');
    await popup.close();
    await page.close();
  });

  it('toolbar click on a normal tab, arms it: badge, status and popup say so', async () => {
    // The first click's popup arms the tab; Chrome then closes it as the capture starts.
    await clickToolbar(session.page);
    const armed = await session.until('the buffer to hold 6 s', (s) => s.bufferedSec >= 6, { timeoutMs: 20_000 });
    expect(armed.armed).toBe(true);
    expect(armed.tabTitle).toBe('Looptab demo');
    expect(armed.videoCodec).toMatch(/^avc1\./);
    expect(armed.audioCodec).toBe('opus');
    expect(armed.fps).toBeGreaterThan(20);
    expect(await badgeText()).toBe('REC');

    // A second click shows the recording instead of arming again.
    const popup = await clickToolbar(session.page);
    await popup.waitForSelector('[data-state="armed"][data-capture="armed"]', { timeout: 10_000 });
    const text = await popup.evaluate(() => document.body.textContent ?? '');
    expect(text).toMatch(/\d+\.\d s buffered of 60 s/);
    expect(text).toContain('Tab: Looptab demo');
    await popup.close();
    expect((await session.status()).encodedFrames).toBeGreaterThan(armed.encodedFrames);
  });

  it('save 5 s, lands a valid MP4 with moving video and audible sound', async () => {
    const before = await session.status();
    const { reply, file } = await session.save(5);
    expect(reply.filename).toMatch(/^Looptab Looptab demo \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.mp4$/);
    // 5 s +- a frame: clips start on the frame boundary nearest the asked instant.
    expect(Math.abs(reply.durationSec - 5)).toBeLessThanOrEqual(1 / 30);
    expect(reply.note).toBeUndefined();

    const result = await probe(file);
    const video = result.streams.find((s) => s.codecType === 'video');
    const audio = result.streams.find((s) => s.codecType === 'audio');
    expect(result.formatDurationSec).toBeCloseTo(5, 1);
    expect(video?.codecName).toBe('h264');
    expect(video?.durationSec).toBeCloseTo(5, 1);
    expect(video?.width).toBe(before.width);
    // The demo repaints every frame at 30 fps; a few frames may be dropped under load.
    expect(video?.frames).toBeGreaterThanOrEqual(120);
    expect(video?.frames).toBeLessThanOrEqual(152);
    expect(audio?.codecName).toBe('opus');
    expect(Math.abs((audio?.durationSec ?? 0) - 5)).toBeLessThan(0.05);
    expect(await audioMeanVolumeDb(file)).toBeGreaterThan(-40);
    expect(await decodeErrors(file)).toBe('');
  });

  it('save, leaves recording running', async () => {
    const before = await session.status();
    await sleep(1500);
    const after = await session.status();
    expect(after.armed).toBe(true);
    expect(after.encodedFrames).toBeGreaterThan(before.encodedFrames + 20);
    expect(after.bufferedSec).toBeGreaterThan(before.bufferedSec);
  });

  it('save more than is buffered, saves what is there and says so', async () => {
    const reply = await session.send<SaveReply>({ type: 'save', seconds: 600, format: 'mp4' });
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.note).toMatch(/^Only \d+\.\d s were buffered/);
    expect(reply.durationSec).toBeLessThan(60);
  });

  it.each([
    [{ type: 'save', seconds: -1, format: 'mp4' }, /"seconds" must be a positive number/],
    [{ type: 'save', seconds: 5, format: 'avi' }, /"format" must be one of/],
    [{ type: 'save', seconds: 5, format: 'GIF' }, /"format" must be one of/],
    [{ type: 'arm', tabId: -1 }, /"tabId" must be a non-negative integer/],
    [{ type: 'launch-missiles' }, /unknown message type/],
    ['not even an object', /must be an object/],
  ])('bad request %j, gets a clear error and disturbs nothing', async (message, error) => {
    const reply = await session.send<{ ok: boolean; error?: string }>(message);
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(error);
    expect((await session.status()).armed).toBe(true);
  });

  it('disarm, stops capture and clears the badge', async () => {
    const reply = await session.send<{ ok: boolean }>({ type: 'disarm' });
    expect(reply.ok).toBe(true);
    const after = await session.status();
    expect(after.armed).toBe(false);
    expect(after.state).toBe('idle');
    expect(await badgeText()).toBe('');
    const save = await session.send<SaveReply>({ type: 'save', seconds: 5, format: 'mp4' });
    expectLocalFailure(save, /not recording/, 'err_not_recording');
  });
});
