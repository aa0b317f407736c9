/**
 * `npm run bench`: measures Looptab in real headless Chromium and asserts nothing.
 *   1. Save latency (request -> file complete on disk) of 10/30/60 s clips at 720p and 1080p, each
 *      against downloading a pre-made Blob of the same size through the same path.
 *   2. Capture throughput at 1080p30 on the busy demo page, with nothing saving.
 *   3. Ring-buffer memory and encoded bitrate with the window full; offscreen heaps.
 *   4. GIF export of 5 and 10 s testsrc2 clips and a 5 s Mandelbrot zoom (720p H.264 -> 480 px, 15 fps)
 *      against ffmpeg: time, SSIM, bytes.
 *   5. The clip library: keeping 30 s 1080p clips, their thumbnails, the library page on 200 clips.
 *   6. The editor: a trim of a 30 s 1080p clip against its save, a 1 s dissolve join against
 *      encoding it whole, a crop's re-encode speed against ffmpeg libx264 ultrafast.
 *   7. Recording to disk beside the buffer: CPU on against off, disk bytes against encoded bytes,
 *      memory, stopping and exporting an M-minute recording (`--record-minutes M`, default 10; 0 skips it).
 *   8. Whether recordings could afford an encoder of their own: capture with a second encoder
 *      beside it at 720p and 1080p.
 *   9. Region capture at 1080p: a quarter-size region against the whole tab, and the crop's cost.
 *  10. Looptab against Chrome's MediaRecorder on the busy page at 720p30 and 1080p30, one browser
 *      after the other: extension CPU per frame, fps, gaps and interval spread; pacing under overload.
 *  11. Frame timing, variable against constant, on a still and a moving 720p page: CPU, frames, bytes.
 *  12. Overload at 1080p on the busy page, governor off against keep-resolution: with the machine
 *      as it is, with one core taken by another process, and with 60 fps asked.
 *  13. A/V offset and clip-length error of clips right after arming, at 1 min, across a pause and
 *      at 10 min (`--sync-minutes M` moves the last one; 0 skips all but the first).
 * `--only saves` runs section 1 alone (a few minutes instead of ~14) and writes
 * bench-results/bench-saves.json instead, so a full run's figures stay.
 * Prints a table, writes every figure to bench-results/bench.json. Exits 0 when a target is
 * missed (that is a finding), 1 only when a measurement could not be made.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../src/contract/errors';
import { repoRoot as root } from './harness/paths';
import { waitForQuietMachine } from './bench/cpu';
import { benchGif, type GifBenchResult } from './bench/gif';
import { benchEditor, type EditorBenchResult } from './bench/editor';
import { benchRecording, type RecordingBenchResult } from './bench/recording';
import { benchSecondEncoder, type SecondEncoderResult } from './bench/second-encoder';
import { benchCadence, type CadenceBenchResult } from './bench/cadence';
import { benchOverload, type OverloadBenchResult } from './bench/overload';
import { benchRegion, type RegionBenchResult } from './bench/region';
import { benchMediaRecorder, cheaperVerdict, type MediaRecorderBenchResult } from './bench/mediarecorder';
import { benchLibrary, type LibraryBenchResult } from './bench/library';
import { benchSync, type SyncBenchResult } from './bench/sync';
import { captureSpan, combineSpans, fpsSummary, measureSaves, memoryFromStatus, sampleCapture, stampedStatus, waitForFullWindow } from './bench/measure';
import { OffscreenProbe } from './bench/offscreen-probe';
import { renderReport } from './bench/report';
import type { BenchResults, CaptureSpan, Machine, ResolutionResult, SaveLengthResult, Targets, ThroughputResult, Verdict } from './bench/results';
import { openArmedSession, type BenchSession, type FrameSize } from './bench/session';

const REPEATS = 5;
const GAP_MS = 500;
const CLIP_SECONDS = [10, 30, 60] as const;
const RESOLUTIONS: readonly { label: string; size: FrameSize }[] = [
  { label: '720p', size: { width: 1280, height: 720 } },
  { label: '1080p', size: { width: 1920, height: 1080 } },
];
const THROUGHPUT = { page: 'demo.html?busy=1', size: { width: 1920, height: 1080 }, warmupSec: 3, measureMs: 30_000, sampleMs: 1_000 };
const TARGETS: Targets = { save30s1080pMedianMs: 100, minDeliveredFps: 29.5, maxDropPct: 0.5 };
/** The machine is shared: wait this long at most for other processes to calm down before a session. */
const QUIET = { maxOthersPct: 25, timeoutMs: 20_000 };
/** Arming to a full 60 s window, with room for a slow machine. */
const FILL_TIMEOUT_MS = 120_000;

/** Records what broke without stopping the other measurements. */
const problems: string[] = [];
const quietChecks: BenchResults['quietChecks'] = [];
/** Read from the first browser launched. */
let chromium: string | undefined;

function checkSize(what: string, target: FrameSize, captured: { width: number | null; height: number | null }): void {
  if (captured.width !== target.width || captured.height !== target.height) {
    problems.push(`${what}: captured ${captured.width}x${captured.height}, expected ${target.width}x${target.height}`);
  }
}

/** Arms once, saves 10 and 30 s clips as soon as enough is buffered, then 60 s with the window full. */
async function benchResolution(session: BenchSession, label: string, target: FrameSize): Promise<ResolutionResult> {
  const first = await session.status();
  const captured = { width: first.width, height: first.height };
  checkSize(label, target, captured);
  const probe = await OffscreenProbe.attach(session.looptab);
  const result: ResolutionResult = {
    label, target, captured, videoCodec: first.videoCodec, baseline: session.baseline,
    saves: [], dropsWhileSaving: null, captureWhileIdle: null, memory: null,
  };

  const short = CLIP_SECONDS.filter((seconds) => seconds < first.windowSec);
  for (const seconds of short) {
    await session.until(`${seconds + 1} s buffered`, (s) => s.bufferedSec >= seconds + 1, FILL_TIMEOUT_MS);
    result.saves.push(await measureSaves(session, probe, seconds, REPEATS, GAP_MS, true));
  }

  const idleFrom = await stampedStatus(session);
  const full = await waitForFullWindow(session, FILL_TIMEOUT_MS);
  const idleTo = await stampedStatus(session);
  result.captureWhileIdle = captureSpan(idleFrom, idleTo, session.browserPid);
  const heapBeforeSaves = await probe.heap();

  for (const seconds of CLIP_SECONDS.filter((s) => s >= first.windowSec)) {
    result.saves.push(await measureSaves(session, probe, seconds, REPEATS, GAP_MS, true));
  }
  result.memory = {
    ...memoryFromStatus(full.status, full.how),
    heapSource: 'CDP Runtime.getHeapUsage on the offscreen document and mux worker targets',
    heapBeforeSaves,
    heapAfterSaves: await probe.heap(),
  };
  result.dropsWhileSaving = combineSpans(result.saves.map((s: SaveLengthResult) => s.frames));
  return result;
}

async function benchThroughput(session: BenchSession): Promise<ThroughputResult> {
  const warm = await session.until(`${THROUGHPUT.warmupSec} s buffered`, (s) => s.bufferedSec >= THROUGHPUT.warmupSec, 30_000);
  const captured = { width: warm.width, height: warm.height };
  checkSize('throughput', THROUGHPUT.size, captured);
  const probe = await OffscreenProbe.attach(session.looptab);
  await probe.drainLongTasks();
  const capture = await sampleCapture(session, THROUGHPUT.measureMs, THROUGHPUT.sampleMs);
  return {
    page: THROUGHPUT.page,
    target: THROUGHPUT.size,
    captured,
    warmupSec: THROUGHPUT.warmupSec,
    baseline: session.baseline,
    frames: capture.span,
    statusFps: fpsSummary(capture.fpsSamples),
    offscreenLongTasks: await probe.drainLongTasks(),
  };
}

/** Opens an armed session, runs `bench` on it, and always closes it; a failure becomes a problem. */
async function withSession<T>(what: string, size: FrameSize, page: string, bench: (session: BenchSession) => Promise<T>): Promise<T | null> {
  let session: BenchSession | null = null;
  try {
    const quiet = await waitForQuietMachine(QUIET.maxOthersPct, QUIET.timeoutMs);
    quietChecks.push({ session: what, ...quiet });
    if (quiet.othersPct >= QUIET.maxOthersPct) {
      console.error(`bench: ${what}: other processes still use ${Math.round(quiet.othersPct)} % of a core after ${Math.round(quiet.waitedMs / 1000)} s; measuring anyway (see the "others" column)`);
    }
    session = await openArmedSession(size, page);
    chromium ??= await session.looptab.browser.version();
    return await bench(session);
  } catch (error) {
    problems.push(`${what}: ${errorMessage(error)}`);
    return null;
  } finally {
    await session?.close();
  }
}

/** A section that launches its own browser (GIF, sync) once the machine is quiet; a failure becomes a problem. */
async function standaloneSection<T>(name: string, bench: () => Promise<T>): Promise<T | null> {
  try {
    const quiet = await waitForQuietMachine(QUIET.maxOthersPct, QUIET.timeoutMs);
    quietChecks.push({ session: name, ...quiet });
    return await bench();
  } catch (error) {
    problems.push(`${name}: ${errorMessage(error)}`);
    return null;
  }
}

function machine(loadAverageAtStart: number): Machine {
  return {
    cpuCount: cpus().length,
    loadAverageAtStart,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: totalmem(),
    platform: `${platform()} ${release()}`,
    chromium: chromium ?? 'unknown',
    node: process.version,
    date: new Date().toISOString(),
  };
}

function atMost(value: number, limit: number): Verdict {
  return Number.isFinite(value) ? (value <= limit ? 'PASS' : 'MISS') : 'n/a';
}

function atLeast(value: number, limit: number): Verdict {
  return Number.isFinite(value) ? (value >= limit ? 'PASS' : 'MISS') : 'n/a';
}

function verdicts(resolutions: ResolutionResult[], throughput: ThroughputResult | null, mediaRecorder: MediaRecorderBenchResult | null): BenchResults['verdicts'] {
  const save30 = resolutions.find((r) => r.label === '1080p')?.saves.find((s) => s.seconds === 30);
  const frames: CaptureSpan | undefined = throughput?.frames;
  return {
    save30s1080p: atMost(save30?.completeMs.median ?? NaN, TARGETS.save30s1080pMedianMs),
    deliveredFps: atLeast(frames?.deliveredFps ?? NaN, TARGETS.minDeliveredFps),
    dropPct: atMost(frames?.dropPct ?? NaN, TARGETS.maxDropPct),
    cheaperThanMediaRecorder: cheaperVerdict(mediaRecorder),
  };
}

function minutesFlag(name: string): number {
  const flag = process.argv.indexOf(name);
  if (flag < 0) return 10;
  const minutes = Number(process.argv[flag + 1]);
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`${name} must be a number >= 0, got ${process.argv[flag + 1]}`);
  return minutes;
}

async function main(): Promise<void> {
  const minutes = minutesFlag('--sync-minutes');
  const recordMinutes = minutesFlag('--record-minutes');
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
  if (only !== null && only !== 'saves') throw new Error(`--only takes "saves", got ${only}`);
  const startedAt = performance.now();
  const loadAverageAtStart = loadavg()[0] ?? NaN;
  const resolutions: ResolutionResult[] = [];
  let throughput: ThroughputResult | null = null;
  let gif: GifBenchResult | null = null;
  let sync: SyncBenchResult | null = null;
  let library: LibraryBenchResult | null = null;
  let editor: EditorBenchResult | null = null;
  let recording: RecordingBenchResult | null = null;
  const secondEncoder: SecondEncoderResult[] = [];
  let region: RegionBenchResult | null = null;
  let mediaRecorder: MediaRecorderBenchResult | null = null;
  let cadence: CadenceBenchResult | null = null;
  let overload: OverloadBenchResult | null = null;
  const outDir = join(root, 'bench-results');
  for (const { label, size } of RESOLUTIONS) {
    const result = await withSession(label, size, 'demo.html', (session) => benchResolution(session, label, size));
    if (result) resolutions.push(result);
  }
  if (only === null) {
    throughput = await withSession('throughput', THROUGHPUT.size, THROUGHPUT.page, benchThroughput);
    library = await withSession('library', { width: 1920, height: 1080 }, 'demo.html', benchLibrary);
    editor = await withSession('editor', { width: 1920, height: 1080 }, 'demo.html', benchEditor);
    for (const { label, size } of RESOLUTIONS) {
      const result = await withSession(`second encoder ${label}`, size, 'demo.html', benchSecondEncoder);
      if (result) secondEncoder.push(result);
    }
    region = await withSession('region', { width: 1920, height: 1080 }, 'demo.html', benchRegion);
    mediaRecorder = await standaloneSection('mediarecorder', () => benchMediaRecorder());
    problems.push(...(mediaRecorder?.problems ?? []));
    cadence = await standaloneSection('cadence', () => benchCadence());
    overload = await standaloneSection('overload', () => benchOverload());
    if (recordMinutes > 0) recording = await standaloneSection('recording', () => benchRecording(recordMinutes));
    gif = await standaloneSection('gif', () => benchGif(join(outDir, 'gif')));
    sync = await standaloneSection('sync', () => benchSync(minutes));
  }

  const results: BenchResults = {
    machine: machine(loadAverageAtStart),
    settings: { repeats: REPEATS, gapMs: GAP_MS, clipSeconds: CLIP_SECONDS },
    targets: TARGETS,
    resolutions,
    throughput,
    gif,
    sync,
    library,
    editor,
    recording,
    secondEncoder,
    region,
    mediaRecorder,
    cadence,
    overload,
    verdicts: verdicts(resolutions, throughput, mediaRecorder),
    quietChecks,
    problems,
    durationSec: (performance.now() - startedAt) / 1000,
  };
  await mkdir(outDir, { recursive: true });
  const jsonName = only === null ? 'bench.json' : `bench-${only}.json`;
  await writeFile(join(outDir, jsonName), `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderReport(results));
  console.log(`\nAll figures: ${join('bench-results', jsonName)}`);
  if (problems.length > 0) process.exitCode = 1;
}

await main();
