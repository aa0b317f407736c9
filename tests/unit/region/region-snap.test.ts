import { describe, expect, it } from 'vitest';
import { MIN_REGION_PX, snapRegion, type FrameSize, type RegionRect } from '../../../src/region/region-rect';
import { mulberry32 } from '../../../scripts/harness/prng';

const HD: FrameSize = { width: 1280, height: 720 };
const rect = (x: number, y: number, width: number, height: number): RegionRect => ({ x, y, width, height });

/** The snapped rect, failing the test when snapRegion refuses. */
const snapped = (input: RegionRect, frame: FrameSize = HD): RegionRect => {
  const result = snapRegion(input, frame);
  if (!result.ok) throw new Error(result.error);
  return result.rect;
};

describe('snapRegion', () => {
  it('snapRegion, an even rect inside the frame comes back as it is', () => {
    expect(snapRegion(rect(100, 50, 640, 360), HD)).toEqual({ ok: true, rect: rect(100, 50, 640, 360), whole: false });
  });

  it('snapRegion, x and y round down to even, the right and bottom edges up', () => {
    expect(snapped(rect(101, 51, 200, 100))).toEqual(rect(100, 50, 202, 102));
    // Fractions, as CSS times a capture scale gives: 100.4-199.6 and 49.9-114.2.
    expect(snapped(rect(100.4, 49.9, 99.2, 64.3))).toEqual(rect(100, 48, 100, 68));
  });

  it('snapRegion, float noise next to an even pixel does not cost two pixels', () => {
    expect(snapped(rect(99.9999999, 50.0000001, 100.0000002, 99.9999998))).toEqual(rect(100, 50, 100, 100));
  });

  it('snapRegion, a rect partly outside is cut to the part inside', () => {
    expect(snapped(rect(-50, -20, 200, 100))).toEqual(rect(0, 0, 150, 80));
    expect(snapped(rect(1000, 500, 900, 900))).toEqual(rect(1000, 500, 280, 220));
    expect(snapped(rect(-10, -10, 5000, 5000))).toEqual(rect(0, 0, 1280, 720));
  });

  it('snapRegion, a rect wholly outside is refused, saying it lies outside the tab', () => {
    for (const input of [rect(1280, 0, 100, 100), rect(0, 720, 100, 100), rect(-200, 0, 200, 100), rect(0, -100, 100, 100), rect(5000, 5000, 10, 10)]) {
      const result = snapRegion(input, HD);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^region\.rect .* lies outside the 1280x720 tab \(frame pixels\)$/);
    }
    expect(snapRegion(rect(1300.123, 10, 20, 30), HD)).toEqual({ ok: false, error: 'region.rect 20x30 at 1300.12,10 lies outside the 1280x720 tab (frame pixels)' });
  });

  it('snapRegion, a small rect grows around its centre to the minimum', () => {
    const grown = snapped(rect(600, 300, 10, 10));
    expect(grown).toEqual(rect(572, 272, MIN_REGION_PX, MIN_REGION_PX));
    // Only the short side grows.
    expect(snapped(rect(100, 100, 500, 20))).toEqual(rect(100, 78, 500, MIN_REGION_PX));
  });

  it('snapRegion, a small rect near an edge grows and shifts back inside the frame', () => {
    expect(snapped(rect(2, 3, 10, 10))).toEqual(rect(0, 0, 64, 64));
    expect(snapped(rect(1275, 715, 5, 5))).toEqual(rect(1216, 656, 64, 64));
    // Cut first (20 px left inside at the bottom), then grown.
    expect(snapped(rect(1200, 700, 200, 100))).toEqual(rect(1200, 656, 80, 64));
    expect(snapped(rect(-100, 300, 110, 10))).toEqual(rect(0, 272, 64, 64));
  });

  it('snapRegion, an odd frame side counts as its largest even part', () => {
    const odd: FrameSize = { width: 1281, height: 721 };
    expect(snapRegion(rect(0, 0, 1281, 721), odd)).toEqual({ ok: true, rect: rect(0, 0, 1280, 720), whole: true });
    // The right edge would round up to 1282, past the frame: it stops at 1280.
    expect(snapRegion(rect(1001, 601, 280.5, 120), odd)).toEqual({ ok: true, rect: rect(1000, 600, 280, 120), whole: false });
    // Inside the frame but only in its last, odd column: grown into the even part.
    expect(snapped(rect(1280.2, 0, 0.5, 721), odd)).toEqual(rect(1216, 0, 64, 720));
    expect(snapRegion(rect(0, 0, 65, 65), { width: 65, height: 65 })).toEqual({ ok: true, rect: rect(0, 0, 64, 64), whole: true });
  });

  it('snapRegion, refuses a frame smaller than the minimum, and only that', () => {
    for (const frame of [{ width: 63, height: 720 }, { width: 1280, height: 40 }, { width: 63.9, height: 63.9 }]) {
      const result = snapRegion(rect(0, 0, 10, 10), frame);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^the \d+x\d+ tab is smaller than the 64x64 px minimum region$/);
    }
    expect(snapRegion(rect(10, 10, 5, 5), { width: 64, height: 64 })).toEqual({ ok: true, rect: rect(0, 0, 64, 64), whole: true });
    expect(snapRegion(rect(10, 10, 5, 5), { width: 64, height: 1000 })).toEqual({ ok: true, rect: rect(0, 0, 64, 64), whole: false });
  });

  it('snapRegion, whole is true exactly when the snapped rect is the whole frame', () => {
    expect(snapRegion(rect(0, 0, 1280, 720), HD)).toMatchObject({ ok: true, whole: true });
    expect(snapRegion(rect(0.5, 1, 1279, 718.6), HD)).toMatchObject({ ok: true, rect: rect(0, 0, 1280, 720), whole: true });
    expect(snapRegion(rect(-5, -5, 2000, 2000), HD)).toMatchObject({ ok: true, whole: true });
    expect(snapRegion(rect(2, 0, 1278, 720), HD)).toMatchObject({ ok: true, whole: false });
    expect(snapRegion(rect(0, 0, 1280, 718), HD)).toMatchObject({ ok: true, whole: false });
  });

  it('snapRegion, refuses a rect that is not finite or has no area, and a frame with no size', () => {
    for (const input of [rect(Number.NaN, 0, 10, 10), rect(0, 0, Infinity, 10), rect(0, 0, 0, 10), rect(0, 0, 10, -5)]) {
      const result = snapRegion(input, HD);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^region\.rect must have finite x and y and a positive width and height, got /);
    }
    for (const frame of [{ width: 0, height: 0 }, { width: Number.NaN, height: 720 }, { width: 1280, height: -720 }]) {
      const result = snapRegion(rect(0, 0, 10, 10), frame);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^the capture frame must have a positive size, got /);
    }
  });

  it('snapRegion, snapping a snapped rect changes nothing', () => {
    for (const input of [rect(101, 51, 200, 100), rect(1275, 715, 5, 5), rect(-50, -20, 200, 100), rect(0.5, 1, 1279, 718.6)]) {
      const once = snapRegion(input, HD);
      expect(snapRegion(once.ok ? once.rect : input, HD)).toEqual(once);
    }
  });

  it('snapRegion, 2000 random rects on random frames: inside, even, at least the minimum, covering the input', () => {
    const random = mulberry32(0x5eed);
    const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
    const counts = { outside: 0, grown: 0, whole: 0, oddFrame: 0 };
    for (let n = 0; n < 2000; n++) {
      const frame = { width: int(MIN_REGION_PX, 3840), height: int(MIN_REGION_PX, 2160) };
      // Tiny sides (grown), ordinary ones, ones past the frame, and now and then the whole frame with a margin.
      const side = (limit: number): number => (random() < 0.25 ? 0.01 + random() * 80 : 0.01 + random() * limit * 1.3);
      const start = (limit: number): number => random() * limit * 1.2 - limit * 0.1;
      const input = random() < 0.05
        ? rect(-random() * 10, -random() * 10, frame.width + 20, frame.height + 20)
        : rect(start(frame.width), start(frame.height), side(frame.width), side(frame.height));
      const where = `#${n}: ${JSON.stringify(input)} on ${frame.width}x${frame.height}`;
      const result = snapRegion(input, frame);

      const left = Math.max(0, input.x);
      const top = Math.max(0, input.y);
      const right = Math.min(frame.width, input.x + input.width);
      const bottom = Math.min(frame.height, input.y + input.height);
      if (right <= left || bottom <= top) {
        counts.outside++;
        expect(result.ok, where).toBe(false);
        if (!result.ok) expect(result.error, where).toMatch(/lies outside the \d+x\d+ tab/);
        continue;
      }
      expect(result.ok, where).toBe(true);
      if (!result.ok) continue;
      const { rect: out, whole } = result;
      // An even crop cannot reach an odd frame's last pixel: "inside" is the frame's even part.
      const evenWidth = frame.width - (frame.width % 2);
      const evenHeight = frame.height - (frame.height % 2);
      if (evenWidth !== frame.width || evenHeight !== frame.height) counts.oddFrame++;

      for (const value of [out.x, out.y, out.width, out.height]) {
        expect(Number.isInteger(value) && value % 2 === 0, `${where}: ${JSON.stringify(out)} is even`).toBe(true);
      }
      expect(out.x, where).toBeGreaterThanOrEqual(0);
      expect(out.y, where).toBeGreaterThanOrEqual(0);
      expect(out.x + out.width, where).toBeLessThanOrEqual(evenWidth);
      expect(out.y + out.height, where).toBeLessThanOrEqual(evenHeight);
      expect(out.width, where).toBeGreaterThanOrEqual(MIN_REGION_PX);
      expect(out.height, where).toBeGreaterThanOrEqual(MIN_REGION_PX);

      // Covers the input's part inside the frame (grown or not), so nothing asked for is lost.
      const insideRight = Math.min(right, evenWidth);
      const insideBottom = Math.min(bottom, evenHeight);
      if (insideRight > left) {
        expect(out.x, where).toBeLessThanOrEqual(left + 1e-6);
        expect(out.x + out.width, where).toBeGreaterThanOrEqual(insideRight - 1e-6);
      }
      if (insideBottom > top) {
        expect(out.y, where).toBeLessThanOrEqual(top + 1e-6);
        expect(out.y + out.height, where).toBeGreaterThanOrEqual(insideBottom - 1e-6);
      }
      // And no more than the even rounding adds, unless it had to grow.
      if (right - left >= MIN_REGION_PX && insideRight > left) {
        expect(out.x, where).toBeGreaterThan(left - 2);
        expect(out.x + out.width, where).toBeLessThan(insideRight + 2);
      }
      if (bottom - top >= MIN_REGION_PX && insideBottom > top) {
        expect(out.y, where).toBeGreaterThan(top - 2);
        expect(out.y + out.height, where).toBeLessThan(insideBottom + 2);
      }
      if (right - left < MIN_REGION_PX - 2 || bottom - top < MIN_REGION_PX - 2) counts.grown++;

      const isWhole = out.x === 0 && out.y === 0 && out.width === evenWidth && out.height === evenHeight;
      expect(whole, where).toBe(isWhole);
      if (whole) counts.whole++;
      expect(snapRegion(out, frame), `${where}: snapping again`).toEqual(result);
    }
    // The random cases reached every branch.
    expect(counts.outside).toBeGreaterThan(50);
    expect(counts.grown).toBeGreaterThan(200);
    expect(counts.whole).toBeGreaterThan(50);
    expect(counts.oddFrame).toBeGreaterThan(500);
  });
});
