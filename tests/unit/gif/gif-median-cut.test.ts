// Median cut and k-means on colour histograms: known clusters come back as their means, and the
// refinement never makes the palette's error worse.
import { describe, expect, it } from 'vitest';
import { ColorHistogram, quantizeCells } from '../../../src/gif/gif-median-cut';

/** Count-weighted squared error of mapping each cell to its nearest palette colour. */
function paletteError(colors: Float64Array, counts: Float64Array, palette: readonly (readonly number[])[]): number {
  let error = 0;
  for (let i = 0; i < counts.length; i++) {
    let best = Infinity;
    for (const p of palette) {
      const d = (p[0]! - colors[3 * i]!) ** 2 + (p[1]! - colors[3 * i + 1]!) ** 2 + (p[2]! - colors[3 * i + 2]!) ** 2;
      best = Math.min(best, d);
    }
    error += best * counts[i]!;
  }
  return error;
}

/**
 * A 128 x 96 RGBA image of rings: hue and brightness change with the distance from the centre,
 * so median cut's axis-aligned boxes do not fit it and k-means has work to do. (A plain linear
 * gradient would not do: its boxes are already the k-means optimum.)
 */
function rings(): Uint8Array {
  const rgba = new Uint8Array(128 * 96 * 4);
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let y = 0; y < 96; y++) {
    for (let x = 0; x < 128; x++) {
      const d = Math.hypot(x - 64, y - 48);
      rgba.set([byte(255 - 2 * d), byte(128 + 100 * Math.sin(d / 6)), byte(2 * d), 255], (y * 128 + x) * 4);
    }
  }
  return rgba;
}

describe('ColorHistogram', () => {
  it("ColorHistogram, keeps each cell's mean colour and pixel count", () => {
    const histogram = new ColorHistogram();
    // 10 and 11 share a cell (4 levels wide); 200 does not.
    histogram.addRgba(new Uint8Array([10, 20, 30, 255, 11, 21, 31, 255, 200, 20, 30, 255]));
    histogram.addColor(11, 21, 31);
    const { colors, counts } = histogram.cells();
    expect(Array.from(counts)).toEqual([3, 1]);
    expect(Array.from(colors.subarray(0, 3)).map((v) => v.toFixed(3))).toEqual(['10.667', '20.667', '30.667']);
    expect(Array.from(colors.subarray(3))).toEqual([200, 20, 30]);
    expect(histogram.pixels).toBe(4);
  });
});

describe('quantizeCells', () => {
  it('quantizeCells, returns every cell when there are fewer than the colours asked for', () => {
    const colors = new Float64Array([255, 0, 0, 0, 160, 80, 20, 40, 250, 250, 250, 250]);
    const palette = quantizeCells(colors, new Float64Array([5, 1, 7, 2]), 255, 3);
    expect(new Set(palette.map((c) => c.join(',')))).toEqual(new Set(['255,0,0', '0,160,80', '20,40,250', '250,250,250']));
  });

  it('quantizeCells, finds three clusters as their count-weighted means', () => {
    const cells: number[] = [];
    const counts: number[] = [];
    for (const [r, g, b] of [[30, 30, 200], [220, 40, 40], [90, 200, 90]] as const) {
      for (let k = -2; k <= 2; k++) {
        cells.push(r + 2 * k, g - k, b + k);
        counts.push(3 - Math.abs(k));
      }
    }
    const palette = quantizeCells(new Float64Array(cells), new Float64Array(counts), 3, 2);
    expect(new Set(palette.map((c) => c.join(',')))).toEqual(new Set(['30,30,200', '220,40,40', '90,200,90']));
  });

  it('quantizeCells, refines a palette with k-means, each round no worse than the one before', () => {
    const histogram = new ColorHistogram();
    histogram.addRgba(rings());
    const { colors, counts } = histogram.cells();
    const pixels = histogram.pixels;
    const errors = [0, 1, 2, 4, 8].map((rounds) => paletteError(colors, counts, quantizeCells(colors, counts, 16, rounds)) / pixels);
    // Rounding the palette to whole levels may cost a hair; otherwise a Lloyd round never adds error.
    for (let k = 1; k < errors.length; k++) expect(errors[k]!).toBeLessThanOrEqual(errors[k - 1]! * 1.001);
    // Measured: 225 squared levels a pixel from median cut alone, 160 after 4 rounds, 151 after 8.
    expect(errors[0]!).toBeLessThan(240);
    expect(errors[3]!).toBeLessThan(170);
  });

  it('quantizeCells, refuses mismatched inputs and gives nothing for no cells', () => {
    expect(() => quantizeCells(new Float64Array(4), new Float64Array(1), 4)).toThrow(/colour values/);
    expect(() => quantizeCells(new Float64Array(3), new Float64Array(1), 0)).toThrow(/maxColors/);
    expect(quantizeCells(new Float64Array(0), new Float64Array(0), 8)).toEqual([]);
  });
});
