/**
 * Region capture at 1080p: CPU, delivered and dropped frames with a quarter-size region against
 * the whole tab (before and after), and what a crop costs per frame in the offscreen document:
 * a `visibleRect` view (what Looptab does) against drawing the part onto a canvas and making a
 * frame of it (the fallback if encoders ignored `visibleRect`). Part of `npm run bench`;
 * `npx tsx scripts/bench/region.ts` (after `node build.mjs`) runs it alone.
 */
import type { RegionReply } from '../../src/contract/messages';
import type { RegionRect } from '../../src/region/region-rect';
import { sendMessage } from '../harness/browser';
import { sleep } from '../harness/wait';
import { sampleCapture } from './measure';
import type { CaptureSpan } from './results';
import type { BenchSession } from './session';
import { isMain, runStandalone } from './standalone';
import { table } from './table';

const SPAN_MS = 20_000;
const SETTLE_MS = 2_000;
const CROP_REPEATS = 300;

export interface CropCost {
  frame: string;
  crop: string;
  /** new VideoFrame(frame, { visibleRect }) and close, per frame. */
  visibleRectUs: number;
  /** drawImage of the part onto a canvas of its size, new VideoFrame(canvas) and close, per frame. */
  canvasUs: number;
}

export interface RegionBenchResult {
  captured: { width: number | null; height: number | null };
  region: RegionRect;
  encoded: { width: number | null; height: number | null };
  whole: CaptureSpan;
  quarter: CaptureSpan;
  wholeAgain: CaptureSpan;
  /** Our CPU with the region over the mean of the whole-tab spans. */
  cpuRatio: number;
  cropCost: CropCost;
}

async function setRegion(session: BenchSession, rect: RegionRect | null): Promise<void> {
  const reply = await sendMessage<RegionReply>(session.control, { type: 'region', rect });
  if (!reply.ok) throw new Error(`region: ${reply.error}`);
}

/** Both crops of a 1080p canvas frame, timed in the offscreen document (where capture crops). */
async function cropCost(session: BenchSession, rect: RegionRect): Promise<CropCost> {
  const target = await session.looptab.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'), { timeout: 5_000 });
  const page = await target.asPage();
  return page.evaluate(async (crop, repeats) => {
    const source = new OffscreenCanvas(1920, 1080);
    const context = source.getContext('2d')!;
    context.fillStyle = '#3a6';
    context.fillRect(0, 0, 1920, 1080);
    const frame = new VideoFrame(source, { timestamp: 0 });
    const part = new OffscreenCanvas(crop.width, crop.height);
    const partContext = part.getContext('2d')!;
    let t0 = performance.now();
    for (let i = 0; i < repeats; i++) new VideoFrame(frame, { visibleRect: crop }).close();
    const visibleRectUs = ((performance.now() - t0) * 1000) / repeats;
    t0 = performance.now();
    for (let i = 0; i < repeats; i++) {
      partContext.drawImage(frame, crop.x, crop.y, crop.width, crop.height, 0, 0, crop.width, crop.height);
      new VideoFrame(part, { timestamp: i }).close();
    }
    const canvasUs = ((performance.now() - t0) * 1000) / repeats;
    frame.close();
    return { frame: '1920x1080', crop: `${crop.width}x${crop.height}`, visibleRectUs, canvasUs };
  }, rect, CROP_REPEATS);
}

export async function benchRegion(session: BenchSession): Promise<RegionBenchResult> {
  const first = await session.until('3 s buffered', (s) => s.bufferedSec >= 3, 30_000);
  const { width, height } = first;
  // A quarter of the tab's area, in the middle, in CSS pixels (the page is as large as the frame).
  const region = { x: (width ?? 0) / 4, y: (height ?? 0) / 4, width: (width ?? 0) / 2, height: (height ?? 0) / 2 };
  const whole = (await sampleCapture(session, SPAN_MS, 1_000)).span;
  await setRegion(session, region);
  const encoded = await session.until('the region to be encoded', (s) => s.width === region.width && s.height === region.height, 10_000);
  await sleep(SETTLE_MS);
  const quarter = (await sampleCapture(session, SPAN_MS, 1_000)).span;
  await setRegion(session, null);
  await session.until('the whole tab to be encoded', (s) => s.width === width, 10_000);
  await sleep(SETTLE_MS);
  const wholeAgain = (await sampleCapture(session, SPAN_MS, 1_000)).span;
  return {
    captured: { width, height },
    region,
    encoded: { width: encoded.width, height: encoded.height },
    whole,
    quarter,
    wholeAgain,
    cpuRatio: quarter.cpu.ours / ((whole.cpu.ours + wholeAgain.cpu.ours) / 2),
    cropCost: await cropCost(session, region),
  };
}

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function renderRegionSection(result: RegionBenchResult | null | undefined): string[] {
  if (!result) return ['Region capture: not measured (see problems)'];
  const row = (label: string, span: CaptureSpan): string[] => [
    label, fixed(span.pageFps), fixed(span.deliveredFps), `${span.droppedFrames} (${fixed(span.dropPct)} %)`, `${fixed(span.cpu.ours, 0)} %`,
    `${fixed(span.cpu.byKind['renderer (extension)'] ?? NaN, 0)} %`, `${fixed(span.cpu.byKind['gpu-process'] ?? NaN, 0)} %`, `${fixed(span.cpu.others, 0)} %`,
  ];
  const { cropCost } = result;
  return [
    `Region capture on the demo page at ${result.captured.width}x${result.captured.height}: a ${result.encoded.width}x${result.encoded.height} region (a quarter of the area) against the whole tab, ${SPAN_MS / 1000} s spans.`,
    ...table(['span', 'page fps', 'delivered fps', 'dropped', 'CPU ours', 'extension', 'GPU', 'others'], [
      row('whole tab', result.whole), row('quarter region', result.quarter), row('whole tab again', result.wholeAgain),
    ]),
    `CPU with the region / whole tab: ${fixed(result.cpuRatio, 2)}x (target: clearly below 1).`,
    `Crop cost per ${cropCost.frame} frame to ${cropCost.crop} (mean of ${CROP_REPEATS}): visibleRect view ${fixed(cropCost.visibleRectUs)} µs, canvas draw + new frame ${fixed(cropCost.canvasUs)} µs.`,
  ];
}

/** Standalone: `npx tsx scripts/bench/region.ts [--size 1920x1080]` (after `node build.mjs`) measures this section only. */
if (isMain(import.meta.url)) await runStandalone('region', benchRegion, renderRegionSection);
