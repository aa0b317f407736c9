/**
 * Quantizes a colour histogram to a palette by median cut, then refines it with a few rounds of
 * k-means (Lloyd) on the same histogram.
 *
 * Median cut as ffmpeg's palettegen does it: start with one box holding every colour; split the
 * box whose colours lie farthest from its mean (count-weighted squared error) across its widest
 * channel, at the count median; each box's colour is its count-weighted mean. k-means then moves
 * each colour to the cells nearest to it and each palette entry to the mean of its cells.
 *
 * Pure: no DOM, runs in Node and in workers.
 */
import { NearestColor } from './gif-nearest-color';

/** Bits kept of each of R, G, B by {@link ColorHistogram}: cells 4 levels wide. */
const HISTOGRAM_BITS = 6;
const HISTOGRAM_SHIFT = 8 - HISTOGRAM_BITS;
const CELLS = 1 << (3 * HISTOGRAM_BITS);

/**
 * Counts of the colours of many pixels by cell (top 6 bits of R, G, B), keeping each cell's
 * sum so the colour it stands for is its pixels' mean, not the cell's corner.
 */
export class ColorHistogram {
  readonly #counts = new Uint32Array(CELLS);
  readonly #sums = new Float64Array(3 * CELLS);
  #pixels = 0;

  /** Adds every pixel of RGBA `rgba` (alpha ignored). */
  addRgba(rgba: Uint8Array | Uint8ClampedArray): void {
    const counts = this.#counts;
    const sums = this.#sums;
    for (let p = 0; p + 3 < rgba.length; p += 4) {
      const r = rgba[p]!;
      const g = rgba[p + 1]!;
      const b = rgba[p + 2]!;
      const key = ((r >> HISTOGRAM_SHIFT) << (2 * HISTOGRAM_BITS)) | ((g >> HISTOGRAM_SHIFT) << HISTOGRAM_BITS) | (b >> HISTOGRAM_SHIFT);
      counts[key] = counts[key]! + 1;
      sums[3 * key] = sums[3 * key]! + r;
      sums[3 * key + 1] = sums[3 * key + 1]! + g;
      sums[3 * key + 2] = sums[3 * key + 2]! + b;
    }
    this.#pixels += rgba.length >> 2;
  }

  /** Adds one pixel. */
  addColor(r: number, g: number, b: number): void {
    const key = ((r >> HISTOGRAM_SHIFT) << (2 * HISTOGRAM_BITS)) | ((g >> HISTOGRAM_SHIFT) << HISTOGRAM_BITS) | (b >> HISTOGRAM_SHIFT);
    this.#counts[key] = this.#counts[key]! + 1;
    this.#sums[3 * key] = this.#sums[3 * key]! + r;
    this.#sums[3 * key + 1] = this.#sums[3 * key + 1]! + g;
    this.#sums[3 * key + 2] = this.#sums[3 * key + 2]! + b;
    this.#pixels++;
  }

  /** Pixels added so far. */
  get pixels(): number {
    return this.#pixels;
  }

  /** The occupied cells: mean colour (r, g, b interleaved) and pixel count of each. */
  cells(): { colors: Float64Array; counts: Float64Array } {
    let occupied = 0;
    for (let key = 0; key < CELLS; key++) if (this.#counts[key]! > 0) occupied++;
    const colors = new Float64Array(3 * occupied);
    const counts = new Float64Array(occupied);
    for (let key = 0, at = 0; key < CELLS; key++) {
      const count = this.#counts[key]!;
      if (count === 0) continue;
      colors[3 * at] = this.#sums[3 * key]! / count;
      colors[3 * at + 1] = this.#sums[3 * key + 1]! / count;
      colors[3 * at + 2] = this.#sums[3 * key + 2]! / count;
      counts[at] = count;
      at++;
    }
    return { colors, counts };
  }
}

interface Box {
  /** Range [start, end) of the cell order. */
  start: number;
  end: number;
  /** Count-weighted squared error around the box's mean; -1 if the box cannot be split. */
  error: number;
  mean: [number, number, number];
}

/**
 * Median cut of weighted colours (`colors`: r, g, b interleaved, any real values 0..255) into at
 * most `maxColors` boxes, then `kMeansRounds` rounds of weighted k-means. Returns the palette as
 * rounded RGB triples, at most `maxColors` of them (fewer if there are fewer distinct cells).
 */
export function quantizeCells(colors: Float64Array, counts: Float64Array, maxColors: number, kMeansRounds = 0): [number, number, number][] {
  const n = counts.length;
  if (colors.length !== 3 * n) throw new RangeError(`quantizeCells: ${colors.length} colour values for ${n} counts`);
  if (!Number.isInteger(maxColors) || maxColors < 1) throw new RangeError(`quantizeCells: maxColors must be a positive integer, got ${maxColors}`);
  if (n === 0) return [];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const boxes: Box[] = [measure(colors, counts, order, 0, n)];
  const scratch = new Int32Array(n);
  const buckets = new Float64Array(256);
  while (boxes.length < maxColors) {
    let worst = -1;
    for (let b = 0; b < boxes.length; b++) if (boxes[b]!.error > 0 && (worst < 0 || boxes[b]!.error > boxes[worst]!.error)) worst = b;
    if (worst < 0) break;
    const box = boxes[worst]!;
    const cut = splitAtMedian(colors, counts, order, box.start, box.end, widestChannel(colors, order, box.start, box.end), buckets, scratch);
    boxes[worst] = measure(colors, counts, order, box.start, cut);
    boxes.push(measure(colors, counts, order, cut, box.end));
  }
  let palette = boxes.map((box) => box.mean);
  for (let round = 0; round < kMeansRounds; round++) palette = kMeansRound(colors, counts, palette);
  return palette.map(([r, g, b]) => [clampByte(r), clampByte(g), clampByte(b)]);
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function measure(colors: Float64Array, counts: Float64Array, order: Int32Array, start: number, end: number): Box {
  let weight = 0;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let k = start; k < end; k++) {
    const i = order[k]!;
    const c = counts[i]!;
    weight += c;
    r += colors[3 * i]! * c;
    g += colors[3 * i + 1]! * c;
    b += colors[3 * i + 2]! * c;
  }
  const mean: [number, number, number] = [r / weight, g / weight, b / weight];
  if (end - start < 2) return { start, end, error: -1, mean };
  let error = 0;
  for (let k = start; k < end; k++) {
    const i = order[k]!;
    const dr = colors[3 * i]! - mean[0];
    const dg = colors[3 * i + 1]! - mean[1];
    const db = colors[3 * i + 2]! - mean[2];
    error += (dr * dr + dg * dg + db * db) * counts[i]!;
  }
  return { start, end, error, mean };
}

/**
 * Reorders `order[start, end)` so the cells below the count median of `channel` come first, and
 * returns where the second part starts (both parts non-empty). Values are bucketed by whole
 * levels, so this is a linear pass, not a sort: cells in the median's level go to one side.
 */
function splitAtMedian(
  colors: Float64Array,
  counts: Float64Array,
  order: Int32Array,
  start: number,
  end: number,
  channel: number,
  buckets: Float64Array,
  scratch: Int32Array,
): number {
  buckets.fill(0);
  let total = 0;
  let low = 255;
  let high = 0;
  for (let k = start; k < end; k++) {
    const i = order[k]!;
    const level = Math.min(255, Math.floor(colors[3 * i + channel]!));
    buckets[level] = buckets[level]! + counts[i]!;
    total += counts[i]!;
    if (level < low) low = level;
    if (level > high) high = level;
  }
  // Levels below `pivot` go first. The widest channel spans > 1 level unless every cell shares
  // it, so some pivot in (low, high] leaves both sides non-empty.
  let pivot = low + 1;
  for (let level = low, running = 0; level < high; level++) {
    running += buckets[level]!;
    pivot = level + 1;
    if (running >= total / 2) break;
  }
  let front = start;
  let back = 0;
  for (let k = start; k < end; k++) {
    const i = order[k]!;
    if (Math.floor(colors[3 * i + channel]!) < pivot) order[front++] = i;
    else scratch[back++] = i;
  }
  if (front === start || front === end) {
    // All cells in one level of every channel (never for distinct histogram cells): halve by position.
    order.set(scratch.subarray(0, back), front);
    return start + ((end - start) >> 1);
  }
  order.set(scratch.subarray(0, back), front);
  return front;
}

function widestChannel(colors: Float64Array, order: Int32Array, start: number, end: number): number {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let k = start; k < end; k++) {
    const i = order[k]!;
    for (let c = 0; c < 3; c++) {
      const v = colors[3 * i + c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  const ranges = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!];
  return ranges[1]! >= ranges[0]! && ranges[1]! >= ranges[2]! ? 1 : ranges[0]! >= ranges[2]! ? 0 : 2;
}

/** One Lloyd round: each cell to its nearest entry, each entry to its cells' weighted mean (kept if it has none). */
function kMeansRound(colors: Float64Array, counts: Float64Array, palette: [number, number, number][]): [number, number, number][] {
  const search = new NearestColor(palette);
  const sums = new Float64Array(4 * palette.length);
  for (let i = 0; i < counts.length; i++) {
    const r = colors[3 * i]!;
    const g = colors[3 * i + 1]!;
    const b = colors[3 * i + 2]!;
    const best = search.nearest(r, g, b);
    const c = counts[i]!;
    sums[4 * best] = sums[4 * best]! + r * c;
    sums[4 * best + 1] = sums[4 * best + 1]! + g * c;
    sums[4 * best + 2] = sums[4 * best + 2]! + b * c;
    sums[4 * best + 3] = sums[4 * best + 3]! + c;
  }
  return palette.map((entry, j) => {
    const weight = sums[4 * j + 3]!;
    return weight > 0 ? [sums[4 * j]! / weight, sums[4 * j + 1]! / weight, sums[4 * j + 2]! / weight] : entry;
  });
}
