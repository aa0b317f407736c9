/**
 * What the timeline draws of a clip, decoded from its file with mediabunny: a strip of
 * thumbnails and the audio's peaks. Decodes run one at a time (two cores: the preview plays
 * meanwhile) and each result is kept for the page's life, so reordering clips decodes nothing.
 * mediabunny's CanvasSink closes the frames it draws; every audio sample is closed here.
 */
import { ALL_FORMATS, AudioSampleSink, BlobSource, CanvasSink, Input } from 'mediabunny';
import { t } from '../i18n';
import { oneAtATime } from '../../src/async/one-at-a-time';

const decodeOneAtATime = oneAtATime();
const cache = new Map<string, Promise<unknown>>();

function once<T>(key: string, work: () => Promise<T>): Promise<T> {
  let result = cache.get(key) as Promise<T> | undefined;
  if (!result) {
    result = decodeOneAtATime(work);
    cache.set(key, result);
  }
  return result;
}

async function withInput<T>(file: File, use: (input: Input) => Promise<T>): Promise<T> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    return await use(input);
  } finally {
    input.dispose();
  }
}

/** `count` frames spread evenly over the clip, side by side, each `heightPx` tall. */
export function thumbnailStrip(key: string, file: File, count: number, heightPx: number): Promise<ImageBitmap> {
  return once(`strip:${key}:${count}x${heightPx}`, () => withInput(file, async (input) => {
    const video = await input.getPrimaryVideoTrack();
    if (!video) throw new Error(t('editor_no_video'));
    const durationSec = await input.computeDuration();
    const widthPx = Math.max(1, Math.round((heightPx * video.displayWidth) / video.displayHeight));
    const strip = new OffscreenCanvas(widthPx * count, heightPx);
    const context = strip.getContext('2d')!;
    const sink = new CanvasSink(video, { width: widthPx, height: heightPx, fit: 'fill', poolSize: 1 });
    const times = Array.from({ length: count }, (_, i) => ((i + 0.5) / count) * durationSec);
    let slot = 0;
    for await (const wrapped of sink.canvasesAtTimestamps(times)) {
      if (wrapped) context.drawImage(wrapped.canvas, slot * widthPx, 0);
      slot++;
    }
    return strip.transferToImageBitmap();
  }));
}

/** The loudest sample (0-1, any channel) in each of `buckets` equal slices of the clip; null without audio. */
export function audioPeaks(key: string, file: File, buckets: number): Promise<Float32Array | null> {
  return once(`peaks:${key}:${buckets}`, () => withInput(file, async (input) => {
    const audio = await input.getPrimaryAudioTrack();
    if (!audio) return null;
    const durationSec = await input.computeDuration();
    const peaks = new Float32Array(buckets);
    let plane = new Float32Array(0);
    for await (const sample of new AudioSampleSink(audio).samples(0, durationSec)) {
      try {
        if (plane.length < sample.numberOfFrames) plane = new Float32Array(sample.numberOfFrames);
        for (let channel = 0; channel < sample.numberOfChannels; channel++) {
          sample.copyTo(plane, { planeIndex: channel, format: 'f32-planar' });
          for (let i = 0; i < sample.numberOfFrames; i++) {
            const timeSec = sample.timestamp + i / sample.sampleRate;
            if (timeSec < 0) continue;
            const bucket = Math.min(buckets - 1, Math.floor((timeSec / durationSec) * buckets));
            const value = Math.abs(plane[i]!);
            if (value > peaks[bucket]!) peaks[bucket] = value;
          }
        }
      } finally {
        sample.close();
      }
    }
    return peaks;
  }));
}
