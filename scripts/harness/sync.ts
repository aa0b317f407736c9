// Audio/video sync of a saved clip, judged by ffmpeg: when does each white flash appear on
// screen (video timestamps) and when is each 3 kHz click heard (audio timestamps)? The demo
// page and makeSyncClip make both at the same instants, so click - flash is the clip's A/V skew.
// Times are what ffmpeg presents, edit lists included: ffmpeg 5.1 starts a video edit that
// begins mid-frame at the next frame, which shows here as video early by up to one frame.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tool } from './media';
import { median } from './median';
import { PRESENTATION_SCRIPT } from './page-presentation';

const execFileAsync = promisify(execFile);

export interface SyncPair {
  flashSec: number;
  clickSec: number;
  /** click - flash: positive = audio late. */
  offsetMs: number;
}

export interface SyncReport {
  /** Presentation time of each frame that turns white (the previous frame was not). */
  flashesSec: number[];
  /** Presentation time of the first loud sample of each 3 kHz click after >= 300 ms of quiet. */
  clicksSec: number[];
  /** Each flash with the nearest click within ±300 ms (one to one), in flash order. */
  pairs: SyncPair[];
  /** NaN without pairs. */
  medianOffsetMs: number;
  /** Largest |offset| of any pair (a magnitude, never negative); NaN without pairs. */
  worstOffsetMs: number;
  unpairedFlashes: number;
  unpairedClicks: number;
}

/** One decoded video frame: presentation time and mean luma (full range, 0 black .. 255 white). */
export interface LumaFrame {
  ptsSec: number;
  luma: number;
}

/** A run of decoded PCM samples that starts at `ptsSec`. */
export interface AudioSpan {
  ptsSec: number;
  /** Index of the span's first sample in the concatenated PCM. */
  firstSample: number;
  samples: number;
}

/** Sample rate the audio is decoded at for click detection. */
export const SYNC_SAMPLE_RATE = 48_000;
/** A click counts only after this much quiet (and a flash pairs only with a click this close). */
export const QUIET_SEC = 0.3;
export const MAX_PAIR_GAP_SEC = 0.3;
/** The high-pass corner: above the demo's tone (<= 880 Hz fundamental), below its 3 kHz click. */
const HIGH_PASS_HZ = 2_000;
/** Onset threshold as a fraction of the loudest high-passed sample in the file. */
const CLICK_THRESHOLD_OF_PEAK = 0.3;
/** Below this peak (after the high-pass) the file has no clicks at all, only noise. */
const MIN_CLICK_PEAK = 0.02;
const FULL_RANGE_WHITE = 255;

interface RunResult {
  stdout: Buffer;
  stderr: string;
}

async function ffmpeg(args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(tool('ffmpeg'), args, { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 });
    return { stdout, stderr: stderr.toString('utf8') };
  } catch (error) {
    const e = error as { message: string; stderr?: Buffer };
    const tail = e.stderr?.toString('utf8').trim().split('\n').slice(-5).join('\n') ?? '';
    throw new Error(`ffmpeg ${args.join(' ')} failed: ${e.message}\n${tail}`);
  }
}

/**
 * Mean luma of every decoded frame of the first video stream. Frames pass the filter graph
 * before any frame-rate conversion, so each decoded frame is seen once, with its own timestamp;
 * `settb=AVTB` makes the printed pts exact microseconds.
 */
export async function readLumaFrames(file: string): Promise<LumaFrame[]> {
  const { stderr } = await ffmpeg([
    '-nostdin', '-hide_banner', '-nostats', '-v', 'info',
    '-i', file,
    '-map', '0:v:0',
    '-vf', 'settb=AVTB,scale=64:36:out_range=full,format=gray,showinfo',
    '-f', 'null', '-',
  ]);
  const frames: LumaFrame[] = [];
  const line = /^\[Parsed_showinfo_\d+ @ [^\]]+\] n:\s*\d+ pts:\s*(-?\d+) .*\bmean:\[([\d.]+)/;
  for (const text of stderr.split('\n')) {
    const match = line.exec(text);
    if (!match?.[1] || !match[2]) continue;
    frames.push({ ptsSec: Number(match[1]) / 1e6, luma: Number(match[2]) });
  }
  if (frames.length === 0) throw new Error(`no video frames decoded from ${file}`);
  return frames;
}

/**
 * The first audio stream as mono f32 PCM at 48 kHz, with each decoded frame's timestamp, so a
 * sample's time comes from the file (gaps and edit lists included), not from counting samples.
 */
export async function readMonoPcm(file: string): Promise<{ pcm: Float32Array; spans: AudioSpan[] }> {
  const { stdout, stderr } = await ffmpeg([
    '-nostdin', '-hide_banner', '-nostats', '-v', 'info',
    '-i', file,
    '-map', '0:a:0',
    '-af', `aformat=sample_fmts=flt:sample_rates=${SYNC_SAMPLE_RATE}:channel_layouts=mono,asettb=AVTB,ashowinfo`,
    '-f', 'f32le', '-',
  ]);
  const pcm = new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.byteLength - (stdout.byteLength % 4)));
  const spans: AudioSpan[] = [];
  const line = /^\[Parsed_ashowinfo_\d+ @ [^\]]+\] n:\s*\d+ pts:\s*(-?\d+) .*\bnb_samples:(\d+)/;
  let firstSample = 0;
  for (const text of stderr.split('\n')) {
    const match = line.exec(text);
    if (!match?.[1] || !match[2]) continue;
    const samples = Number(match[2]);
    spans.push({ ptsSec: Number(match[1]) / 1e6, firstSample, samples });
    firstSample += samples;
  }
  if (firstSample !== pcm.length) {
    throw new Error(`ffmpeg reported ${firstSample} audio samples for ${file} but wrote ${pcm.length}`);
  }
  return { pcm, spans };
}

/**
 * Frames whose luma jumps above halfway between the page's usual level (the median frame: a
 * flash covers a tenth of the time) and white, while the previous frame was below. A frame is
 * shown from its timestamp until the next frame's, so its timestamp is when the flash appears.
 * The first frame is never an onset: the flash may have begun before the clip did.
 */
export function detectFlashOnsets(frames: readonly LumaFrame[]): number[] {
  const thresholdLuma = (median(frames.map((f) => f.luma)) + FULL_RANGE_WHITE) / 2;
  const onsets: number[] = [];
  for (let i = 1; i < frames.length; i++) {
    if (frames[i]!.luma > thresholdLuma && frames[i - 1]!.luma <= thresholdLuma) onsets.push(frames[i]!.ptsSec);
  }
  return onsets;
}

/** RBJ-cookbook biquad high-pass (Butterworth Q), applied causally; returns a new array. */
export function highPass(samples: Float32Array, sampleRate: number, cornerHz: number): Float32Array {
  const w0 = (2 * Math.PI * cornerHz) / sampleRate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 + cos) / 2 / a0;
  const b1 = -(1 + cos) / a0;
  const b2 = b0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  const out = new Float32Array(samples.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x0 = samples[i]!;
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    out[i] = y0;
    x2 = x1; x1 = x0;
    y2 = y1; y1 = y0;
  }
  return out;
}

/**
 * Sample indices where a click starts: the high-passed signal's magnitude (its envelope at this
 * resolution) first exceeds the threshold after at least `quietSamples` below it. Quiet counts
 * from the start of the data, so a click cut by the clip's start is not an onset.
 */
export function detectClickOnsetSamples(highPassed: Float32Array, quietSamples: number): number[] {
  let peak = 0;
  for (const value of highPassed) peak = Math.max(peak, Math.abs(value));
  if (peak < MIN_CLICK_PEAK) return [];
  const threshold = CLICK_THRESHOLD_OF_PEAK * peak;
  const onsets: number[] = [];
  let lastLoud = 0; // the start counts as loud
  for (let i = 0; i < highPassed.length; i++) {
    if (Math.abs(highPassed[i]!) <= threshold) continue;
    if (i - lastLoud > quietSamples) onsets.push(i);
    lastLoud = i;
  }
  return onsets;
}

/** The presentation time of sample `index` of the concatenated PCM. */
export function sampleTimeSec(spans: readonly AudioSpan[], index: number, sampleRate: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (spans[mid]!.firstSample <= index) lo = mid;
    else hi = mid - 1;
  }
  const span = spans[lo];
  if (!span) throw new Error('no audio spans');
  return span.ptsSec + (index - span.firstSample) / sampleRate;
}

/** Pairs each flash with the nearest click within `maxGapSec`, one to one, closest pairs first. */
export function pairOnsets(
  flashesSec: readonly number[],
  clicksSec: readonly number[],
  maxGapSec = MAX_PAIR_GAP_SEC,
): { pairs: SyncPair[]; unpairedFlashes: number; unpairedClicks: number } {
  const candidates: { flash: number; click: number; gap: number }[] = [];
  for (let f = 0; f < flashesSec.length; f++) {
    for (let c = 0; c < clicksSec.length; c++) {
      const gap = Math.abs(clicksSec[c]! - flashesSec[f]!);
      if (gap <= maxGapSec) candidates.push({ flash: f, click: c, gap });
    }
  }
  candidates.sort((a, b) => a.gap - b.gap);
  const usedFlashes = new Set<number>();
  const usedClicks = new Set<number>();
  const pairs: SyncPair[] = [];
  for (const { flash, click } of candidates) {
    if (usedFlashes.has(flash) || usedClicks.has(click)) continue;
    usedFlashes.add(flash);
    usedClicks.add(click);
    const flashSec = flashesSec[flash]!;
    const clickSec = clicksSec[click]!;
    pairs.push({ flashSec, clickSec, offsetMs: (clickSec - flashSec) * 1000 });
  }
  pairs.sort((a, b) => a.flashSec - b.flashSec);
  return { pairs, unpairedFlashes: flashesSec.length - pairs.length, unpairedClicks: clicksSec.length - pairs.length };
}

/**
 * The pairs of two files that show the same moments: `b`'s times shifted by the one constant
 * that lines up the most flashes within `toleranceSec` (the smallest total misfit among equals).
 * Two cuts of one recording hold the same packets, so the same moment must keep its offset in
 * both; the page's timers jitter from one moment to the next under load, so other moments need not.
 */
export function sameMoments(a: readonly SyncPair[], b: readonly SyncPair[], toleranceSec = 0.03): { a: SyncPair; b: SyncPair }[] {
  let best: { matches: { a: SyncPair; b: SyncPair }[]; misfitSec: number } = { matches: [], misfitSec: Infinity };
  for (const first of a) {
    for (const second of b) {
      const shiftSec = first.flashSec - second.flashSec;
      const matches: { a: SyncPair; b: SyncPair }[] = [];
      let misfitSec = 0;
      for (const pair of b) {
        const nearest = a.reduce((found, candidate) => (Math.abs(candidate.flashSec - pair.flashSec - shiftSec) < Math.abs(found.flashSec - pair.flashSec - shiftSec) ? candidate : found));
        const missSec = Math.abs(nearest.flashSec - pair.flashSec - shiftSec);
        if (missSec > toleranceSec) continue;
        matches.push({ a: nearest, b: pair });
        misfitSec += missSec;
      }
      if (matches.length > best.matches.length || (matches.length === best.matches.length && misfitSec < best.misfitSec)) best = { matches, misfitSec };
    }
  }
  return best.matches;
}

/** Click onsets of the first audio stream of `file`, in seconds of presentation time. */
export async function clickOnsetsSec(file: string): Promise<number[]> {
  const { pcm, spans } = await readMonoPcm(file);
  const onsets = detectClickOnsetSamples(highPass(pcm, SYNC_SAMPLE_RATE, HIGH_PASS_HZ), Math.round(QUIET_SEC * SYNC_SAMPLE_RATE));
  return onsets.map((index) => sampleTimeSec(spans, index, SYNC_SAMPLE_RATE));
}

/** Flash onsets of the first video stream of `file`, in seconds of presentation time. */
export async function flashOnsetsSec(file: string): Promise<number[]> {
  return detectFlashOnsets(await readLumaFrames(file));
}

export interface SyncClipSpec {
  durationSec: number;
  /** Clicks come this long after each whole second (negative: before). */
  clickDelayMs: number;
  /** Default 30. */
  fps?: number;
  /** Default 320x180. */
  size?: { width: number; height: number };
  /** The audio track starts this late (an empty edit in the MP4's edit list). Default 0. */
  audioStartSec?: number;
}

/**
 * Writes an MP4 (H.264 + Opus) whose skew is known by construction: the picture is white for
 * the first 3 frames of every second (100 ms at 30 fps, starting exactly on a frame boundary)
 * and a 20 ms decaying 3 kHz click starts at every whole second + `clickDelayMs`, over an
 * 880 Hz triangle tone (the demo page's loudest tone step).
 */
export async function makeSyncClip(file: string, spec: SyncClipSpec): Promise<void> {
  const fps = spec.fps ?? 30;
  const { width, height } = spec.size ?? { width: 320, height: 180 };
  const audioStartSec = spec.audioStartSec ?? 0;
  // Frame numbers, not t: mod(t, 1) of a float frame time can miss the boundary by an ulp.
  const video = `color=c=0x305070:s=${width}x${height}:r=${fps}:d=${spec.durationSec},` +
    `drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(n,${fps}),${Math.round(fps / 10)})'`;
  // p = time since the latest click on the presentation timeline (audio t starts at audioStartSec).
  const shift = `${audioStartSec}-${spec.clickDelayMs / 1000}`;
  const p = `(t+${shift}-floor(t+${shift}))`;
  const tone = '0.25*(2*abs(2*(t*880-floor(t*880+0.5)))-1)';
  const click = `0.8*sin(2*PI*3000*${p})*exp(-${p}/0.005)*lt(${p},0.02)`;
  const audio = `aevalsrc='${tone}+${click}':s=48000:d=${spec.durationSec - audioStartSec}`;
  await ffmpeg([
    '-nostdin', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', video,
    '-itsoffset', String(audioStartSec), '-f', 'lavfi', '-i', audio,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', String(fps),
    '-c:a', 'libopus', '-b:a', '128k',
    // The default 1 ms movie timescale would round the audio's edit list by up to 0.5 ms.
    '-movie_timescale', '48000',
    '-movflags', '+faststart',
    file,
  ]);
}

/** Measures how far each click is from its flash in `file` (an MP4/WebM with video and audio). */
export async function measureSync(file: string): Promise<SyncReport> {
  const [flashesSec, clicksSec] = await Promise.all([flashOnsetsSec(file), clickOnsetsSec(file)]);
  const { pairs, unpairedFlashes, unpairedClicks } = pairOnsets(flashesSec, clicksSec);
  const offsets = pairs.map((p) => p.offsetMs);
  return {
    flashesSec,
    clicksSec,
    pairs,
    medianOffsetMs: median(offsets),
    worstOffsetMs: offsets.length === 0 ? NaN : Math.max(...offsets.map(Math.abs)),
    unpairedFlashes,
    unpairedClicks,
  };
}

/**
 * Writes `sync.mp4` (in sync by construction, `durationSec` long) and an `index.html` titled
 * `title` that plays it full-window, into `dir`: the reference page a correct recorder must
 * reproduce, since Chromium's player shows each frame when its sound is heard.
 */
export async function writeSyncVideoPage(dir: string, title: string, durationSec: number): Promise<void> {
  await makeSyncClip(join(dir, 'sync.mp4'), { durationSec, clickDelayMs: 0 });
  await writeFile(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
      '<style>html,body{margin:0;height:100%;overflow:hidden;background:#000}video{width:100vw;height:100vh;object-fit:fill}</style>' +
      `</head><body><video src="sync.mp4" autoplay playsinline></video><script>${PRESENTATION_SCRIPT}</script></body></html>`,
  );
}
