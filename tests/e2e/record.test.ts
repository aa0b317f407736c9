// The whole chain in real headless Chromium: a toolbar click arms a tab that moves and makes
// sound, a save lands an MP4 in the downloads folder, ffprobe/ffmpeg judge the file.
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaveReply, Status } from '../../src/contract/messages';
import { launchLooptab, openPopupByToolbarClick, sendMessage, waitForFile, type Looptab } from '../../scripts/harness/browser';
import { audioMeanVolumeDb, decodeErrors, probe } from '../../scripts/harness/media';
import { serveStatic, type StaticServer } from '../../scripts/harness/server';

const root = join(import.meta.dirname, '..', '..');

let server: StaticServer;
let looptab: Looptab;
let demo: Page;
let control: Page;

async function status(): Promise<Status> {
  return sendMessage<Status>(control, { type: 'status' });
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

async function badgeText(tabId?: number): Promise<string> {
  const worker = await looptab.serviceWorker();
  return worker.evaluate((id) => chrome.action.getBadgeText(id === undefined ? {} : { tabId: id }), tabId);
}

const clickToolbar = (page: Page) => openPopupByToolbarClick(looptab, page);

beforeAll(async () => {
  server = await serveStatic(join(root, 'tests', 'fixtures'));
  looptab = await launchLooptab({ distDir: join(root, 'dist'), audio: true });
  demo = await looptab.browser.newPage();
  await demo.goto(`${server.origin}/demo.html`);
});

afterAll(async () => {
  await looptab?.close();
  await server?.close();
});

describe('Looptab in Chromium', () => {
  it('toolbar click on a chrome:// page, refuses clearly and crashes nothing', async () => {
    const page = await looptab.browser.newPage();
    await page.goto('chrome://version');
    const popup = await clickToolbar(page);
    const message = await popup.waitForSelector('.message.error', { timeout: 10_000 });
    expect(await message?.evaluate((el) => el.textContent)).toMatch(/does not let extensions record this page/);
    const tabId = await popup.evaluate(async () => (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id);
    expect(await badgeText(tabId)).toBe('ERR');
    await popup.close();
    await page.close();
  });

  it('toolbar click on a normal tab, arms it: badge, status and popup say so', async () => {
    // The first click's popup arms the tab; Chrome then closes it as the capture starts.
    await clickToolbar(demo);
    control = await looptab.extensionPage('options.html');
    const armed = await until('the buffer to hold 6 s', status, (s) => s.bufferedSec >= 6);
    expect(armed.armed).toBe(true);
    expect(armed.tabTitle).toBe('Looptab demo');
    expect(armed.videoCodec).toMatch(/^avc1\./);
    expect(armed.audioCodec).toBe('opus');
    expect(armed.fps).toBeGreaterThan(20);
    expect(await badgeText()).toBe('REC');

    // A second click shows the recording instead of arming again.
    const popup = await clickToolbar(demo);
    await popup.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('is recording'), { timeout: 10_000 });
    const text = await popup.evaluate(() => document.body.textContent ?? '');
    expect(text).toMatch(/\d+\.\d s buffered of 60 s/);
    expect(text).toContain('Tab: Looptab demo');
    await popup.close();
    expect((await status()).encodedFrames).toBeGreaterThan(armed.encodedFrames);
  });

  it('save 5 s, lands a valid MP4 with moving video and audible sound', async () => {
    const before = await status();
    const reply = await sendMessage<SaveReply>(control, { type: 'save', seconds: 5, format: 'mp4' });
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.filename).toMatch(/^Looptab Looptab demo \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.mp4$/);
    // 5 s +- a frame: clips start on the frame boundary nearest the asked instant.
    expect(Math.abs(reply.durationSec - 5)).toBeLessThanOrEqual(1 / 30);
    expect(reply.note).toBeUndefined();

    const file = await waitForFile(looptab.downloadsDir, (name) => name.endsWith('.mp4'), 15_000);
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
    const before = await status();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await status();
    expect(after.armed).toBe(true);
    expect(after.encodedFrames).toBeGreaterThan(before.encodedFrames + 20);
    expect(after.bufferedSec).toBeGreaterThan(before.bufferedSec);
  });

  it('save more than is buffered, saves what is there and says so', async () => {
    const reply = await sendMessage<SaveReply>(control, { type: 'save', seconds: 600, format: 'mp4' });
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
    const reply = await sendMessage<{ ok: boolean; error?: string }>(control, message);
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(error);
    expect((await status()).armed).toBe(true);
  });

  it('disarm, stops capture and clears the badge', async () => {
    const reply = await sendMessage<{ ok: boolean }>(control, { type: 'disarm' });
    expect(reply.ok).toBe(true);
    const after = await status();
    expect(after.armed).toBe(false);
    expect(after.state).toBe('idle');
    expect(await badgeText()).toBe('');
    const save = await sendMessage<SaveReply>(control, { type: 'save', seconds: 5, format: 'mp4' });
    expect(save).toEqual({ ok: false, error: expect.stringMatching(/not recording/) });
  });
});
