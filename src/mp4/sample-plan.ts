/**
 * Where each sample of a clip goes in time: the one timing rule shared by both MP4 writers (the
 * mediabunny muxer and the fast writer), so their files cannot drift apart.
 *
 * Timestamps are rebased so the requested start instant is t = 0. Video chunks before it (from
 * the preceding keyframe) get negative timestamps, hidden by an edit list: players and ffmpeg
 * start exactly at the requested instant.
 */
import type { ClipInput } from '../clip/clip-input';
import { audioEncoderDelayUs } from '../codec/codecs';
import { US_PER_S } from '../units';

/**
 * Video presentation times are snapped to a 1/60 s grid. Tab capture stamps frames at the
 * display's vsync (multiples of 16.67 ms) but with jitter, and a track whose frame intervals
 * share no common step is seen by ffmpeg as 57600 fps and by editors as odd VFR. On the grid,
 * vsync-aligned frames keep their exact times and players see a clean 60 fps time base.
 */
export const VIDEO_GRID_US = US_PER_S / 60;

/** A last frame starting right at the clip's end still shows this long (a sample needs a duration). */
const MIN_LAST_FRAME_US = 1_000;

/**
 * A frame further than this from the grid has not jittered off it (capture stamps wander about
 * 1 ms around the display's refresh): the grid itself moved (a pause removed a span that is
 * not a whole number of slots: 20 ms packets leave 3.3 ms steps against 16.7 ms slots, or the
 * video clock's estimate was refined). The grid is re-anchored on that frame instead of moving
 * it by up to half a slot.
 */
export const GRID_REANCHOR_US = 2_000;

/**
 * Snaps each timestamp to a 1/60 s grid anchored at the frame nearest `startUs` (the clip
 * planner starts clips on a frame, so that frame keeps its exact time and the edit list begins
 * right on it), keeping them strictly increasing: two frames in one grid slot are pushed one
 * slot apart, away from the anchor. Where the frames' phase moves by more than
 * GRID_REANCHOR_US, the grid follows them from there on. Returns timestamps relative to
 * `startUs`, in microseconds (fractional values allowed).
 */
export function gridTimestampsUs(timestampsUs: readonly number[], startUs: number, gridUs = VIDEO_GRID_US): number[] {
  if (timestampsUs.length === 0) return [];
  let anchor = 0;
  for (let i = 1; i < timestampsUs.length; i++) {
    if (Math.abs(timestampsUs[i]! - startUs) < Math.abs(timestampsUs[anchor]! - startUs)) anchor = i;
  }
  const result = new Array<number>(timestampsUs.length);
  result[anchor] = timestampsUs[anchor]!;
  // Walks away from the anchor in one direction; `step` is +1 (later frames) or -1 (earlier).
  const walk = (step: 1 | -1): void => {
    let gridOriginUs = timestampsUs[anchor]!;
    for (let i = anchor + step; i >= 0 && i < timestampsUs.length; i += step) {
      const timestampUs = timestampsUs[i]!;
      let snappedUs = gridOriginUs + Math.round((timestampUs - gridOriginUs) / gridUs) * gridUs;
      if (Math.abs(snappedUs - timestampUs) > GRID_REANCHOR_US) {
        gridOriginUs = timestampUs;
        snappedUs = timestampUs;
      }
      // Strictly monotonic, away from the anchor: a frame sharing its neighbour's slot moves on.
      const neighbourUs = result[i - step]!;
      result[i] = step === 1 ? Math.max(snappedUs, neighbourUs + gridUs) : Math.min(snappedUs, neighbourUs - gridUs);
    }
  };
  walk(1);
  walk(-1);
  return result.map((timestampUs) => timestampUs - startUs);
}

/**
 * Moves the frame showing at t = 0 (the newest one before it) to t = 0, so the edit list begins
 * where a frame does. A frame is held until the page paints again, for seconds on a still page,
 * and ffmpeg (5.1, and tools built on it) shows the frame after an edit that begins inside a
 * frame at t = 0, moving the whole picture earlier than the sound by the part cut off. The frame
 * shows the same picture from t = 0 on either way; the pre-roll before it stays hidden.
 */
function startOnAFrame(times: number[]): void {
  const next = times.findIndex((timeUs) => timeUs >= 0);
  const covering = next === -1 ? times.length - 1 : next - 1;
  if (covering >= 0 && (next === -1 || times[next]! > 0)) times[covering] = 0;
}

/** One sample as a muxer writes it: where its bytes are in its track's buffer and when it plays. */
export interface PlannedSample {
  /** Offset of the payload in the track's `chunks.bytes`. */
  offset: number;
  byteLength: number;
  key: boolean;
  /** Presentation time relative to the clip's start (may be negative, fractional). */
  timeUs: number;
  durationUs: number;
}

export interface SamplePlan {
  video: PlannedSample[];
  /** Empty when the clip has no audio or none of it sounds after t = 0. */
  audio: PlannedSample[];
}

/**
 * Plans every sample of `clip`. Audio packets go where their sound is: the encoder's priming
 * moves every packet earlier than the encoder stamped it (see audioEncoderDelayUs); a packet
 * that ends before t = 0 is left out, one that straddles it is trimmed by the edit list. Both
 * tracks end together, where the sound ends if that comes first; each frame lasts until the
 * next one (capture sends frames when the page changes), the last one until the clip's end.
 */
export function planSamples(clip: ClipInput): SamplePlan {
  const audio: PlannedSample[] = [];
  if (clip.audio) {
    const delayUs = audioEncoderDelayUs(clip.audio.decoderConfig.codec, clip.audio.decoderConfig.description);
    for (const chunk of clip.audio.chunks.chunks) {
      const timeUs = chunk.timestampUs - delayUs - clip.startUs;
      if (timeUs + chunk.durationUs > 0) audio.push({ offset: chunk.offset, byteLength: chunk.byteLength, key: true, timeUs, durationUs: chunk.durationUs });
    }
  }

  const chunks = clip.video.chunks.chunks;
  const first = chunks[0];
  if (!first || !first.key) throw new Error('A clip must start with a video keyframe.');

  const lastAudio = audio.at(-1);
  const clipEndUs = Math.min(clip.endUs - clip.startUs, lastAudio ? lastAudio.timeUs + lastAudio.durationUs : Infinity);
  const times = gridTimestampsUs(chunks.map((chunk) => chunk.timestampUs), clip.startUs);
  startOnAFrame(times);
  let frames = times.findIndex((timeUs) => timeUs >= clipEndUs);
  if (frames < 1) frames = frames === 0 ? 1 : times.length;
  const video: PlannedSample[] = [];
  for (let i = 0; i < frames; i++) {
    const chunk = chunks[i]!;
    const timeUs = times[i]!;
    const durationUs = (i + 1 < frames ? times[i + 1]! : Math.max(clipEndUs, timeUs + MIN_LAST_FRAME_US)) - timeUs;
    video.push({ offset: chunk.offset, byteLength: chunk.byteLength, key: chunk.key, timeUs, durationUs });
  }
  return { video, audio };
}
