// Round trip: GIFs written by GifWriter are read back by ffprobe/ffmpeg (a decoder we did not
// write), and the pixels ffmpeg composites must be exactly the palette colours we mapped to.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gifFrameSize, GifWriter, K_MEANS_CELL_ROUNDS, PALETTE_SAMPLE_PIXELS, type RgbColor } from '../../../src/gif/gif-encode';
import { decodeErrors, probe } from '../../../scripts/harness/media';

const dir = mkdtempSync(join(tmpdir(), 'looptab-gif-'));

const FLAT: RgbColor[] = [
  [255, 0, 0],
  [0, 160, 80],
  [20, 40, 250],
  [250, 250, 250],
];

function fill(width: number, height: number, color: (x: number, y: number) => RgbColor): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = color(x, y);
      const p = (y * width + x) * 4;
      rgba[p] = c[0];
      rgba[p + 1] = c[1];
      rgba[p + 2] = c[2];
      rgba[p + 3] = 255;
    }
  }
  return rgba;
}

/** Four flat quadrants with a square of colour 3 at (`sx`, `sy`): only the square moves. */
function quadrants(width: number, height: number, sx: number, sy: number): Uint8ClampedArray {
  return fill(width, height, (x, y) => {
    if (x >= sx && x < sx + 12 && y >= sy && y < sy + 12) return FLAT[3]!;
    return FLAT[(x < width / 2 ? 0 : 1) + (y < height / 2 ? 0 : 2)]!;
  });
}

/** Every frame ffmpeg decodes from `file`, composited, as packed RGB. */
function decodeRgb(file: string, width: number, height: number): Uint8Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const size = width * height * 3;
  expect(raw.byteLength % size).toBe(0);
  return Array.from({ length: raw.byteLength / size }, (_, k) => new Uint8Array(raw.buffer, raw.byteOffset + k * size, size));
}

/** What a frame must look like after quantization: each pixel's mapped palette colour. */
function expectedRgb(writer: GifWriter, rgba: Uint8ClampedArray): Uint8Array {
  const palette = writer.palette!;
  const indices = writer.mapToPalette(rgba);
  const rgb = new Uint8Array(indices.length * 3);
  indices.forEach((index, i) => {
    const c = palette[index]!;
    rgb.set(c, i * 3);
  });
  return rgb;
}

function countMismatches(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

function indexOfBytes(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('GifWriter palette', () => {
  it('GifWriter.buildPalette, finds the four colours of a flat image and maps every pixel exactly', () => {
    const image = quadrants(64, 48, 100, 100);
    const writer = new GifWriter();
    const palette = writer.buildPalette([image]);
    expect(palette).toHaveLength(4);
    expect(new Set(palette.map((c) => c.join(',')))).toEqual(new Set(FLAT.map((c) => c.join(','))));
    const indices = writer.mapToPalette(image);
    for (let i = 0; i < indices.length; i++) {
      const c = palette[indices[i]!]!;
      expect([c[0], c[1], c[2]]).toEqual([image[i * 4], image[i * 4 + 1], image[i * 4 + 2]]);
    }
    expect(writer.transparentIndex).toBe(4);
  });

  it('GifWriter.buildPalette, reserves one of maxColors for transparency and samples big inputs', () => {
    // Many distinct colours across 9 frames, more pixels than the histogram's budget.
    const frames = Array.from({ length: 9 }, (_, k) => fill(480, 270, (x, y) => [(x + k * 40) & 255, (y * 3) & 255, (x * y + k) & 255]));
    expect(frames.reduce((n, f) => n + f.length / 4, 0)).toBeGreaterThan(PALETTE_SAMPLE_PIXELS);
    const writer = new GifWriter();
    const palette = writer.buildPalette(frames, 64);
    // The k-means work is bounded by the histogram's cells (~200,000 here: one round).
    const { paletteCells, kMeansRounds } = writer.stats;
    expect(paletteCells).toBeGreaterThan(K_MEANS_CELL_ROUNDS / 2);
    expect(kMeansRounds).toBe(1);
    expect(kMeansRounds * paletteCells).toBeLessThanOrEqual(K_MEANS_CELL_ROUNDS);
    expect(palette.length).toBeLessThanOrEqual(63);
    expect(palette.length).toBeGreaterThan(32);
    expect(writer.transparentIndex).toBe(palette.length);
    const indices = writer.mapToPalette(frames[1]!);
    expect(indices.reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(palette.length);
  });

  it('GifWriter, refuses frames before a palette, of another size, or after finish', () => {
    const writer = new GifWriter();
    const image = quadrants(16, 16, 0, 0);
    expect(() => writer.addFrame(image, 16, 16, 5)).toThrow(/palette/);
    writer.buildPalette([image]);
    expect(() => writer.buildPalette([image])).toThrow(/already/);
    expect(() => writer.addFrame(image, 16, 8, 5)).toThrow(/RGBA bytes/);
    writer.addFrame(image, 16, 16, 5);
    expect(() => writer.addFrame(quadrants(8, 8, 0, 0), 8, 8, 5)).toThrow(/16x16/);
    expect(() => writer.addFrame(image, 16, 16, 2.5)).toThrow(/delayCs/);
    writer.finish();
    expect(() => writer.addFrame(image, 16, 16, 5)).toThrow(/finished/);
    expect(() => new GifWriter().finish()).toThrow(/no frames/);
  });
});

describe('GifWriter files', () => {
  it('GifWriter, writes an animation ffprobe reads with the right frames and duration, looping forever', async () => {
    const width = 64;
    const height = 48;
    const frames = Array.from({ length: 6 }, (_, k) => quadrants(width, height, 4 + k * 7, 10 + k * 3));
    const delays = [7, 7, 6, 7, 7, 6];
    const writer = new GifWriter();
    writer.buildPalette([frames[0]!, frames[5]!]);
    frames.forEach((frame, k) => writer.addFrame(frame, width, height, delays[k]!));
    const stats = writer.stats;
    const gif = writer.finish();

    // GIF89a, then the NETSCAPE2.0 loop extension with a loop count of 0 (forever).
    expect(new TextDecoder().decode(gif.subarray(0, 6))).toBe('GIF89a');
    const netscape = indexOfBytes(gif, [0x21, 0xff, 0x0b, ...Array.from('NETSCAPE2.0', (c) => c.charCodeAt(0))]);
    expect(netscape).toBeGreaterThan(0);
    expect(Array.from(gif.subarray(netscape + 14, netscape + 19))).toEqual([0x03, 0x01, 0x00, 0x00, 0x00]);
    expect(gif[gif.length - 1]).toBe(0x3b);

    const file = join(dir, 'six.gif');
    writeFileSync(file, gif);
    const result = await probe(file);
    const video = result.streams[0];
    expect(video?.codecName).toBe('gif');
    expect(video?.width).toBe(width);
    expect(video?.height).toBe(height);
    expect(video?.frames).toBe(6);
    expect(video?.durationSec).toBeCloseTo(0.4, 5);
    expect(await decodeErrors(file)).toBe('');
    expect(stats.frames).toBe(6);
    expect(stats.totalDelayCs).toBe(40);
    // Only a 12 px square moves: frames after the first are small crops, mostly partly transparent.
    expect(stats.transparentFrames).toBeGreaterThanOrEqual(4);
    expect(gif.byteLength).toBeLessThan(2_000);
  });

  it('GifWriter, cropped transparent frames decode to exactly the source pixels', async () => {
    const width = 64;
    const height = 48;
    const frames = Array.from({ length: 8 }, (_, k) => quadrants(width, height, 50 - k * 6, 2 + k * 5));
    const writer = new GifWriter();
    writer.buildPalette([frames[0]!]);
    for (const frame of frames) writer.addFrame(frame, width, height, 5);
    const file = join(dir, 'exact.gif');
    writeFileSync(file, writer.finish());
    const decoded = decodeRgb(file, width, height);
    expect(decoded).toHaveLength(frames.length);
    decoded.forEach((rgb, k) => {
      const source = frames[k]!;
      const sourceRgb = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) sourceRgb.set(source.subarray(i * 4, i * 4 + 3), i * 3);
      expect(countMismatches(rgb, sourceRgb), `frame ${k}`).toBe(0);
    });
  });

  it('GifWriter, real video frames with transparency decode to the quantized source exactly', async () => {
    // 24 frames of ffmpeg's testsrc2 (moving shapes, gradients, a counter), 160x120.
    const width = 160;
    const height = 120;
    const raw = execFileSync('ffmpeg', [
      '-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-frames:v', '24',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-',
    ], { maxBuffer: 64 * 1024 * 1024 });
    const size = width * height * 4;
    const frames = Array.from({ length: 24 }, (_, k) => new Uint8ClampedArray(raw.buffer.slice(raw.byteOffset + k * size, raw.byteOffset + (k + 1) * size)));
    const writer = new GifWriter();
    writer.buildPalette([frames[0]!, frames[12]!, frames[23]!]);
    for (const frame of frames) writer.addFrame(frame, width, height, 3);
    const stats = writer.stats;
    const file = join(dir, 'testsrc2.gif');
    writeFileSync(file, writer.finish());

    expect(stats.transparentFrames).toBeGreaterThan(0);
    const decoded = decodeRgb(file, width, height);
    expect(decoded).toHaveLength(24);
    decoded.forEach((rgb, k) => expect(countMismatches(rgb, expectedRgb(writer, frames[k]!)), `frame ${k}`).toBe(0));
    const result = await probe(file);
    expect(result.streams[0]?.durationSec).toBeCloseTo(0.72, 5);
  });

  it('GifWriter, merges a frame identical to the previous one into its delay', async () => {
    const a = quadrants(32, 32, 0, 0);
    const b = quadrants(32, 32, 10, 10);
    const writer = new GifWriter();
    writer.buildPalette([a, b]);
    writer.addFrame(a, 32, 32, 10);
    writer.addFrame(a, 32, 32, 15);
    writer.addFrame(b, 32, 32, 20);
    writer.addFrame(b.slice(), 32, 32, 5);
    expect(writer.stats).toMatchObject({ frames: 2, mergedFrames: 2, totalDelayCs: 50 });
    const file = join(dir, 'merged.gif');
    writeFileSync(file, writer.finish());
    const result = await probe(file);
    expect(result.streams[0]?.frames).toBe(2);
    expect(result.streams[0]?.durationSec).toBeCloseTo(0.5, 5);
  });
});

describe('GifWriter indexed frames', () => {
  it('GifWriter.addIndexedFrame, writes the same file as addFrame for the same pixels', () => {
    const frames = Array.from({ length: 4 }, (_, k) => quadrants(48, 32, 3 + k * 9, 4 + k * 5));
    const byRgba = new GifWriter();
    const byIndex = new GifWriter();
    byRgba.buildPalette([frames[0]!]);
    byIndex.setPalette(byRgba.palette!);
    for (const frame of frames) {
      byRgba.addFrame(frame, 48, 32, 4);
      byIndex.addIndexedFrame(byIndex.mapToPalette(frame), 48, 32, 4);
    }
    expect(byIndex.finish()).toEqual(byRgba.finish());
  });

  it('GifWriter.nearestIndex, finds the closest palette colour exactly', () => {
    const writer = new GifWriter();
    writer.setPalette([[0, 0, 0], [255, 255, 255], [250, 10, 10]]);
    expect(writer.nearestIndex(200, 30, 40)).toBe(2);
    expect(writer.nearestIndex(100, 100, 100)).toBe(0);
    expect(writer.nearestIndex(140, 140, 140)).toBe(1);
    expect(() => writer.addIndexedFrame(new Uint8Array(3), 2, 2, 5)).toThrow(/4 indices/);
  });
});

describe('gifFrameSize', () => {
  it('gifFrameSize, keeps the aspect ratio with an even height and never upscales', () => {
    expect(gifFrameSize(1280, 720, 480)).toEqual({ width: 480, height: 270 });
    expect(gifFrameSize(1280, 633, 480)).toEqual({ width: 480, height: 238 });
    expect(gifFrameSize(1920, 1080, 320)).toEqual({ width: 320, height: 180 });
    expect(gifFrameSize(320, 240, 480)).toEqual({ width: 320, height: 240 });
    expect(() => gifFrameSize(0, 720, 480)).toThrow(/sourceWidth/);
  });
});
