/**
 * Video track -> VideoEncoder. Picks the best supported codec for the frame size, forces a
 * keyframe on a fixed interval, reconfigures when the tab's size or the region changes, crops
 * to the region, and drops frames (counted) instead of queueing without bound when the encoder
 * falls behind. It keeps the newest frame and paces the encoder itself (src/cadence/): a page
 * that stops painting is still recorded, and sustained overload lowers the pace evenly.
 */
import { FrameCadence, type FrameRateMode } from '../src/cadence/frame-cadence';
import { OverloadGovernor, type OverloadPreference } from '../src/cadence/overload-governor';
import { defaultVideoBitrateBps, evenSize, videoCandidates, type VideoCandidate } from '../src/codec/codecs';
import { rescaleRegion, snapRegion, type FrameSize, type RegionRect } from '../src/region/region-rect';
import { US_PER_MS } from '../src/units';
import { localize, type LocalText } from '../src/i18n/english';

export interface VideoPipelineOptions {
  fps: number;
  frameRateMode: FrameRateMode;
  /** What overload gives up last. */
  overloadPreference: OverloadPreference;
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
  /** The tab's new size leaves no room for the region: the whole tab is recorded again. */
  onRegionLost(message: LocalText): void;
  /** The pace changed under load (or back): the frame rate and size now encoded. */
  onPace(pace: VideoPace): void;
}

export interface VideoPace {
  fps: number;
  /** Fraction of the captured (or region's) width and height encoded. */
  scale: number;
  degraded: boolean;
}

/** A region in the pixels of the frame size it was set for; other sizes scale it. */
export interface FrameRegion {
  rect: RegionRect;
  frame: FrameSize;
}

/** A snapshot of the tab is at most this wide (enough to draw a region on). */
const SNAPSHOT_MAX_WIDTH_PX = 1280;

/** Encoder failures tolerated before giving up (each one retries, the codec that failed last). */
const MAX_ENCODER_FAILURES = 5;

/** A capture that has sent no frame this long after it started is asked for one (a still page). */
const FIRST_FRAME_WAIT_MS = 500;
/** How many times it is asked before the pipeline waits for the page to paint. */
const FIRST_FRAME_ASKS = 5;

/** The overload governor judges the load over windows this long. */
const LOAD_WINDOW_MS = 1_000;

export interface VideoPipelineStats {
  codec: string | null;
  /** The encoded size: the region's, when one is set. */
  width: number | null;
  height: number | null;
  /** The tab's frame (even) size, and the crop applied to it in its pixels. */
  frame: FrameSize | null;
  crop: RegionRect | null;
  /** Frames the tab painted. */
  capturedFrames: number;
  encodedFrames: number;
  /** Of the encoded frames, those the recorder encoded again while the page did not paint. */
  repeatedFrames: number;
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
  #stats: VideoPipelineStats = { codec: null, width: null, height: null, frame: null, crop: null, capturedFrames: 0, encodedFrames: 0, repeatedFrames: 0, droppedFrames: 0 };
  #failedCodecs = new Set<string>();
  #failures = 0;
  #region: FrameRegion | null = null;
  /** The crop for `#cropFrame`'s size, worked out once per size and region. */
  #crop: RegionRect | null = null;
  #cropFrame: FrameSize | null = null;
  #snapshots: ((frame: VideoFrame) => void)[] = [];
  /** The newest frame the tab painted, kept open until the next one: what a still page shows. */
  #held: { frame: VideoFrame; arrivalUs: number; encoded: boolean } | null = null;
  readonly #cadence: FrameCadence;
  #tick: ReturnType<typeof setTimeout> | null = null;
  readonly #governor: OverloadGovernor;
  readonly #loadTimer: ReturnType<typeof setInterval>;
  #load = { wanted: 0, dropped: 0 };
  /** Fraction of the frame's width and height encoded (below 1 under overload, keeping the frame rate). */
  #scale = 1;

  constructor(private readonly options: VideoPipelineOptions) {
    this.#cadence = new FrameCadence({ mode: options.frameRateMode, fps: options.fps, repeatAfterUs: options.keyframeIntervalUs });
    this.#governor = new OverloadGovernor({ preference: options.overloadPreference });
    this.#loadTimer = setInterval(() => this.#judgeLoad(), LOAD_WINDOW_MS);
  }

  get pace(): VideoPace {
    return { fps: this.#cadence.fps, scale: this.#scale, degraded: this.#governor.degraded };
  }

  get stats(): VideoPipelineStats {
    return { ...this.#stats };
  }

  /** Reads frames until the track ends or stop() is called. */
  async run(track: MediaStreamTrack): Promise<void> {
    const reader = (new MediaStreamTrackProcessor({ track }).readable as ReadableStream<VideoFrame>).getReader();
    this.#reader = reader;
    void this.#askForFirstFrame(track);
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done || this.#stopped) {
        frame?.close();
        return;
      }
      this.#onFrame(frame);
    }
  }

  /**
   * Tab capture sends its first frame when a sink attaches, but on a loaded machine that frame
   * can be lost, and a still page then sends nothing until it paints. A new sink on a clone of
   * the track makes the source send a frame again, to every sink of the track.
   */
  async #askForFirstFrame(track: MediaStreamTrack): Promise<void> {
    for (let ask = 0; ask < FIRST_FRAME_ASKS; ask++) {
      await new Promise((resolve) => setTimeout(resolve, FIRST_FRAME_WAIT_MS));
      if (this.#stopped || this.#stats.capturedFrames > 0 || track.readyState === 'ended') return;
      const clone = track.clone();
      const reader = (new MediaStreamTrackProcessor({ track: clone }).readable as ReadableStream<VideoFrame>).getReader();
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), FIRST_FRAME_WAIT_MS));
      const read = await Promise.race([reader.read().catch(() => null), timeout]);
      read?.value?.close();
      await reader.cancel().catch(() => undefined);
      clone.stop();
    }
  }

  #onFrame(frame: VideoFrame): void {
    const arrivalUs = performance.now() * US_PER_MS;
    this.options.onSample(frame.timestamp, arrivalUs);
    this.#stats.capturedFrames++;
    if (this.#snapshots.length > 0) for (const take of this.#snapshots.splice(0)) take(frame);
    // The previous frame is closed here; this one when the next comes or the pipeline stops.
    this.#held?.frame.close();
    this.#held = { frame, arrivalUs, encoded: false };
    if (this.#cadence.onFrame(frame.timestamp)) this.#encode(this.#held, frame.timestamp);
    // A pending tick that comes early finds nothing due and sets the next one: no timer per frame.
    if (this.#tick === null) this.#scheduleTick();
  }

  /** The raw video clock now, read from the newest frame's stamp and how long ago it came. */
  #rawNowUs(): number | null {
    const held = this.#held;
    return held ? held.frame.timestamp + (performance.now() * US_PER_MS - held.arrivalUs) : null;
  }

  #scheduleTick(): void {
    if (this.#tick !== null) clearTimeout(this.#tick);
    this.#tick = null;
    const rawNowUs = this.#rawNowUs();
    const dueUs = rawNowUs === null ? null : this.#cadence.nextTickUs(rawNowUs);
    if (this.#stopped || rawNowUs === null || dueUs === null) return;
    this.#tick = setTimeout(() => this.#onTick(), Math.max(0, (dueUs - rawNowUs) / US_PER_MS));
  }

  /** The page did not paint in time: the kept frame is encoded again, stamped now (or on its slot). */
  #onTick(): void {
    this.#tick = null;
    const held = this.#held;
    const rawNowUs = this.#rawNowUs();
    if (!held || rawNowUs === null || this.#stopped) return;
    for (let stampUs = this.#cadence.onTick(rawNowUs); stampUs !== null; stampUs = this.#cadence.onTick(rawNowUs)) {
      // The clock mapping sees the stamp as a sample that arrived now: the video clock moved on.
      this.options.onSample(stampUs, performance.now() * US_PER_MS);
      this.#encode(held, stampUs);
    }
    this.#scheduleTick();
  }

  /** Encodes the kept frame stamped `timestampUs`, cropped and sized as the pipeline is; never closes it. */
  #encode(held: { frame: VideoFrame; encoded: boolean }, timestampUs: number): void {
    const { frame } = held;
    if (this.#configuring || !this.options.shouldEncode(timestampUs)) return;
    const whole = evenSize(frame.displayWidth, frame.displayHeight);
    const crop = this.#cropFor(whole);
    const { width, height } = this.#encodedSize(crop ?? whole);
    if (!this.#encoder || !this.#config || this.#config.width !== width || this.#config.height !== height) {
      void this.#configure(width, height);
      return;
    }
    this.#load.wanted++;
    if (this.#encoder.encodeQueueSize >= this.options.maxEncodeQueue) {
      this.#stats.droppedFrames++;
      this.#load.dropped++;
      return;
    }
    const keyFrame = this.#forceKeyFrame || this.#lastKeyUs === null || timestampUs - this.#lastKeyUs >= this.options.keyframeIntervalUs;
    this.#forceKeyFrame = false;
    if (keyFrame) this.#lastKeyUs = timestampUs;
    // A view shares the frame's memory: a crop or a new stamp costs no copy.
    const visibleRect = crop ? { x: frame.visibleRect!.x + crop.x, y: frame.visibleRect!.y + crop.y, width: crop.width, height: crop.height } : undefined;
    const input = visibleRect || timestampUs !== frame.timestamp ? new VideoFrame(frame, { timestamp: timestampUs, ...(visibleRect ? { visibleRect } : {}) }) : frame;
    try {
      this.#encoder.encode(input, { keyFrame });
      this.#stats.encodedFrames++;
      if (held.encoded) this.#stats.repeatedFrames++;
      held.encoded = true;
    } finally {
      if (input !== frame) input.close();
    }
  }

  /** The size the encoder is given: the frame's (or region's), scaled down under overload. */
  #encodedSize(size: FrameSize): FrameSize {
    if (this.#scale === 1) return size;
    return evenSize(Math.round(size.width * this.#scale), Math.round(size.height * this.#scale));
  }

  /** Once a second: steps the pace down when the encoder keeps having no room, back up when it has. */
  #judgeLoad(): void {
    const step = this.#governor.observe(this.#load);
    this.#load = { wanted: 0, dropped: 0 };
    if (!step) return;
    const level = this.#governor.level;
    this.#cadence.setFps(this.options.fps * level.fpsFactor);
    if (level.scale !== this.#scale) {
      this.#scale = level.scale;
      // Another size is another stream: new decoder config, next frame a keyframe.
      this.#config = null;
    }
    this.options.onPace(this.pace);
  }

  /** The crop for a frame of `size`: the region scaled to it, or null for the whole frame. */
  #cropFor(size: FrameSize): RegionRect | null {
    if (this.#cropFrame?.width === size.width && this.#cropFrame.height === size.height) return this.#crop;
    this.#cropFrame = size;
    this.#crop = null;
    const region = this.#region;
    if (region) {
      const scaled = rescaleRegion(region.rect, region.frame, size) ?? region.rect;
      const snapped = snapRegion(scaled, size);
      if (snapped.ok && !snapped.whole) this.#crop = snapped.rect;
      else {
        this.#region = null;
        this.options.onRegionLost(snapped.ok ? localize('err_region_covers_tab') : localize('err_region_lost_resize', snapped.error));
      }
    }
    this.#stats = { ...this.#stats, frame: size, crop: this.#crop };
    return this.#crop;
  }

  /** Records only `region` from the next frame on (null: the whole tab); the encoder is configured again. */
  setRegion(region: FrameRegion | null): void {
    this.#region = region;
    this.#cropFrame = null;
    // A new region is a new stream: new decoder config, next frame a keyframe.
    this.#config = null;
  }

  /** A JPEG of the next frame (uncropped), at most SNAPSHOT_MAX_WIDTH_PX wide. */
  snapshot(timeoutMs: number): Promise<{ blob: Blob; frame: FrameSize } | null> {
    return new Promise((resolve, reject) => {
      const take = (frame: VideoFrame): void => {
        clearTimeout(timer);
        const scale = Math.min(1, SNAPSHOT_MAX_WIDTH_PX / frame.displayWidth);
        const canvas = new OffscreenCanvas(Math.round(frame.displayWidth * scale), Math.round(frame.displayHeight * scale));
        // Drawn now, while the frame is open; the encode path closes it right after.
        canvas.getContext('2d')!.drawImage(frame, 0, 0, canvas.width, canvas.height);
        const size = evenSize(frame.displayWidth, frame.displayHeight);
        canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 }).then((blob) => resolve({ blob, frame: size }), reject);
      };
      const timer = setTimeout(() => {
        this.#snapshots = this.#snapshots.filter((waiting) => waiting !== take);
        resolve(null);
      }, timeoutMs);
      this.#snapshots.push(take);
    });
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
    // The frame that started the configuration is encoded, not lost (constant mode: its slot comes).
    const held = this.#held;
    if (held && this.#config && !this.#stopped && this.#cadence.mode === 'variable') this.#encode(held, held.frame.timestamp);
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
    if (!recovering) {
      this.#stopped = true;
      clearInterval(this.#loadTimer);
    }
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
    clearInterval(this.#loadTimer);
    if (this.#tick !== null) clearTimeout(this.#tick);
    this.#tick = null;
    await this.#reader?.cancel().catch(() => undefined);
    this.#held?.frame.close();
    this.#held = null;
    if (this.#encoder && this.#encoder.state !== 'closed') this.#encoder.close();
  }
}
