// YuvScaler and YuvPaletteMap against ffmpeg's scaler and colour conversion: an independent
// implementation of the same maths.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GifWriter } from '../../../src/gif/gif-encode';
import { YuvPaletteMap, YuvScaler, yuvMatrixFor, type YuvImage, type YuvPlaneLayout } from '../../../src/gif/gif-yuv-scale';

function ffmpeg(args: string[], input?: Uint8Array): Uint8Array {
  const out = execFileSync('ffmpeg', ['-v', 'error', ...args], { maxBuffer: 64 * 1024 * 1024, ...(input ? { input } : {}) });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** One frame of an ffmpeg source as raw yuv420p or nv12, with copyTo-style plane layouts. */
function yuvFrame(source: string, width: number, height: number, format: 'I420' | 'NV12', matrix = 'bt709', range = 'tv'): YuvImage {
  const data = ffmpeg([
    '-f', 'lavfi', '-i', source, '-frames:v', '1',
    '-vf', `format=rgb24,scale=out_color_matrix=${matrix}:out_range=${range}:flags=accurate_rnd+full_chroma_int,format=${format === 'I420' ? 'yuv420p' : 'nv12'}`,
    '-f', 'rawvideo', '-',
  ]);
  const chromaWidth = (width + 1) >> 1;
  const chromaHeight = (height + 1) >> 1;
  const planes: YuvPlaneLayout[] =
    format === 'I420'
      ? [
          { offset: 0, stride: width },
          { offset: width * height, stride: chromaWidth },
          { offset: width * height + chromaWidth * chromaHeight, stride: chromaWidth },
        ]
      : [
          { offset: 0, stride: width },
          { offset: width * height, stride: chromaWidth * 2 },
        ];
  return { format, width, height, data, planes, matrix: matrix === 'bt709' ? 'bt709' : 'bt601', fullRange: range === 'pc' };
}

/** ffmpeg's own area-average scale of the same YUV bytes to RGB24. */
function ffmpegRgb(image: YuvImage, outWidth: number, outHeight: number): Uint8Array {
  return ffmpeg([
    '-f', 'rawvideo', '-pix_fmt', image.format === 'I420' ? 'yuv420p' : 'nv12', '-s', `${image.width}x${image.height}`, '-i', '-',
    '-vf', `scale=${outWidth}:${outHeight}:flags=area:in_color_matrix=${image.matrix === 'bt709' ? 'bt709' : 'bt601'}:in_range=${image.fullRange ? 'pc' : 'tv'}:out_range=pc,format=rgb24`,
    '-f', 'rawvideo', '-',
  ], image.data);
}

/** SSIM ("All") of our RGBA against ffmpeg's Lanczos scale of the same YUV, compared in that YUV. */
function ssimAgainstLanczos(image: YuvImage, rgba: Uint8ClampedArray, outWidth: number, outHeight: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'looptab-yuv-'));
  try {
    writeFileSync(join(dir, 'ours.rgba'), rgba);
    writeFileSync(join(dir, 'source.yuv'), image.data);
    const matrix = image.matrix === 'bt709' ? 'bt709' : 'bt601';
    const result = spawnSync('ffmpeg', [
      '-hide_banner', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${outWidth}x${outHeight}`, '-i', join(dir, 'ours.rgba'),
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${image.width}x${image.height}`, '-i', join(dir, 'source.yuv'),
      '-lavfi', `[0:v]scale=out_color_matrix=${matrix}:out_range=tv,format=yuv420p[a];[1:v]scale=${outWidth}:${outHeight}:flags=lanczos,format=yuv420p[b];[a][b]ssim`,
      '-f', 'null', '-',
    ], { encoding: 'utf8' });
    const match = /All:([\d.]+)/.exec(result.stderr);
    if (!match?.[1]) throw new Error(`no SSIM from ffmpeg: ${result.stderr.slice(-300)}`);
    return Number(match[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function meanAbsDiffRgb(rgba: Uint8ClampedArray, rgb: Uint8Array): number {
  let total = 0;
  const pixels = rgb.length / 3;
  for (let i = 0; i < pixels; i++) for (let c = 0; c < 3; c++) total += Math.abs(rgba[i * 4 + c]! - rgb[i * 3 + c]!);
  return total / (pixels * 3);
}

describe('YuvScaler', () => {
  it('YuvScaler, scales 720p I420 to 480 px close to ffmpeg area scaling', () => {
    const source = 'testsrc2=size=1280x720:rate=30';
    const image = yuvFrame(source, 1280, 720, 'I420');
    const out = new Uint8ClampedArray(480 * 270 * 4);
    new YuvScaler(1280, 720, 480, 270).scale(image, out);
    // Another filter (a triangle, not exact area weights): sharp edges differ by a few levels.
    expect(meanAbsDiffRgb(out, ffmpegRgb(image, 480, 270))).toBeLessThan(3);
    for (let i = 3; i < out.length; i += 4) if (out[i] !== 255) throw new Error(`alpha at ${i} is ${out[i]}`);
  });

  it("YuvScaler, shrinks nearly as faithfully as ffmpeg's Lanczos (SSIM in the source's YUV)", () => {
    // Measured: 0.9961 (720p), 0.9951 (1080p), 0.9960 (1280x634), 0.9914 (640x360, 1.33x); the
    // 3x3 box this replaced scored 0.9911, 0.9883, 0.9912, 0.9874.
    for (const [width, height, outWidth, outHeight, least] of [[1280, 720, 480, 270, 0.995], [1920, 1080, 480, 270, 0.994], [1280, 634, 480, 238, 0.995], [640, 360, 480, 270, 0.99]] as const) {
      const image = yuvFrame(`testsrc2=size=${width}x${height}:rate=30`, width, height, 'I420');
      const out = new Uint8ClampedArray(outWidth * outHeight * 4);
      new YuvScaler(width, height, outWidth, outHeight).scale(image, out);
      expect(ssimAgainstLanczos(image, out, outWidth, outHeight), `${width}x${height}`).toBeGreaterThan(least);
    }
  });

  it('YuvScaler, gives NV12 exactly the I420 result', () => {
    const source = 'testsrc2=size=1280x720:rate=30';
    const i420 = new Uint8ClampedArray(480 * 270 * 4);
    const nv12 = new Uint8ClampedArray(480 * 270 * 4);
    const scaler = new YuvScaler(1280, 720, 480, 270);
    scaler.scale(yuvFrame(source, 1280, 720, 'I420'), i420);
    scaler.scale(yuvFrame(source, 1280, 720, 'NV12'), nv12);
    expect(nv12).toEqual(i420);
  });

  it('YuvScaler, converts flat colours ffmpeg made in BT.709 and BT.601 back to the same RGB', () => {
    const colours = [[0x33, 0x66, 0xcc], [0xff, 0x00, 0x00], [0x10, 0xe0, 0x40], [0x80, 0x80, 0x80], [0xf0, 0xf0, 0x20]] as const;
    for (const [matrix, range] of [['bt709', 'tv'], ['bt601', 'tv']] as const) {
      for (const [r, g, b] of colours) {
        const hex = ((r << 16) | (g << 8) | b).toString(16).padStart(6, '0');
        const image = yuvFrame(`color=c=0x${hex}:size=64x48`, 64, 48, 'I420', matrix, range);
        const out = new Uint8ClampedArray(16 * 12 * 4);
        new YuvScaler(64, 48, 16, 12).scale(image, out);
        const label = `#${hex} ${matrix}/${range}`;
        // 8-bit YUV cannot hold every RGB colour: a couple of levels of rounding either way.
        expect(Math.abs(out[0]! - r), label).toBeLessThanOrEqual(3);
        expect(Math.abs(out[1]! - g), label).toBeLessThanOrEqual(3);
        expect(Math.abs(out[2]! - b), label).toBeLessThanOrEqual(3);
      }
    }
  });

  it('YuvScaler, inverts the full-range BT.709 equations', () => {
    // Full range: Y = Kr R + Kg G + Kb B, U = 128 + (B - Y) / (2 (1 - Kb)), V = 128 + (R - Y) / (2 (1 - Kr)).
    const [kr, kb] = [0.2126, 0.0722];
    for (const [r, g, b] of [[51, 102, 204], [250, 10, 10], [0, 0, 0], [255, 255, 255], [12, 200, 99]] as const) {
      const y = kr * r + (1 - kr - kb) * g + kb * b;
      const yuv = [Math.round(y), Math.round(128 + (b - y) / (2 * (1 - kb))), Math.round(128 + (r - y) / (2 * (1 - kr)))] as const;
      const data = new Uint8Array([yuv[0], yuv[0], yuv[0], yuv[0], yuv[1], yuv[2]]);
      const planes = [{ offset: 0, stride: 2 }, { offset: 4, stride: 1 }, { offset: 5, stride: 1 }];
      const out = new Uint8ClampedArray(4);
      new YuvScaler(2, 2, 1, 1).scale({ format: 'I420', width: 2, height: 2, data, planes, matrix: 'bt709', fullRange: true }, out);
      // Rounding Y, U and V to integers moves R, G, B by up to ~1.5 levels.
      expect(Math.abs(out[0]! - r), `${r},${g},${b}`).toBeLessThanOrEqual(2);
      expect(Math.abs(out[1]! - g), `${r},${g},${b}`).toBeLessThanOrEqual(2);
      expect(Math.abs(out[2]! - b), `${r},${g},${b}`).toBeLessThanOrEqual(2);
    }
  });

  it('YuvScaler, handles 1080p, a captured tab height and a small source', () => {
    for (const [width, height, outWidth, outHeight] of [[1280, 634, 480, 238], [1920, 1080, 480, 270], [640, 360, 480, 270]] as const) {
      const image = yuvFrame(`testsrc2=size=${width}x${height}:rate=30`, width, height, 'I420');
      const out = new Uint8ClampedArray(outWidth * outHeight * 4);
      new YuvScaler(width, height, outWidth, outHeight).scale(image, out);
      expect(meanAbsDiffRgb(out, ffmpegRgb(image, outWidth, outHeight)), `${width}x${height}`).toBeLessThan(4);
    }
  });

  it('YuvScaler, reads odd sizes with rounded-up chroma planes', () => {
    // 33x25 flat BT.709 studio-range orange: Y 140, U 90, V 170 (chroma planes 17x13).
    const [width, height] = [33, 25];
    const chroma = 17 * 13;
    const data = new Uint8Array(width * height + 2 * chroma);
    data.fill(140, 0, width * height);
    data.fill(90, width * height, width * height + chroma);
    data.fill(170, width * height + chroma);
    const planes = [{ offset: 0, stride: width }, { offset: width * height, stride: 17 }, { offset: width * height + chroma, stride: 17 }];
    const out = new Uint8ClampedArray(10 * 8 * 4);
    new YuvScaler(width, height, 10, 8).scale({ format: 'I420', width, height, data, planes, matrix: 'bt709', fullRange: false }, out);
    const expected = [220, 130, 64]; // ITU-R BT.709 inverse matrix, studio range: 219.7, 130.1, 64.1
    for (let i = 0; i < 80; i++) for (let c = 0; c < 3; c++) expect(Math.abs(out[i * 4 + c]! - expected[c]!)).toBeLessThanOrEqual(1);
  });

  it('YuvScaler, scales luma and chroma in two calls to the same planes as in one', () => {
    const image = yuvFrame('testsrc2=size=1280x720:rate=30', 1280, 720, 'I420');
    const whole = new YuvScaler(1280, 720, 480, 270).scalePlanes(image);
    const split = new YuvScaler(1280, 720, 480, 270);
    split.scalePlanes(image, 'luma');
    const parts = split.scalePlanes(image, 'chroma');
    expect([parts.y, parts.u, parts.v]).toEqual([whole.y, whole.u, whole.v]);
  });

  it('YuvScaler, refuses images of another size and outputs of the wrong length', () => {
    const scaler = new YuvScaler(64, 48, 16, 12);
    const image = yuvFrame('color=c=red:size=32x24', 32, 24, 'I420');
    expect(() => scaler.scale(image, new Uint8ClampedArray(16 * 12 * 4))).toThrow(/64x48/);
    expect(() => scaler.scale({ ...image, width: 64, height: 48 }, new Uint8ClampedArray(10))).toThrow(/out must hold/);
    expect(() => new YuvScaler(0, 48, 16, 12)).toThrow(/width/);
  });
});

describe('yuvMatrixFor', () => {
  it('yuvMatrixFor, maps VideoColorSpace matrices and guesses by height when unspecified', () => {
    expect(yuvMatrixFor('bt709', 480)).toBe('bt709');
    expect(yuvMatrixFor('smpte170m', 1080)).toBe('bt601');
    expect(yuvMatrixFor('bt470bg', 1080)).toBe('bt601');
    expect(yuvMatrixFor(null, 720)).toBe('bt709');
    expect(yuvMatrixFor(null, 480)).toBe('bt601');
    expect(yuvMatrixFor('rgb', 720)).toBeNull();
    expect(yuvMatrixFor('bt2020-ncl', 720)).toBeNull();
  });
});

describe('YuvPaletteMap', () => {
  it('YuvPaletteMap, picks the palette colours RGBA mapping picks, without RGB per pixel', () => {
    const source = 'testsrc2=size=1280x720:rate=30';
    const scaler = new YuvScaler(1280, 720, 480, 270);
    const image = yuvFrame(source, 1280, 720, 'I420');
    const rgba = new Uint8ClampedArray(480 * 270 * 4);
    scaler.scale(image, rgba);
    const writer = new GifWriter();
    const palette = writer.buildPalette([rgba]);
    const viaRgba = writer.mapToPalette(rgba);
    const viaYuv = new Uint8Array(480 * 270);
    new YuvPaletteMap((r, g, b) => writer.nearestIndex(r, g, b)).map(scaler.scalePlanes(image), viaYuv);

    let same = 0;
    let errorRgba = 0;
    let errorYuv = 0;
    for (let i = 0; i < viaYuv.length; i++) {
      if (viaYuv[i] === viaRgba[i]) same++;
      const a = palette[viaRgba[i]!]!;
      const b = palette[viaYuv[i]!]!;
      for (let c = 0; c < 3; c++) {
        errorRgba += Math.abs(a[c]! - rgba[i * 4 + c]!);
        errorYuv += Math.abs(b[c]! - rgba[i * 4 + c]!);
      }
    }
    // Both key colours by about 6 bits a channel, so near-ties may go either way...
    expect(same / viaYuv.length).toBeGreaterThan(0.8);
    // ...but the colours shown are as faithful.
    expect(errorYuv / (viaYuv.length * 3)).toBeLessThan((errorRgba / (viaYuv.length * 3)) * 1.15 + 0.5);
    expect(viaYuv.reduce((max, v) => Math.max(max, v), 0)).toBeLessThan(palette.length);
  });

  it('YuvPaletteMap, maps flat colours that are in the palette exactly', () => {
    const colours = [[255, 0, 0], [0, 0, 255], [255, 255, 255], [30, 30, 30]] as const;
    const writer = new GifWriter();
    writer.setPalette(colours);
    const map = new YuvPaletteMap((r, g, b) => writer.nearestIndex(r, g, b));
    colours.forEach(([r, g, b], expected) => {
      const hex = ((r << 16) | (g << 8) | b).toString(16).padStart(6, '0');
      const scaler = new YuvScaler(32, 32, 8, 8);
      const out = new Uint8Array(64);
      map.map(scaler.scalePlanes(yuvFrame(`color=c=0x${hex}:size=32x32`, 32, 32, 'I420')), out);
      expect(Array.from(new Set(out)), `#${hex}`).toEqual([expected]);
    });
  });
});
