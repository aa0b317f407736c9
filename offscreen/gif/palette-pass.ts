/**
 * Pass 1: decode a few keyframes spread across the clip (each decodes on its own) and quantize
 * the GIF's one global palette from them. It runs before any frame can be written, so it samples
 * little: more samples add little colour and delay everything after.
 */
import { gifFrameSize, type GifWriter } from '../../src/gif/gif-encode';
import type { VideoTrackInput } from '../../src/clip/clip-input';
import { encodedChunkAt } from './clip-chunks';
import type { DecodeJob } from './decode-scheduler';
import { FrameReader } from './frame-reader';

/** Keyframes decoded for the palette at most; their RGBA is held until the palette is built. */
export const MAX_PALETTE_SAMPLES = 8;

export interface PalettePassInput {
  job: DecodeJob;
  video: VideoTrackInput;
  config: VideoDecoderConfig;
  /** Chunk indices of the keyframes to sample, at most {@link MAX_PALETTE_SAMPLES}. */
  keyframes: readonly number[];
  widthPx: number;
  /** Gets the share of this pass done, in (0, 1]. */
  onProgress: (fraction: number) => void;
}

/**
 * Builds `writer`'s palette from the sampled keyframes; returns the reader sized for the GIF
 * (from the first decoded frame) that the frame pass goes on with.
 */
export async function palettePass(input: PalettePassInput, writer: GifWriter): Promise<FrameReader> {
  const { job, video, config, keyframes, widthPx, onProgress } = input;
  let reader = null as FrameReader | null;
  const samples: Uint8ClampedArray[] = [];
  const sampler = job.pipeline(config, async (frame) => {
    try {
      if (!reader) {
        const size = gifFrameSize(frame.displayWidth, frame.displayHeight, widthPx);
        reader = new FrameReader(size.width, size.height);
      }
      samples.push((await reader.rgba(frame)).slice());
    } finally {
      job.release(frame);
    }
    onProgress(samples.length / keyframes.length);
  });
  for (const index of keyframes) await sampler.decode(encodedChunkAt(video, index));
  await sampler.finish();
  if (samples.length === 0 || !reader) throw new Error('No keyframe of the clip could be decoded.');
  writer.buildPalette(samples);
  return reader;
}
