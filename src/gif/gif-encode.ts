/**
 * Writes an animated GIF from RGBA frames with one global palette, on top of gifenc.
 *
 * Design, and why:
 * - One palette for the whole clip, quantized from frames sampled across it: per-frame palettes
 *   flicker and cost a colour table per frame. The quantizer is median cut refined by k-means on
 *   a colour histogram (median-cut.ts), not gifenc's: see {@link GifWriter.buildPalette}.
 * - Pixels are mapped through a lookup table keyed by RGB565 that lives as long as the palette,
 *   so each colour is searched for once per clip, not once per frame (gifenc's `applyPalette`
 *   rebuilds its cache on every call).
 * - A frame after the first is cropped to the rectangle that changed since the previous one;
 *   inside it, unchanged pixels become the transparent index when enough of them are unchanged
 *   for the longer LZW runs to pay. Every frame is "do not dispose", so what a transparent pixel
 *   lets through is the previous frame. A frame identical to the previous one is not written:
 *   the previous frame's delay grows instead.
 *
 * Pure: no DOM, runs in Node and in workers.
 */
import * as gifencModule from 'gifenc';
import type { GifencEncoder } from 'gifenc';
import { ColorHistogram, quantizeCells } from './gif-median-cut';
import { NearestColor } from './gif-nearest-color';
import { MAX_GIF_DELAY_CS } from './gif-timing';

/**
 * gifenc ships CommonJS (`main`) and ESM (`module`). Bundlers and Vitest see its named exports;
 * Node's own ESM loader (tsx, scripts) exposes a CommonJS module's exports only as `default`.
 */
const { GIFEncoder }: Pick<typeof gifencModule, 'GIFEncoder'> =
  typeof gifencModule.GIFEncoder === 'function' ? gifencModule : (gifencModule as unknown as { default: typeof gifencModule }).default;


/** Pixels counted by {@link GifWriter.buildPalette}, across all samples (8 frames of 480 x 270 fit). */
export const PALETTE_SAMPLE_PIXELS = 1 << 20;

/**
 * Histogram cells x k-means rounds spent refining a palette, at most (and at most 5 rounds):
 * ~15 ms a round per 50,000 cells. A video frame has 1,000-15,000 cells, a colourful fractal
 * 50,000 (4 rounds), noise up to 262,144 (1 round).
 */
export const K_MEANS_CELL_ROUNDS = 1 << 18;
const MAX_K_MEANS_ROUNDS = 5;

/** The k-means rounds a histogram of `cells` cells gets: the work stays within the budget, one round at least. */
function kMeansRoundsFor(cells: number): number {
  return Math.max(1, Math.min(MAX_K_MEANS_ROUNDS, Math.floor(K_MEANS_CELL_ROUNDS / Math.max(1, cells))));
}

/**
 * Share of unchanged pixels in a frame's changed rectangle from which they are written as
 * transparent. Below it the changes are scattered (noise, a full-screen fade) and the extra
 * index breaks runs more than it makes them.
 */
export const TRANSPARENCY_MIN_UNCHANGED = 0.25;

/** GIF disposal method 1: leave the frame in place; the next one draws over it. */
const DISPOSE_KEEP = 1;

export type RgbColor = readonly [number, number, number];

/**
 * Output size for a source of `sourceWidth x sourceHeight` scaled to `widthPx` wide: the aspect
 * ratio is kept and the height rounded to an even number (>= 2). Never wider than the source:
 * upscaling only makes the file bigger.
 */
export function gifFrameSize(sourceWidth: number, sourceHeight: number, widthPx: number): { width: number; height: number } {
  for (const [name, value] of [['sourceWidth', sourceWidth], ['sourceHeight', sourceHeight], ['widthPx', widthPx]] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`gifFrameSize: ${name} must be > 0, got ${value}`);
  }
  const width = Math.max(2, Math.round(Math.min(widthPx, sourceWidth)));
  const height = Math.max(2, 2 * Math.round((width * sourceHeight) / sourceWidth / 2));
  return { width, height };
}

/** Deterministic xorshift32, so palettes (and tests) repeat exactly. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function checkFrame(rgba: ArrayLike<number>, width: number, height: number, what: string): void {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`GifWriter.${what}: expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  }
}

/** Counters of what {@link GifWriter} wrote. */
export interface GifWriterStats {
  /** Frames written (identical frames merged into their predecessor are not counted). */
  frames: number;
  /** Frames written with transparent (unchanged) pixels. */
  transparentFrames: number;
  /** Frames that were identical to the previous one and extended its delay instead. */
  mergedFrames: number;
  /** Sum of all delays written, in centiseconds. */
  totalDelayCs: number;
  /** The palette's histogram cells and the k-means rounds spent on them (0 when the palette was given). */
  paletteCells: number;
  kMeansRounds: number;
}

/**
 * An animated GIF under construction: `buildPalette` once, `addFrame` per frame (all the same
 * size), `finish` for the bytes. Loops forever.
 */
export class GifWriter {
  #encoder: GifencEncoder | null = GIFEncoder({ auto: false, initialCapacity: 1 << 20 });
  #palette: RgbColor[] | null = null;
  #transparentIndex = 0;
  #search: NearestColor | null = null;
  /** RGB565 key -> palette index, -1 until first needed. */
  readonly #lut = new Int16Array(1 << 16).fill(-1);
  #width = 0;
  #height = 0;
  /** Palette indices of what the GIF shows after the last written frame. */
  #shown: Uint8Array | null = null;
  /** This frame's indices (reused). */
  #current: Uint8Array | null = null;
  /** The cropped rectangle handed to the LZW coder (reused). */
  #crop: Uint8Array | null = null;
  /** Stream offset of the last frame's Graphic Control Extension, to grow its delay. */
  #lastControlAt = -1;
  #lastDelayCs = 0;
  readonly #stats: GifWriterStats = { frames: 0, transparentFrames: 0, mergedFrames: 0, totalDelayCs: 0, paletteCells: 0, kMeansRounds: 0 };

  /**
   * Quantizes one palette from `samples` (RGBA frames, any sizes): their colours are counted in
   * a histogram (at most {@link PALETTE_SAMPLE_PIXELS} pixels, drawn evenly from each sample at
   * pseudo-random positions when there are more: a fixed stride would alias with stripes and
   * grids), cut into boxes by median cut and refined by a few k-means rounds.
   *
   * Not gifenc's quantizer: its pairwise-nearest-neighbour search can afford only a few thousand
   * cells, and this one matched or beat it on every bench source (README, "GIF quality"). One of
   * the `maxColors` entries is reserved for transparency, so at most `maxColors - 1` colours
   * result. Must be called once, before the first frame.
   */
  buildPalette(samples: readonly (Uint8ClampedArray | Uint8Array)[], maxColors = 256): RgbColor[] {
    if (this.#stats.frames > 0 || this.#palette) throw new Error('GifWriter.buildPalette: the palette is already set');
    if (!Number.isInteger(maxColors) || maxColors < 2 || maxColors > 256) {
      throw new RangeError(`GifWriter.buildPalette: maxColors must be an integer in [2, 256], got ${maxColors}`);
    }
    const nonEmpty = samples.filter((sample) => sample.length >= 4);
    if (nonEmpty.length === 0) throw new RangeError('GifWriter.buildPalette: no sample pixels');
    const perSample = Math.ceil(PALETTE_SAMPLE_PIXELS / nonEmpty.length);
    const histogram = new ColorHistogram();
    const random = xorshift(0x9e3779b9);
    for (const sample of nonEmpty) {
      const count = sample.length >> 2;
      if (count <= perSample) {
        histogram.addRgba(sample);
        continue;
      }
      for (let k = 0; k < perSample; k++) {
        const p = (random() % count) * 4;
        histogram.addColor(sample[p]!, sample[p + 1]!, sample[p + 2]!);
      }
    }
    const cells = histogram.cells();
    const rounds = kMeansRoundsFor(cells.counts.length);
    this.#stats.paletteCells = cells.counts.length;
    this.#stats.kMeansRounds = rounds;
    const colors = quantizeCells(cells.colors, cells.counts, maxColors - 1, rounds);
    this.#setPalette(colors);
    return colors;
  }

  /** Uses `colors` (at most 255) as the palette instead of quantizing; index `colors.length` becomes transparent. */
  setPalette(colors: readonly RgbColor[]): void {
    if (this.#stats.frames > 0 || this.#palette) throw new Error('GifWriter.setPalette: the palette is already set');
    if (colors.length < 1 || colors.length > 255) throw new RangeError(`GifWriter.setPalette: 1..255 colours needed, got ${colors.length}`);
    this.#setPalette(colors);
  }

  #setPalette(colors: readonly RgbColor[]): void {
    this.#palette = colors.map((c) => [c[0], c[1], c[2]] as const);
    this.#transparentIndex = colors.length;
    this.#search = new NearestColor(colors);
  }

  /** The palette (without the transparent entry), or null before one is built. */
  get palette(): readonly RgbColor[] | null {
    return this.#palette;
  }

  /** Index written for "unchanged since the previous frame". */
  get transparentIndex(): number {
    return this.#transparentIndex;
  }

  get stats(): GifWriterStats {
    return { ...this.#stats };
  }

  /**
   * Maps RGBA pixels (alpha ignored) to palette indices, into `out` (allocated if not given).
   * A colour's index is the palette entry nearest (Euclidean RGB) to the first colour seen in
   * its RGB565 cell; the answer is kept for the life of the palette.
   */
  mapToPalette(rgba: Uint8Array | Uint8ClampedArray, out: Uint8Array = new Uint8Array(rgba.length >> 2)): Uint8Array {
    if (!this.#palette) throw new Error('GifWriter: build or set a palette first');
    const lut = this.#lut;
    const n = rgba.length >> 2;
    if (out.length < n) throw new RangeError(`GifWriter.mapToPalette: out holds ${out.length} indices, ${n} needed`);
    for (let i = 0, p = 0; i < n; i++, p += 4) {
      const r = rgba[p]!;
      const g = rgba[p + 1]!;
      const b = rgba[p + 2]!;
      const key = ((r & 0xf8) << 8) | ((g & 0xfc) << 3) | (b >> 3); // RGB565, inlined: hot loop
      let index = lut[key]!;
      if (index < 0) index = lut[key] = this.#search!.nearest(r, g, b);
      out[i] = index;
    }
    return out;
  }

  /** Index of the palette colour nearest to (r, g, b) in Euclidean RGB, searched exactly (no cache). */
  nearestIndex(r: number, g: number, b: number): number {
    if (!this.#palette) throw new Error('GifWriter: build or set a palette first');
    return this.#search!.nearest(r, g, b);
  }

  /**
   * Appends a frame shown for `delayCs` centiseconds (an integer; see `gifDelaysCs` for why
   * never below 2). Every frame must have the first frame's size.
   */
  addFrame(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, delayCs: number): void {
    this.#checkAdd(width, height, delayCs, 'addFrame');
    checkFrame(rgba, width, height, 'addFrame');
    this.#current ??= new Uint8Array(width * height);
    this.#add(this.mapToPalette(rgba, this.#current), width, height, delayCs);
  }

  /**
   * Like {@link addFrame}, for a frame already mapped to palette indices (one byte per pixel,
   * each below `palette.length`), e.g. by a mapper that works on YUV. `indices` is only read.
   */
  addIndexedFrame(indices: Uint8Array, width: number, height: number, delayCs: number): void {
    this.#checkAdd(width, height, delayCs, 'addIndexedFrame');
    if (indices.length !== width * height) {
      throw new RangeError(`GifWriter.addIndexedFrame: expected ${width * height} indices for ${width}x${height}, got ${indices.length}`);
    }
    this.#add(indices, width, height, delayCs);
  }

  #checkAdd(width: number, height: number, delayCs: number, what: string): void {
    if (!this.#encoder) throw new Error(`GifWriter.${what}: the GIF is finished`);
    if (!this.#palette) throw new Error(`GifWriter.${what}: build or set a palette first`);
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width > 0xffff || height > 0xffff) {
      throw new RangeError(`GifWriter.${what}: size must be positive integers <= 65535, got ${width}x${height}`);
    }
    if (this.#shown && (width !== this.#width || height !== this.#height)) {
      throw new RangeError(`GifWriter.${what}: frames must all be ${this.#width}x${this.#height}, got ${width}x${height}`);
    }
    if (!Number.isInteger(delayCs) || delayCs < 0 || delayCs > MAX_GIF_DELAY_CS) {
      throw new RangeError(`GifWriter.${what}: delayCs must be an integer in [0, ${MAX_GIF_DELAY_CS}], got ${delayCs}`);
    }
  }

  #add(current: Uint8Array, width: number, height: number, delayCs: number): void {
    const encoder = this.#encoder!;
    if (!this.#shown || !this.#crop) {
      this.#width = width;
      this.#height = height;
      this.#writeHead(encoder, width, height);
      this.#shown = current.slice();
      this.#crop = new Uint8Array(width * height);
      this.#writeImage(encoder, current, 0, 0, width, height, delayCs, false);
      return;
    }

    const shown = this.#shown;
    // Bounding rectangle of the pixels that changed, and how many did.
    let top = -1;
    let bottom = -1;
    let left = width;
    let right = -1;
    let changed = 0;
    for (let y = 0, row = 0; y < height; y++, row += width) {
      let rowFirst = -1;
      let rowLast = -1;
      for (let x = 0; x < width; x++) {
        if (current[row + x] !== shown[row + x]) {
          if (rowFirst < 0) rowFirst = x;
          rowLast = x;
          changed++;
        }
      }
      if (rowFirst >= 0) {
        if (top < 0) top = y;
        bottom = y;
        if (rowFirst < left) left = rowFirst;
        if (rowLast > right) right = rowLast;
      }
    }

    if (changed === 0 && this.#lastDelayCs + delayCs <= MAX_GIF_DELAY_CS) {
      this.#growLastDelay(encoder, delayCs);
      return;
    }
    if (changed === 0) {
      // The previous delay is full: show one unchanged pixel for the rest.
      top = bottom = left = right = 0;
    }

    const cropWidth = right - left + 1;
    const cropHeight = bottom - top + 1;
    const area = cropWidth * cropHeight;
    const transparent = area - changed >= TRANSPARENCY_MIN_UNCHANGED * area;
    const crop = this.#crop.subarray(0, area);
    const clear = this.#transparentIndex;
    for (let y = 0, at = 0; y < cropHeight; y++) {
      const row = (top + y) * width + left;
      for (let x = 0; x < cropWidth; x++, at++) {
        const index = current[row + x]!;
        crop[at] = transparent && index === shown[row + x] ? clear : index;
        shown[row + x] = index;
      }
    }
    this.#writeImage(encoder, crop, left, top, cropWidth, cropHeight, delayCs, transparent);
  }

  /** Writes the trailer and returns the file. The writer cannot be used afterwards. */
  finish(): Uint8Array {
    const encoder = this.#encoder;
    if (!encoder) throw new Error('GifWriter.finish: already finished');
    if (this.#stats.frames === 0) throw new Error('GifWriter.finish: no frames were added');
    encoder.finish();
    const bytes = encoder.bytes();
    this.#release();
    return bytes;
  }

  /** Drops every buffer (the writer cannot be used afterwards); for cancelled encodes. */
  dispose(): void {
    this.#release();
  }

  #release(): void {
    this.#encoder = null;
    this.#shown = null;
    this.#current = null;
    this.#crop = null;
  }

  /** Header, logical screen with the global colour table, and the loop-forever extension. */
  #writeHead(encoder: GifencEncoder, width: number, height: number): void {
    const palette = this.#palette!;
    // +1: the transparent entry. A table has 2^(bits) entries, bits >= 1.
    const tableBits = Math.max(1, Math.ceil(Math.log2(palette.length + 1)));
    const stream = encoder.stream;
    stream.writeBytes([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]); // GIF89a
    stream.writeBytes([width & 0xff, width >> 8, height & 0xff, height >> 8]);
    // Global table present, 8-bit colour resolution, unsorted, table size.
    stream.writeBytes([0x80 | (7 << 4) | (tableBits - 1), 0, 0]);
    for (let i = 0; i < 1 << tableBits; i++) {
      const color = palette[i];
      stream.writeBytes(color ? [color[0], color[1], color[2]] : [0, 0, 0]);
    }
    // NETSCAPE2.0 application extension: loop count 0 = forever.
    stream.writeBytes([0x21, 0xff, 0x0b, ...Array.from('NETSCAPE2.0', (c) => c.charCodeAt(0)), 0x03, 0x01, 0x00, 0x00, 0x00]);
  }

  #writeImage(
    encoder: GifencEncoder,
    indices: Uint8Array,
    left: number,
    top: number,
    width: number,
    height: number,
    delayCs: number,
    transparent: boolean,
  ): void {
    const at = encoder.stream.bytesView().length;
    encoder.writeFrame(indices, width, height, {
      first: false,
      palette: null,
      delay: delayCs * 10,
      transparent,
      transparentIndex: this.#transparentIndex,
      dispose: DISPOSE_KEEP,
    });
    // gifenc always places frames at (0, 0): write the crop's position into the image descriptor,
    // which follows the 8-byte Graphic Control Extension.
    const bytes = encoder.stream.bytesView();
    if (bytes[at] !== 0x21 || bytes[at + 1] !== 0xf9 || bytes[at + 8] !== 0x2c) {
      throw new Error('GifWriter: unexpected gifenc frame layout');
    }
    bytes[at + 9] = left & 0xff;
    bytes[at + 10] = left >> 8;
    bytes[at + 11] = top & 0xff;
    bytes[at + 12] = top >> 8;
    this.#lastControlAt = at;
    this.#lastDelayCs = delayCs;
    this.#stats.frames++;
    this.#stats.totalDelayCs += delayCs;
    if (transparent) this.#stats.transparentFrames++;
  }

  #growLastDelay(encoder: GifencEncoder, delayCs: number): void {
    const bytes = encoder.stream.bytesView();
    const delay = this.#lastDelayCs + delayCs;
    bytes[this.#lastControlAt + 4] = delay & 0xff;
    bytes[this.#lastControlAt + 5] = delay >> 8;
    this.#lastDelayCs = delay;
    this.#stats.mergedFrames++;
    this.#stats.totalDelayCs += delayCs;
  }
}
