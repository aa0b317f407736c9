import { describe, expect, it } from 'vitest';
import { applyAspect, ASPECT_PRESETS, cssToFrameRect, frameToCssRect, MIN_REGION_PX, rescaleRegion, snapRegion, type FrameSize, type RegionRect } from '../../../src/region/region-rect';
import { mulberry32 } from '../../../scripts/harness/prng';

const rect = (x: number, y: number, width: number, height: number): RegionRect => ({ x, y, width, height });
const VIEWPORT_CSS: FrameSize = { width: 1280, height: 720 };

/** Capture scales seen in practice: 1, hi-DPI 1.25/1.5/2, capped to half, and letterboxed or rounded (one axis off). */
const CAPTURES: { name: string; viewportCss: FrameSize; frame: FrameSize }[] = [
  { name: 'scale 1', viewportCss: VIEWPORT_CSS, frame: { width: 1280, height: 720 } },
  { name: 'scale 1.25', viewportCss: VIEWPORT_CSS, frame: { width: 1600, height: 900 } },
  { name: 'scale 1.5', viewportCss: VIEWPORT_CSS, frame: { width: 1920, height: 1080 } },
  { name: 'scale 2', viewportCss: VIEWPORT_CSS, frame: { width: 2560, height: 1440 } },
  { name: 'scale 0.5', viewportCss: VIEWPORT_CSS, frame: { width: 640, height: 360 } },
  { name: 'non-uniform 1366x768 to 1920x1080', viewportCss: { width: 1366, height: 768 }, frame: { width: 1920, height: 1080 } },
  { name: 'non-uniform 1280x721 to 1918x1080', viewportCss: { width: 1280, height: 721 }, frame: { width: 1918, height: 1080 } },
];

const expectRectClose = (actual: RegionRect, expected: RegionRect, digits = 9): void => {
  for (const key of ['x', 'y', 'width', 'height'] as const) expect(actual[key], key).toBeCloseTo(expected[key], digits);
};

/** Fails the test when snapRegion refuses. */
const snapped = (input: RegionRect, frame: FrameSize): RegionRect => {
  const result = snapRegion(input, frame);
  if (!result.ok) throw new Error(result.error);
  return result.rect;
};

describe('cssToFrameRect', () => {
  it('cssToFrameRect, multiplies by the capture scale at 1, 1.25, 1.5, 2 and 0.5', () => {
    const rectCss = rect(100, 40, 320, 200.5);
    const expected: Record<string, RegionRect> = {
      'scale 1': rect(100, 40, 320, 200.5),
      'scale 1.25': rect(125, 50, 400, 250.625),
      'scale 1.5': rect(150, 60, 480, 300.75),
      'scale 2': rect(200, 80, 640, 401),
      'scale 0.5': rect(50, 20, 160, 100.25),
    };
    for (const { name, viewportCss, frame } of CAPTURES.filter((capture) => capture.name.startsWith('scale'))) {
      expectRectClose(cssToFrameRect(rectCss, viewportCss, frame), expected[name]!);
    }
  });

  it('cssToFrameRect, each axis has its own scale when the capture is not uniform', () => {
    const viewportCss = { width: 1366, height: 768 };
    const frame = { width: 1920, height: 1080 };
    const out = cssToFrameRect(rect(683, 384, 683, 384), viewportCss, frame);
    // The viewport's centre and bottom-right corner land on the frame's.
    expectRectClose(out, rect(960, 540, 960, 540));
    expect(out.x / 683).not.toBeCloseTo(out.y / 384, 4);
  });

  it('cssToFrameRect, leaves the result unrounded for snapRegion', () => {
    const out = cssToFrameRect(rect(1, 1, 1, 1), { width: 3, height: 3 }, { width: 4, height: 4 });
    expectRectClose(out, rect(4 / 3, 4 / 3, 4 / 3, 4 / 3), 12);
  });
});

describe('frameToCssRect', () => {
  it('frameToCssRect, rounds each edge inward to 0.01 CSS px', () => {
    // At 1.5: 66.667-200 and 33.333-100 in CSS.
    expect(frameToCssRect(rect(100, 50, 200, 100), VIEWPORT_CSS, { width: 1920, height: 1080 })).toEqual(rect(66.67, 33.34, 133.33, 66.66));
    expect(frameToCssRect(rect(100, 50, 200, 100), VIEWPORT_CSS, VIEWPORT_CSS)).toEqual(rect(100, 50, 200, 100));
    expect(frameToCssRect(rect(0, 0, 1920, 1080), VIEWPORT_CSS, { width: 1920, height: 1080 })).toEqual(rect(0, 0, 1280, 720));
  });

  it('frameToCssRect, frame to CSS to frame stays within 2 frame px and snaps back to the same rect', () => {
    const random = mulberry32(21);
    for (const { name, viewportCss, frame } of CAPTURES) {
      for (let n = 0; n < 200; n++) {
        const input = rect(random() * frame.width, random() * frame.height, 1 + random() * frame.width, 1 + random() * frame.height);
        const applied = snapped(input, frame);
        const reported = frameToCssRect(applied, viewportCss, frame);
        const where = `${name}: ${JSON.stringify(applied)} reported as ${JSON.stringify(reported)}`;
        for (const value of Object.values(reported)) expect(Math.abs(value * 100 - Math.round(value * 100)), where).toBeLessThan(1e-6);
        expect(reported.x + reported.width, where).toBeLessThanOrEqual(viewportCss.width);
        expect(reported.y + reported.height, where).toBeLessThanOrEqual(viewportCss.height);
        const back = cssToFrameRect(reported, viewportCss, frame);
        for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(back[key] - applied[key]), `${where}: ${key}`).toBeLessThanOrEqual(2);
        expect(snapRegion(back, frame), where).toMatchObject({ ok: true, rect: applied });
      }
    }
  });
});

describe('rescaleRegion', () => {
  const regionCss = rect(100, 50, 200, 100);

  it('rescaleRegion, an unchanged viewport gives back exactly the same rect', () => {
    const odd = rect(100.37, 49.91, 333.33, 97.01);
    expect(rescaleRegion(odd, { width: 1366, height: 657 }, { width: 1366, height: 657 })).toEqual(odd);
  });

  it('rescaleRegion, the region scales with the tab, each axis on its own', () => {
    expectRectClose(rescaleRegion(regionCss, VIEWPORT_CSS, { width: 2560, height: 1440 })!, rect(200, 100, 400, 200));
    expectRectClose(rescaleRegion(regionCss, VIEWPORT_CSS, { width: 640, height: 360 })!, rect(50, 25, 100, 50));
    expectRectClose(rescaleRegion(regionCss, VIEWPORT_CSS, { width: 1280, height: 360 })!, rect(100, 25, 200, 50));
  });

  it('rescaleRegion, a region inside the old viewport stays inside the new one, at the same place relative to it', () => {
    const random = mulberry32(8);
    for (let n = 0; n < 500; n++) {
      const oldViewport = { width: 200 + random() * 3000, height: 200 + random() * 2000 };
      const newViewport = { width: 200 + random() * 3000, height: 200 + random() * 2000 };
      const x = random() * oldViewport.width;
      const y = random() * oldViewport.height;
      const region = rect(x, y, random() * (oldViewport.width - x), random() * (oldViewport.height - y));
      const out = rescaleRegion(region, oldViewport, newViewport)!;
      expect(out.x).toBeGreaterThanOrEqual(0);
      expect(out.x + out.width).toBeLessThanOrEqual(newViewport.width * (1 + 1e-12));
      expect(out.y + out.height).toBeLessThanOrEqual(newViewport.height * (1 + 1e-12));
      expect(out.x / newViewport.width).toBeCloseTo(region.x / oldViewport.width, 9);
      expect((out.y + out.height) / newViewport.height).toBeCloseTo((region.y + region.height) / oldViewport.height, 9);
    }
  });

  it('rescaleRegion, resizes one after another land where one resize does', () => {
    const sizes = [{ width: 1000, height: 700 }, { width: 1917, height: 1001 }, { width: 801, height: 1200 }];
    let region: RegionRect = regionCss;
    let viewport = VIEWPORT_CSS;
    for (const size of sizes) {
      region = rescaleRegion(region, viewport, size)!;
      viewport = size;
    }
    expectRectClose(region, rescaleRegion(regionCss, VIEWPORT_CSS, sizes[2]!)!);
  });

  it('rescaleRegion, null when a viewport has no positive size', () => {
    for (const bad of [{ width: 0, height: 0 }, { width: 1280, height: 0 }, { width: -1280, height: 720 }, { width: Number.NaN, height: 720 }, { width: Infinity, height: 720 }]) {
      expect(rescaleRegion(regionCss, VIEWPORT_CSS, bad), JSON.stringify(bad)).toBeNull();
      expect(rescaleRegion(regionCss, bad, VIEWPORT_CSS), JSON.stringify(bad)).toBeNull();
    }
  });

  it('rescaleRegion, a region scaled below the minimum is kept, and snapRegion grows it as at the start', () => {
    const small = rescaleRegion(rect(600, 300, 64, 64), VIEWPORT_CSS, { width: 640, height: 360 })!;
    expectRectClose(small, rect(300, 150, 32, 32));
    const frame = { width: 640, height: 360 };
    expect(snapped(cssToFrameRect(small, { width: 640, height: 360 }, frame), frame)).toEqual(rect(284, 134, MIN_REGION_PX, MIN_REGION_PX));
  });
});

describe('applyAspect', () => {
  const frame: FrameSize = { width: 1920, height: 1080 };
  const ratios = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1 } as const;

  it('applyAspect, free changes nothing', () => {
    const input = rect(-10, 5, 3000, 7);
    expect(applyAspect(input, 'free', frame)).toEqual(input);
    expect(ASPECT_PRESETS).toEqual(['free', '16:9', '9:16', '1:1']);
  });

  it('applyAspect, shrinks the long side around the centre to the ratio', () => {
    expect(applyAspect(rect(100, 50, 1000, 1000), '16:9', frame)).toEqual(rect(100, 268.75, 1000, 562.5));
    expect(applyAspect(rect(100, 50, 1000, 1000), '9:16', frame)).toEqual(rect(318.75, 50, 562.5, 1000));
    expect(applyAspect(rect(100, 0, 400, 200), '1:1', frame)).toEqual(rect(200, 0, 200, 200));
  });

  it('applyAspect, only the part inside the frame takes the ratio', () => {
    expect(applyAspect(rect(-100, 0, 400, 200), '1:1', frame)).toEqual(rect(50, 0, 200, 200));
    expect(applyAspect(rect(0, 0, 5000, 5000), '16:9', frame)).toEqual(rect(0, 0, 1920, 1080));
  });

  it('applyAspect, a rect below the minimum grows with its ratio, inside the frame', () => {
    const out = applyAspect(rect(1900, 300, 20, 20), '16:9', frame);
    expect(out.height).toBeCloseTo(MIN_REGION_PX, 9);
    expect(out.width).toBeCloseTo((MIN_REGION_PX * 16) / 9, 9);
    expect(out.x + out.width).toBeLessThanOrEqual(frame.width);
    expect(out.y + out.height / 2).toBeCloseTo(310, 9);
    // A frame too small for the ratio at the minimum keeps what fits.
    const tiny = applyAspect(rect(0, 0, 100, 100), '9:16', { width: 100, height: 100 });
    expect(tiny).toEqual(rect(21.875, 0, 56.25, 100));
  });

  it('applyAspect, a rect wholly outside the frame comes back unchanged for snapRegion to refuse', () => {
    const outside = rect(2000, 0, 100, 100);
    expect(applyAspect(outside, '1:1', frame)).toEqual(outside);
    expect(snapRegion(applyAspect(outside, '1:1', frame), frame).ok).toBe(false);
  });

  it('applyAspect, random rects come out inside the input and the frame, at the ratio, and keep it once snapped', () => {
    const random = mulberry32(916);
    for (let n = 0; n < 500; n++) {
      const preset = (['16:9', '9:16', '1:1'] as const)[n % 3]!;
      const ratio = ratios[preset];
      const x = random() * (frame.width - 300);
      const y = random() * (frame.height - 300);
      const input = rect(x, y, 300 + random() * (frame.width - x - 300), 300 + random() * (frame.height - y - 300));
      const out = applyAspect(input, preset, frame);
      const where = `${preset} ${JSON.stringify(input)} -> ${JSON.stringify(out)}`;
      expect(out.width / out.height, where).toBeCloseTo(ratio, 9);
      expect(out.x, where).toBeGreaterThanOrEqual(input.x - 1e-9);
      expect(out.y, where).toBeGreaterThanOrEqual(input.y - 1e-9);
      expect(out.x + out.width, where).toBeLessThanOrEqual(input.x + input.width + 1e-9);
      expect(out.y + out.height, where).toBeLessThanOrEqual(input.y + input.height + 1e-9);
      expect(out.x + out.width / 2, where).toBeCloseTo(input.x + input.width / 2, 9);
      expect(out.y + out.height / 2, where).toBeCloseTo(input.y + input.height / 2, 9);
      const final = snapped(out, frame);
      // Each side moves at most 2 px in the even snap: the ratio holds to a percent at these sizes.
      expect(Math.abs(final.width / final.height - ratio) / ratio, where).toBeLessThan(0.02);
    }
  });
});
