/**
 * Scales a decoded 8-bit YUV 4:2:0 frame (I420 or NV12, as `VideoFrame.copyTo` lays it out)
 * down to an RGBA image: box-filter each plane at the output size, then convert to RGB.
 *
 * Why not `drawImage(videoFrame)` on a 2D canvas: in a worker without a GPU, Chromium converts
 * the whole 720p frame to RGB and then scales it, ~8 ms a frame on this project's machines
 * (measured); this is ~2 ms and, averaging the luma box under each output pixel, aliases less
 * than a bilinear 2.7x shrink. Pure: runs in Node (tests compare it with ffmpeg) and in workers.
 */

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

/**
 * Box filter geometry along one axis: each output sample averages `taps` source samples
 * starting at `start[i]`, centred on the output sample's footprint. `taps` is the scale factor
 * rounded up (3 for 720p luma -> 480 px, 2 for its chroma at 1.33x), so hardly a source sample
 * is skipped; a scale at most 0.25 above a whole number rounds down to it instead, so a
 * near-1:1 scale is not blurred. (Nearest-sample chroma was ~0.5 ms a frame cheaper, but its
 * aliasing made 720p GIFs 12% bigger.)
 */
function boxAxis(inSize: number, outSize: number): { start: Int32Array; taps: number } {
  const scale = inSize / outSize;
  const taps = Math.max(1, Math.min(inSize, Math.ceil(scale - 0.25)));
  const start = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const from = Math.round((i + 0.5) * scale - taps / 2);
    start[i] = Math.max(0, Math.min(inSize - taps, from));
  }
  return { start, taps };
}

/** Sampling plan of one plane: rows and columns (columns in bytes, so NV12's step is folded in). */
interface PlanePlan {
  rows: Int32Array;
  rowTaps: number;
  columns: Int32Array;
  columnTaps: number;
  /** 2^16 / (rowTaps * columnTaps): sums become averages by a multiply and a shift. */
  reciprocal: number;
}

function planePlan(width: number, height: number, outWidth: number, outHeight: number, step: number): PlanePlan {
  const x = boxAxis(width, outWidth);
  const y = boxAxis(height, outHeight);
  return {
    rows: y.start,
    rowTaps: y.taps,
    columns: x.start.map((c) => c * step),
    columnTaps: x.taps,
    reciprocal: Math.round(65536 / (x.taps * y.taps)),
  };
}

/**
 * Box-filters one plane to `out` (one byte per output pixel). `step` is the distance between this
 * plane's samples in a row (2 for NV12's interleaved U and V). Square boxes of 1 to 4 taps have
 * unrolled kernels: V8 runs them ~4x faster than the nested tap loops of the general case.
 */
function boxPlane(plan: PlanePlan, data: Uint8Array, offset: number, stride: number, step: number, outWidth: number, out: Uint8Array): void {
  const { rows, rowTaps, columns, columnTaps, reciprocal } = plan;
  const taps = rowTaps === columnTaps ? rowTaps : 0;
  const s1 = step;
  const s2 = 2 * step;
  const s3 = 3 * step;
  for (let oy = 0; oy < rows.length; oy++) {
    const r0 = offset + rows[oy]! * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const outRow = oy * outWidth;
    switch (taps) {
      case 1:
        for (let ox = 0; ox < outWidth; ox++) out[outRow + ox] = data[r0 + columns[ox]!]!;
        break;
      case 2:
        for (let ox = 0; ox < outWidth; ox++) {
          const x = columns[ox]!;
          out[outRow + ox] = (data[r0 + x]! + data[r0 + x + s1]! + data[r1 + x]! + data[r1 + x + s1]! + 2) >>> 2;
        }
        break;
      case 3:
        for (let ox = 0; ox < outWidth; ox++) {
          const x = columns[ox]!;
          const sum =
            data[r0 + x]! + data[r0 + x + s1]! + data[r0 + x + s2]! +
            data[r1 + x]! + data[r1 + x + s1]! + data[r1 + x + s2]! +
            data[r2 + x]! + data[r2 + x + s1]! + data[r2 + x + s2]!;
          out[outRow + ox] = (sum * reciprocal + 32768) >>> 16;
        }
        break;
      case 4:
        for (let ox = 0; ox < outWidth; ox++) {
          const x = columns[ox]!;
          const sum =
            data[r0 + x]! + data[r0 + x + s1]! + data[r0 + x + s2]! + data[r0 + x + s3]! +
            data[r1 + x]! + data[r1 + x + s1]! + data[r1 + x + s2]! + data[r1 + x + s3]! +
            data[r2 + x]! + data[r2 + x + s1]! + data[r2 + x + s2]! + data[r2 + x + s3]! +
            data[r3 + x]! + data[r3 + x + s1]! + data[r3 + x + s2]! + data[r3 + x + s3]!;
          out[outRow + ox] = (sum + 8) >>> 4;
        }
        break;
      default:
        for (let ox = 0; ox < outWidth; ox++) {
          const base = r0 + columns[ox]!;
          let sum = 0;
          for (let ty = 0, at = base; ty < rowTaps; ty++, at += stride) {
            for (let tx = 0, p = at; tx < columnTaps; tx++, p += step) sum += data[p]!;
          }
          out[outRow + ox] = (sum * reciprocal + 32768) >>> 16;
        }
    }
  }
}


/** Converts box-filtered planes (one byte per output pixel each) to RGBA. */
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

/**
 * Scales YUV 4:2:0 frames of one size to RGBA of one output size, reusing its plans and buffers
 * from frame to frame. Each output pixel averages the box of source samples under it (3 x 3
 * luma and 2 x 2 chroma for 720p -> 480 px). Meant for shrinking; enlarging repeats samples.
 */
export class YuvScaler {
  readonly width: number;
  readonly height: number;
  readonly outWidth: number;
  readonly outHeight: number;
  readonly #plans = new Map<string, { luma: PlanePlan; chroma: PlanePlan }>();
  readonly #ys: Uint8Array;
  readonly #us: Uint8Array;
  readonly #vs: Uint8Array;

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
  }

  #plan(format: YuvFormat): { luma: PlanePlan; chroma: PlanePlan } {
    let plan = this.#plans.get(format);
    if (!plan) {
      const step = format === 'NV12' ? 2 : 1;
      plan = {
        luma: planePlan(this.width, this.height, this.outWidth, this.outHeight, 1),
        chroma: planePlan((this.width + 1) >> 1, (this.height + 1) >> 1, this.outWidth, this.outHeight, step),
      };
      this.#plans.set(format, plan);
    }
    return plan;
  }

  /**
   * Box-filters `image` (of this scaler's input size) to one byte per output pixel per plane.
   * The arrays are reused by the next call. `part` splits the work in two (luma is ~3/4 of it):
   * after `'luma'` then `'chroma'` on the same image, the planes are as after `'all'`.
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
    const step = format === 'NV12' ? 2 : 1;
    const plan = this.#plan(format);
    if (part !== 'chroma') boxPlane(plan.luma, data, yPlane.offset, yPlane.stride, 1, this.outWidth, this.#ys);
    if (part !== 'luma') {
      boxPlane(plan.chroma, data, uPlane.offset, uPlane.stride, step, this.outWidth, this.#us);
      boxPlane(plan.chroma, data, vPlane.offset + (format === 'NV12' ? 1 : 0), vPlane.stride, step, this.outWidth, this.#vs);
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

/** Planes box-filtered to the output size: one byte per output pixel each. */
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
 * colour, converted and matched once per clip, when the cell is first seen. With the box filter
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
