/** The shape of bench-results/bench.json. Times in ms, sizes in bytes, rates in their unit's name. */
import type { CpuUse } from './cpu';
import type { GifBenchResult } from './gif';
import type { SyncBenchResult } from './sync';
import type { EditorBenchResult } from './editor';
import type { RecordingBenchResult } from './recording';
import type { SecondEncoderResult } from './second-encoder';
import type { RegionBenchResult } from './region';
import type { MediaRecorderBenchResult } from './mediarecorder';
import type { CadenceBenchResult } from './cadence';
import type { OverloadBenchResult } from './overload';
import type { LibraryBenchResult } from './library';
import type { HeapUsage, LongTasks } from './offscreen-probe';
import type { FrameSize, PageBaseline } from './session';
import type { Spread } from './stats';

export interface Machine {
  cpuCount: number;
  /** 1-minute load average when the bench started: above ~0.5 something else was busy. */
  loadAverageAtStart: number;
  cpuModel: string;
  totalMemoryBytes: number;
  platform: string;
  chromium: string;
  node: string;
  date: string;
}

/** Capture over a span, from two status() replies and the CPU counters around them. */
export interface CaptureSpan {
  elapsedMs: number;
  encodedFrames: number;
  droppedFrames: number;
  /** dropped / (encoded + dropped), in percent. */
  dropPct: number;
  /** encoded / elapsed. */
  deliveredFps: number;
  /** The page's own requestAnimationFrame rate: capture cannot deliver more than the page draws. */
  pageFps: number;
  cpu: CpuUse;
}

/** One save, every time relative to the moment the request was sent. */
export interface SaveSample {
  /** The save reply arrived (it is sent once chrome.downloads.download has returned). */
  replyMs: number;
  /** Hand-offs inside the offscreen document (null when the probe saw none). */
  cutDoneMs: number | null;
  mp4DoneMs: number | null;
  /** 'fast', or 'mediabunny (why)'. */
  mp4Writer: string | null;
  postedToMuxMs: number | null;
  muxStartedMs: number | null;
  muxDoneMs: number | null;
  blobUrlMs: number | null;
  /** chrome.downloads.onCreated fired. */
  downloadCreatedMs: number;
  /** chrome.downloads.onChanged said 'complete': the file is whole on disk. */
  completeMs: number;
  bytes: number;
  durationSec: number;
  note: string | null;
}

export interface SaveLengthResult {
  seconds: number;
  samples: SaveSample[];
  completeMs: Spread;
  replyMs: Spread;
  /** Medians of each hand-off, to see where a save's time goes. */
  medianPhaseMs: {
    /** Request -> the clip is planned and cut (the messages to the offscreen document included). */
    toCut: number;
    /** Cut -> the MP4 is a Blob (fast writer: header + the Blob's copy; mediabunny: copy, worker, mux, back). */
    mp4: number;
    /** Of that, mediabunny only: posted -> the worker starts muxing (structured clone + the worker's queue). */
    toWorkerStart: number;
    /** Of that, mediabunny only: the mux in the worker. */
    mux: number;
    toBlobUrl: number;
    toDownloadCreated: number;
    toComplete: number;
  };
  bytes: Spread;
  /** Which writer made the MP4s, with how many of them. */
  writers: Record<string, number>;
  /** The same path for a Blob made beforehand (blob URL -> chrome.downloads -> complete), when measured. */
  premade: PremadeDownload | null;
  /** Capture from just before the first request to just after the last file completed (gaps included). */
  frames: CaptureSpan;
  offscreenLongTasks: LongTasks;
}

/** Downloads of a Blob made beforehand, the size of the median clip: the floor a save is held against. */
export interface PremadeDownload {
  bytes: number;
  /** Blob URL made in the offscreen document -> file complete on disk. */
  completeMs: Spread;
  /** The save's median over this median (target <= 1.3). */
  saveOverPremade: number;
}

export interface MemoryFigures {
  bufferedSec: number;
  payloadBytes: number;
  arenaBytes: number;
  arenaOverPayload: number;
  /** Payload bytes (video + audio) over the buffered span, in bits per second. */
  encodedBitrateBps: number;
  /** How the full window was recognised (bufferedSec rarely stays above window + 1 s). */
  windowFull: string;
  heapSource: string;
  heapBeforeSaves: { offscreen: HeapUsage; muxWorker: HeapUsage };
  heapAfterSaves: { offscreen: HeapUsage; muxWorker: HeapUsage };
}

export interface ResolutionResult {
  label: string;
  target: FrameSize;
  captured: { width: number | null; height: number | null };
  videoCodec: string | null;
  /** The page on its own before arming. */
  baseline: PageBaseline;
  saves: SaveLengthResult[];
  /** All save phases together. */
  dropsWhileSaving: CaptureSpan | null;
  /** The quiet wait for the full window, between the 30 s and 60 s saves. */
  captureWhileIdle: CaptureSpan | null;
  memory: MemoryFigures | null;
}

export interface ThroughputResult {
  page: string;
  target: FrameSize;
  captured: { width: number | null; height: number | null };
  warmupSec: number;
  /** The page on its own before arming. */
  baseline: PageBaseline;
  frames: CaptureSpan;
  statusFps: { mean: number; min: number; max: number; samples: number[] };
  offscreenLongTasks: LongTasks;
}

export interface Targets {
  save30s1080pMedianMs: number;
  minDeliveredFps: number;
  maxDropPct: number;
}

export interface BenchResults {
  machine: Machine;
  settings: { repeats: number; gapMs: number; clipSeconds: readonly number[] };
  targets: Targets;
  resolutions: ResolutionResult[];
  throughput: ThroughputResult | null;
  /** GIF export: ours in Chromium against ffmpeg's two-pass palettegen/paletteuse (null if not measured). */
  gif: GifBenchResult | null;
  /** A/V offset and clip-length error over a long recording (null if not measured). */
  sync: SyncBenchResult | null;
  /** Keeping clips in the library, their thumbnails, the library page on 200 clips (null if not measured). */
  library: LibraryBenchResult | null;
  /** Editor exports: a trim, a dissolve join against encoding it whole, a crop against ffmpeg (null if not measured). */
  editor: EditorBenchResult | null;
  /** Recording to disk beside the buffer: CPU on/off, disk vs encoded rate, memory, stop and export, A/V drift (null if not measured). */
  recording: RecordingBenchResult | null;
  /** Capture with and without a second encoder beside it, at 720p and 1080p. */
  secondEncoder: SecondEncoderResult[];
  /** Region capture at 1080p: a quarter-size region against the whole tab, and the crop's cost (null if not measured). */
  region: RegionBenchResult | null;
  /** Looptab against Chrome's MediaRecorder on the busy page at 720p30 and 1080p30, and pacing under overload (null if not measured). */
  mediaRecorder: MediaRecorderBenchResult | null;
  /** Frame timing, variable against constant, on a still and a moving page (null if not measured). */
  cadence: CadenceBenchResult | null;
  /** Overload at 1080p busy, governor off against on, upstream and encoder-bound (null if not measured). */
  overload: OverloadBenchResult | null;
  /** cheaperThanMediaRecorder: Looptab's extension CPU per frame below MediaRecorder's at every size. */
  verdicts: { save30s1080p: Verdict; deliveredFps: Verdict; dropPct: Verdict; cheaperThanMediaRecorder: Verdict };
  /** Other processes' CPU (% of one core) over 2 s before each session, after waiting for it to drop. */
  quietChecks: { session: string; othersPct: number; waitedMs: number }[];
  problems: string[];
  durationSec: number;
}

export type Verdict = 'PASS' | 'MISS' | 'n/a';
