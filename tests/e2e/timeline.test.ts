// Timeline truth in real Chromium: exact clip lengths (ffprobe and Chromium's <video> agree),
// pause/resume with one continuous timeline, and a clip across a tab resize.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkReply, SaveReply, Status } from '../../src/contract/messages';
import { sendMessage, waitForFile, type Looptab } from '../../scripts/harness/browser';
import { chromiumDurationSec, decodeErrors, probe } from '../../scripts/harness/media';
import { launchArmedDemo, type ArmedDemo } from '../../scripts/harness/armed-demo';
import type { StaticServer } from '../../scripts/harness/server';

const execFileAsync = promisify(execFile);

let armed: ArmedDemo;
let downloads: StaticServer;
let looptab: Looptab;
let demo: Page;
let control: Page;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const status = () => sendMessage<Status>(control, { type: 'status' });

async function packetTimes(file: string, stream: 'v' | 'a'): Promise<number[]> {
  const { stdout } = await execFileAsync('ffprobe', ['-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file]);
  return stdout.trim().split('\n').map(Number).sort((a, b) => a - b);
}

/** Saves and returns the downloaded file's path (downloads land under a generated name). */
async function saveClip(seconds: number): Promise<{ reply: Extract<SaveReply, { ok: true }>; file: string }> {
  const seen = await readdir(looptab.downloadsDir);
  const reply = await sendMessage<SaveReply>(control, { type: 'save', seconds, format: 'mp4' });
  if (!reply.ok) throw new Error(reply.error);
  const file = await waitForFile(looptab.downloadsDir, (name) => name.endsWith('.mp4') && !seen.includes(name), 15_000);
  return { reply, file };
}

/** Duration of a downloaded clip as Chromium's own <video> element reports it. */
function chromiumDuration(file: string): Promise<number> {
  return chromiumDurationSec(demo, `${downloads.origin}/${encodeURIComponent(basename(file))}`);
}

beforeAll(async () => {
  armed = await launchArmedDemo(7);
  ({ looptab, demo, control, downloads } = armed);
});

afterAll(async () => {
  await armed?.close();
});

describe('timeline', () => {
  it.each([3.7, 6.25])('save %s s, is that long to within a frame in ffprobe and in Chromium', async (seconds) => {
    const { reply, file } = await saveClip(seconds);
    // Clips start on the frame boundary nearest the asked instant: +-1 frame, told in the reply.
    expect(Math.abs(reply.durationSec - seconds)).toBeLessThanOrEqual(1 / 30);
    const result = await probe(file);
    const frameSec = 1 / 30;
    // The reply tells the length the file has (the clip ends where its sound ends, priming included).
    expect(Math.abs(result.formatDurationSec - reply.durationSec)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(result.formatDurationSec - seconds)).toBeLessThanOrEqual(frameSec);
    for (const stream of result.streams) expect(Math.abs(stream.durationSec - seconds)).toBeLessThanOrEqual(frameSec);
    expect(Math.abs((await chromiumDuration(file)) - seconds)).toBeLessThanOrEqual(frameSec);
    expect(await decodeErrors(file)).toBe('');
  });

  it('pause and resume, cut the paused span from both tracks: no gap, no frozen frame', async () => {
    expect(await sendMessage<OkReply>(control, { type: 'pause' })).toEqual({ ok: true });
    const paused = await status();
    expect(paused.state).toBe('paused');
    expect(await (await looptab.serviceWorker()).evaluate(() => chrome.action.getBadgeText({}))).toBe('II');
    await sleep(3000);
    const stillPaused = await status();
    // Nothing is buffered while paused.
    expect(stillPaused.bufferedSec - paused.bufferedSec).toBeLessThan(0.3);
    expect(await sendMessage<OkReply>(control, { type: 'pause' })).toEqual({ ok: false, error: 'Already paused.' });
    expect(await sendMessage<OkReply>(control, { type: 'resume' })).toEqual({ ok: true });
    await sleep(3000);

    // 6 s: about 3 s before the pause and 3 s after it.
    const { file } = await saveClip(6);
    const result = await probe(file);
    const video = result.streams.find((s) => s.codecType === 'video')!;
    const audio = result.streams.find((s) => s.codecType === 'audio')!;
    expect(video.durationSec).toBeCloseTo(6, 1);
    // Audio and video end together (within one 20 ms audio packet).
    expect(Math.abs(video.durationSec - audio.durationSec)).toBeLessThanOrEqual(0.021);
    const videoTimes = await packetTimes(file, 'v');
    const audioTimes = await packetTimes(file, 'a');
    const maxGap = (times: number[]) => Math.max(...times.slice(1).map((t, i) => t - times[i]!));
    // The demo repaints every frame: a frozen frame across the pause would hold for the whole
    // 3 s paused span; a few dropped frames under load are 0.1 s at most.
    expect(maxGap(videoTimes.filter((t) => t >= 0))).toBeLessThan(0.25);
    // Audio joins seamlessly across the pause: every packet follows the previous one.
    expect(maxGap(audioTimes.filter((t) => t >= 0))).toBeLessThan(0.0215);
    expect(await decodeErrors(file)).toBe('');
  });

  it('post-roll, keeps recording K s after the request, then replies with the asked length', async () => {
    await control.evaluate(() => chrome.storage.sync.set({ 'looptab.settings': { postRollSec: 2 } }));
    try {
      const requestedAt = Date.now();
      const { reply, file } = await saveClip(4);
      // The reply waits for the post-roll, and the clip keeps its asked length.
      expect(Date.now() - requestedAt).toBeGreaterThanOrEqual(2000);
      expect(Math.abs(reply.durationSec - 4)).toBeLessThanOrEqual(1 / 30);
      expect((await probe(file)).formatDurationSec).toBeCloseTo(4, 1);
    } finally {
      await control.evaluate(() => chrome.storage.sync.remove('looptab.settings'));
    }
  });

  // Size changes: Chrome keeps a tab capture at the size it started with and letterboxes the
  // changed tab into it, so one encoder config covers the clip. (Were a frame ever to arrive at
  // another size, the encoder would be reconfigured and clips would start at its keyframe; see
  // planLastClip.) Each case saves 5 s spanning the change and checks the whole clip plays.
  async function expectWholeClipAtArmedSize(): Promise<void> {
    const { reply, file } = await saveClip(5);
    expect(reply.note).toBeUndefined();
    const result = await probe(file);
    const video = result.streams.find((s) => s.codecType === 'video')!;
    expect([video.width, video.height]).toEqual([1280, 720]);
    expect(video.durationSec).toBeCloseTo(5, 1);
    expect(video.frames).toBeGreaterThan(120);
    expect(await decodeErrors(file)).toBe('');
  }

  it('a clip across a tab resize, keeps one size and plays through', async () => {
    const session = await demo.createCDPSession();
    const { windowId } = await session.send('Browser.getWindowForTarget');
    await session.send('Browser.setWindowBounds', { windowId, bounds: { width: 900, height: 900 } });
    await session.detach();
    await sleep(2500);
    await expectWholeClipAtArmedSize();
  });

  it('a clip across a page zoom, keeps one size and plays through', async () => {
    const { tabId } = await status();
    const worker = await looptab.serviceWorker();
    const cssWidth = await demo.evaluate(() => innerWidth);
    await worker.evaluate((id) => chrome.tabs.setZoom(id!, 1.75), tabId);
    await sleep(1500);
    // The page lays out at the new zoom: fewer CSS pixels across the same window.
    expect(await demo.evaluate(() => innerWidth)).toBeLessThan(cssWidth * 0.6);
    expect(await worker.evaluate((id) => chrome.tabs.getZoom(id!), tabId)).toBeCloseTo(1.75, 6);
    await worker.evaluate((id) => chrome.tabs.setZoom(id!, 0), tabId);
    await sleep(1500);
    await expectWholeClipAtArmedSize();
  });

  it('a clip across the page going fullscreen and back, keeps one size and plays through', async () => {
    // Fullscreen needs a user gesture: a real click on the page.
    await demo.evaluate(() => {
      document.addEventListener('click', () => void document.documentElement.requestFullscreen(), { once: true });
    });
    const windowed = await demo.evaluate(() => [innerWidth, innerHeight]);
    await demo.click('canvas');
    await demo.waitForFunction(() => document.fullscreenElement !== null, { timeout: 5000 });
    await sleep(1500);
    // The page really changed size (a 900x813 page became 800x450 in headless Chromium).
    expect(await demo.evaluate(() => [innerWidth, innerHeight])).not.toEqual(windowed);
    await demo.evaluate(() => document.exitFullscreen());
    await demo.waitForFunction(() => document.fullscreenElement === null, { timeout: 5000 });
    await sleep(1500);
    await expectWholeClipAtArmedSize();
  });
});
