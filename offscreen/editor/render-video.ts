/**
 * The export's video track, run by run from the render plan: copied runs take the source's
 * packets as they are; encoded runs decode the layers they need (mediabunny's VideoSampleSink
 * decodes from the keyframe before), compose each output frame and encode it, starting with a
 * keyframe so the copied packets after it still decode. mediabunny's Conversion API re-encodes
 * a whole track or copies it whole; splicing both into one track is what it lacks.
 */
import { EncodedPacketSink, VideoSampleSink, type InputVideoTrack, type VideoSample } from 'mediabunny';
import type { LoosePacket } from '../../src/clip/pack-chunks';
import { instructionAt, rampAt, sourceTimeUs, type Composition, type CropRect } from '../../src/edit/composition';
import { decoderConfigKey } from '../../src/edit/read-source';
import { encodeFrameTimesUs, type EncodeRun, type RenderPlan } from '../../src/edit/render-plan';
import { secondsToUs, US_PER_S } from '../../src/units';
import { composeFrame, type LayerFrame } from './compose-frame';

/** A keyframe at least this often within a long encoded run (seeking in the result). */
const KEYFRAME_INTERVAL_US = 2 * US_PER_S;
/** Frames queued in the encoder before the renderer waits for it. */
const MAX_ENCODE_QUEUE = 4;
/** Times read back from a file are rounded to microseconds: this much apart is the same instant. */
const SAME_TIME_US = 500;
/**
 * A source frame starting this little after an output instant is the one shown there: capture
 * stamps wander a couple of ms around the display's refresh grid, and a frame 2 ms "late" on
 * one clip's clock would otherwise leave the previous frame showing for a whole frame.
 */
const SHOWING_SLACK_US = 4_000;

export interface VideoRenderContext {
  composition: Composition;
  plan: RenderPlan;
  /** The video track of each source (same indices as the composition's sources). */
  tracks: readonly InputVideoTrack[];
  encoderConfig: VideoEncoderConfig;
  /** Output time rendered so far. */
  onProgress(doneUs: number): void;
  /** Throws once the export is cancelled. */
  checkCancelled(): void;
}

export interface RenderedVideo {
  packets: LoosePacket[];
  /** The encoder's decoder config, when anything was encoded. */
  encodedConfig: VideoDecoderConfig | null;
  /** decoderConfigKey of every config the encoder announced (more than one cannot share a track). */
  encodedConfigKeys: string[];
}

/** The frame showing at each asked time of one segment, decoded in order and closed when passed. */
class FrameCursor {
  #current: VideoSample | null = null;
  #next: VideoSample | null = null;
  #started = false;
  readonly #samples: AsyncGenerator<VideoSample, void, unknown>;

  constructor(track: InputVideoTrack, fromUs: number, toUs: number) {
    this.#samples = new VideoSampleSink(track).samples(fromUs / US_PER_S, toUs / US_PER_S);
  }

  async #pull(): Promise<VideoSample | null> {
    const { value, done } = await this.#samples.next();
    return done ? null : value;
  }

  async at(timeUs: number): Promise<VideoSample> {
    if (!this.#started) {
      this.#started = true;
      this.#next = await this.#pull();
    }
    while (this.#next && (this.#current === null || secondsToUs(this.#next.timestamp) <= timeUs + SHOWING_SLACK_US)) {
      this.#current?.close();
      this.#current = this.#next;
      this.#next = await this.#pull();
    }
    if (!this.#current) throw new Error('A source clip has no frame to show here.');
    return this.#current;
  }

  async close(): Promise<void> {
    this.#current?.close();
    this.#next?.close();
    await this.#samples.return(undefined);
  }
}

async function copyRun(context: VideoRenderContext, segmentIndex: number, fromFrame: number, toFrame: number, out: LoosePacket[]): Promise<void> {
  const { composition } = context;
  const segment = composition.segments[segmentIndex]!;
  const source = composition.sources[segment.source]!;
  const sink = new EncodedPacketSink(context.tracks[segment.source]!);
  const firstUs = source.frameTimesUs[fromFrame]!;
  // The packet at a frame's time, read back from its rounded microseconds.
  let packet = await sink.getPacket((firstUs + SAME_TIME_US / 2) / US_PER_S);
  for (let frame = fromFrame; frame < toFrame; frame++) {
    if (!packet) throw new Error(`${source.id} ended before its frame ${frame}.`);
    const timeUs = secondsToUs(packet.timestamp);
    if (Math.abs(timeUs - source.frameTimesUs[frame]!) > SAME_TIME_US) throw new Error(`${source.id}: frame ${frame} is not where its index said.`);
    out.push({
      data: packet.data,
      timestampUs: segment.outputStartUs + timeUs - segment.sourceStartUs,
      durationUs: secondsToUs(packet.duration),
      key: packet.type === 'key',
    });
    context.checkCancelled();
    packet = await sink.getNextPacket(packet);
  }
}

/** Renders the whole video track of the plan. */
export async function renderVideo(context: VideoRenderContext): Promise<RenderedVideo> {
  const { composition, plan, encoderConfig } = context;
  const packets: LoosePacket[] = [];
  let encodedConfig: VideoDecoderConfig | null = null;
  const encodedConfigKeys: string[] = [];
  let encoderError: Error | null = null;
  let runPackets: LoosePacket[] = [];
  const encoder = new VideoEncoder({
    output: (chunk, metadata) => {
      if (metadata?.decoderConfig) {
        encodedConfig ??= metadata.decoderConfig;
        encodedConfigKeys.push(decoderConfigKey(metadata.decoderConfig));
      }
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      runPackets.push({ data, timestampUs: chunk.timestamp, durationUs: chunk.duration ?? 0, key: chunk.type === 'key' });
    },
    error: (error) => {
      encoderError = error;
    },
  });
  const needsEncoder = plan.video.some((run) => run.kind === 'encode');
  if (needsEncoder) encoder.configure(encoderConfig);
  try {
    for (const run of plan.video) {
      if (run.kind === 'copy') {
        await copyRun(context, run.segment, run.fromFrame, run.toFrame, packets);
        const segment = composition.segments[run.segment]!;
        const lastUs = composition.sources[segment.source]!.frameTimesUs[run.toFrame - 1]!;
        context.onProgress(segment.outputStartUs + lastUs - segment.sourceStartUs);
        continue;
      }
      runPackets = [];
      await encodeRun(context, run, encoder, () => encoderError);
      await encoder.flush();
      if (encoderError) throw encoderError;
      // A loop, not push(...run): an hour-long encoded run would exceed the argument limit.
      for (const packet of runPackets.sort((a, b) => a.timestampUs - b.timestampUs)) packets.push(packet);
    }
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  return { packets, encodedConfig, encodedConfigKeys };
}

async function encodeRun(context: VideoRenderContext, run: EncodeRun, encoder: VideoEncoder, error: () => Error | null): Promise<void> {
  const { composition } = context;
  const cursors = new Map<number, FrameCursor>();
  const cropFor = (segmentIndex: number): CropRect | null => {
    const source = composition.sources[composition.segments[segmentIndex]!.source]!;
    const first = composition.sources[composition.segments[0]!.source]!;
    // The crop is in the first clip's pixels: clips of its size share it, others show whole.
    return composition.crop && source.width === first.width && source.height === first.height ? composition.crop : null;
  };
  const times = encodeFrameTimesUs(composition, run);
  let lastKeyUs = -Infinity;
  try {
    for (const timeUs of times) {
      context.checkCancelled();
      const failure = error();
      if (failure) throw failure;
      const instruction = instructionAt(composition, timeUs);
      const layers: LayerFrame[] = [];
      const clones: VideoFrame[] = [];
      for (const layer of instruction.layers) {
        const segment = composition.segments[layer.segment]!;
        let cursor = cursors.get(layer.segment);
        if (!cursor) {
          cursor = new FrameCursor(context.tracks[segment.source]!, sourceTimeUs(segment, timeUs), segment.sourceEndUs);
          cursors.set(layer.segment, cursor);
        }
        const sample = await cursor.at(sourceTimeUs(segment, timeUs));
        const frame = sample.toVideoFrame();
        clones.push(frame);
        layers.push({ frame, opacity: rampAt(layer.opacity, instruction, timeUs), crop: cropFor(layer.segment) });
      }
      const composed = await composeFrame(layers, composition.width, composition.height, timeUs);
      for (const clone of clones) clone.close();
      const keyFrame = timeUs === run.startUs || timeUs - lastKeyUs >= KEYFRAME_INTERVAL_US;
      if (keyFrame) lastKeyUs = timeUs;
      encoder.encode(composed, { keyFrame });
      composed.close();
      while (encoder.encodeQueueSize > MAX_ENCODE_QUEUE) await new Promise((resolve) => encoder.addEventListener('dequeue', resolve, { once: true }));
      context.onProgress(timeUs);
    }
  } finally {
    for (const cursor of cursors.values()) await cursor.close();
  }
}
