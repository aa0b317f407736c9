/**
 * Where encoder output lands: maps each chunk onto the shared timeline and appends it to the
 * ring buffer. Until a track's clock has settled its chunks wait in a short queue (about half a
 * second, once per arming); after that each chunk is copied once, from the encoder into the
 * arena, through a reused scratch buffer.
 */
import { TrackClock } from '../src/clock';
import type { RingBuffer, Track } from '../src/ring-buffer';

/** How long each track's clock offset is refined before it is frozen. */
const CLOCK_WARMUP_US = 500_000;

interface PendingChunk {
  data: Uint8Array;
  rawTimestampUs: number;
  durationUs: number;
  key: boolean;
  epoch: number;
}

type EncodedChunk = EncodedVideoChunk | EncodedAudioChunk;

export class ChunkSink {
  readonly clocks: Record<Track, TrackClock> = {
    video: new TrackClock(CLOCK_WARMUP_US),
    audio: new TrackClock(CLOCK_WARMUP_US),
  };
  #pending: Record<Track, PendingChunk[]> = { video: [], audio: [] };
  #scratch = new Uint8Array(256 * 1024);

  constructor(private readonly ring: RingBuffer) {}

  add(track: Track, chunk: EncodedChunk, epoch: number, fallbackDurationUs: number): void {
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
    this.ring.append(track, data, {
      timestampUs: clock.toSharedUs(chunk.timestamp),
      durationUs,
      key: chunk.type === 'key',
      epoch,
    });
  }

  #flush(track: Track): void {
    const pending = this.#pending[track];
    if (pending.length === 0) return;
    const clock = this.clocks[track];
    for (const chunk of pending) {
      this.ring.append(track, chunk.data, {
        timestampUs: clock.toSharedUs(chunk.rawTimestampUs),
        durationUs: chunk.durationUs,
        key: chunk.key,
        epoch: chunk.epoch,
      });
    }
    this.#pending[track] = [];
  }
}
