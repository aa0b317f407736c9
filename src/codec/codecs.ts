/**
 * Encoder configuration candidates, best first. The browser shell asks `isConfigSupported`
 * for each and takes the first yes; the choices here are pure so they are tested in Node.
 */
import { US_PER_S } from '../units';

export type ContainerVideoCodec = 'avc' | 'vp9' | 'vp8' | 'av1';
export type ContainerAudioCodec = 'aac' | 'opus';

export interface VideoCandidate {
  /** WebCodecs codec string. */
  codec: string;
  /** The same codec as mediabunny names it. */
  container: ContainerVideoCodec;
}

/** H.264 levels (Rec. ITU-T H.264 table A-1): max macroblocks per frame and per second. */
const H264_LEVELS: readonly { levelIdc: number; maxFrameMbs: number; maxMbPerSec: number }[] = [
  { levelIdc: 30, maxFrameMbs: 1_620, maxMbPerSec: 40_500 },
  { levelIdc: 31, maxFrameMbs: 3_600, maxMbPerSec: 108_000 },
  { levelIdc: 32, maxFrameMbs: 5_120, maxMbPerSec: 216_000 },
  { levelIdc: 40, maxFrameMbs: 8_192, maxMbPerSec: 245_760 },
  { levelIdc: 42, maxFrameMbs: 8_704, maxMbPerSec: 522_240 },
  { levelIdc: 50, maxFrameMbs: 22_080, maxMbPerSec: 589_824 },
  { levelIdc: 51, maxFrameMbs: 36_864, maxMbPerSec: 983_040 },
  { levelIdc: 52, maxFrameMbs: 36_864, maxMbPerSec: 2_073_600 },
];

/**
 * The smallest H.264 level whose limits fit `width x height @ fps`. A level that is too low
 * makes OpenH264 emit one frame and then nothing, without an error (FIELD-NOTES), so this is
 * derived, never hard-coded. Returns null when even level 5.2 is too small.
 */
export function h264LevelIdc(width: number, height: number, fps: number): number | null {
  const frameMbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const mbPerSec = frameMbs * Math.ceil(fps);
  // Also bound each dimension: a level allows at most sqrt(8 * maxFrameMbs) macroblocks per side.
  const sideMbs = Math.max(Math.ceil(width / 16), Math.ceil(height / 16));
  const level = H264_LEVELS.find(
    (l) => frameMbs <= l.maxFrameMbs && mbPerSec <= l.maxMbPerSec && sideMbs * sideMbs <= 8 * l.maxFrameMbs,
  );
  return level?.levelIdc ?? null;
}

function hex2(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}

/** Video codecs to try, best first: H.264 High/Main/Constrained Baseline, then VP9, VP8, AV1. */
export function videoCandidates(width: number, height: number, fps: number): VideoCandidate[] {
  const candidates: VideoCandidate[] = [];
  const level = h264LevelIdc(width, height, fps);
  if (level !== null) {
    // profile_idc, constraint flags, level_idc: High (100), Main (77), Constrained Baseline (66 + 0xE0).
    for (const profile of ['6400', '4D40', '42E0']) {
      candidates.push({ codec: `avc1.${profile}${hex2(level)}`, container: 'avc' });
    }
  }
  candidates.push({ codec: 'vp09.00.41.08', container: 'vp9' });
  candidates.push({ codec: 'vp8', container: 'vp8' });
  candidates.push({ codec: 'av01.0.08M.08', container: 'av1' });
  return candidates;
}

/**
 * A bitrate for screen content: ~0.08 bit per pixel per frame (about 5 Mbps at 1080p30),
 * clamped. Realtime OpenH264 overshoots its target on busy scenes, so memory is budgeted from
 * measured bytes, not from this number.
 */
export function defaultVideoBitrateBps(width: number, height: number, fps: number): number {
  const bps = Math.round(width * height * fps * 0.08);
  return Math.min(12_000_000, Math.max(500_000, bps));
}

export interface AudioCandidate {
  codec: string;
  container: ContainerAudioCodec;
  bitrateBps: number;
}

/** AAC where the platform has an encoder (Windows, macOS, ChromeOS), else Opus (Linux). */
export const AUDIO_CANDIDATES: readonly AudioCandidate[] = [
  { codec: 'mp4a.40.2', container: 'aac', bitrateBps: 128_000 },
  { codec: 'opus', container: 'opus', bitrateBps: 128_000 },
];

/** The container name of a WebCodecs video codec string (what the muxer needs). */
export function videoContainerOf(codec: string): ContainerVideoCodec {
  if (codec.startsWith('avc1')) return 'avc';
  if (codec.startsWith('vp09')) return 'vp9';
  if (codec.startsWith('av01')) return 'av1';
  return 'vp8';
}

/** The container name of a WebCodecs audio codec string. */
export function audioContainerOf(codec: string): ContainerAudioCodec {
  return codec.startsWith('mp4a') ? 'aac' : 'opus';
}

/** Rounds a capture size down to even numbers: 4:2:0 encoders reject odd sizes. */
export function evenSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(2, width & ~1), height: Math.max(2, height & ~1) };
}

/**
 * The capture size for a tab: its own size, scaled down (aspect kept) to fit the user's max.
 * Tab capture scales its output to the max constraints, so asking for 1920x1080 on a 1280x720
 * tab would upscale and cost the encoder 2.25x the pixels for nothing.
 */
export function fitCaptureSize(
  tabWidth: number | undefined,
  tabHeight: number | undefined,
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  if (!tabWidth || !tabHeight || tabWidth <= 0 || tabHeight <= 0) return evenSize(maxWidth, maxHeight);
  const scale = Math.min(1, maxWidth / tabWidth, maxHeight / tabHeight);
  return evenSize(Math.round(tabWidth * scale), Math.round(tabHeight * scale));
}

/** Opus always counts its pre-skip in 48 kHz samples, whatever the input rate (RFC 7845 §5.1). */
const OPUS_PRESKIP_RATE_HZ = 48_000;

/**
 * How far an audio encoder's output lags its input, in microseconds: the encoder's priming.
 *
 * Chrome's Opus encoder stamps its first packet with its first input's timestamp and counts
 * samples from there, but libopus looks ahead: decoded packet k holds the input from
 * `pre-skip` samples before packet k's stamp. The file declares that pre-skip (OpusHead in the
 * decoder description, copied into the MP4's dOps box) and decoders drop that many samples at
 * the start, presenting the first one kept at the first packet's time plus the pre-skip
 * (ffmpeg does exactly this). So every packet must be placed `pre-skip` earlier than the
 * encoder stamped it, or every sound in the file comes 6.5 ms (312 samples) late.
 *
 * Read from the description, never assumed: another Opus build may look ahead differently.
 * AAC encoders prime too (1024-2112 samples), but Chrome's platform AAC encoders declare it
 * nowhere a web page can read, so AAC is taken as 0 (Linux, where these tests run, has none).
 */
export function audioEncoderDelayUs(codec: string, description: Uint8Array | undefined): number {
  if (audioContainerOf(codec) !== 'opus' || !description || description.byteLength < 19) return 0;
  const magic = String.fromCharCode(...description.subarray(0, 8));
  if (magic !== 'OpusHead') return 0;
  const preSkip = description[10]! | (description[11]! << 8);
  return Math.round((preSkip * US_PER_S) / OPUS_PRESKIP_RATE_HZ);
}
