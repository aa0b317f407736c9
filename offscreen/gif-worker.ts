/// <reference lib="webworker" />
/**
 * Turns a clip of encoded video chunks into an animated GIF off the capture thread.
 *
 * Two passes over the chunks, so memory stays bounded (a few decoded frames, up to 8 small palette
 * samples, the GIF being written) however long the clip:
 * 1. Decode a few keyframes spread across the clip (each decodes on its own) and quantize one
 *    global palette from them.
 * 2. Decode from the keyframe before the cut, in order. Each decoded frame is held only until the
 *    next one arrives: then it is known which output instants it covers (none: closed unseen),
 *    and it is scaled, mapped to the palette and appended to the GIF. At most a handful of
 *    frames are ever open (see MAX_IN_FLIGHT).
 *
 * The decoder runs on its own thread, so pass 2 decodes the next chunks while this thread scales
 * and compresses: the two cores work at once. One request runs at a time; others wait their turn.
 */
import { GifWriter, gifFrameSize } from '../src/gif/gif-encode';
import { gifDelaysCs, MAX_GIF_FPS, outputFrameTimesUs, SourceFramePicker } from '../src/gif/gif-timing';
import { assertNever, errorMessage } from '../src/contract/errors';
import type { VideoTrackInput } from '../src/clip/clip-input';
import { YuvPaletteMap, YuvScaler, yuvMatrixFor, type YuvImage } from '../src/gif/gif-yuv-scale';

export type GifRequest =
  | { id: number; type: 'encode'; startUs: number; endUs: number; video: VideoTrackInput; widthPx: number; fps: number }
  | { id: number; type: 'cancel' };

export type GifResponse =
  | { id: number; type: 'progress'; fraction: number }
  | { id: number; type: 'done'; data: Uint8Array; frames: number; durationSec: number; widthPx: number; heightPx: number }
  | { id: number; type: 'error'; error: string }
  | { id: number; type: 'cancelled' };

type EncodeRequest = Extract<GifRequest, { type: 'encode' }>;

/**
 * Keyframes decoded for the palette at most, spread across the clip. Pass 1 runs before any frame
 * can be written (~20% of a 10 s GIF's time with 11 samples); more samples add little colour.
 */
const MAX_PALETTE_SAMPLES = 8;
/**
 * Chunks queued in a decoder plus decoded frames waiting for this thread, at most: enough to
 * keep the decoder's thread busy while this one scales and compresses, few frames in memory.
 */
const MAX_IN_FLIGHT = 6;
/** Share of the progress bar given to pass 1. */
const PALETTE_PROGRESS = 0.1;
/** Progress is posted at most this often (fraction steps). */
const PROGRESS_STEP = 0.02;
/** A GIF frame's delay is 16-bit. */
const MAX_DELAY_CS = 0xffff;

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(response: GifResponse, transfer: Transferable[] = []): void {
  scope.postMessage(response, transfer);
}

/**
 * Lets queued tasks run before continuing (a macrotask, not a microtask). The VideoDecoder hands
 * chunks to its decoding thread one at a time, from this thread's event loop: while JavaScript
 * runs here, the decoder idles. Measured: 5 ms of work per other frame of a 10 s 720p clip took
 * decode + work = 1.55 s in one slice and max(decode, work) = 0.85 s in 1 ms slices. So frames
 * are processed in steps of a few milliseconds with a yield between them.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Wakes whoever waits for "something changed" (queue space, a frame done, a stop). */
class Signal {
  #waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * One encode: its cancel flag, and every decoder and VideoFrame it opened, so that however it
 * ends (done, error, cancel) `close` leaves nothing open.
 */
class Job {
  cancelled = false;
  /** First out-of-band failure (decoder error, exception while handling a frame). */
  failure: Error | null = null;
  readonly changed = new Signal();
  readonly #decoders = new Set<VideoDecoder>();
  readonly #frames = new Set<VideoFrame>();

  constructor(readonly request: EncodeRequest) {}

  /** Throws if the job must stop: cancelled, or a failure arrived out of band. */
  check(): void {
    if (this.cancelled) throw new Cancelled();
    if (this.failure) throw this.failure;
  }

  get stopped(): boolean {
    return this.cancelled || this.failure !== null;
  }

  fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(errorMessage(error));
    this.#stop();
  }

  cancel(): void {
    this.cancelled = true;
    this.#stop();
  }

  /** Closing the decoders drops their queues and rejects pending flushes: the job unwinds at once. */
  #stop(): void {
    for (const decoder of this.#decoders) if (decoder.state !== 'closed') decoder.close();
    this.changed.notify();
  }

  /**
   * A decoder whose frames go, in order, through `handle` on this thread, one at a time
   * (`handle` owns the frame and must `release` it). Frames of a stopped job are released unseen.
   */
  pipeline(config: VideoDecoderConfig, handle: (frame: VideoFrame) => Promise<void> | void): FramePipeline {
    const pipeline = new FramePipeline(this, handle);
    const decoder = new VideoDecoder({
      output: (frame) => {
        this.#frames.add(frame);
        if (this.stopped) this.release(frame);
        else pipeline.push(frame);
      },
      error: (error) => this.fail(new Error(`Decoding failed: ${error.message}`)),
    });
    decoder.addEventListener('dequeue', () => this.changed.notify());
    this.#decoders.add(decoder);
    decoder.configure(config);
    pipeline.decoder = decoder;
    return pipeline;
  }

  release(frame: VideoFrame): void {
    frame.close();
    this.#frames.delete(frame);
  }

  close(): void {
    this.#stop();
    this.#decoders.clear();
    for (const frame of this.#frames) frame.close();
    this.#frames.clear();
  }
}

/** Decoded frames waiting for their turn on this thread, handled strictly in order. */
class FramePipeline {
  decoder: VideoDecoder | null = null;
  readonly #job: Job;
  readonly #handle: (frame: VideoFrame) => Promise<void> | void;
  readonly #queue: VideoFrame[] = [];
  #running: Promise<void> | null = null;

  constructor(job: Job, handle: (frame: VideoFrame) => Promise<void> | void) {
    this.#job = job;
    this.#handle = handle;
  }

  push(frame: VideoFrame): void {
    this.#queue.push(frame);
    // Cleared in a `finally` callback, which always runs after this assignment even when the
    // run completes synchronously.
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
  }

  async #run(): Promise<void> {
    const job = this.#job;
    try {
      for (let frame = this.#queue.shift(); frame; frame = this.#queue.shift()) {
        if (job.stopped) job.release(frame);
        else await this.#handle(frame);
        job.changed.notify();
      }
    } catch (error) {
      if (!job.cancelled) job.fail(error);
    }
  }

  /** Queues a chunk once the decoder queue and the frames waiting here leave room (backpressure). */
  async decode(chunk: EncodedVideoChunk): Promise<void> {
    const decoder = this.decoder!;
    for (;;) {
      this.#job.check();
      if (decoder.decodeQueueSize + this.#queue.length < MAX_IN_FLIGHT) break;
      await this.#job.changed.wait();
    }
    decoder.decode(chunk);
  }

  /** Waits until every queued chunk is decoded and handled; throws if the job stopped meanwhile. */
  async finish(): Promise<void> {
    const decoder = this.decoder!;
    try {
      await decoder.flush();
    } catch (error) {
      this.#job.check();
      throw error;
    }
    while (this.#running) await this.#running;
    this.#job.check();
    decoder.close();
  }
}

function requireFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`Bad GIF request: ${field} must be a finite number, got ${String(value)}`);
  return value;
}

/** Checks an encode request at the boundary; the message names the bad field. */
function validate(request: EncodeRequest): void {
  const startUs = requireFinite(request.startUs, 'startUs');
  const endUs = requireFinite(request.endUs, 'endUs');
  if (endUs <= startUs) throw new Error(`Bad GIF request: endUs (${endUs}) must be after startUs (${startUs})`);
  const widthPx = requireFinite(request.widthPx, 'widthPx');
  if (!Number.isInteger(widthPx) || widthPx < 2 || widthPx > 4096) throw new Error(`Bad GIF request: widthPx must be an integer in [2, 4096], got ${widthPx}`);
  const fps = requireFinite(request.fps, 'fps');
  if (fps <= 0 || fps > MAX_GIF_FPS) throw new Error(`Bad GIF request: fps must be in (0, ${MAX_GIF_FPS}], got ${fps}`);
  const video = request.video as Partial<VideoTrackInput> | undefined;
  if (!video?.decoderConfig || typeof video.decoderConfig.codec !== 'string') throw new Error('Bad GIF request: video.decoderConfig.codec is missing');
  if (!(video.chunks?.bytes instanceof Uint8Array) || !Array.isArray(video.chunks.chunks)) {
    throw new Error('Bad GIF request: video.chunks must hold bytes (Uint8Array) and chunks (array)');
  }
  if (video.chunks.chunks.length === 0) throw new Error('Bad GIF request: video.chunks.chunks is empty');
}

/**
 * Reads frames at the GIF's size, as RGBA (palette samples) or straight as palette indices.
 * 8-bit 4:2:0 frames (what software decoders give) are copied out, resampled by
 * {@link YuvScaler} and mapped by {@link YuvPaletteMap}: ~4x less work than a canvas without a GPU
 * plus an RGBA palette lookup. Anything else (GPU-backed frames, other formats or matrices) is
 * drawn on a 2D canvas.
 */
class FrameReader {
  readonly width: number;
  readonly height: number;
  readonly #rgba: Uint8ClampedArray;
  readonly #indices: Uint8Array;
  #yuv: YuvScaler | null = null;
  #buffer = new Uint8Array(0);
  #canvas: OffscreenCanvasRenderingContext2D | null = null;
  #paletteMap: YuvPaletteMap | null = null;
  /** Set when copying out failed once: the canvas is used from then on. */
  #copyFailed = false;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.#rgba = new Uint8ClampedArray(width * height * 4);
    this.#indices = new Uint8Array(width * height);
  }

  /** The frame's pixels as RGBA; the array is reused by the next call. */
  async rgba(frame: VideoFrame): Promise<Uint8ClampedArray> {
    const planes = await this.#planes(frame);
    if (!planes) return this.#draw(frame);
    this.#yuv!.scale(planes, this.#rgba);
    return this.#rgba;
  }

  /**
   * The frame as indices into `writer`'s palette; the array is reused by the next call. Works in
   * steps of ~1-2 ms with yields between them (see {@link yieldToEventLoop}).
   */
  async indices(frame: VideoFrame, writer: GifWriter): Promise<Uint8Array> {
    const planes = await this.#planes(frame);
    if (!planes) {
      const rgba = this.#draw(frame);
      await yieldToEventLoop();
      return writer.mapToPalette(rgba, this.#indices);
    }
    this.#yuv!.scalePlanes(planes, 'luma');
    await yieldToEventLoop();
    const scaled = this.#yuv!.scalePlanes(planes, 'chroma');
    this.#paletteMap ??= new YuvPaletteMap((r, g, b) => writer.nearestIndex(r, g, b));
    this.#paletteMap.map(scaled, this.#indices);
    return this.#indices;
  }

  /** The frame's YUV copied out, with a scaler ready for it; null if it must be drawn instead. */
  async #planes(frame: VideoFrame): Promise<YuvImage | null> {
    const rect = frame.visibleRect;
    const format = frame.format === 'I420A' ? 'I420' : frame.format;
    const matrix = rect ? yuvMatrixFor(frame.colorSpace.matrix, rect.height) : null;
    if (this.#copyFailed || !rect || !matrix || (format !== 'I420' && format !== 'NV12')) return null;
    try {
      const size = frame.allocationSize();
      if (this.#buffer.length < size) this.#buffer = new Uint8Array(size);
      const planes = await frame.copyTo(this.#buffer);
      if (this.#yuv?.width !== rect.width || this.#yuv.height !== rect.height) {
        this.#yuv = new YuvScaler(rect.width, rect.height, this.width, this.height);
      }
      return { format, width: rect.width, height: rect.height, data: this.#buffer, planes, matrix, fullRange: frame.colorSpace.fullRange ?? false };
    } catch {
      this.#copyFailed = true;
      return null;
    }
  }

  #draw(frame: VideoFrame): Uint8ClampedArray {
    if (!this.#canvas) {
      this.#canvas = new OffscreenCanvas(this.width, this.height).getContext('2d', { alpha: false, willReadFrequently: true });
      if (!this.#canvas) throw new Error('No 2D canvas in this worker');
      this.#canvas.imageSmoothingQuality = 'medium';
    }
    this.#canvas.drawImage(frame, 0, 0, this.width, this.height);
    return this.#canvas.getImageData(0, 0, this.width, this.height).data;
  }
}

/** Evenly spread picks of at most `max` items, first and last included. */
function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, k) => items[Math.round((k * (items.length - 1)) / (max - 1))]!);
}

async function runEncode(job: Job): Promise<void> {
  const { id, startUs, endUs, video, widthPx, fps } = job.request;
  const { bytes, chunks } = video.chunks;
  const config: VideoDecoderConfig = {
    codec: video.decoderConfig.codec,
    codedWidth: video.decoderConfig.codedWidth,
    codedHeight: video.decoderConfig.codedHeight,
    optimizeForLatency: true,
    ...(video.decoderConfig.description ? { description: video.decoderConfig.description } : {}),
  };
  const toChunk = (index: number): EncodedVideoChunk => {
    const c = chunks[index]!;
    return new EncodedVideoChunk({
      type: c.key ? 'key' : 'delta',
      timestamp: c.timestampUs,
      duration: c.durationUs,
      data: bytes.subarray(c.offset, c.offset + c.byteLength),
    });
  };

  // Decoding starts at the keyframe on screen at startUs; chunks from endUs on are not needed.
  let first = -1;
  for (let i = 0; i < chunks.length && chunks[i]!.timestampUs <= startUs; i++) if (chunks[i]!.key) first = i;
  if (first < 0) first = chunks.findIndex((c) => c.key);
  if (first < 0) throw new Error('The clip has no video keyframe.');
  let last = first;
  for (let i = first; i < chunks.length; i++) if (chunks[i]!.timestampUs < endUs) last = i;

  const outputTimesUs = outputFrameTimesUs(startUs, endUs, fps);
  const delaysCs = gifDelaysCs(outputTimesUs, endUs);

  let reported = 0;
  const progress = (fraction: number): void => {
    if (fraction - reported < PROGRESS_STEP && fraction < 1) return;
    reported = fraction;
    post({ id, type: 'progress', fraction });
  };

  // Pass 1: palette from keyframes across the clip (the one on screen at the start included).
  const keys: number[] = [];
  for (let i = first; i <= last; i++) if (chunks[i]!.key) keys.push(i);
  const sampleKeys = spread(keys, MAX_PALETTE_SAMPLES);
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
    progress((PALETTE_PROGRESS * samples.length) / sampleKeys.length);
  });
  for (const index of sampleKeys) await sampler.decode(toChunk(index));
  await sampler.finish();
  if (samples.length === 0 || !reader) throw new Error('No keyframe of the clip could be decoded.');
  const output: FrameReader = reader;
  const writer = new GifWriter();
  try {
    writer.buildPalette(samples);
    samples.length = 0;

    // Pass 2: every chunk from the first keyframe; a frame is held until the next one arrives,
    // which tells which output instants it covers (often none: closed unseen).
    const picker = new SourceFramePicker(outputTimesUs);
    let held = null as VideoFrame | null;
    let nextOutput = 0;
    const emit = async (frame: VideoFrame, instants: number): Promise<void> => {
      let delayCs = 0;
      for (let k = nextOutput; k < nextOutput + instants; k++) delayCs += delaysCs[k]!;
      nextOutput += instants;
      const indices = await output.indices(frame, writer);
      await yieldToEventLoop();
      job.check();
      // Longer than a GIF delay holds (minutes unchanged): repeat the frame; the writer merges it.
      for (; delayCs > MAX_DELAY_CS; delayCs -= MAX_DELAY_CS) writer.addIndexedFrame(indices, output.width, output.height, MAX_DELAY_CS);
      writer.addIndexedFrame(indices, output.width, output.height, delayCs);
      progress(PALETTE_PROGRESS + ((1 - PALETTE_PROGRESS) * nextOutput) / outputTimesUs.length);
    };
    const pipeline = job.pipeline(config, async (frame) => {
      const instants = picker.offer(frame.timestamp);
      const previous = held;
      held = frame;
      if (!previous) return;
      try {
        if (instants > 0) await emit(previous, instants);
      } finally {
        job.release(previous);
      }
    });
    for (let i = first; i <= last; i++) await pipeline.decode(toChunk(i));
    await pipeline.finish();
    const lastFrame = held as VideoFrame | null;
    if (!lastFrame) throw new Error('No frame of the clip could be decoded.');
    const instants = picker.finish();
    try {
      if (instants > 0) await emit(lastFrame, instants);
    } finally {
      job.release(lastFrame);
    }
    job.check();

    const stats = writer.stats;
    const data = writer.finish();
    post(
      { id, type: 'done', data, frames: stats.frames, durationSec: stats.totalDelayCs / 100, widthPx: output.width, heightPx: output.height },
      [data.buffer as ArrayBuffer],
    );
  } finally {
    writer.dispose();
  }
}

let active: Job | null = null;
/** Jobs waiting for the active one, in arrival order. */
const waiting: Job[] = [];

async function drain(): Promise<void> {
  if (active) return;
  for (let job = waiting.shift(); job; job = waiting.shift()) {
    active = job;
    const { id } = job.request;
    try {
      job.check();
      await runEncode(job);
    } catch (error) {
      if (job.cancelled) post({ id, type: 'cancelled' });
      else post({ id, type: 'error', error: `GIF encoding failed: ${errorMessage(job.failure ?? error)}` });
    } finally {
      job.close();
      active = null;
    }
  }
}

const handlers: { [T in GifRequest['type']]: (request: Extract<GifRequest, { type: T }>) => void } = {
  encode(request) {
    validate(request);
    waiting.push(new Job(request));
    void drain();
  },
  cancel({ id }) {
    if (active?.request.id === id) {
      active.cancel();
      return;
    }
    const index = waiting.findIndex((job) => job.request.id === id);
    if (index >= 0) {
      waiting.splice(index, 1);
      post({ id, type: 'cancelled' });
    }
  },
};

scope.onmessage = (event: MessageEvent<GifRequest>) => {
  const request = event.data as GifRequest | null;
  const id = typeof request?.id === 'number' ? request.id : -1;
  try {
    if (!request || typeof request !== 'object' || id < 0) throw new Error('Bad GIF request: expected an object with a numeric id');
    if (!Object.hasOwn(handlers, request.type)) throw new Error(`Bad GIF request: unknown type ${JSON.stringify(request.type)}`);
    switch (request.type) {
      case 'encode':
        return handlers.encode(request);
      case 'cancel':
        return handlers.cancel(request);
      default:
        return assertNever(request);
    }
  } catch (error) {
    post({ id, type: 'error', error: errorMessage(error) });
  }
};
