/**
 * Which chunks make "the last N seconds": a plan of index ranges in the ring buffer and the
 * instant the clip starts. The video track starts at the keyframe at or before that instant
 * (the bytes are passed through, never re-encoded); the muxer hides the pre-roll with an
 * edit list, so players start exactly at `startUs`.
 */
import type { RingBuffer } from '../buffer/ring-buffer';
import { usToSeconds } from '../units';
import { failure, type Failure } from '../contract/errors';
import { inEnglish, localize, type LocalText } from '../i18n/english';

export interface IndexRange {
  from: number;
  /** Exclusive. */
  to: number;
}

export interface ClipPlan {
  requestedUs: number;
  /** Shared-timeline instant that becomes t = 0 in the file. */
  startUs: number;
  /** End of the last video frame. */
  endUs: number;
  /** Timestamp of the keyframe the video track starts with (<= startUs). */
  keyframeUs: number;
  video: IndexRange;
  audio: IndexRange;
  /** Decoder-config generation all the clip's video shares. */
  epoch: number;
  /** Why the clip is shorter than requested, when it is (English). */
  note?: string;
  /** The same note in catalogue form, for a page to show in the user's language. */
  noteText?: LocalText;
}

/**
 * The ring keeps this much beyond the window: clips end where the (lagging) audio ends, so a
 * clip as long as the window starts a little before the newest video minus the window.
 */
export const WINDOW_SLACK_SEC = 2;

/** A clip shorter than asked by less than this (a frame) is not worth a note. */
const SHORTFALL_NOTE_US = 40_000;

/** Audio this far behind the video has stalled: the clip then ends with the video. */
export const AUDIO_STALL_US = 5_000_000;

export type PlanResult = { ok: true; plan: ClipPlan } | Failure;

/** First video index whose epoch is >= `epoch` (epochs never decrease along the buffer). */
function firstIndexOfEpoch(ring: RingBuffer, epoch: number): number {
  let lo = 0;
  let hi = ring.count('video');
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ring.infoAt('video', mid).epoch < epoch) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A clip starts on a frame boundary when one is within a frame (at 30 fps) of the requested
 * instant: the length then stays within "N s +- 1 frame" (half a frame at most while frames
 * flow at 30 fps). Further away (a still page sends no frames for seconds) the requested
 * instant stands, and the MP4's sample plan moves the frame held at that instant onto it.
 */
export const FRAME_SNAP_MAX_US = 33_333;

/**
 * The video frame boundary nearest `startUs` (not before `earliestUs`), if within
 * FRAME_SNAP_MAX_US; else `startUs` itself.
 *
 * Why: an MP4 edit that begins inside a frame is legal, but ffmpeg (5.1, and tools built on
 * it) presents the next frame at t = 0 instead of at its own time, moving the whole picture
 * earlier than the sound by the part of the frame cut off (up to a frame: 33 ms at 30 fps).
 * Starting where a frame starts leaves every player nothing to round.
 */
function snapToFrameStart(ring: RingBuffer, startUs: number, earliestUs: number): number {
  const next = ring.lowerBound('video', startUs);
  let bestUs = startUs;
  let bestDistanceUs = FRAME_SNAP_MAX_US + 1;
  for (const index of [next - 1, next]) {
    if (index < 0 || index >= ring.count('video')) continue;
    const frameUs = ring.infoAt('video', index).timestampUs;
    const distanceUs = Math.abs(frameUs - startUs);
    if (frameUs >= earliestUs && distanceUs < bestDistanceUs) {
      bestUs = frameUs;
      bestDistanceUs = distanceUs;
    }
  }
  return bestDistanceUs <= FRAME_SNAP_MAX_US ? bestUs : startUs;
}

export interface PlanOptions {
  /**
   * The clip ends here at the latest (post-roll: the end was fixed when the user asked, K s
   * after the request, so waiting a little longer than K never lengthens the after-part).
   */
  endAtUs?: number;
  /**
   * Start on the nearest frame boundary (default). An MP4 needs it (see snapToFrameStart); a
   * GIF resamples frames at its own instants and keeps the exact length asked for instead.
   */
  frameAligned?: boolean;
  /**
   * How much earlier than its stamp each audio packet sounds (the encoder's priming, see
   * audioEncoderDelayUs; the muxer moves the packets by it). The clip ends where the sound ends,
   * so the file is as long as the plan says. Default 0.
   */
  audioDelayUs?: number;
  /**
   * Constant frame timing: every frame lasts this long, so the clip ends where its last whole
   * frame does (the last frame lasts a slot like the others). Unset: variable timing.
   */
  constantFrameUs?: number;
}

/** Plans a clip of the last `requestedUs` microseconds of what `ring` holds. */
export function planLastClip(ring: RingBuffer, requestedUs: number, options: PlanOptions = {}): PlanResult {
  const { endAtUs, frameAligned = true, audioDelayUs = 0, constantFrameUs } = options;
  const videoCount = ring.count('video');
  if (videoCount === 0) return failure('err_nothing_buffered');
  const last = ring.infoAt('video', videoCount - 1);
  // Both tracks must end together. Audio flows continuously (silence included) while tab
  // capture only sends a frame when the page repaints, so the clip ends where the audio ends:
  // an old last frame is held until then, and frames newer than the audio (its encoder lags,
  // by ~20 ms on a quiet machine, 0.5-1.5 s under heavy CPU load) wait for the next clip.
  // Audio from a live tab never stops (silence is packets too), so audio more than
  // AUDIO_STALL_US behind has stalled for good (a dead track) and is not waited for.
  let endUs = last.timestampUs + last.durationUs;
  const audioCount = ring.count('audio');
  if (audioCount > 0) {
    const lastAudio = ring.infoAt('audio', audioCount - 1);
    const audioEndUs = lastAudio.timestampUs + lastAudio.durationUs - audioDelayUs;
    if (endUs - audioEndUs < AUDIO_STALL_US) endUs = audioEndUs;
  }
  if (endAtUs !== undefined) endUs = Math.min(endUs, endAtUs);
  if (constantFrameUs !== undefined && constantFrameUs > 0) {
    const lastWhole = ring.lowerBound('video', Math.floor(endUs - constantFrameUs) + 1) - 1;
    // Floored: stamps are whole microseconds of a fractional slot, and the next frame must not start before the end.
    if (lastWhole >= 0) endUs = Math.floor(ring.infoAt('video', lastWhole).timestampUs + constantFrameUs);
  }
  let note: LocalText | null = null;

  // A clip cannot span a decoder reconfiguration (the tab's size changed): one MP4 track has
  // one decoder config. Start no earlier than the newest configuration.
  const epochStart = firstIndexOfEpoch(ring, last.epoch);
  const earliestUs = ring.infoAt('video', epochStart).timestampUs;
  let startUs = endUs - requestedUs;
  // Less than a frame short is rounding, not something to tell the user about.
  if (startUs < earliestUs - SHORTFALL_NOTE_US) {
    const bufferedUs = endUs - earliestUs;
    note = localize(epochStart > 0 ? 'err_clip_short_reconfigured' : 'err_clip_short', usToSeconds(bufferedUs).toFixed(1));
  }
  startUs = Math.max(startUs, earliestUs);
  if (frameAligned) startUs = snapToFrameStart(ring, startUs, earliestUs);

  const keyIndex = ring.keyframeAtOrBefore(startUs);
  // keyIndex >= epochStart holds because the epoch's first chunk is a keyframe at or before startUs.
  if (keyIndex < 0) return { ok: false, error: 'No keyframe before the clip start (buffer is inconsistent).' };
  const keyframeUs = ring.infoAt('video', keyIndex).timestampUs;

  // Audio: from the packet sounding at startUs (the muxer trims what precedes startUs with an
  // edit list, so sound starts exactly with the picture), to the last packet mostly before
  // endUs (so the audio track ends within half a packet of the video track).
  let audioFrom = ring.lowerBound('audio', startUs);
  if (audioFrom > 0) {
    const previous = ring.infoAt('audio', audioFrom - 1);
    if (previous.timestampUs + previous.durationUs > startUs) audioFrom -= 1;
  }
  let audioTo = ring.lowerBound('audio', endUs);
  while (audioTo > audioFrom) {
    const tail = ring.infoAt('audio', audioTo - 1);
    if (tail.timestampUs + tail.durationUs / 2 <= endUs) break;
    audioTo -= 1;
  }
  // With constant frame timing every packet sounding before endUs stays (placed `audioDelayUs`
  // earlier by the muxer), so the sound outlasts the last frame by less than a packet and that
  // frame keeps its whole slot.
  if (constantFrameUs) audioTo = ring.lowerBound('audio', endUs + audioDelayUs);
  if (audioTo > audioCount) audioTo = audioCount;

  const plan: ClipPlan = {
    requestedUs,
    startUs,
    endUs,
    keyframeUs,
    // Frames newer than the audio (the audio encoder lags under load) wait for the next clip.
    video: { from: keyIndex, to: Math.max(keyIndex + 1, ring.lowerBound('video', endUs)) },
    audio: { from: audioFrom, to: Math.max(audioFrom, audioTo) },
    epoch: last.epoch,
  };
  if (note) {
    plan.note = inEnglish(note);
    plan.noteText = note;
  }
  return { ok: true, plan };
}
