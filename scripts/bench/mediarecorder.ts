/**
 * Looptab against Chrome's own MediaRecorder on the same busy demo page, at the same size, frame
 * rate and video bitrate, one browser after the other (never both at once): the CPU of the
 * extension's process per delivered frame, frames per second, the gaps and interval spread of
 * the recorded frames' timestamps (ffprobe on a saved clip and on MediaRecorder's file), and
 * the same pacing at 1080p30 under overload. The comparison recorder is a small extension of
 * its own (`scripts/bench/mediarecorder/`), built into a temp folder; its offscreen document
 * opens the tab with Looptab's own `openTabStream`. Part of `npm run bench`;
 * `npx tsx scripts/bench/mediarecorder.ts [--span-sec 20] [--size 1920x1080]` (after
 * `node build.mjs`) runs it alone.
 */
import * as esbuild from 'esbuild';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'puppeteer-core';
import { defaultVideoBitrateBps } from '../../src/codec/codecs';
import { errorMessage } from '../../src/contract/errors';
import { armByToolbarClick, launchLooptab, windowForPage, type Looptab } from '../harness/browser';
import { videoPackets, type PacketInfo } from '../harness/media';
import { fixturesDir, repoRoot } from '../harness/paths';
import { serveStatic, type StaticServer } from '../harness/server';
import { sleep } from '../harness/wait';
import { cpuBetween, snapshotCpu, waitForQuietMachine, type CpuSnapshot, type CpuUse } from './cpu';
import { frameTiming, type FrameTiming } from './frame-timing';
import type { BenchRecorder, RecorderConfig, RecorderStarted, RecorderStopped } from './mediarecorder/offscreen';
import type { Verdict } from './results';
import { measureBaseline, openArmedSession, pageFrames, type FrameSize } from './session';
import { isMain } from './standalone';
import { captureWithTiming, steadinessOf, type Steadiness } from './steadiness';
import { table } from './table';

const PAGE = 'demo.html?busy=1';
const FPS = 30;
const WARMUP_MS = 3_000;
const SPAN_MS = 20_000;
/** Looptab's defaults: 1 s GOP, Opus at 128 kbps (src/settings, src/codec/codecs.ts). */
const KEYFRAME_INTERVAL_MS = 1_000;
const AUDIO_BPS = 128_000;
const TIMESLICE_MS = 1_000;
/** H.264 as Looptab prefers it, in both containers Chrome's MediaRecorder writes it to; VP8 last. */
const MIME_TYPES = ['video/webm;codecs=avc1,opus', 'video/x-matroska;codecs=avc1,opus', 'video/webm;codecs=vp8,opus'] as const;
const SIZES: readonly { label: string; size: FrameSize }[] = [
  { label: '720p', size: { width: 1280, height: 720 } },
  { label: '1080p', size: { width: 1920, height: 1080 } },
];
const QUIET = { maxOthersPct: 25, timeoutMs: 20_000 };
const EXTENSION = 'renderer (extension)';
const READ_BYTES = 4 * 1024 * 1024;
const FIXTURE = join(import.meta.dirname, 'mediarecorder');

/** One recorder's run on one size. CPU in % of one core, as everywhere in the bench. */
export interface RecorderRun {
  recorder: 'Looptab' | 'MediaRecorder';
  /** Looptab's WebCodecs codec string, or the MIME type MediaRecorder accepted. */
  format: string;
  captured: { width: number | null; height: number | null };
  /** The page on its own before capture. */
  pageFpsAlone: number;
  elapsedMs: number;
  pageFps: number;
  cpu: CpuUse;
  /** Frames the recorder delivered over the span (Looptab: its encoder's count; MediaRecorder: its file's frames in the span). */
  frames: number;
  deliveredFps: number;
  /** ms of CPU per delivered frame: the extension's renderer process, and every process of the browser. */
  cpuMsPerFrame: { extension: number; browser: number };
  timing: FrameTiming;
  /** Video packet bytes over the span of their timestamps. */
  videoBitrateBps: number;
  configuredVideoBitrateBps: number;
  /** Mean time between keyframes in the file. */
  keyframeIntervalSec: number;
  /** Frames the recorder itself said it dropped (Looptab's encoder queue; MediaRecorder says nothing). */
  encoderDropPct: number | null;
  /** Other processes' CPU (% of one core) over 2 s just before the browser was launched. */
  quiet: { othersPct: number; waitedMs: number };
}

export interface SizeComparison {
  label: string;
  size: FrameSize;
  looptab: RecorderRun | null;
  mediaRecorder: RecorderRun | null;
  /** Looptab's extension CPU per frame over MediaRecorder's (below 1: Looptab is cheaper). */
  cpuPerFrameRatio: number;
  /** Looptab must stay cheaper per frame. */
  cheaper: Verdict;
}

export interface MediaRecorderBenchResult {
  page: string;
  fps: number;
  warmupMs: number;
  spanMs: number;
  timesliceMs: number;
  sizes: SizeComparison[];
  /** 1080p30 on the busy page: both cores saturated. Looptab's from `measureSteadiness`'s code path. */
  overload: { looptab: Steadiness | null; mediaRecorder: Steadiness | null } | null;
  problems: string[];
}

const msPerFrame = (cpuPct: number, fps: number): number => (fps > 0 ? (cpuPct * 10) / fps : NaN);

function bitrateOf(packets: readonly PacketInfo[], spanSec: number): number {
  return spanSec > 0 ? (8 * packets.reduce((sum, p) => sum + p.bytes, 0)) / spanSec : NaN;
}

function keyframeIntervalOf(packets: readonly PacketInfo[]): number {
  const keys = packets.filter((p) => p.key).map((p) => p.ptsSec).sort((a, b) => a - b);
  return keys.length > 1 ? (keys[keys.length - 1]! - keys[0]!) / (keys.length - 1) : NaN;
}

async function quietMachine(): Promise<{ othersPct: number; waitedMs: number }> {
  const quiet = await waitForQuietMachine(QUIET.maxOthersPct, QUIET.timeoutMs);
  if (quiet.othersPct >= QUIET.maxOthersPct) {
    console.error(`bench: mediarecorder: other processes still use ${Math.round(quiet.othersPct)} % of a core; measuring anyway`);
  }
  return quiet;
}

/** Looptab armed on the busy page: counters and CPU over the span, then a clip of it read back. */
async function runLooptab(page: string, size: FrameSize, spanMs: number): Promise<{ run: RecorderRun; steadiness: Steadiness }> {
  const quiet = await quietMachine();
  const session = await openArmedSession(size, page);
  try {
    await session.until(`${WARMUP_MS / 1000} s buffered`, (s) => s.bufferedSec >= WARMUP_MS / 1000, 30_000);
    const capture = await captureWithTiming(session, spanMs, FPS);
    const status = await session.status();
    const { span, timing, packets } = capture;
    return {
      steadiness: steadinessOf(capture),
      run: {
        recorder: 'Looptab',
        format: status.videoCodec ?? '?',
        captured: { width: status.width, height: status.height },
        pageFpsAlone: session.baseline.pageFps,
        elapsedMs: span.elapsedMs,
        pageFps: span.pageFps,
        cpu: span.cpu,
        frames: span.encodedFrames,
        deliveredFps: span.deliveredFps,
        cpuMsPerFrame: { extension: msPerFrame(span.cpu.byKind[EXTENSION] ?? NaN, span.deliveredFps), browser: msPerFrame(span.cpu.ours, span.deliveredFps) },
        timing,
        videoBitrateBps: bitrateOf(packets, timing.spanSec),
        configuredVideoBitrateBps: defaultVideoBitrateBps(size.width, size.height, FPS),
        keyframeIntervalSec: keyframeIntervalOf(packets),
        encoderDropPct: span.dropPct,
        quiet,
      },
    };
  } finally {
    await session.close();
  }
}

/** The comparison extension, bundled into a temp folder the caller removes. */
async function buildComparisonRecorder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'looptab-bench-mediarecorder-'));
  await esbuild.build({
    entryPoints: { 'service-worker': join(FIXTURE, 'service-worker.ts'), offscreen: join(FIXTURE, 'offscreen.ts') },
    outdir: dir,
    bundle: true,
    format: 'iife',
    target: 'chrome116',
    logLevel: 'error',
  });
  for (const file of ['manifest.json', 'offscreen.html']) await copyFile(join(FIXTURE, file), join(dir, file));
  return dir;
}

interface RecorderStamp {
  atMs: number;
  pageFrame: number;
  cpu: CpuSnapshot;
  /** The offscreen document's performance.now(). */
  recorderMs: number;
}

async function stamp(demo: Page, offscreen: Page): Promise<RecorderStamp> {
  const before = performance.now();
  const recorderMs = await offscreen.evaluate(() => (globalThis as unknown as { benchRecorder: BenchRecorder }).benchRecorder.nowMs());
  const atMs = (before + performance.now()) / 2;
  return { atMs, recorderMs, pageFrame: await pageFrames(demo), cpu: snapshotCpu() };
}

async function offscreenOf(recorder: Looptab): Promise<Page> {
  const target = await recorder.browser
    .waitForTarget((t) => t.url().includes('/offscreen.html'), { timeout: 10_000 })
    .catch(async (error: unknown) => {
      const worker = await recorder.serviceWorker();
      const failure = await worker.evaluate(() => (globalThis as { benchError?: string }).benchError);
      throw new Error(`the comparison recorder's offscreen document did not open: ${failure ?? errorMessage(error)}`);
    });
  const page = await target.asPage();
  await page.waitForFunction(() => 'benchRecorder' in globalThis, { timeout: 5_000 });
  return page;
}

/** The recorder's whole file, read from the offscreen document in base64 parts. */
async function readRecording(offscreen: Page, bytes: number, file: string): Promise<void> {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < bytes; offset += READ_BYTES) {
    const base64 = await offscreen.evaluate(
      (from, length) => (globalThis as unknown as { benchRecorder: BenchRecorder }).benchRecorder.read(from, length),
      offset,
      READ_BYTES,
    );
    parts.push(Buffer.from(base64, 'base64'));
  }
  await writeFile(file, Buffer.concat(parts));
}

/** MediaRecorder in the comparison extension on the busy page, measured as Looptab is. */
async function runMediaRecorder(page: string, size: FrameSize, spanMs: number): Promise<{ run: RecorderRun; steadiness: Steadiness }> {
  const quiet = await quietMachine();
  const dir = await buildComparisonRecorder();
  let pages: StaticServer | null = null;
  let recorder: Looptab | null = null;
  try {
    pages = await serveStatic(fixturesDir);
    recorder = await launchLooptab({ distDir: dir, windowSize: windowForPage(size) });
    const browserPid = recorder.browser.process()?.pid;
    const demo = await recorder.browser.newPage();
    await demo.goto(`${pages.origin}/${page}`);
    const baseline = await measureBaseline(demo, browserPid);
    await armByToolbarClick(recorder, demo);
    const offscreen = await offscreenOf(recorder);
    const configuredVideoBitrateBps = defaultVideoBitrateBps(size.width, size.height, FPS);
    const config: RecorderConfig = {
      ...size, fps: FPS, videoBitsPerSecond: configuredVideoBitrateBps, audioBitsPerSecond: AUDIO_BPS,
      keyFrameIntervalMs: KEYFRAME_INTERVAL_MS, timesliceMs: TIMESLICE_MS, mimeTypes: MIME_TYPES,
    };
    const started: RecorderStarted = await offscreen.evaluate(
      (c) => (globalThis as unknown as { benchRecorder: BenchRecorder }).benchRecorder.start(c),
      config,
    );
    await sleep(WARMUP_MS);
    const from = await stamp(demo, offscreen);
    await sleep(spanMs);
    const to = await stamp(demo, offscreen);
    const stopped: RecorderStopped = await offscreen.evaluate(() => (globalThis as unknown as { benchRecorder: BenchRecorder }).benchRecorder.stop());
    if (stopped.errors.length > 0) throw new Error(`MediaRecorder: ${stopped.errors.join('; ')}`);
    const file = join(dir, started.mimeType.includes('matroska') ? 'recording.mkv' : 'recording.webm');
    await readRecording(offscreen, stopped.bytes, file);
    // The file's time 0 is about the recorder's start: keep the frames stamped inside the span.
    const fromSec = (from.recorderMs - started.startedAtMs) / 1000;
    const toSec = (to.recorderMs - started.startedAtMs) / 1000;
    const packets = (await videoPackets(file)).filter((p) => p.ptsSec >= fromSec && p.ptsSec < toSec);
    const elapsedMs = to.atMs - from.atMs;
    const cpu = cpuBetween(from.cpu, to.cpu, browserPid);
    const deliveredFps = packets.length / (elapsedMs / 1000);
    const timing = frameTiming(packets.map((p) => p.ptsSec), FPS);
    const run: RecorderRun = {
      recorder: 'MediaRecorder',
      format: started.mimeType,
      captured: { width: started.track.width, height: started.track.height },
      pageFpsAlone: baseline.pageFps,
      elapsedMs,
      pageFps: (to.pageFrame - from.pageFrame) / (elapsedMs / 1000),
      cpu,
      frames: packets.length,
      deliveredFps,
      cpuMsPerFrame: { extension: msPerFrame(cpu.byKind[EXTENSION] ?? NaN, deliveredFps), browser: msPerFrame(cpu.ours, deliveredFps) },
      timing,
      videoBitrateBps: bitrateOf(packets, timing.spanSec),
      configuredVideoBitrateBps,
      keyframeIntervalSec: keyframeIntervalOf(packets),
      encoderDropPct: null,
      quiet,
    };
    return { run, steadiness: { deliveredFps, intervalStdMs: timing.intervalStdMs, longestGapSlots: timing.longestGapSlots, dropPct: timing.dropPct } };
  } finally {
    await recorder?.close();
    await pages?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function below(value: number, limit: number): Verdict {
  return Number.isFinite(value) && Number.isFinite(limit) ? (value < limit ? 'PASS' : 'MISS') : 'n/a';
}

/** Both recorders at each size, one browser at a time; a failed run becomes a problem, not an exception. */
export async function benchMediaRecorder(options: { spanMs?: number; sizes?: readonly { label: string; size: FrameSize }[]; page?: string } = {}): Promise<MediaRecorderBenchResult> {
  const { spanMs = SPAN_MS, page = PAGE } = options;
  const problems: string[] = [];
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      problems.push(`mediarecorder ${what}: ${errorMessage(error)}`);
      return null;
    }
  };
  const sizes: SizeComparison[] = [];
  let overload: MediaRecorderBenchResult['overload'] = null;
  for (const { label, size } of options.sizes ?? SIZES) {
    const looptab = await attempt(`${label} Looptab`, () => runLooptab(page, size, spanMs));
    const mediaRecorder = await attempt(`${label} MediaRecorder`, () => runMediaRecorder(page, size, spanMs));
    const ours = looptab?.run.cpuMsPerFrame.extension ?? NaN;
    const theirs = mediaRecorder?.run.cpuMsPerFrame.extension ?? NaN;
    sizes.push({ label, size, looptab: looptab?.run ?? null, mediaRecorder: mediaRecorder?.run ?? null, cpuPerFrameRatio: ours / theirs, cheaper: below(ours, theirs) });
    if (page === PAGE && size.height === 1080) overload = { looptab: looptab?.steadiness ?? null, mediaRecorder: mediaRecorder?.steadiness ?? null };
  }
  return { page, fps: FPS, warmupMs: WARMUP_MS, spanMs, timesliceMs: TIMESLICE_MS, sizes, overload, problems };
}

/** PASS when Looptab was cheaper per frame at every size measured. */
export function cheaperVerdict(result: MediaRecorderBenchResult | null): Verdict {
  const verdicts = result?.sizes.map((s) => s.cheaper) ?? [];
  if (verdicts.length === 0 || verdicts.includes('n/a')) return 'n/a';
  return verdicts.every((v) => v === 'PASS') ? 'PASS' : 'MISS';
}

const fixed = (value: number | undefined, digits = 1): string => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '-');
const ratio = (ours: number | undefined, theirs: number | undefined): string => fixed((ours ?? NaN) / (theirs ?? NaN), 2);

export function renderMediaRecorderSection(result: MediaRecorderBenchResult | null | undefined): string[] {
  if (!result) return ['Looptab against MediaRecorder: not measured (see problems)'];
  const rows = result.sizes.flatMap((s) => {
    const runs = [s.looptab, s.mediaRecorder] as const;
    /** A figure of both runs, their ratio (Looptab / MediaRecorder), and what to show beside each value. */
    const row = (figure: string, value: (r: RecorderRun) => number, digits: number, aside?: (r: RecorderRun) => string, verdict = ''): string[] => {
      const [ours, theirs] = runs.map((r) => (r ? value(r) : undefined));
      const cell = (r: RecorderRun | null, v: number | undefined): string => `${fixed(v, digits)}${r && aside ? ` (${aside(r)})` : ''}`;
      return [`${s.label} ${figure}`, cell(runs[0], ours), cell(runs[1], theirs), ratio(ours, theirs), verdict];
    };
    return [
      row('extension CPU ms / frame', (r) => r.cpuMsPerFrame.extension, 1, undefined, s.cheaper === 'n/a' ? '' : s.cheaper),
      row('browser CPU ms / frame', (r) => r.cpuMsPerFrame.browser, 1),
      row('extension CPU %', (r) => r.cpu.byKind[EXTENSION] ?? NaN, 0),
      row('browser CPU % (others)', (r) => r.cpu.ours, 0, (r) => fixed(r.cpu.others, 0)),
      row('delivered fps', (r) => r.deliveredFps, 1),
      row('page fps (alone)', (r) => r.pageFps, 1, (r) => fixed(r.pageFpsAlone, 1)),
      row('empty slots %', (r) => r.timing.dropPct, 1),
      row('longest gap, slots', (r) => r.timing.longestGapSlots, 0),
      row('interval std dev ms', (r) => r.timing.intervalStdMs, 1),
      row('video Mbps (asked)', (r) => r.videoBitrateBps / 1e6, 2, (r) => fixed(r.configuredVideoBitrateBps / 1e6, 2)),
      row('keyframe every s', (r) => r.keyframeIntervalSec, 2),
    ];
  });
  const made = (r: RecorderRun | null): string => (r ? `${r.format} at ${r.captured.width}x${r.captured.height}` : '-');
  // Looptab's size is read after the span: an overload step down in size would show here.
  const formats = result.sizes.map((s) => `${s.label}: Looptab ${made(s.looptab)}, MediaRecorder ${made(s.mediaRecorder)}`);
  const encoderDrops = result.sizes.map((s) => `${s.label} ${fixed(s.looptab?.encoderDropPct ?? NaN, 2)} %`).join(', ');
  const quiet = result.sizes.flatMap((s) => [s.looptab, s.mediaRecorder].map((r) => (r ? `${Math.round(r.quiet.othersPct)}` : '-'))).join(' / ');
  const o = result.overload;
  const steady = (label: string, s: Steadiness | null | undefined): string =>
    s ? `${label} ${fixed(s.deliveredFps)} fps, interval std dev ${fixed(s.intervalStdMs)} ms, longest gap ${s.longestGapSlots} slots, ${fixed(s.dropPct)} % empty` : `${label} -`;
  return [
    `Looptab against Chrome's MediaRecorder (tab capture in an offscreen document, timeslice ${result.timesliceMs} ms, same size, ${result.fps} fps and video bitrate, 1 s keyframes asked) on ${result.page}: ${result.spanMs / 1000} s spans after ${result.warmupMs / 1000} s, one browser at a time.`,
    `CPU per frame = % of one core x 10 / delivered fps; slots are 1/${result.fps} s, gaps from the recorded frames' timestamps (Looptab: a clip of the span; MediaRecorder: its file).`,
    ...formats,
    ...table(['figure', 'Looptab', 'MediaRecorder', 'ratio', 'cheaper'], rows),
    `Looptab's own encoder drops: ${encoderDrops}. Other processes before each run (Looptab / MediaRecorder, % of a core): ${quiet}.`,
    o ? `Under overload (1080p30, busy page): ${steady('Looptab', o.looptab)}; ${steady('MediaRecorder', o.mediaRecorder)}.` : 'Under overload: not measured.',
    ...result.problems.map((p) => `problem: ${p}`),
  ];
}

function flagValue(name: string): string | undefined {
  const flag = process.argv.indexOf(name);
  return flag >= 0 ? process.argv[flag + 1] : undefined;
}

/** Standalone: `npx tsx scripts/bench/mediarecorder.ts [--span-sec 20] [--size 1920x1080] [--page demo.html]` (after `node build.mjs`). */
if (isMain(import.meta.url)) {
  const spanSec = Number(flagValue('--span-sec') ?? SPAN_MS / 1000);
  if (!(spanSec > 0)) throw new Error(`--span-sec must be a positive number, got ${flagValue('--span-sec')}`);
  const sizeFlag = flagValue('--size');
  const [width, height] = (sizeFlag ?? '').split('x').map(Number);
  if (sizeFlag !== undefined && (!width || !height)) throw new Error(`--size must be WIDTHxHEIGHT, got ${sizeFlag}`);
  const sizes = width && height ? [{ label: `${height}p`, size: { width, height } }] : SIZES;
  const result = await benchMediaRecorder({ spanMs: spanSec * 1000, sizes, page: flagValue('--page') ?? PAGE });
  const outDir = join(repoRoot, 'bench-results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'mediarecorder.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderMediaRecorderSection(result).join('\n'));
  if (result.problems.length > 0) process.exitCode = 1;
}
