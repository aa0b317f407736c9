/**
 * Muxes copied-out encoded chunks into a fast-start MP4 with mediabunny, without re-encoding.
 *
 * Timestamps are rebased so the requested start instant is t = 0. Video chunks before it
 * (from the preceding keyframe) get negative timestamps, which mediabunny hides behind an
 * edit list: players and ffmpeg start exactly at the requested instant.
 */
import {
  EncodedAudioPacketSource,
  EncodedPacket,
  EncodedVideoPacketSource,
  Mp4OutputFormat,
  Output,
  BufferTarget,
  type Target,
} from 'mediabunny';
import type { CopiedChunks } from '../buffer/ring-buffer';
import type { ClipInput } from '../clip/clip-input';
import { audioEncoderDelayUs } from '../codec/codecs';
import { US_PER_S, usToSeconds } from '../units';

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
 * Muxes `clip` into an MP4 written to `target` (a BufferTarget for memory, a StreamTarget for a
 * file). The moov atom goes first (fast start), so the file plays while it downloads.
 */
export async function muxMp4(clip: ClipInput, target: Target): Promise<void> {
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target });

  // Audio packets go where their sound is: the encoder's priming moves every packet earlier
  // than the encoder stamped it (see audioEncoderDelayUs). A packet before the clip's start
  // is trimmed by the edit list mediabunny writes for negative timestamps, so the sound starts
  // exactly at t = 0; one that ends before t = 0 is not written at all.
  const audioPackets: { chunk: CopiedChunks['chunks'][number]; timeUs: number }[] = [];
  if (clip.audio) {
    const delayUs = audioEncoderDelayUs(clip.audio.decoderConfig.codec, clip.audio.decoderConfig.description);
    for (const chunk of clip.audio.chunks.chunks) {
      const timeUs = chunk.timestampUs - delayUs - clip.startUs;
      if (timeUs + chunk.durationUs > 0) audioPackets.push({ chunk, timeUs });
    }
  }
  const videoSource = new EncodedVideoPacketSource(clip.video.codec);
  output.addVideoTrack(videoSource);
  const audioSource = clip.audio && audioPackets.length > 0 ? new EncodedAudioPacketSource(clip.audio.codec) : null;
  if (audioSource) output.addAudioTrack(audioSource);
  await output.start();

  const video = clip.video.chunks;
  const first = video.chunks[0];
  if (!first || !first.key) throw new Error('A clip must start with a video keyframe.');

  // Both tracks end together: where the sound ends, if that comes first.
  const lastAudio = audioPackets.at(-1);
  const clipEndUs = Math.min(clip.endUs - clip.startUs, lastAudio ? lastAudio.timeUs + lastAudio.chunk.durationUs : Infinity);

  const times = gridTimestampsUs(video.chunks.map((chunk) => chunk.timestampUs), clip.startUs);
  let frames = times.findIndex((timeUs) => timeUs >= clipEndUs);
  if (frames < 1) frames = frames === 0 ? 1 : times.length;
  for (let i = 0; i < frames; i++) {
    const chunk = video.chunks[i]!;
    const timeUs = times[i]!;
    // Capture frames arrive when the page changes: each frame lasts until the next one, and
    // the last one until the clip's end.
    const durationUs = (i + 1 < frames ? times[i + 1]! : Math.max(clipEndUs, timeUs + MIN_LAST_FRAME_US)) - timeUs;
    const packet = new EncodedPacket(
      video.bytes.subarray(chunk.offset, chunk.offset + chunk.byteLength),
      chunk.key ? 'key' : 'delta',
      usToSeconds(timeUs),
      usToSeconds(durationUs),
    );
    await videoSource.add(packet, i === 0 ? { decoderConfig: clip.video.decoderConfig } : undefined);
  }

  if (audioSource && clip.audio) {
    const bytes = clip.audio.chunks.bytes;
    for (const [index, { chunk, timeUs }] of audioPackets.entries()) {
      const packet = new EncodedPacket(bytes.subarray(chunk.offset, chunk.offset + chunk.byteLength), 'key', usToSeconds(timeUs), usToSeconds(chunk.durationUs));
      await audioSource.add(packet, index === 0 ? { decoderConfig: clip.audio.decoderConfig } : undefined);
    }
  }

  await output.finalize();
}

/** Muxes `clip` into an MP4 held in memory. */
export async function muxMp4ToBytes(clip: ClipInput): Promise<Uint8Array> {
  const target = new BufferTarget();
  await muxMp4(clip, target);
  if (!target.buffer) throw new Error('The muxer produced no output.');
  return new Uint8Array(target.buffer);
}
