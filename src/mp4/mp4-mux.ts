/**
 * Muxes copied-out encoded chunks into a fast-start MP4 with mediabunny, without re-encoding:
 * the path for every clip the fast writer (fast-mp4.ts) does not take. The samples' timing is
 * sample-plan.ts's.
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
import type { ClipInput } from '../clip/clip-input';
import { usToSeconds } from '../units';
import { planSamples } from './sample-plan';

export { gridTimestampsUs, GRID_REANCHOR_US, VIDEO_GRID_US } from './sample-plan';

/**
 * Muxes `clip` into an MP4 written to `target` (a BufferTarget for memory, a StreamTarget for a
 * file). The moov atom goes first (fast start), so the file plays while it downloads.
 */
export async function muxMp4(clip: ClipInput, target: Target): Promise<void> {
  const plan = planSamples(clip);
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
  const videoSource = new EncodedVideoPacketSource(clip.video.codec);
  output.addVideoTrack(videoSource);
  const audioSource = clip.audio && plan.audio.length > 0 ? new EncodedAudioPacketSource(clip.audio.codec) : null;
  if (audioSource) output.addAudioTrack(audioSource);
  await output.start();

  const videoBytes = clip.video.chunks.bytes;
  for (const [i, sample] of plan.video.entries()) {
    const packet = new EncodedPacket(
      videoBytes.subarray(sample.offset, sample.offset + sample.byteLength),
      sample.key ? 'key' : 'delta',
      usToSeconds(sample.timeUs),
      usToSeconds(sample.durationUs),
    );
    await videoSource.add(packet, i === 0 ? { decoderConfig: clip.video.decoderConfig } : undefined);
  }

  if (audioSource && clip.audio) {
    const bytes = clip.audio.chunks.bytes;
    for (const [i, sample] of plan.audio.entries()) {
      const packet = new EncodedPacket(bytes.subarray(sample.offset, sample.offset + sample.byteLength), 'key', usToSeconds(sample.timeUs), usToSeconds(sample.durationUs));
      await audioSource.add(packet, i === 0 ? { decoderConfig: clip.audio.decoderConfig } : undefined);
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
