// The green-sorted search must give exactly what a full scan gives, ties to the lowest index.
import { describe, expect, it } from 'vitest';
import { NearestColor } from '../../../src/gif/gif-nearest-color';

type Rgb = [number, number, number];

function scan(palette: readonly Rgb[], r: number, g: number, b: number): number {
  let best = 0;
  let bestDistance = Infinity;
  palette.forEach(([pr, pg, pb], i) => {
    const distance = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  });
  return best;
}

function xorshift(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

describe('NearestColor', () => {
  it('matches a full scan on random palettes and queries, fractional entries included', () => {
    const random = xorshift(12345);
    for (let trial = 0; trial < 20; trial++) {
      const size = 1 + (random() % 255);
      const palette: Rgb[] = Array.from({ length: size }, () => [random() % 256, random() % 256, (random() % 2560) / 10]);
      const search = new NearestColor(palette);
      for (let q = 0; q < 500; q++) {
        const [r, g, b] = [random() % 256, random() % 256, random() % 256];
        expect(search.nearest(r, g, b)).toBe(scan(palette, r, g, b));
      }
    }
  });

  it('breaks ties to the lowest palette index, as a scan does', () => {
    // Equal distances from (100, 100, 100): entries 1 and 3 (green below and above), 0 and 2 farther.
    const palette: Rgb[] = [[0, 0, 0], [100, 90, 100], [255, 255, 255], [100, 110, 100], [100, 90, 100]];
    const search = new NearestColor(palette);
    expect(search.nearest(100, 100, 100)).toBe(1);
    expect(search.nearest(100, 90, 100)).toBe(1);
  });

  it('refuses an empty palette', () => {
    expect(() => new NearestColor([])).toThrow(RangeError);
  });
});
