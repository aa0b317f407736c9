/**
 * Pass 2: decode every chunk from the keyframe before the cut, in order, and write the GIF. Each
 * decoded frame is held only until the next one arrives: then it is known which output instants
 * it covers (often none: closed unseen), and it is scaled, mapped to the palette and appended.
 */
import type { GifWriter } from '../../src/gif/gif-encode';
import type { DecodeSpan } from '../../src/gif/gif-decode-plan';
import { SourceFramePicker, splitGifDelayCs } from '../../src/gif/gif-timing';
import type { VideoTrackInput } from '../../src/clip/clip-input';
import { encodedChunkAt } from './clip-chunks';
import { yieldToEventLoop, type DecodeJob } from './decode-scheduler';
import type { FrameReader } from './frame-reader';

export interface FramePassInput {
  job: DecodeJob;
  video: VideoTrackInput;
  config: VideoDecoderConfig;
  span: DecodeSpan;
  /** The GIF's frame instants and each one's delay (gif-timing). */
  outputTimesUs: readonly number[];
  delaysCs: readonly number[];
  /** Gets the share of this pass done, in (0, 1]. */
  onProgress: (fraction: number) => void;
}

/** Appends every output frame of the span to `writer`, whose palette is built, read by `reader`. */
export async function framePass(input: FramePassInput, reader: FrameReader, writer: GifWriter): Promise<void> {
  const { job, video, config, span, outputTimesUs, delaysCs, onProgress } = input;
  const picker = new SourceFramePicker(outputTimesUs);
  let held = null as VideoFrame | null;
  let nextOutput = 0;

  /** Writes `frame` for the next `instants` output instants, then releases it. */
  const emit = async (frame: VideoFrame, instants: number): Promise<void> => {
    try {
      if (instants === 0) return;
      let delayCs = 0;
      for (let k = nextOutput; k < nextOutput + instants; k++) delayCs += delaysCs[k]!;
      nextOutput += instants;
      const indices = await reader.indices(frame, writer);
      await yieldToEventLoop();
      job.check();
      for (const pieceCs of splitGifDelayCs(delayCs)) writer.addIndexedFrame(indices, reader.width, reader.height, pieceCs);
      onProgress(nextOutput / outputTimesUs.length);
    } finally {
      job.release(frame);
    }
  };

  const pipeline = job.pipeline(config, async (frame) => {
    const instants = picker.offer(frame.timestamp);
    const previous = held;
    held = frame;
    if (previous) await emit(previous, instants);
  });
  for (let i = span.first; i <= span.last; i++) await pipeline.decode(encodedChunkAt(video, i));
  await pipeline.finish();
  const lastFrame = held as VideoFrame | null;
  if (!lastFrame) throw new Error('No frame of the clip could be decoded.');
  await emit(lastFrame, picker.finish());
}
