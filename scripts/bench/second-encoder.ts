/**
 * Whether a recording to disk could afford an encoder of its own (other GOP or bitrate than the
 * buffer's): capture on the armed demo page with nothing else, then with a second H.264 encoder
 * running beside it in the offscreen document, fed 30 fps canvas frames of the capture's size
 * that change every pixel row (as the demo page does), then with nothing else again. If the
 * second encoder makes capture drop frames or lose rate, it is not affordable at that size.
 * Part of `npm run bench`; `npx tsx scripts/bench/second-encoder.ts [--size WxH]` runs it alone.
 */
import type { Page } from 'puppeteer-core';
import { sampleCapture } from './measure';
import type { CaptureSpan } from './results';
import type { BenchSession } from './session';
import { isMain, runStandalone } from './standalone';
import { table } from './table';

const SPAN_MS = 20_000;

export interface SecondEncoderResult {
  captured: { width: number | null; height: number | null };
  alone: CaptureSpan;
  withSecond: CaptureSpan;
  aloneAgain: CaptureSpan;
  /** What the second encoder did over its span. */
  second: { codec: string; framesIn: number; framesOut: number; maxQueue: number; fps: number };
}

/**
 * Starts the extra encoder in the offscreen document; it runs until `stop`. The page code is a
 * string: tsx wraps named functions in a helper the page does not have.
 */
async function startSecondEncoder(offscreen: Page, width: number, height: number): Promise<void> {
  await offscreen.evaluate(`(() => {
    const w = ${width}, h = ${height}, codec = 'avc1.640028';
    const canvas = new OffscreenCanvas(w, h);
    const context = canvas.getContext('2d');
    const stats = { framesIn: 0, framesOut: 0, maxQueue: 0, startedMs: performance.now() };
    const encoder = new VideoEncoder({ output: () => { stats.framesOut++; }, error: () => undefined });
    encoder.configure({ codec, width: w, height: h, bitrate: 2000000, framerate: 30, latencyMode: 'realtime', avc: { format: 'avc' } });
    const timer = setInterval(() => {
      const n = stats.framesIn;
      for (let y = 0; y < h; y += 8) {
        context.fillStyle = 'hsl(' + ((y + n * 7) % 360) + ' 70% ' + (30 + ((y * 13 + n * 5) % 40)) + '%)';
        context.fillRect(0, y, w, 8);
      }
      const frame = new VideoFrame(canvas, { timestamp: n * 33333 });
      stats.maxQueue = Math.max(stats.maxQueue, encoder.encodeQueueSize);
      encoder.encode(frame, { keyFrame: n % 30 === 0 });
      frame.close();
      stats.framesIn++;
    }, 1000 / 30);
    globalThis.benchSecondEncoder = {
      stop: async () => {
        clearInterval(timer);
        await encoder.flush().catch(() => undefined);
        encoder.close();
        const seconds = (performance.now() - stats.startedMs) / 1000;
        return { codec, framesIn: stats.framesIn, framesOut: stats.framesOut, maxQueue: stats.maxQueue, fps: stats.framesOut / seconds };
      },
    };
  })()`);
}

export async function benchSecondEncoder(session: BenchSession): Promise<SecondEncoderResult> {
  const { width, height } = await session.until('3 s buffered', (s) => s.bufferedSec >= 3, 30_000);
  const offscreen = await (await session.looptab.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'), { timeout: 5_000 })).asPage();
  const alone = (await sampleCapture(session, SPAN_MS, 1_000)).span;
  await startSecondEncoder(offscreen, width ?? 1280, height ?? 720);
  const withSecond = (await sampleCapture(session, SPAN_MS, 1_000)).span;
  const second = (await offscreen.evaluate('globalThis.benchSecondEncoder.stop()')) as SecondEncoderResult['second'];
  const aloneAgain = (await sampleCapture(session, SPAN_MS, 1_000)).span;
  return { captured: { width, height }, alone, withSecond, aloneAgain, second };
}

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function renderSecondEncoderSection(results: readonly SecondEncoderResult[] | null | undefined): string[] {
  if (!results || results.length === 0) return ['A second encoder for recordings: not measured (see problems)'];
  const row = (size: string, label: string, span: CaptureSpan): string[] => [
    size, label, fixed(span.pageFps), fixed(span.deliveredFps), `${span.droppedFrames} (${fixed(span.dropPct)} %)`, `${fixed(span.cpu.ours, 0)} %`, `${fixed(span.cpu.others, 0)} %`,
  ];
  return [
    `A second encoder for recordings: capture of the demo page alone, with a second H.264 encoder at 30 fps of the same size in the offscreen document, alone again (${SPAN_MS / 1000} s spans).`,
    ...table(['size', 'span', 'page fps', 'delivered fps', 'dropped', 'CPU ours', 'others'], results.flatMap((r) => {
      const size = `${r.captured.width}x${r.captured.height}`;
      return [row(size, 'buffer alone', r.alone), row(size, `+ second encoder (${fixed(r.second.fps)} fps out, queue <= ${r.second.maxQueue})`, r.withSecond), row(size, 'buffer alone again', r.aloneAgain)];
    })),
  ];
}

/** Standalone: `npx tsx scripts/bench/second-encoder.ts [--size 1280x720]` (after `node build.mjs`) measures this section only. */
if (isMain(import.meta.url)) await runStandalone('second-encoder', benchSecondEncoder, (result) => renderSecondEncoderSection([result]));
