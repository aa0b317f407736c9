/**
 * The clip's video as WebCodecs wants it: a decoder configuration, and each chunk of the copied
 * ring-buffer bytes as an EncodedVideoChunk.
 */
import type { VideoTrackInput } from '../../src/clip/clip-input';

/** Low latency: the GIF passes wait for each frame before feeding more chunks. */
export function decoderConfigOf(video: VideoTrackInput): VideoDecoderConfig {
  const { codec, codedWidth, codedHeight, description } = video.decoderConfig;
  return { codec, codedWidth, codedHeight, optimizeForLatency: true, ...(description ? { description } : {}) };
}

/** Chunk `index` of the clip, viewing (not copying) its bytes. */
export function encodedChunkAt(video: VideoTrackInput, index: number): EncodedVideoChunk {
  const chunk = video.chunks.chunks[index]!;
  return new EncodedVideoChunk({
    type: chunk.key ? 'key' : 'delta',
    timestamp: chunk.timestampUs,
    duration: chunk.durationUs,
    data: video.chunks.bytes.subarray(chunk.offset, chunk.offset + chunk.byteLength),
  });
}
