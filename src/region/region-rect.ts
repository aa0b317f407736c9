/**
 * Region capture: record only a rectangle of the tab. The automation contract and the popup speak
 * CSS pixels of the tab's viewport (what the user sees); the encoder crops frame pixels. Each axis
 * has its own capture scale (frame / viewport), since tab capture may round or letterbox one side.
 *
 * The pipeline: `parseRegionRect` (CSS, at the boundary) -> `cssToFrameRect` -> `snapRegion`
 * (even, inside, at least `MIN_REGION_PX`) -> crop; `frameToCssRect` reports what was applied.
 */
import { failure, type Failure } from '../contract/errors';

/** A rectangle; whether in CSS or frame pixels is said by the name of whatever holds it. */
export interface RegionRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A width and height: the captured frame's (frame pixels) or the tab's viewport (CSS pixels). */
export interface FrameSize {
  width: number;
  height: number;
}

/** The smallest side of a recorded region, in frame pixels: smaller is unreadable and some encoders refuse it. */
export const MIN_REGION_PX = 64;

export type SnappedRegion = { ok: true; rect: RegionRect; whole: boolean } | Failure;

/** Float noise from the CSS/frame scale stays far below this, so a pixel edge is never lost to it. */
const FLOAT_SLACK_PX = 1e-6;
/** `frameToCssRect` reports CSS pixels to this many decimals. */
const CSS_DECIMALS = 100;

const evenDown = (px: number): number => 2 * Math.floor((px + FLOAT_SLACK_PX) / 2);
const evenUp = (px: number): number => 2 * Math.ceil((px - FLOAT_SLACK_PX) / 2);
const px = (value: number): string => String(Math.round(value * CSS_DECIMALS) / CSS_DECIMALS);
const isSize = (size: FrameSize): boolean => Number.isFinite(size.width) && Number.isFinite(size.height) && size.width > 0 && size.height > 0;

/** A CSS rect in frame pixels, unrounded: `snapRegion` does the rounding, once. */
export function cssToFrameRect(rectCss: RegionRect, viewportCss: FrameSize, frame: FrameSize): RegionRect {
  const scaleX = frame.width / viewportCss.width;
  const scaleY = frame.height / viewportCss.height;
  return { x: rectCss.x * scaleX, y: rectCss.y * scaleY, width: rectCss.width * scaleX, height: rectCss.height * scaleY };
}

/**
 * A frame rect in CSS pixels for the status reply and the UI, to 0.01 px. Each edge is rounded
 * inward (left and top up, right and bottom down), so a reported rect sent back through
 * `cssToFrameRect` and `snapRegion` applies exactly the same frame rect again.
 */
export function frameToCssRect(rectFrame: RegionRect, viewportCss: FrameSize, frame: FrameSize): RegionRect {
  const toCssX = (framePx: number): number => (framePx * viewportCss.width) / frame.width;
  const toCssY = (framePx: number): number => (framePx * viewportCss.height) / frame.height;
  // `+ 0` turns the -0 that Math.ceil gives just below 0 into 0.
  const inwardUp = (css: number): number => Math.ceil(css * CSS_DECIMALS - FLOAT_SLACK_PX) / CSS_DECIMALS + 0;
  const inwardDown = (css: number): number => Math.floor(css * CSS_DECIMALS + FLOAT_SLACK_PX) / CSS_DECIMALS;
  const x = inwardUp(toCssX(rectFrame.x));
  const y = inwardUp(toCssY(rectFrame.y));
  const right = inwardDown(toCssX(rectFrame.x + rectFrame.width));
  const bottom = inwardDown(toCssY(rectFrame.y + rectFrame.height));
  // Both edges are on the 0.01 grid; rounding the difference only removes float noise.
  return { x, y, width: Math.round((right - x) * CSS_DECIMALS) / CSS_DECIMALS, height: Math.round((bottom - y) * CSS_DECIMALS) / CSS_DECIMALS };
}

/** One axis cut to [0, limit) and snapped to even edges; `limit` is even. May come out empty. */
function evenSpan(start: number, end: number, limit: number): { from: number; to: number } {
  const from = Math.min(evenDown(Math.max(0, start)), limit);
  const to = Math.min(evenUp(Math.min(end, limit)), limit);
  return { from, to };
}

/** Grows a span shorter than the minimum around its centre, shifted back inside [0, limit). */
function growSpan({ from, to }: { from: number; to: number }, limit: number): { from: number; to: number } {
  if (to - from >= MIN_REGION_PX) return { from, to };
  const start = Math.min(Math.max(0, evenDown((from + to) / 2 - MIN_REGION_PX / 2)), limit - MIN_REGION_PX);
  return { from: start, to: start + MIN_REGION_PX };
}

/**
 * The frame rect to crop: cut to the frame, snapped to even integers for 4:2:0 chroma (x and y
 * down, the right and bottom edges up, never past the frame), grown around its centre to at
 * least `MIN_REGION_PX` a side. An odd frame side counts as its largest even part, since an even
 * crop cannot reach its last pixel. `whole` says the rect is the whole (even) frame: the caller
 * then records without a region. Refuses a rect wholly outside the frame and a frame too small.
 */
export function snapRegion(rectFrame: RegionRect, frame: FrameSize): SnappedRegion {
  if (!isSize(frame)) return { ok: false, error: `the capture frame must have a positive size, got ${frame.width}x${frame.height}` };
  const frameWidth = Math.floor(frame.width);
  const frameHeight = Math.floor(frame.height);
  if (frameWidth < MIN_REGION_PX || frameHeight < MIN_REGION_PX) {
    return failure('err_region_tab_too_small', `${frameWidth}x${frameHeight}`, `${MIN_REGION_PX}x${MIN_REGION_PX}`);
  }
  const { x, y, width, height } = rectFrame;
  if (![x, y, width, height].every(Number.isFinite) || width <= 0 || height <= 0) {
    return { ok: false, error: `region.rect must have finite x and y and a positive width and height, got ${width}x${height} at ${x},${y}` };
  }
  if (x >= frameWidth || y >= frameHeight || x + width <= 0 || y + height <= 0) {
    return { ok: false, error: `region.rect ${px(width)}x${px(height)} at ${px(x)},${px(y)} lies outside the ${frameWidth}x${frameHeight} tab (frame pixels)` };
  }
  const limitX = evenDown(frameWidth);
  const limitY = evenDown(frameHeight);
  const spanX = growSpan(evenSpan(x, x + width, limitX), limitX);
  const spanY = growSpan(evenSpan(y, y + height, limitY), limitY);
  const rect = { x: spanX.from, y: spanY.from, width: spanX.to - spanX.from, height: spanY.to - spanY.from };
  return { ok: true, rect, whole: rect.x === 0 && rect.y === 0 && rect.width === limitX && rect.height === limitY };
}

/**
 * The region after the tab is resized: it scales with the viewport, each axis on its own. Scale
 * the region as asked, from the viewport it was asked in, not the last snapped one: snapping then
 * happens once per size and does not drift over many resizes. A region that comes out below the
 * minimum is not refused here: `snapRegion` grows it, as it grows a small region at the start.
 * Null when either viewport has no positive size (a minimized or not yet laid out tab): there is
 * nothing to scale to, and the caller keeps what it had until a real size arrives.
 */
export function rescaleRegion(regionCss: RegionRect, oldViewportCss: FrameSize, newViewportCss: FrameSize): RegionRect | null {
  if (!isSize(oldViewportCss) || !isSize(newViewportCss)) return null;
  // As a ratio, so an unchanged size gives back exactly the same rect.
  const scaleX = newViewportCss.width / oldViewportCss.width;
  const scaleY = newViewportCss.height / oldViewportCss.height;
  return { x: regionCss.x * scaleX, y: regionCss.y * scaleY, width: regionCss.width * scaleX, height: regionCss.height * scaleY };
}

/** The popup's aspect choices for dragging a region. */
export const ASPECT_PRESETS = ['free', '16:9', '9:16', '1:1'] as const;
export type AspectPreset = (typeof ASPECT_PRESETS)[number];

/** Width over height of each fixed preset. */
const ASPECT_RATIOS = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1 } as const satisfies Record<Exclude<AspectPreset, 'free'>, number>;

/**
 * The rect shrunk around its centre to the preset's ratio, in frame pixels so the video gets the
 * ratio (up to `snapRegion`'s even rounding). Only the part inside the frame counts, since that
 * is what gets recorded. Below `MIN_REGION_PX` it grows, ratio kept, rather than let `snapRegion`
 * grow one side alone; a frame too small for that keeps what fits. 'free' and a rect wholly
 * outside the frame come back unchanged (then `snapRegion` says why).
 */
export function applyAspect(rectFrame: RegionRect, preset: AspectPreset, frame: FrameSize): RegionRect {
  if (preset === 'free') return rectFrame;
  const ratio = ASPECT_RATIOS[preset];
  const left = Math.max(0, rectFrame.x);
  const top = Math.max(0, rectFrame.y);
  const right = Math.min(frame.width, rectFrame.x + rectFrame.width);
  const bottom = Math.min(frame.height, rectFrame.y + rectFrame.height);
  if (!(right > left && bottom > top)) return rectFrame;
  let width = right - left;
  let height = bottom - top;
  if (width / height > ratio) width = height * ratio;
  else height = width / ratio;
  const grow = Math.max(1, MIN_REGION_PX / Math.min(width, height));
  const fit = Math.min(1, frame.width / (width * grow), frame.height / (height * grow));
  width *= grow * fit;
  height *= grow * fit;
  const x = Math.min(Math.max(0, (left + right) / 2 - width / 2), frame.width - width);
  const y = Math.min(Math.max(0, (top + bottom) / 2 - height / 2), frame.height - height);
  return { x, y, width, height };
}
