// The recorder owns its cadence, in real Chromium: a page that stops painting is still recorded
// (a still, silent page; a page that paints once after seconds of stillness), the first frame
// after arming is kept, and constant frame rate gives every frame the same duration.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeErrors, frameMeans, packetValues, probe, type FrameMean } from '../../scripts/harness/media';
import { launchSession, type Session } from '../../scripts/harness/session';
import { sleep } from '../../scripts/harness/wait';

const FRAME_SEC = 1 / 30;
/** tests/fixtures/still.html is blue, and red once it changed: the V plane tells them apart. */
const isRed = (frame: FrameMean): boolean => frame.v > 180;
const isBlue = (frame: FrameMean): boolean => frame.u > 180;

let session: Session | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

/** The last save's cut, from the offscreen document's user timing (offscreen/clip-saver.ts SAVE_CUT_MEASURE). */
interface Cut {
  /** The clip's first and last instants on the buffer's timeline. */
  startUs: number;
  endUs: number;
  /** When the cut was made, on the buffer's timeline. */
  cutUs: number;
  /** Epoch milliseconds (like Date.now()) to the buffer's timeline. */
  epochMsToTimelineUs: (epochMs: number) => number;
}

async function lastCut(armed: Session): Promise<Cut> {
  const target = await armed.looptab.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'), { timeout: 5_000 });
  const page = await target.asPage();
  const { originMs, startMs, detail } = await page.evaluate(() => {
    const entry = performance.getEntriesByName('looptab.save.cut').at(-1) as PerformanceMeasure;
    return { originMs: performance.timeOrigin, startMs: entry.startTime, detail: entry.detail as { startUs: number; endUs: number; timelineNowUs: number; nowMs: number } };
  });
  // The timeline is the offscreen document's performance.now() with pauses cut out (none here).
  const offsetUs = detail.timelineNowUs - detail.nowMs * 1000;
  return {
    startUs: detail.startUs,
    endUs: detail.endUs,
    cutUs: startMs * 1000 + offsetUs,
    epochMsToTimelineUs: (epochMs) => (epochMs - originMs) * 1000 + offsetUs,
  };
}

async function armStill(page: string, settings: Record<string, unknown> = {}): Promise<Session> {
  session = await launchSession({ page, pageSize: { width: 640, height: 360 } });
  if (Object.keys(settings).length > 0) await session.setSettings(settings);
  await session.arm();
  return session;
}

describe('cadence', () => {
  it('a still, silent page armed for 10 s saves a 6 s clip of 6 s that decodes, and keeps its first frame', async () => {
    const still = await armStill('still.html');
    const armedAtMs = Date.now();
    // The frame the tab paints as capture starts is encoded, not thrown away while the encoder
    // is set up: the first frame encoded is a painted one, not the recorder's repeat a second later.
    const first = await still.until('the first frame', (s) => s.encodedFrames > 0, { timeoutMs: 10_000, pollMs: 20 });
    expect(first.repeatedFrames).toBe(0);
    expect(first.capturedFrames).toBeGreaterThanOrEqual(1);
    await sleep(Math.max(0, 10_000 - (Date.now() - armedAtMs)));
    const status = await still.status();
    expect(status.repeatedFrames, 'the recorder fed the encoder while the page was still').toBeGreaterThanOrEqual(7);
    const { reply, file } = await still.save(6);
    expect(reply.durationSec).toBeCloseTo(6, 1);
    const result = await probe(file);
    expect(Math.abs(result.formatDurationSec - 6)).toBeLessThanOrEqual(FRAME_SEC);
    const video = result.streams.find((s) => s.codecType === 'video')!;
    expect(Math.abs(video.durationSec - 6)).toBeLessThanOrEqual(FRAME_SEC);
    expect(await decodeErrors(file)).toBe('');
    const frames = await frameMeans(file);
    expect(frames.length).toBeGreaterThanOrEqual(6);
    expect(frames.every(isBlue)).toBe(true);
  });

  it('a page that paints once after 8 s of stillness gives a clip that shows the still page up to the change', async () => {
    const still = await armStill('still.html?changeAfterMs=8000');
    // Requests go through an extension page opened at its first use: open it before timing anything.
    await still.status();
    await still.page.waitForFunction(() => document.body.classList.contains('changed'), { timeout: 20_000, polling: 50 });
    // The page's own record of the instant it changed, in epoch milliseconds like Date.now().
    const changedAtMs = await still.page.evaluate(() => (window as unknown as { changedAtEpochMs: number }).changedAtEpochMs);
    await sleep(1_500);
    const { reply, file } = await still.save(6);
    const cut = await lastCut(still);
    expect(reply.durationSec).toBeCloseTo(6, 1);
    // The clip ends where the encoded sound ends: before the instant it was cut, never after.
    expect(cut.endUs).toBeLessThanOrEqual(cut.cutUs);
    expect((cut.endUs - cut.startUs) / 1e6).toBeCloseTo(6, 1);
    const frames = await frameMeans(file);
    const firstRed = frames.findIndex(isRed);
    expect(firstRed, 'the change is in the clip').toBeGreaterThan(0);
    expect(frames.slice(0, firstRed).every(isBlue), 'before the change every frame shows the still page').toBe(true);
    expect(frames.slice(firstRed).every(isRed)).toBe(true);
    expect(frames[0]!.timeSec).toBeCloseTo(0, 2);
    // The change sits where it happened on the buffer's timeline: not before the page changed
    // (the clocks of two processes and the 1/60 s grid allow a few ms), and after it by no more
    // than the page's paint and the capture's latency.
    const redAtUs = cut.startUs + frames[firstRed]!.timeSec * 1e6;
    const changedAtUs = cut.epochMsToTimelineUs(changedAtMs);
    expect((redAtUs - changedAtUs) / 1000, 'ms from the change to its first frame').toBeGreaterThan(-5);
    expect((redAtUs - changedAtUs) / 1000).toBeLessThan(1_000);
    expect(await decodeErrors(file)).toBe('');
  });

  it('constant frame rate: every frame of a clip of the moving demo page lasts one slot', async () => {
    session = await launchSession({ audio: true, pageSize: { width: 640, height: 360 } });
    await session.setSettings({ frameRateMode: 'constant', maxFps: 30 });
    await session.arm();
    await session.until('4 s buffered', (s) => s.bufferedSec >= 4, { timeoutMs: 30_000 });
    expect((await session.status()).pace?.mode).toBe('constant');
    const { file } = await session.save(3);
    const durations = await packetValues(file, 'v', 'duration_time');
    const times = (await packetValues(file, 'v', 'pts_time')).sort((a, b) => a - b);
    // Every frame lasts exactly 1/30 s, the last one too: the clip ends where its last slot does.
    for (const duration of durations) expect(duration).toBeCloseTo(FRAME_SEC, 4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(FRAME_SEC, 4);
    expect(Math.abs(times.filter((t) => t >= -1e-6).length - 90)).toBeLessThanOrEqual(1);
    expect(await decodeErrors(file)).toBe('');
  });
});
