/**
 * One GIF encode, in two passes over the chunks so memory stays bounded however long the clip
 * (a few decoded frames, a few small palette samples, the GIF being written): the palette pass,
 * then the frame pass. Progress covers both, throttled.
 */
import type { GifEncodeRequest, GifResult } from '../../src/contract/gif-worker-protocol';
import { GifWriter } from '../../src/gif/gif-encode';
import { gifDecodeSpan, paletteSampleKeyframes } from '../../src/gif/gif-decode-plan';
import { gifDelaysCs, outputFrameTimesUs } from '../../src/gif/gif-timing';
import { decoderConfigOf } from './clip-chunks';
import type { DecodeJob } from './decode-scheduler';
import { framePass } from './frame-pass';
import { MAX_PALETTE_SAMPLES, palettePass } from './palette-pass';

/** Share of the progress bar given to the palette pass (it is short next to the frame pass). */
const PALETTE_PROGRESS = 0.1;
/** Progress is reported at most once per this step, so messages stay few. */
const PROGRESS_STEP = 0.02;
const CS_PER_S = 100;

/** `report`, called only when the fraction moved by {@link PROGRESS_STEP} or reached 1. */
function throttledProgress(report: (fraction: number) => void): (fraction: number) => void {
  let reported = 0;
  return (fraction) => {
    if (fraction - reported < PROGRESS_STEP && fraction < 1) return;
    reported = fraction;
    report(fraction);
  };
}

/** Encodes the request's span to a GIF; throws when `job` is cancelled or fails. */
export async function encodeGif(job: DecodeJob, request: GifEncodeRequest, onProgress: (fraction: number) => void): Promise<GifResult> {
  const { startUs, endUs, video, widthPx, fps } = request;
  const { chunks } = video.chunks;
  const config = decoderConfigOf(video);
  const span = gifDecodeSpan(chunks, startUs, endUs);
  const outputTimesUs = outputFrameTimesUs(startUs, endUs, fps);
  const delaysCs = gifDelaysCs(outputTimesUs, endUs);
  const progress = throttledProgress(onProgress);

  const writer = new GifWriter();
  try {
    const keyframes = paletteSampleKeyframes(chunks, span, MAX_PALETTE_SAMPLES);
    const reader = await palettePass(
      { job, video, config, keyframes, widthPx, onProgress: (fraction) => progress(PALETTE_PROGRESS * fraction) },
      writer,
    );
    const onFrames = (fraction: number): void => progress(PALETTE_PROGRESS + (1 - PALETTE_PROGRESS) * fraction);
    await framePass({ job, video, config, span, outputTimesUs, delaysCs, onProgress: onFrames }, reader, writer);
    job.check();
    const stats = writer.stats;
    const data = writer.finish();
    return { data, frames: stats.frames, durationSec: stats.totalDelayCs / CS_PER_S, widthPx: reader.width, heightPx: reader.height };
  } finally {
    writer.dispose();
  }
}
