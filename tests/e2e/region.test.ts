// Region capture in real headless Chromium on tests/fixtures/quadrants.html (four flat colours,
// a marker moving on the line between them), judged by ffmpeg: a region records only its part
// at its size, in MP4 and GIF; it stays with the tab across arming again; the region page draws
// one on the tab's picture; the whole tab comes back; nonsense gets an error naming the field.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionReply, Status } from '../../src/contract/messages';
import type { RegionRect } from '../../src/region/region-rect';
import { decodeErrors, probe, tool } from '../../scripts/harness/media';
import { windowForPage } from '../../scripts/harness/browser';
import { launchSession, type Session } from '../../scripts/harness/session';
import { sleep } from '../../scripts/harness/wait';

const execFileAsync = promisify(execFile);

const PAGE = { width: 1280, height: 720 };
type Rgb = [number, number, number];
const RED: Rgb = [220, 30, 30];
const GREEN: Rgb = [30, 200, 30];
const BLUE: Rgb = [30, 30, 220];
const YELLOW: Rgb = [230, 220, 30];
/** Inside the top-right (green) quadrant, clear of the marker's line. */
const GREEN_REGION: RegionRect = { x: 700, y: 40, width: 520, height: 280 };
/** After a region change, buffered long enough to save from the new stream alone. */
const SETTLE_MS = 3_000;

let session: Session;

type Corner = 'top left' | 'top right' | 'bottom left' | 'bottom right';
const CORNERS: readonly Corner[] = ['top left', 'top right', 'bottom left', 'bottom right'];

/** The mean colour of a 16 px square in a corner of the first frame, decoded by ffmpeg (a still GIF may be one frame). */
async function cornerRgb(file: string, corner: Corner): Promise<Rgb> {
  const x = corner.endsWith('left') ? '0' : 'iw-16';
  const y = corner.startsWith('top') ? '0' : 'ih-16';
  const args = ['-nostdin', '-v', 'error', '-i', file, '-frames:v', '1', '-vf', `crop=16:16:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  const { stdout } = await execFileAsync(tool('ffmpeg'), args, { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
  const sums = [0, 0, 0];
  for (let i = 0; i < stdout.length; i++) sums[i % 3]! += stdout[i]!;
  return sums.map((sum) => sum / (stdout.length / 3)) as Rgb;
}

function expectColour(actual: Rgb, expected: Rgb, what: string): void {
  const off = Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));
  expect(off, `${what}: ${actual.map(Math.round).join(',')} against ${expected.join(',')}`).toBeLessThan(40);
}

/** Every corner of the first frame shows `colour`: nothing of the other quadrants got in. */
async function expectOnly(file: string, colour: Rgb): Promise<void> {
  for (const corner of CORNERS) expectColour(await cornerRgb(file, corner), colour, corner);
}

async function setRegion(rect: RegionRect | null): Promise<Extract<RegionReply, { ok: true }>> {
  const reply = await session.send<RegionReply>({ type: 'region', rect });
  if (!reply.ok) throw new Error(`region: ${reply.error}`);
  return reply;
}

async function videoSize(file: string): Promise<[number, number]> {
  const video = (await probe(file)).streams.find((s) => s.codecType === 'video' || s.codecName === 'gif')!;
  return [video.width ?? 0, video.height ?? 0];
}

function expectNear(rect: RegionRect | null, expected: RegionRect, tolerancePx = 2): void {
  expect(rect).not.toBeNull();
  for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(rect![key] - expected[key]), `${key}: ${rect![key]} against ${expected[key]}`).toBeLessThanOrEqual(tolerancePx);
}

const encodedSize = (w: number, h: number) => (s: Status): boolean => s.width === w && s.height === h;

beforeAll(async () => {
  session = await launchSession({ audio: true, page: 'quadrants.html', pageSize: PAGE });
  await session.arm();
  await session.until('1 s buffered', (s) => s.bufferedSec >= 1 && encodedSize(PAGE.width, PAGE.height)(s));
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('region capture', () => {
  it('a region records only its part, at its size, in MP4 and GIF; status says so', async () => {
    const reply = await setRegion(GREEN_REGION);
    expectNear(reply.rect, GREEN_REGION);
    const status = await session.until('the region to be encoded', encodedSize(GREEN_REGION.width, GREEN_REGION.height));
    expectNear(status.region, GREEN_REGION);
    await sleep(SETTLE_MS);

    const mp4 = await session.save(2);
    expect(mp4.reply.durationSec, JSON.stringify(mp4.reply)).toBeGreaterThan(1.9);
    expect(await decodeErrors(mp4.file)).toBe('');
    const [width, height] = await videoSize(mp4.file);
    expect(Math.abs(width - GREEN_REGION.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(height - GREEN_REGION.height)).toBeLessThanOrEqual(2);
    await expectOnly(mp4.file, GREEN);

    const gif = await session.save(2, { format: 'gif', timeoutMs: 30_000 });
    const [gifWidth, gifHeight] = await videoSize(gif.file);
    expect(gifWidth).toBe(Math.min(480, GREEN_REGION.width));
    expect(Math.abs(gifHeight / gifWidth - GREEN_REGION.height / GREEN_REGION.width)).toBeLessThan(0.02);
    await expectOnly(gif.file, GREEN);
  });

  it('the region stays with the tab when it is armed again; the region page draws a new one on its picture', async () => {
    await session.send({ type: 'disarm' });
    await session.arm();
    const rearmed = await session.until('armed again with the region', (s) => s.state === 'armed' && encodedSize(GREEN_REGION.width, GREEN_REGION.height)(s));
    expectNear(rearmed.region, GREEN_REGION);

    const page = await session.looptab.extensionPage('region.html');
    try {
      await page.waitForFunction(() => ((document.querySelector('.region-picture img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, { timeout: 15_000 });
      const box = (await (await page.$('.crop-area'))!.boundingBox())!;
      // Drag across the inside of the bottom-left (blue) quadrant.
      await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.8, { steps: 5 });
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.92, { steps: 5 });
      await page.mouse.up();
      await page.click('button.primary'); // Record this region
      await page.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('Recording only'), { timeout: 10_000 });
    } finally {
      await page.close();
    }
    const drawn = { x: 0.1 * PAGE.width, y: 0.6 * PAGE.height, width: 0.3 * PAGE.width, height: 0.32 * PAGE.height };
    const status = await session.until('the drawn region to be encoded', (s) => s.region !== null && s.width !== GREEN_REGION.width);
    // The drag lands within a few CSS px of its ends (pointer positions round to whole pixels of the page).
    expectNear(status.region, drawn, 6);
    await sleep(SETTLE_MS);
    await expectOnly((await session.save(2)).file, BLUE);
  });

  it('the region scales with the tab when the window is resized', async () => {
    await setRegion(GREEN_REGION);
    await session.until('the green region', encodedSize(GREEN_REGION.width, GREEN_REGION.height));
    const resize = async (page: { width: number; height: number }): Promise<void> => {
      const cdp = await session.page.createCDPSession();
      const { windowId } = await cdp.send('Browser.getWindowForTarget');
      await cdp.send('Browser.setWindowBounds', { windowId, bounds: windowForPage(page) });
      await cdp.detach();
    };
    try {
      await resize({ width: 960, height: 540 });
      // The page really got smaller (otherwise this test would prove nothing).
      await session.page.waitForFunction(() => innerWidth === 960 && innerHeight === 540, { timeout: 5_000 });
      // Tab capture keeps the frame size it started with and scales the page into it, so the
      // region (in frame pixels) keeps covering the same part of the page.
      await sleep(SETTLE_MS);
      expect(encodedSize(GREEN_REGION.width, GREEN_REGION.height)(await session.status())).toBe(true);
      await sleep(SETTLE_MS);
      await expectOnly((await session.save(2)).file, GREEN);
    } finally {
      await resize(PAGE);
    }
    await session.until('the region back at its size', encodedSize(GREEN_REGION.width, GREEN_REGION.height), { timeoutMs: 15_000 });
  });

  it('clearing the region brings the whole tab back', async () => {
    expect((await setRegion(null)).rect).toBeNull();
    const status = await session.until('the whole tab to be encoded', encodedSize(PAGE.width, PAGE.height));
    expect(status.region).toBeNull();
    await sleep(SETTLE_MS);
    const { file } = await session.save(2);
    expect(await videoSize(file)).toEqual([PAGE.width, PAGE.height]);
    const expected: Record<Corner, Rgb> = { 'top left': RED, 'top right': GREEN, 'bottom left': BLUE, 'bottom right': YELLOW };
    for (const corner of CORNERS) expectColour(await cornerRgb(file, corner), expected[corner], corner);
  });

  it('a nonsense region gets a clear error naming the field, and recording goes on', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /"rect" must be given/],
      ['top half', /rect must be an object/],
      [{ x: 0, y: 0, width: -5, height: 10 }, /rect\.width must be a positive number, got -5/],
      [{ x: 0, y: 'a', width: 50, height: 10 }, /rect\.y must be a non-negative number/],
      [{ x: 5000, y: 0, width: 100, height: 100 }, /lies outside the tab's 1280x720 viewport/],
    ];
    for (const [rect, error] of cases) {
      const reply = await session.send<RegionReply>(rect === undefined ? { type: 'region' } : { type: 'region', rect });
      expect(reply.ok, JSON.stringify(rect)).toBe(false);
      if (!reply.ok) expect(reply.error).toMatch(error);
    }
    // A tiny region grows to the minimum rather than failing.
    const tiny = await setRegion({ x: 100, y: 100, width: 4, height: 4 });
    expect(tiny.rect!.width).toBeGreaterThanOrEqual(64);
    await setRegion(null);
    const status = await session.status();
    expect(status.state).toBe('armed');
    expect(status.region).toBeNull();
  });
});
