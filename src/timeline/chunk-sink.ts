/**
 * Where encoder output lands: maps each chunk onto the shared timeline (clock mapping, pauses
 * cut out) and hands it to its consumers: the ring buffer, and any other (a recording to disk).
 * Until a track's clock has settled its chunks wait in a short queue (about half a second, once
 * per arming); after that each chunk is copied once, from the encoder into a reused scratch
 * buffer that consumers copy from.
 */
import { TrackClock } from './track-clock';
import type { ChunkInfo, Track } from '../buffer/ring-buffer';
import { PauseTimeline, pauseOnPacketGrid, resumeOnPacketGrid } from './pause-timeline';

/** How long each track's clock offset is refined before it is frozen. */
const CLOCK_WARMUP_US = 500_000;

/** First size of the buffer each chunk is copied through; it grows to the largest chunk seen. */
const INITIAL_SCRATCH_BYTES = 256 * 1024;

/** A consumer of the shared timeline's chunks. The ring buffer is one; a disk recorder another. */
export interface ChunkConsumer {
  /** `data` is only valid during the call: a consumer copies what it keeps. */
  append(track: Track, data: Uint8Array, info: ChunkInfo): void;
  /** The track's clock estimate improved: what the consumer holds of the track moves by `deltaUs`. */
  shiftTimestamps(track: Track, deltaUs: number): void;
}

/** What the sink reads of an encoder's output (WebCodecs' EncodedVideoChunk / EncodedAudioChunk). */
export type EncodedChunkLike = Pick<EncodedVideoChunk, 'byteLength' | 'timestamp' | 'duration' | 'type' | 'copyTo'>;

interface PendingChunk {
  data: Uint8Array;
  rawTimestampUs: number;
  durationUs: number;
  key: boolean;
  epoch: number;
}

export class ChunkSink {
  readonly clocks: Record<Track, TrackClock> = {
    video: new TrackClock(CLOCK_WARMUP_US),
    audio: new TrackClock(CLOCK_WARMUP_US),
  };
  readonly timeline = new PauseTimeline();
  #pending: Record<Track, PendingChunk[]> = { video: [], audio: [] };
  /** End of the newest audio packet appended: a packet overlapping it (at a resume) is dropped. */
  #audioEndUs = -Infinity;
  /** The newest audio packet seen on the shared clock, kept or not: the grid pauses snap to. */
  #audioGrid: { endUs: number; packetUs: number } | null = null;
  /** The newest timestamp appended per track. */
  #lastUs: Record<Track, number> = { video: -Infinity, audio: -Infinity };

  /**
   * Feeds a captured sample to its track's clock. When the clock's estimate improves, what the
   * track has buffered moves with it, so every clip uses the best estimate (see TrackClock).
   */
  observe(track: Track, rawTimestampUs: number, arrivalUs: number): void {
    const movedUs = this.clocks[track].observe(rawTimestampUs, arrivalUs);
    if (movedUs === 0) return;
    for (const consumer of this.#consumers) consumer.shiftTimestamps(track, movedUs);
    this.#lastUs[track] += movedUs;
  }

  /** Whether a sample with this raw timestamp will be kept (before the clock settles: yes). */
  keeps(track: Track, rawTimestampUs: number): boolean {
    if (!this.clocks[track].settled) return true;
    return this.timeline.toContinuousUs(this.clocks[track].toSharedUs(rawTimestampUs)) !== null;
  }

  /** `sharedUs` (an instant, not a sample) on the buffer's continuous timeline. */
  continuousUs(sharedUs: number): number {
    return this.timeline.instantToContinuousUs(sharedUs);
  }

  /** Where the current pause began on the buffer's continuous timeline; null when not paused. */
  get pausedAtUs(): number | null {
    const sinceUs = this.timeline.pausedSinceUs;
    return sinceUs === null ? null : this.timeline.instantToContinuousUs(sinceUs);
  }

  /** Pauses both tracks at the next audio packet boundary after now. */
  pause(nowUs: number): void {
    this.timeline.pause(pauseOnPacketGrid(nowUs, this.#audioGrid?.endUs ?? null, this.#audioGrid?.packetUs ?? null));
  }

  /** Resumes so the paused span is a whole number of audio packets (seamless audio). */
  resume(nowUs: number): void {
    const startUs = this.timeline.pausedSinceUs;
    if (startUs === null) return;
    this.timeline.resume(resumeOnPacketGrid(startUs, nowUs, this.#audioGrid?.packetUs ?? null));
  }
  #scratch = new Uint8Array(INITIAL_SCRATCH_BYTES);
  readonly #consumers = new Set<ChunkConsumer>();

  constructor(consumers: Iterable<ChunkConsumer> = []) {
    for (const consumer of consumers) this.#consumers.add(consumer);
  }

  /** Adds a consumer from the next chunk on; returns what removes it. */
  connect(consumer: ChunkConsumer): () => void {
    this.#consumers.add(consumer);
    return () => this.#consumers.delete(consumer);
  }

  /** Takes an encoder's output chunk (of decoder-config generation `epoch`). */
  add(track: Track, chunk: EncodedChunkLike, epoch: number, fallbackDurationUs: number): void {
    const durationUs = chunk.duration ?? fallbackDurationUs;
    const clock = this.clocks[track];
    if (!clock.settled) {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      this.#pending[track].push({ data, rawTimestampUs: chunk.timestamp, durationUs, key: chunk.type === 'key', epoch });
      return;
    }
    this.#flush(track);
    if (this.#scratch.byteLength < chunk.byteLength) this.#scratch = new Uint8Array(chunk.byteLength * 2);
    const data = this.#scratch.subarray(0, chunk.byteLength);
    chunk.copyTo(data);
    this.#append(track, data, this.clocks[track].toSharedUs(chunk.timestamp), durationUs, chunk.type === 'key', epoch);
  }

  #append(track: Track, data: Uint8Array, sharedUs: number, durationUs: number, key: boolean, epoch: number): void {
    if (track === 'audio') this.#audioGrid = { endUs: sharedUs + durationUs, packetUs: durationUs };
    const continuousUs = this.timeline.toContinuousUs(sharedUs);
    if (continuousUs === null) return; // captured while paused (or in flight when the pause began)
    // Two chunks must never share a timestamp (the ring buffer and the muxer need order).
    const timestampUs = Math.max(continuousUs, this.#lastUs[track] + 1);
    if (track === 'audio') {
      // Right after a resume the first packet can overlap the last one before the pause by up
      // to a packet; two packets cannot play at once, so the later one goes.
      if (timestampUs < this.#audioEndUs - 1_000) return;
      this.#audioEndUs = timestampUs + durationUs;
    }
    this.#lastUs[track] = timestampUs;
    const info: ChunkInfo = { timestampUs, durationUs, key, epoch };
    for (const consumer of this.#consumers) consumer.append(track, data, info);
  }

  #flush(track: Track): void {
    const pending = this.#pending[track];
    if (pending.length === 0) return;
    for (const chunk of pending) {
      this.#append(track, chunk.data, this.clocks[track].toSharedUs(chunk.rawTimestampUs), chunk.durationUs, chunk.key, chunk.epoch);
    }
    this.#pending[track] = [];
  }
}
