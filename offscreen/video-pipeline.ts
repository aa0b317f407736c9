/**
 * Video track -> VideoEncoder. Picks the best supported codec for the frame size, forces a
 * keyframe on a fixed interval, reconfigures when the tab's size changes, and drops frames
 * (counted) instead of queueing without bound when the encoder falls behind.
 */
import { defaultVideoBitrateBps, evenSize, videoCandidates, type VideoCandidate } from '../src/codec/codecs';
import { US_PER_MS } from '../src/units';

export interface VideoPipelineOptions {
  fps: number;
  keyframeIntervalUs: number;
  /** 0 = derive from size and frame rate. */
  bitrateBps: number;
  /** Frames waiting in the encoder beyond which new frames are dropped. */
  maxEncodeQueue: number;
  /** Every captured frame's raw timestamp and arrival time (for the clock mapping). */
  onSample(rawTimestampUs: number, arrivalUs: number): void;
  /**
   * Whether a frame will be kept (false while paused). A frame that is encoded and then dropped
   * would break the reference chain of the frames after it, so it is never encoded at all.
   */
  shouldEncode(rawTimestampUs: number): boolean;
  onChunk(chunk: EncodedVideoChunk, decoderConfig: VideoDecoderConfig | undefined): void;
  /** `recovering`: the pipeline reconfigures (another codec if needed) and keeps recording. */
  onError(error: Error, recovering: boolean): void;
}

/** Encoder failures tolerated before giving up (each one retries, the codec that failed last). */
const MAX_ENCODER_FAILURES = 5;

export interface VideoPipelineStats {
  codec: string | null;
  width: number | null;
  height: number | null;
  encodedFrames: number;
  droppedFrames: number;
}

async function chooseConfig(
  width: number,
  height: number,
  options: VideoPipelineOptions,
  failedCodecs: ReadonlySet<string>,
): Promise<{ config: VideoEncoderConfig; candidate: VideoCandidate }> {
  const bitrate = options.bitrateBps > 0 ? options.bitrateBps : defaultVideoBitrateBps(width, height, options.fps);
  // Codecs that failed mid-stream go last: retried only when nothing else is left.
  const candidates = videoCandidates(width, height, options.fps);
  const ordered = [...candidates.filter((c) => !failedCodecs.has(c.codec)), ...candidates.filter((c) => failedCodecs.has(c.codec))];
  for (const candidate of ordered) {
    const config: VideoEncoderConfig = {
      codec: candidate.codec,
      width,
      height,
      bitrate,
      framerate: options.fps,
      latencyMode: 'realtime',
      ...(candidate.container === 'avc' ? { avc: { format: 'avc' as const } } : {}),
    };
    const support = await VideoEncoder.isConfigSupported(config);
    if (support.supported) return { config, candidate };
  }
  throw new Error(`No video encoder supports ${width}x${height} at ${options.fps} fps.`);
}

export class VideoPipeline {
  #encoder: VideoEncoder | null = null;
  #config: VideoEncoderConfig | null = null;
  #configuring = false;
  #lastKeyUs: number | null = null;
  #reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
  #stopped = false;
  #forceKeyFrame = false;
  #stats: VideoPipelineStats = { codec: null, width: null, height: null, encodedFrames: 0, droppedFrames: 0 };
  #failedCodecs = new Set<string>();
  #failures = 0;

  constructor(private readonly options: VideoPipelineOptions) {}

  get stats(): VideoPipelineStats {
    return { ...this.#stats };
  }

  /** Reads frames until the track ends or stop() is called. */
  async run(track: MediaStreamTrack): Promise<void> {
    const reader = (new MediaStreamTrackProcessor({ track }).readable as ReadableStream<VideoFrame>).getReader();
    this.#reader = reader;
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done || this.#stopped) {
        frame?.close();
        return;
      }
      this.#onFrame(frame);
    }
  }

  #onFrame(frame: VideoFrame): void {
    // Every path below closes the frame: a leaked VideoFrame stalls capture within seconds.
    this.options.onSample(frame.timestamp, performance.now() * US_PER_MS);
    const { width, height } = evenSize(frame.displayWidth, frame.displayHeight);
    if (this.#configuring || !this.options.shouldEncode(frame.timestamp)) {
      frame.close();
      return;
    }
    if (!this.#encoder || !this.#config || this.#config.width !== width || this.#config.height !== height) {
      frame.close();
      void this.#configure(width, height);
      return;
    }
    if (this.#encoder.encodeQueueSize >= this.options.maxEncodeQueue) {
      this.#stats.droppedFrames++;
      frame.close();
      return;
    }
    const keyFrame = this.#forceKeyFrame || this.#lastKeyUs === null || frame.timestamp - this.#lastKeyUs >= this.options.keyframeIntervalUs;
    this.#forceKeyFrame = false;
    if (keyFrame) this.#lastKeyUs = frame.timestamp;
    try {
      this.#encoder.encode(frame, { keyFrame });
      this.#stats.encodedFrames++;
    } finally {
      frame.close();
    }
  }

  async #configure(width: number, height: number): Promise<void> {
    this.#configuring = true;
    try {
      const { config } = await chooseConfig(width, height, this.options, this.#failedCodecs);
      if (this.#stopped) return;
      if (!this.#encoder || this.#encoder.state === 'closed') {
        const encoder = new VideoEncoder({
          output: (chunk, metadata) => this.options.onChunk(chunk, metadata?.decoderConfig),
          error: (error) => this.#onEncoderError(encoder, error),
        });
        this.#encoder = encoder;
      }
      // A new size needs a new decoder config; the next frame must be a keyframe.
      this.#encoder.configure(config);
      this.#config = config;
      this.#lastKeyUs = null;
      this.#stats = { ...this.#stats, codec: config.codec, width, height };
    } catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)), false);
    } finally {
      this.#configuring = false;
    }
  }

  /**
   * An encoder error closes the encoder (a hardware encoder reclaimed, a config the platform
   * stopped supporting). What it produced is already buffered; drop it, remember the codec,
   * and let the next frame configure a fresh one: a new decoder config starts a new epoch.
   */
  #onEncoderError(encoder: VideoEncoder, error: Error): void {
    if (encoder !== this.#encoder) return;
    this.#failures++;
    if (this.#config) this.#failedCodecs.add(this.#config.codec);
    const recovering = !this.#stopped && this.#failures <= MAX_ENCODER_FAILURES;
    if (encoder.state !== 'closed') encoder.close();
    this.#encoder = null;
    this.#config = null;
    if (!recovering) this.#stopped = true;
    this.options.onError(error, recovering);
  }

  /** Makes the next encoded frame a keyframe (after a resume: the new segment stands alone). */
  requestKeyFrame(): void {
    this.#forceKeyFrame = true;
  }

  /** Stops reading and closes the encoder without flushing (what is buffered is already kept). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#reader?.cancel().catch(() => undefined);
    if (this.#encoder && this.#encoder.state !== 'closed') this.#encoder.close();
  }
}
