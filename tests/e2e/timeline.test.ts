// Timeline truth in real Chromium: exact clip lengths (ffprobe and Chromium's <video> agree),
// pause/resume with one continuous timeline, and a clip across a tab resize.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkReply } from '../../src/contract/messages';
import { chromiumDurationSec, decodeErrors, packetValues, probe } from '../../scripts/harness/media';
import { launchArmedDemo, type ArmedDemo } from '../../scripts/harness/session';
import { sleep } from '../../scripts/harness/wait';
import { expectLocalFailure } from './failure-reply';

let armed: ArmedDemo;

/** Duration of a downloaded clip as Chromium's own <video> element reports it. */
function chromiumDuration(file: string): Promise<number> {
  return chromiumDurationSec(armed.page, armed.downloadUrl(file));
}

async function packetTimes(file: string, stream: 'v' | 'a'): Promise<number[]> {
  return (await packetValues(file, stream, 'pts_time')).sort((a, b) => a - b);
}

beforeAll(async () => {
  armed = await launchArmedDemo(7);
});

afterAll(async () => {
  await armed?.close();
});

describe('timeline', () => {
  it.each([3.7, 6.25])('save %s s, is that long to within a frame in ffprobe and in Chromium', async (seconds) => {
    const { reply, file } = await armed.save(seconds);
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
    expect(await armed.send<OkReply>({ type: 'pause' })).toEqual({ ok: true });
    const paused = await armed.status();
    expect(paused.state).toBe('paused');
    expect(await (await armed.looptab.serviceWorker()).evaluate(() => chrome.action.getBadgeText({}))).toBe('II');
    // Nothing is buffered while paused, judged on the buffer's own timeline at every look through
    // the 3 s pause: no frame captured after the pause began (frames captured just before it may
    // still come out of the encoder, and belong to the clip).
    const pausedAtSec = paused.timeline.pausedAtSec;
    expect(pausedAtSec).not.toBeNull();
    const endOfPauseMs = Date.now() + 3000;
    let looks = 0;
    for (let status = paused; Date.now() < endOfPauseMs; status = await armed.status()) {
      expect(status.timeline.pausedAtSec).toBe(pausedAtSec);
      expect(status.timeline.newestFrameSec!, 'the newest buffered frame starts before the pause').toBeLessThanOrEqual(pausedAtSec!);
      looks++;
      await sleep(100);
    }
    expect(looks).toBeGreaterThanOrEqual(5);
    expectLocalFailure(await armed.send<OkReply>({ type: 'pause' }), /^Already paused\.$/, 'err_already_paused');
    expect(await armed.send<OkReply>({ type: 'resume' })).toEqual({ ok: true });
    await sleep(3000);
    // Recording goes on from where the pause began, on the same timeline.
    const resumed = await armed.status();
    expect(resumed.timeline.pausedAtSec).toBeNull();
    expect(resumed.timeline.newestFrameSec!).toBeGreaterThan(pausedAtSec!);

    // 6 s: about 3 s before the pause and 3 s after it.
    const { file } = await armed.save(6);
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
    await armed.control.evaluate(() => chrome.storage.sync.set({ 'looptab.settings': { postRollSec: 2 } }));
    try {
      const requestedAt = Date.now();
      const { reply, file } = await armed.save(4);
      // The reply waits for the post-roll, and the clip keeps its asked length.
      expect(Date.now() - requestedAt).toBeGreaterThanOrEqual(2000);
      expect(Math.abs(reply.durationSec - 4)).toBeLessThanOrEqual(1 / 30);
      expect((await probe(file)).formatDurationSec).toBeCloseTo(4, 1);
    } finally {
      await armed.control.evaluate(() => chrome.storage.sync.remove('looptab.settings'));
    }
  });

  // Size changes: Chrome keeps a tab capture at the size it started with and letterboxes the
  // changed tab into it, so one encoder config covers the clip. (Were a frame ever to arrive at
  // another size, the encoder would be reconfigured and clips would start at its keyframe; see
  // planLastClip.) Each case saves 5 s spanning the change and checks the whole clip plays.
  async function expectWholeClipAtArmedSize(): Promise<void> {
    const { reply, file } = await armed.save(5);
    expect(reply.note).toBeUndefined();
    const result = await probe(file);
    const video = result.streams.find((s) => s.codecType === 'video')!;
    expect([video.width, video.height]).toEqual([1280, 720]);
    expect(video.durationSec).toBeCloseTo(5, 1);
    expect(video.frames).toBeGreaterThan(120);
    expect(await decodeErrors(file)).toBe('');
  }

  it('a clip across a tab resize, keeps one size and plays through', async () => {
    const session = await armed.page.createCDPSession();
    const { windowId } = await session.send('Browser.getWindowForTarget');
    await session.send('Browser.setWindowBounds', { windowId, bounds: { width: 900, height: 900 } });
    await session.detach();
    await sleep(2500);
    await expectWholeClipAtArmedSize();
  });

  it('a clip across a page zoom, keeps one size and plays through', async () => {
    const { tabId } = await armed.status();
    const worker = await armed.looptab.serviceWorker();
    const cssWidth = await armed.page.evaluate(() => innerWidth);
    await worker.evaluate((id) => chrome.tabs.setZoom(id!, 1.75), tabId);
    await sleep(1500);
    // The page lays out at the new zoom: fewer CSS pixels across the same window.
    expect(await armed.page.evaluate(() => innerWidth)).toBeLessThan(cssWidth * 0.6);
    expect(await worker.evaluate((id) => chrome.tabs.getZoom(id!), tabId)).toBeCloseTo(1.75, 6);
    await worker.evaluate((id) => chrome.tabs.setZoom(id!, 0), tabId);
    await sleep(1500);
    await expectWholeClipAtArmedSize();
  });

  it('a clip across the page going fullscreen and back, keeps one size and plays through', async () => {
    // Fullscreen needs a user gesture: a real click on the page.
    await armed.page.evaluate(() => {
      document.addEventListener('click', () => void document.documentElement.requestFullscreen(), { once: true });
    });
    const windowed = await armed.page.evaluate(() => [innerWidth, innerHeight]);
    await armed.page.click('canvas');
    await armed.page.waitForFunction(() => document.fullscreenElement !== null, { timeout: 5000 });
    await sleep(1500);
    // The page really changed size (a 900x813 page became 800x450 in headless Chromium).
    expect(await armed.page.evaluate(() => [innerWidth, innerHeight])).not.toEqual(windowed);
    await armed.page.evaluate(() => document.exitFullscreen());
    await armed.page.waitForFunction(() => document.fullscreenElement === null, { timeout: 5000 });
    await sleep(1500);
    await expectWholeClipAtArmedSize();
  });
});
