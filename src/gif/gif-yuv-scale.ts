/**
 * Scales a decoded 8-bit YUV 4:2:0 frame (I420 or NV12, as `VideoFrame.copyTo` lays it out)
 * down to an RGBA image: resample each plane at the output size, then convert to RGB.
 *
 * Why not `drawImage(videoFrame)` on a 2D canvas: in a worker without a GPU, Chromium converts
 * the whole frame to RGB before scaling it, which costs more than scaling the planes first, and
 * a triangle filter aliases less than its bilinear shrink.
 * Pure: runs in Node (tests compare it with ffmpeg) and in workers.
 */

import { halve2x2, resampleAxis, resampleChroma, resamplePlane, type ResampleAxis } from './gif-plane-resample';

export const YUV_FORMATS = ['I420', 'NV12'] as const;
export type YuvFormat = (typeof YUV_FORMATS)[number];

/** BT.709 (HD) or BT.601 (SD, also named bt470bg / smpte170m). */
export type YuvMatrix = 'bt709' | 'bt601';

export interface YuvPlaneLayout {
  offset: number;
  stride: number;
}

export interface YuvImage {
  format: YuvFormat;
  /** Visible size in pixels (chroma planes are `ceil(width / 2) x ceil(height / 2)`). */
  width: number;
  height: number;
  data: Uint8Array;
  /** Y, U, V planes (I420) or Y, interleaved UV (NV12), as `VideoFrame.copyTo` resolves them. */
  planes: readonly YuvPlaneLayout[];
  matrix: YuvMatrix;
  /** Full-range (0-255) samples rather than studio range (Y 16-235, chroma 16-240). */
  fullRange: boolean;
}

/**
 * The matrix for a `VideoColorSpace.matrix` value, or null for one this module does not convert
 * ('rgb', 'bt2020-ncl': leave those to the browser). An unspecified matrix is taken as BT.709
 * for HD heights (>= 720) and BT.601 below, the rule most players (and ffmpeg's scaler users) follow.
 */
export function yuvMatrixFor(matrix: string | null | undefined, height: number): YuvMatrix | null {
  switch (matrix) {
    case 'bt709':
      return 'bt709';
    case 'bt470bg':
    case 'smpte170m':
      return 'bt601';
    case null:
    case undefined:
    case '':
      return height >= 720 ? 'bt709' : 'bt601';
    default:
      return null;
  }
}

const COEFFICIENTS: Record<YuvMatrix, { kr: number; kb: number }> = {
  bt709: { kr: 0.2126, kb: 0.0722 },
  bt601: { kr: 0.299, kb: 0.114 },
};

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Fixed-point fraction bits of the conversion tables. */
const FRACTION_BITS = 10;
const HALF = 1 << (FRACTION_BITS - 1);

/** Per-sample contributions to R, G, B in fixed point, looked up instead of multiplied per pixel. */
interface ConversionTables {
  y: Int32Array;
  crToR: Int32Array;
  cbToG: Int32Array;
  crToG: Int32Array;
  cbToB: Int32Array;
}

const tableCache = new Map<string, ConversionTables>();

function conversionTables(matrix: YuvMatrix, fullRange: boolean): ConversionTables {
  const cacheKey = `${matrix}/${fullRange}`;
  const cached = tableCache.get(cacheKey);
  if (cached) return cached;
  const { kr, kb } = COEFFICIENTS[matrix];
  const kg = 1 - kr - kb;
  const one = 1 << FRACTION_BITS;
  const yScale = (fullRange ? 1 : 255 / 219) * one;
  const yOffset = fullRange ? 0 : 16;
  const cScale = (fullRange ? 1 : 255 / 224) * one;
  const table = (f: (v: number) => number) => Int32Array.from({ length: 256 }, (_, v) => Math.round(f(v)));
  const tables: ConversionTables = {
    y: table((v) => (v - yOffset) * yScale),
    crToR: table((v) => 2 * (1 - kr) * (v - 128) * cScale),
    cbToG: table((v) => ((-2 * kb * (1 - kb)) / kg) * (v - 128) * cScale),
    crToG: table((v) => ((-2 * kr * (1 - kr)) / kg) * (v - 128) * cScale),
    cbToB: table((v) => 2 * (1 - kb) * (v - 128) * cScale),
  };
  tableCache.set(cacheKey, tables);
  return tables;
}

/** Converts scaled planes (one byte per output pixel each) to RGBA. */
function writeRgba(t: ConversionTables, ys: Uint8Array, us: Uint8Array, vs: Uint8Array, out: Uint8ClampedArray): void {
  const count = ys.length;
  const yTable = t.y;
  const crToR = t.crToR;
  const cbToG = t.cbToG;
  const crToG = t.crToG;
  const cbToB = t.cbToB;
  if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
    // One 32-bit store per pixel (R first in memory on little-endian), clamped by hand.
    const words = new Uint32Array(out.buffer, out.byteOffset, count);
    for (let i = 0; i < count; i++) {
      const y = yTable[ys[i]!]! + HALF;
      const u = us[i]!;
      const v = vs[i]!;
      let r = (y + crToR[v]!) >> FRACTION_BITS;
      let g = (y + cbToG[u]! + crToG[v]!) >> FRACTION_BITS;
      let b = (y + cbToB[u]!) >> FRACTION_BITS;
      r = r < 0 ? 0 : r > 255 ? 255 : r;
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      b = b < 0 ? 0 : b > 255 ? 255 : b;
      words[i] = (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
    }
    return;
  }
  // Uint8ClampedArray clamps each store.
  for (let i = 0, p = 0; i < count; i++, p += 4) {
    const y = yTable[ys[i]!]! + HALF;
    const u = us[i]!;
    const v = vs[i]!;
    out[p] = (y + crToR[v]!) >> FRACTION_BITS;
    out[p + 1] = (y + cbToG[u]! + crToG[v]!) >> FRACTION_BITS;
    out[p + 2] = (y + cbToB[u]!) >> FRACTION_BITS;
    out[p + 3] = 255;
  }
}

/** How one frame size is scaled: the axes of luma and chroma, and whether luma is halved first. */
interface ScalePlan {
  /** Luma is averaged 2x2 (to the chroma grid) before resampling: shrinking by 2 or more. */
  halveLuma: boolean;
  lumaX: ResampleAxis;
  lumaY: ResampleAxis;
  chromaX: ResampleAxis;
  chromaY: ResampleAxis;
}

/**
 * Scales YUV 4:2:0 frames of one size to RGBA of one output size, reusing its plans and buffers
 * from frame to frame. Each plane is resampled with a triangle filter (see plane-resample.ts);
 * luma shrunk by 2 or more is first averaged 2x2, which makes it as cheap as chroma and no
 * blurrier than a triangle over the whole factor.
 */
export class YuvScaler {
  readonly width: number;
  readonly height: number;
  readonly outWidth: number;
  readonly outHeight: number;
  readonly #plan: ScalePlan;
  readonly #ys: Uint8Array;
  readonly #us: Uint8Array;
  readonly #vs: Uint8Array;
  /** Luma averaged 2x2, when halved. */
  readonly #halfLuma: Uint8Array;
  /** A luma row after the vertical pass, and a chroma one (U and V interleaved). */
  readonly #rowY: Int32Array;
  readonly #rowUV: Int32Array;

  constructor(width: number, height: number, outWidth: number, outHeight: number) {
    for (const [name, value] of [['width', width], ['height', height], ['outWidth', outWidth], ['outHeight', outHeight]] as const) {
      if (!Number.isInteger(value) || value <= 0) throw new RangeError(`YuvScaler: ${name} must be a positive integer, got ${value}`);
    }
    this.width = width;
    this.height = height;
    this.outWidth = outWidth;
    this.outHeight = outHeight;
    const count = outWidth * outHeight;
    this.#ys = new Uint8Array(count);
    this.#us = new Uint8Array(count);
    this.#vs = new Uint8Array(count);
    const chromaWidth = (width + 1) >> 1;
    const chromaHeight = (height + 1) >> 1;
    const halveLuma = width >= 2 * outWidth && height >= 2 * outHeight;
    // A chroma sample (and a 2x2 luma sum) is centred between two luma samples: a grid of half
    // the luma's resolution, whatever the rounding of an odd size.
    this.#plan = {
      halveLuma,
      lumaX: halveLuma ? resampleAxis(width >> 1, outWidth, width / 2 / outWidth) : resampleAxis(width, outWidth, width / outWidth),
      lumaY: halveLuma ? resampleAxis(height >> 1, outHeight, height / 2 / outHeight) : resampleAxis(height, outHeight, height / outHeight),
      chromaX: resampleAxis(chromaWidth, outWidth, width / 2 / outWidth),
      chromaY: resampleAxis(chromaHeight, outHeight, height / 2 / outHeight),
    };
    this.#halfLuma = new Uint8Array(halveLuma ? (width >> 1) * (height >> 1) : 0);
    this.#rowY = new Int32Array(width);
    this.#rowUV = new Int32Array(2 * chromaWidth);
  }

  /**
   * Resamples `image` (of this scaler's input size) to one byte per output pixel per plane.
   * The arrays are reused by the next call. `part` splits the work in two (luma is about half
   * of it): after `'luma'` then `'chroma'` on the same image, the planes are as after `'all'`.
   */
  scalePlanes(image: YuvImage, part: 'all' | 'luma' | 'chroma' = 'all'): ScaledPlanes {
    const { data, planes, format } = image;
    if (image.width !== this.width || image.height !== this.height) {
      throw new RangeError(`YuvScaler: expected a ${this.width}x${this.height} image, got ${image.width}x${image.height}`);
    }
    const yPlane = planes[0];
    const uPlane = planes[1];
    const vPlane = format === 'I420' ? planes[2] : planes[1];
    if (!yPlane || !uPlane || !vPlane) throw new RangeError(`YuvScaler: ${format} needs ${format === 'I420' ? 3 : 2} planes`);
    const plan = this.#plan;
    if (part !== 'chroma') {
      if (plan.halveLuma) {
        const halfWidth = this.width >> 1;
        halve2x2(data, yPlane.offset, yPlane.stride, halfWidth, this.height >> 1, this.#halfLuma);
        resamplePlane(this.#halfLuma, 0, halfWidth, halfWidth, plan.lumaX, plan.lumaY, this.#rowY, this.#ys);
      } else {
        resamplePlane(data, yPlane.offset, yPlane.stride, this.width, plan.lumaX, plan.lumaY, this.#rowY, this.#ys);
      }
    }
    if (part !== 'luma') {
      const nv12 = format === 'NV12';
      resampleChroma(
        data, nv12, uPlane.offset, vPlane.offset, uPlane.stride, (this.width + 1) >> 1,
        plan.chromaX, plan.chromaY, this.#rowUV, this.#us, this.#vs,
      );
    }
    return { y: this.#ys, u: this.#us, v: this.#vs, matrix: image.matrix, fullRange: image.fullRange };
  }

  /** Writes `image` (of this scaler's input size) into `out` as RGBA, alpha 255. */
  scale(image: YuvImage, out: Uint8ClampedArray): void {
    const count = this.outWidth * this.outHeight;
    if (out.length !== count * 4) throw new RangeError(`YuvScaler: out must hold ${count * 4} bytes, got ${out.length}`);
    const planes = this.scalePlanes(image);
    writeRgba(conversionTables(planes.matrix, planes.fullRange), planes.y, planes.u, planes.v, out);
  }
}

/** Planes resampled to the output size: one byte per output pixel each. */
export interface ScaledPlanes {
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
  matrix: YuvMatrix;
  fullRange: boolean;
}

/** Bits of Y, U and V that key {@link YuvPaletteMap}'s table: 6 each, as fine as RGB565. */
const KEY_BITS = 6;
const KEY_SHIFT = 8 - KEY_BITS;
const KEY_MASK = (1 << KEY_BITS) - 1;

/**
 * Maps scaled YUV planes straight to palette indices, without RGB per pixel: a table keyed by
 * the top 6 bits of Y, U and V (256 Ki cells) holds the palette index of each cell's centre
 * colour, converted and matched once per clip, when the cell is first seen. With the resampler
 * this replaces convert-to-RGBA plus map-RGBA-to-palette, the two costliest steps per frame.
 */
export class YuvPaletteMap {
  readonly #nearest: (r: number, g: number, b: number) => number;
  readonly #tables = new Map<string, Int16Array>();

  /** `nearest` gives the palette index of the colour closest to (r, g, b), each 0..255. */
  constructor(nearest: (r: number, g: number, b: number) => number) {
    this.#nearest = nearest;
  }

  /** Writes the palette index of each pixel of `planes` to `out`. */
  map(planes: ScaledPlanes, out: Uint8Array): void {
    const { y: ys, u: us, v: vs } = planes;
    const count = ys.length;
    if (out.length !== count) throw new RangeError(`YuvPaletteMap: out must hold ${count} indices, got ${out.length}`);
    const cacheKey = `${planes.matrix}/${planes.fullRange}`;
    let table = this.#tables.get(cacheKey);
    if (!table) {
      table = new Int16Array(1 << (3 * KEY_BITS)).fill(-1);
      this.#tables.set(cacheKey, table);
    }
    const conversion = conversionTables(planes.matrix, planes.fullRange);
    for (let i = 0; i < count; i++) {
      const key = ((ys[i]! >> KEY_SHIFT) << (2 * KEY_BITS)) | ((us[i]! >> KEY_SHIFT) << KEY_BITS) | (vs[i]! >> KEY_SHIFT);
      let index = table[key]!;
      if (index < 0) index = table[key] = this.#cell(key, conversion);
      out[i] = index;
    }
  }

  #cell(key: number, t: ConversionTables): number {
    const half = 1 << (KEY_SHIFT - 1);
    const y = (((key >> (2 * KEY_BITS)) & KEY_MASK) << KEY_SHIFT) | half;
    const u = (((key >> KEY_BITS) & KEY_MASK) << KEY_SHIFT) | half;
    const v = ((key & KEY_MASK) << KEY_SHIFT) | half;
    const luma = t.y[y]! + HALF;
    const clamp = (value: number) => Math.max(0, Math.min(255, value >> FRACTION_BITS));
    return this.#nearest(clamp(luma + t.crToR[v]!), clamp(luma + t.cbToG[u]! + t.crToG[v]!), clamp(luma + t.cbToB[u]!));
  }
}
