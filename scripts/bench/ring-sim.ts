/**
 * A synthetic encoder output driven into the real ring buffer: the arena sizing unit tests and
 * the arena micro-bench share it, so both judge the same streams.
 */
import { RingBuffer, type ChunkInfo, type RingBufferStats, type Track } from '../../src/buffer/ring-buffer';

export const BYTES_PER_MB = 1_000_000;

export interface StreamSpec {
  /** Timeline length to simulate. */
  durationUs: number;
  /** Target video bitrate at a time; each GOP takes the rate at its keyframe. */
  videoBitrateBps: (timeUs: number) => number;
  fps?: number;
  keyframeIntervalFrames?: number;
  /** Audio packet length (Opus: 20 ms) and mean size. */
  audioPacketUs?: number;
  audioPacketBytes?: number;
}

export interface SimChunk {
  track: Track;
  byteLength: number;
  info: ChunkInfo;
}

/**
 * Video at `fps` with a keyframe every `keyframeIntervalFrames` 5-10x the size of a delta frame,
 * each frame +-25 % of its share of the GOP's bytes, interleaved by time with audio packets
 * +-25 % of `audioPacketBytes`.
 */
export function* encodedStream(spec: StreamSpec, rand: () => number): Generator<SimChunk> {
  const fps = spec.fps ?? 30;
  const gopFrames = spec.keyframeIntervalFrames ?? 30;
  const frameUs = 1e6 / fps;
  const audioUs = spec.audioPacketUs ?? 20_000;
  const audioBytes = spec.audioPacketBytes ?? 160;
  const jitter = (bytes: number): number => Math.max(1, Math.round(bytes * (0.75 + rand() * 0.5)));
  let frame = 0;
  let audioIndex = 0;
  let deltaBytes = 0;
  let keyBytes = 0;
  for (;;) {
    const videoUs = Math.round(frame * frameUs);
    const audioTs = audioIndex * audioUs;
    if (Math.min(videoUs, audioTs) >= spec.durationUs) return;
    if (videoUs <= audioTs) {
      const key = frame % gopFrames === 0;
      if (key) {
        const gopBytes = (spec.videoBitrateBps(videoUs) / 8) * (gopFrames / fps);
        const keyOverDelta = 5 + rand() * 5;
        deltaBytes = gopBytes / (keyOverDelta + gopFrames - 1);
        keyBytes = deltaBytes * keyOverDelta;
      }
      yield { track: 'video', byteLength: jitter(key ? keyBytes : deltaBytes), info: { timestampUs: videoUs, durationUs: Math.round(frameUs), key, epoch: 0 } };
      frame++;
    } else {
      yield { track: 'audio', byteLength: jitter(audioBytes), info: { timestampUs: audioTs, durationUs: audioUs, key: true, epoch: 0 } };
      audioIndex++;
    }
  }
}

export interface SimResult {
  stats: RingBufferStats;
  /** Highest arenaBytes / payloadBytes seen after the first eviction. */
  maxRatioFull: number;
  /** arenaBytes / payloadBytes at the end. */
  finalRatio: number;
  /** Video time of the first eviction, or null. */
  fullAtUs: number | null;
  /** Arena resizes (growths and shrinks) at or after `settledFromUs`. */
  resizesAfterSettled: number;
  /** Highest arenaBytes / payloadBytes at or after `settledFromUs`. */
  maxRatioSettled: number;
  /** Longest single append (the ones that resize), when timed. */
  longestAppendMs: number;
  /** Payload bytes copied by the longest resize. */
  longestCopyBytes: number;
  /** Every stored payload came back intact from copyOut at the end. */
  bytesIntact: boolean;
}

export interface SimOptions {
  windowUs: number;
  maxBytes?: number;
  /** Resizes from this time on are counted in `resizesAfterSettled`. */
  settledFromUs?: number;
  /** Time every append with performance.now() (the micro-bench; tests do not time). */
  timeAppends?: boolean;
}

/** Feeds `spec`'s stream to a fresh RingBuffer and records how its arenas fared. */
export function simulateRing(spec: StreamSpec, options: SimOptions, rand: () => number): SimResult {
  const ring = new RingBuffer({ windowUs: options.windowUs, maxBytes: options.maxBytes ?? 256 * BYTES_PER_MB });
  const scratch = new Uint8Array(4 * BYTES_PER_MB);
  const view = new DataView(scratch.buffer);
  let maxRatioFull = 0;
  let fullAtUs: number | null = null;
  let resizesAfterSettled = 0;
  let maxRatioSettled = 0;
  let longestAppendMs = 0;
  let longestCopyBytes = 0;
  let copiedBefore = 0;
  for (const chunk of encodedStream(spec, rand)) {
    // Each payload starts and ends with its timestamp, so a misplaced copy shows at the end.
    const n = Math.max(chunk.byteLength, 8);
    view.setFloat32(0, chunk.info.timestampUs);
    view.setFloat32(n - 4, chunk.info.timestampUs);
    const before = options.timeAppends === true ? performance.now() : 0;
    const resizesBefore = options.settledFromUs === undefined ? 0 : resizes(ring.stats());
    ring.append(chunk.track, scratch.subarray(0, n), chunk.info);
    const ms = options.timeAppends === true ? performance.now() - before : 0;
    const stats = ring.stats();
    if (options.settledFromUs !== undefined && chunk.info.timestampUs >= options.settledFromUs) {
      resizesAfterSettled += resizes(stats) - resizesBefore;
      maxRatioSettled = Math.max(maxRatioSettled, stats.arenaBytes / stats.payloadBytes);
    }
    const copied = stats.arenaCopiedBytes - copiedBefore;
    copiedBefore = stats.arenaCopiedBytes;
    longestCopyBytes = Math.max(longestCopyBytes, copied);
    longestAppendMs = Math.max(longestAppendMs, ms);
    if (stats.evictedGops > 0) {
      fullAtUs ??= chunk.info.timestampUs;
      maxRatioFull = Math.max(maxRatioFull, stats.arenaBytes / stats.payloadBytes);
    }
  }
  const stats = ring.stats();
  return {
    stats,
    maxRatioFull,
    finalRatio: stats.arenaBytes / stats.payloadBytes,
    fullAtUs,
    resizesAfterSettled,
    maxRatioSettled,
    longestAppendMs,
    longestCopyBytes,
    bytesIntact: intact(ring, 'video') && intact(ring, 'audio'),
  };
}

function resizes(stats: RingBufferStats): number {
  return stats.arenaGrowths + stats.arenaShrinks;
}

function intact(ring: RingBuffer, track: Track): boolean {
  const copied = ring.copyOut(track, 0, ring.count(track));
  const view = new DataView(copied.bytes.buffer);
  return copied.chunks.every((c) => {
    const stamp = Math.fround(c.timestampUs);
    return view.getFloat32(c.offset) === stamp && view.getFloat32(c.offset + c.byteLength - 4) === stamp;
  });
}
