/** The bench's measurements on an armed session: timed saves, capture counters, memory. */
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { WINDOW_SLACK_SEC } from '../../src/clip/clip-plan';
import type { SaveReply, Status } from '../../src/contract/messages';
import { sendMessage } from '../harness/browser';
import { cpuBetween, snapshotCpu, type CpuSnapshot } from './cpu';
import type { OffscreenProbe } from './offscreen-probe';
import type { CaptureSpan, MemoryFigures, PremadeDownload, SaveLengthResult, SaveSample } from './results';
import { pageFrames, type BenchSession } from './session';
import { sleep } from '../harness/wait';
import { mean, spread } from './stats';

const SAVE_TIMEOUT_MS = 60_000;
/** How long after the window is full memory is read. */
const AFTER_EVICTION_MS = 2_000;

/** A status() reply with the moment it describes, the page's frame count and CPU counters. */
export interface StampedStatus {
  status: Status;
  atMs: number;
  pageFrame: number;
  cpu: CpuSnapshot;
}

export async function stampedStatus(session: BenchSession): Promise<StampedStatus> {
  const before = performance.now();
  const status = await session.status();
  const atMs = (before + performance.now()) / 2;
  return { status, atMs, pageFrame: await pageFrames(session.demo), cpu: snapshotCpu() };
}

/** The frame counts of a span and the rates that follow from them. */
function frameFigures(elapsedMs: number, encodedFrames: number, droppedFrames: number): Pick<CaptureSpan, 'elapsedMs' | 'encodedFrames' | 'droppedFrames' | 'dropPct' | 'deliveredFps'> {
  const offered = encodedFrames + droppedFrames;
  return {
    elapsedMs,
    encodedFrames,
    droppedFrames,
    dropPct: offered > 0 ? (100 * droppedFrames) / offered : 0,
    deliveredFps: encodedFrames / (elapsedMs / 1000),
  };
}

export function captureSpan(from: StampedStatus, to: StampedStatus, browserPid: number | undefined): CaptureSpan {
  const elapsedMs = to.atMs - from.atMs;
  return {
    ...frameFigures(elapsedMs, to.status.encodedFrames - from.status.encodedFrames, to.status.droppedFrames - from.status.droppedFrames),
    pageFps: (to.pageFrame - from.pageFrame) / (elapsedMs / 1000),
    cpu: cpuBetween(from.cpu, to.cpu, browserPid),
  };
}

/** Several spans as one: counts add up, rates are weighted by each span's length. */
export function combineSpans(spans: readonly CaptureSpan[]): CaptureSpan {
  const total = (value: (s: CaptureSpan) => number): number => spans.reduce((sum, s) => sum + value(s), 0);
  const elapsedMs = total((s) => s.elapsedMs);
  const weighted = (value: (s: CaptureSpan) => number): number => total((s) => value(s) * s.elapsedMs) / elapsedMs;
  const kinds = new Set(spans.flatMap((s) => Object.keys(s.cpu.byKind)));
  return {
    ...frameFigures(elapsedMs, total((s) => s.encodedFrames), total((s) => s.droppedFrames)),
    pageFps: weighted((s) => s.pageFps),
    cpu: {
      ours: weighted((s) => s.cpu.ours),
      others: weighted((s) => s.cpu.others),
      byKind: Object.fromEntries([...kinds].map((kind) => [kind, weighted((s) => s.cpu.byKind[kind] ?? 0)])),
    },
  };
}

/** One save of the last `seconds`, timed from the request to the file being complete on disk. */
async function timeSave(session: BenchSession, probe: OffscreenProbe, seconds: number): Promise<SaveSample> {
  await probe.drainSaveTrace(); // start from a clean slate
  const watch = await session.looptab.watchNextDownload(SAVE_TIMEOUT_MS);
  const t0 = performance.now();
  const reply = await sendMessage<SaveReply>(session.control, { type: 'save', seconds, format: 'mp4' });
  const replyMs = performance.now() - t0;
  if (!reply.ok) throw new Error(`save ${seconds} s failed: ${reply.error}`);
  const download = await watch.completed();
  const trace = await probe.drainSaveTrace();
  // Only the timing matters here; dozens of clips would fill the temp folder.
  await rm(download.file, { force: true });
  if (download.bytes !== reply.bytes) {
    throw new Error(`save ${seconds} s: the reply said ${reply.bytes} bytes, the file on disk has ${download.bytes}`);
  }
  const since = (atMs: number | null): number | null => (atMs === null ? null : atMs - t0);
  return {
    replyMs,
    cutDoneMs: since(trace.cutDoneAtMs),
    mp4DoneMs: since(trace.mp4DoneAtMs),
    mp4Writer: trace.mp4Writer,
    postedToMuxMs: since(trace.postedToMuxAtMs),
    muxStartedMs: since(trace.muxStartedAtMs),
    muxDoneMs: since(trace.muxDoneAtMs),
    blobUrlMs: since(trace.blobUrlAtMs),
    downloadCreatedMs: download.createdAtMs - t0,
    completeMs: download.completedAtMs - t0,
    bytes: download.bytes,
    durationSec: reply.durationSec,
    note: reply.note ?? null,
  };
}

/** Median of `later - earlier` over the samples where the probe saw both. */
function medianGap(samples: readonly SaveSample[], earlier: (s: SaveSample) => number | null, later: (s: SaveSample) => number | null): number {
  const gaps = samples.flatMap((s) => {
    const a = earlier(s);
    const b = later(s);
    return a === null || b === null ? [] : [b - a];
  });
  return spread(gaps).median;
}

/** Blob URL of a Blob made beforehand -> the service worker's chrome.downloads.download, as downloads.ts calls it -> complete. */
async function timePremadeDownload(session: BenchSession, probe: OffscreenProbe): Promise<number> {
  const watch = await session.looptab.watchNextDownload(SAVE_TIMEOUT_MS);
  const worker = await session.looptab.serviceWorker();
  const t0 = performance.now();
  const url = await probe.premadeBlobUrl();
  await worker.evaluate((blobUrl: string) => chrome.downloads.download({ url: blobUrl, filename: 'premade.mp4', conflictAction: 'uniquify', saveAs: false }), url);
  const download = await watch.completed();
  await probe.drainSaveTrace(); // the URL it made is not a save's
  await rm(download.file, { force: true });
  await probe.revokeUrl(url);
  return download.completedAtMs - t0;
}

/** `repeats` downloads of a pre-made Blob of `bytes`, `gapMs` apart. */
async function measurePremade(session: BenchSession, probe: OffscreenProbe, bytes: number, repeats: number, gapMs: number): Promise<Omit<PremadeDownload, 'saveOverPremade'>> {
  await probe.makePremadeBlob(bytes);
  // Let the Blob settle in the browser process before the first download reads it.
  await sleep(gapMs);
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    if (i > 0) await sleep(gapMs);
    samples.push(await timePremadeDownload(session, probe));
  }
  await probe.dropPremadeBlob();
  return { bytes, completeMs: spread(samples) };
}

/**
 * `repeats` saves of `seconds`, one after the other, `gapMs` apart; with `premade`, then as many
 * downloads of a pre-made Blob of the median clip's size through the same path.
 */
export async function measureSaves(session: BenchSession, probe: OffscreenProbe, seconds: number, repeats: number, gapMs: number, premade = false): Promise<SaveLengthResult> {
  await probe.drainLongTasks();
  const before = await stampedStatus(session);
  const samples: SaveSample[] = [];
  for (let i = 0; i < repeats; i++) {
    if (i > 0) await sleep(gapMs);
    samples.push(await timeSave(session, probe, seconds));
  }
  const after = await stampedStatus(session);
  const offscreenLongTasks = await probe.drainLongTasks();
  const completeMs = spread(samples.map((s) => s.completeMs));
  const bytes = spread(samples.map((s) => s.bytes));
  const floor = premade ? await measurePremade(session, probe, Math.round(bytes.median), repeats, gapMs) : null;
  const writers: Record<string, number> = {};
  for (const s of samples) writers[s.mp4Writer ?? 'unseen'] = (writers[s.mp4Writer ?? 'unseen'] ?? 0) + 1;
  return {
    seconds,
    samples,
    completeMs,
    replyMs: spread(samples.map((s) => s.replyMs)),
    medianPhaseMs: {
      toCut: medianGap(samples, () => 0, (s) => s.cutDoneMs),
      mp4: medianGap(samples, (s) => s.cutDoneMs, (s) => s.mp4DoneMs),
      toWorkerStart: medianGap(samples, (s) => s.postedToMuxMs, (s) => s.muxStartedMs),
      mux: medianGap(samples, (s) => s.muxStartedMs, (s) => s.muxDoneMs),
      toBlobUrl: medianGap(samples, (s) => s.mp4DoneMs, (s) => s.blobUrlMs),
      toDownloadCreated: medianGap(samples, (s) => s.blobUrlMs, (s) => s.downloadCreatedMs),
      toComplete: medianGap(samples, (s) => s.downloadCreatedMs, (s) => s.completeMs),
    },
    bytes,
    writers,
    premade: floor && { ...floor, saveOverPremade: completeMs.median / floor.completeMs.median },
    frames: captureSpan(before, after, session.browserPid),
    offscreenLongTasks,
  };
}

/**
 * Waits until the ring buffer holds its whole window (the settings' window plus the recorder's
 * slack), then reads the status a moment later. Eviction drops a whole GOP (about a second) as
 * soon as the second-oldest keyframe leaves the window, so bufferedSec only brushes window + 1 s
 * for about a frame per GOP; a drop of half a second or more once past the window is the other
 * sign that it is full. (Smaller dips are the newest frame's duration changing.)
 */
export async function waitForFullWindow(session: BenchSession, timeoutMs: number): Promise<{ status: Status; how: string }> {
  let previousSec = 0;
  let how = '';
  await session.until(
    'the window to fill',
    (s) => {
      // The ring keeps the window plus a slack, and evicts a GOP once it holds a GOP more.
      const ringSec = s.windowSec + WINDOW_SLACK_SEC;
      const goal = ringSec + 0.9;
      if (s.bufferedSec >= goal) how = `bufferedSec reached ${s.bufferedSec.toFixed(2)} (>= ${goal})`;
      else if (previousSec >= ringSec && s.bufferedSec <= previousSec - 0.5) {
        how = `eviction seen: bufferedSec ${previousSec.toFixed(2)} -> ${s.bufferedSec.toFixed(2)}`;
      }
      previousSec = s.bufferedSec;
      return how !== '';
    },
    timeoutMs,
  );
  // The arenas are sized to what they hold at the first appends after the first eviction.
  await sleep(AFTER_EVICTION_MS);
  return { status: await session.status(), how };
}

export function memoryFromStatus(status: Status, windowFull: string): Pick<MemoryFigures, 'bufferedSec' | 'payloadBytes' | 'arenaBytes' | 'arenaOverPayload' | 'encodedBitrateBps' | 'windowFull'> {
  return {
    bufferedSec: status.bufferedSec,
    payloadBytes: status.bytes,
    arenaBytes: status.arenaBytes,
    arenaOverPayload: status.bytes > 0 ? status.arenaBytes / status.bytes : NaN,
    encodedBitrateBps: status.bufferedSec > 0 ? (status.bytes * 8) / status.bufferedSec : NaN,
    windowFull,
  };
}

/** Capture over `durationMs` of quiet recording, sampling status().fps every `sampleMs`. */
export async function sampleCapture(session: BenchSession, durationMs: number, sampleMs: number): Promise<{ span: CaptureSpan; fpsSamples: number[] }> {
  const before = await stampedStatus(session);
  const fpsSamples: number[] = [];
  let last = before;
  while (last.atMs - before.atMs < durationMs) {
    await sleep(Math.min(sampleMs, durationMs - (last.atMs - before.atMs)));
    last = await stampedStatus(session);
    fpsSamples.push(last.status.fps);
  }
  return { span: captureSpan(before, last, session.browserPid), fpsSamples };
}

export function fpsSummary(samples: number[]): { mean: number; min: number; max: number; samples: number[] } {
  return { mean: mean(samples), min: Math.min(...samples), max: Math.max(...samples), samples };
}
