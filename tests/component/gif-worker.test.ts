// The GIF worker in real headless Chromium: packets of a real H.264 file (made by ffmpeg,
// demuxed by mediabunny) go through GifClient -> dist/gif-worker.js, cut mid-GOP; ffprobe/ffmpeg
// and Chromium's own image decoder judge the GIF. Also times 5 s and 10 s clips (720p -> 480 px).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGifWorkerPage, writeGifWorkerClip, type EncodeRun, type GifWorkerPage } from '../../scripts/harness/gif-worker';
import { decodeErrors, probe } from '../../scripts/harness/media';

/** Capture timestamps are microseconds since boot, not since the clip: put the file there too. */
const TIMELINE_US = 1_143_250_117;
const SOURCE_SEC = 12;
const FPS = 15;
const WIDTH = 480;

let dir: string;
let worker: GifWorkerPage;
const timings: string[] = [];

/** Frames of `file` decoded by ffmpeg as packed RGB at `width x height`. */
function rgbFrames(args: string[], width: number, height: number): Uint8Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', ...args, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 512 * 1024 * 1024 });
  const size = width * height * 3;
  return Array.from({ length: Math.floor(raw.byteLength / size) }, (_, k) => new Uint8Array(raw.buffer, raw.byteOffset + k * size, size));
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
  return total / a.length;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looptab-gif-e2e-'));
  // Like the capture encoder: 30 fps, a keyframe every second, no B-frames.
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-t', String(SOURCE_SEC),
    '-c:v', 'libx264', '-g', '30', '-bf', '0', '-pix_fmt', 'yuv420p', join(dir, 'source.mp4'),
  ]);
  await writeGifWorkerClip(join(dir, 'source.mp4'), dir, TIMELINE_US);
  worker = await openGifWorkerPage(dir);
});

afterAll(async () => {
  if (timings.length > 0) console.log(`GIF worker timings (Chromium, 720p H.264 -> ${WIDTH} px, ${FPS} fps):\n  ${timings.join('\n  ')}`);
  await worker?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Encodes [startSec, startSec + lengthSec) of the source, checks the GIF end to end, returns it. */
async function encodeAndCheck(startSec: number, lengthSec: number, label: string): Promise<{ file: string; run: Extract<EncodeRun, { ok: true }> }> {
  const startUs = TIMELINE_US + Math.round(startSec * 1e6);
  const run = await worker.encode({ startUs, endUs: startUs + Math.round(lengthSec * 1e6), widthPx: WIDTH, fps: FPS });
  if (!run.ok) throw new Error(`encode failed: ${run.error}`);
  timings.push(`${label}: ${run.elapsedMs.toFixed(0)} ms, ${run.frames} frames, ${(run.gifBase64.length * 0.75 / 1e6).toFixed(2)} MB`);
  const file = join(dir, `${label.replace(/\W+/g, '-')}.gif`);
  await writeFile(file, Buffer.from(run.gifBase64, 'base64'));

  const result = await probe(file);
  const stream = result.streams[0];
  expect(stream?.codecName).toBe('gif');
  expect(stream?.width).toBe(WIDTH);
  expect(stream?.height).toBe(270);
  expect(Math.abs((stream?.frames ?? 0) - Math.round(lengthSec * FPS))).toBeLessThanOrEqual(1);
  expect(Math.abs((stream?.durationSec ?? 0) - lengthSec)).toBeLessThanOrEqual(0.1);
  expect(await decodeErrors(file)).toBe('');
  expect(run.frames).toBe(stream?.frames);
  expect(run.durationSec).toBeCloseTo(lengthSec, 2);
  expect([run.widthPx, run.heightPx]).toEqual([WIDTH, 270]);
  // Chromium's own GIF decoder accepts it.
  expect([run.naturalWidth, run.naturalHeight]).toEqual([WIDTH, 270]);
  // Progress only grows and ends near 1.
  expect(run.progress.every((f, k) => f > 0 && f <= 1 && (k === 0 || f > run.progress[k - 1]!))).toBe(true);
  expect(run.progress[run.progress.length - 1]).toBeGreaterThan(0.95);
  return { file, run };
}

describe('gif-worker in Chromium', () => {
  it('gif-worker, cuts a 5 s GIF mid-GOP that starts on the frame shown at the requested instant', async () => {
    // 2.51 s: the keyframe before it is at 2.0 s, frame 75 (2.500 s) is on screen.
    const { file } = await encodeAndCheck(2.51, 5, '5 s clip');
    const [first] = rgbFrames(['-i', file, '-frames:v', '1'], WIDTH, 270);
    const source = rgbFrames(['-i', join(dir, 'source.mp4'), '-vf', `select='between(n\\,73\\,77)',scale=${WIDTH}:270`, '-fps_mode', 'passthrough'], WIDTH, 270);
    expect(first).toBeDefined();
    expect(source).toHaveLength(5);
    const diffs = source.map((frame) => meanAbsDiff(first!, frame));
    // Source frames 73..77: frame 75 is the closest, clearly.
    expect(diffs.indexOf(Math.min(...diffs))).toBe(2);
  });

  it('gif-worker, encodes a 10 s 720p clip to a 480 px 15 fps GIF', async () => {
    // How fast is the bench's to say (`npm run bench`); the test's timeout is its hang guard.
    await encodeAndCheck(1.5, 10, '10 s clip');
    await encodeAndCheck(1.5, 10, '10 s clip, again');
    await encodeAndCheck(2.51, 5, '5 s clip, again');
  });

  it('gif-worker, cancels promptly and stays usable', async () => {
    const startUs = TIMELINE_US + 1_500_000;
    const run = await worker.encode({ startUs, endUs: startUs + 10_000_000, widthPx: WIDTH, fps: FPS, cancelAtFraction: 0.3 });
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.cancelled).toBe(true);
    timings.push(`cancel at 30%: settled ${run.cancelToSettledMs.toFixed(0)} ms after the cancel`);
    expect(run.cancelToSettledMs).toBeGreaterThanOrEqual(0);
    // Promptly, in work rather than wall time (the machine is shared): the encode stops within
    // a few frames of the cancel, far from the end.
    expect(Math.max(...run.progress)).toBeLessThan(0.5);
    // The next encode runs normally.
    await encodeAndCheck(3, 2, '2 s clip after a cancel');
  });

  it('gif-worker, reports a bad request naming the field', async () => {
    const startUs = TIMELINE_US + 1_000_000;
    const run = await worker.encode({ startUs, endUs: startUs + 1_000_000, widthPx: WIDTH, fps: 120 });
    expect(run.ok).toBe(false);
    if (!run.ok) expect(run.error).toMatch(/fps/);
  });
});
