/**
 * The loop-recording store: the last `windowUs` of encoded video and audio chunks, kept in one
 * circular byte arena per track plus a circular deque of typed metadata arrays.
 *
 * Design constraints, and why:
 * - The encoder delivers ~100 chunks a second for as long as the tab is armed (hours), so once
 *   the window is full an append allocates nothing: payloads are copied into a preallocated
 *   arena and metadata into typed arrays; only a resize (rare) allocates.
 * - The arenas are most of the extension's memory, so once the window is full and its byte rate
 *   steady each one stays within {@link MAX_ARENA_OVER_PAYLOAD} of the payload it holds. A resize
 *   copies every live payload of its track (a stall), so while the window fills an arena grows
 *   straight to the size its byte rate so far predicts for a full window; once full it grows by
 *   the largest step that ratio allows, and while the rate changes it heads for what the newest
 *   rate will fill, within {@link MAX_ARENA_OVER_PAYLOAD_CHANGING}, rather than copy the payload
 *   at every few percent of change.
 * - A clip must start on a keyframe and contain every chunk of its GOPs, so video is evicted by
 *   whole GOPs and a GOP that cannot be stored whole is not stored at all.
 * - Audio before the oldest video frame can never be saved, so it is dropped as video goes.
 */

export const TRACKS = ['video', 'audio'] as const;
export type Track = (typeof TRACKS)[number];

/** Metadata of one encoded chunk, on the shared timeline in integer microseconds. */
export interface ChunkInfo {
  timestampUs: number;
  durationUs: number;
  /** Keyframe (video); audio chunks are normally all key. */
  key: boolean;
  /** Decoder-configuration generation (a non-negative integer below 2^32). */
  epoch: number;
}

export interface RingBufferOptions {
  /** Time window to keep. Must be > 0. */
  windowUs: number;
  /** Hard cap on stored payload bytes, both tracks together. */
  maxBytes: number;
  /**
   * First arena size per track (default {@link DEFAULT_INITIAL_ARENA_BYTES}, clamped to
   * `maxBytes`); arenas are then sized to what the window needs, up to `maxBytes`.
   */
  initialArenaBytes?: number;
}

/** Chunks copied out of the arenas (the arenas will be overwritten later). */
export interface CopiedChunks {
  /** Payloads back to back, in a fresh buffer owned by the caller. */
  bytes: Uint8Array;
  /** `offset` and `byteLength` locate each payload in `bytes`. */
  chunks: Array<ChunkInfo & { offset: number; byteLength: number }>;
}

/**
 * Chunks lent out of an arena without a copy: `bytes` is the track's arena itself and each
 * `offset` is where that payload sits in it. Valid only until the ring's next append or clear
 * (which may overwrite or replace the arena), so use it synchronously.
 */
export type BorrowedChunks = CopiedChunks;

export interface RingBufferStats {
  videoChunks: number;
  audioChunks: number;
  /** Stored payload bytes of both tracks. */
  payloadBytes: number;
  /** Allocated arena bytes of both tracks (>= payloadBytes). */
  arenaBytes: number;
  /** Oldest video timestamp, or null without video. */
  oldestUs: number | null;
  /** Newest video timestamp, or null without video. */
  newestUs: number | null;
  /** End of the newest video chunk minus the oldest video timestamp (0 without video). */
  bufferedUs: number;
  evictedGops: number;
  rejectedChunks: number;
  /** Times a record was placed back at the start of an arena that still held live records. */
  arenaWraps: number;
  /** Times an arena was replaced by a larger one (each copies that track's live payload). */
  arenaGrowths: number;
  /** Times an arena was replaced by a smaller one, once the window was full. */
  arenaShrinks: number;
  /** Payload bytes copied by every arena resize and repack since the last clear. */
  arenaCopiedBytes: number;
}

const DEFAULT_INITIAL_ARENA_BYTES = 4 * 1024 * 1024;

/** Once the window is full, an arena holding records is at most this times its payload. */
export const MAX_ARENA_OVER_PAYLOAD = 1.1;
/** Spare room a resize leaves, as a share of the payload expected at the window's peak. */
const ARENA_MARGIN = 0.03;
/** A shrink must save more than this share of the smaller size, so sizes do not flap. */
const SHRINK_HYSTERESIS = 0.03;
/** Largest step over the window's trough a full window grows by, safely under the ratio cap. */
const FULL_GROWTH = 1.08;
/**
 * While the byte rate changes, arena over payload may reach this for up to a window: a resize
 * per few percent of change would copy the whole payload a dozen times or more.
 */
export const MAX_ARENA_OVER_PAYLOAD_CHANGING = 1.5;
/** The newest share of the window whose byte rate predicts what the window will hold. */
const RECENT_WINDOW_SHARE = 1 / 8;
/** The byte rate is trusted for a prediction once the track spans this share of the window. */
const PREDICT_AFTER_WINDOW_SHARE = 1 / 16;

const INITIAL_SLOTS = 256;

/**
 * One track's chunks: metadata in parallel typed arrays used as a circular deque (capacity a
 * power of two, grown by doubling) and payloads in a circular byte arena.
 *
 * Arena positions are virtual: they only increase, a skipped tail gap advances them to the next
 * multiple of the arena size, and the physical offset is `position % arena.length`. The bytes in
 * use (gap included) are then `headPos - position of the oldest record`, with no wrapped/unwrapped
 * cases to keep apart.
 */
class TrackStore {
  slots = INITIAL_SLOTS;
  mask = INITIAL_SLOTS - 1;
  /** Slot of index 0. */
  headSlot = 0;
  count = 0;
  /** Sequence number of index 0; sequence numbers survive eviction, indices do not. */
  firstSeq = 0;
  timestampUs = new Float64Array(INITIAL_SLOTS);
  durationUs = new Float64Array(INITIAL_SLOTS);
  /** Virtual arena position of each payload. */
  arenaPos = new Float64Array(INITIAL_SLOTS);
  /** Payload bytes appended to this track before each record: range sizes without a scan. */
  cumBytes = new Float64Array(INITIAL_SLOTS);
  byteLength = new Uint32Array(INITIAL_SLOTS);
  key = new Uint8Array(INITIAL_SLOTS);
  epoch = new Uint32Array(INITIAL_SLOTS);

  arena: Uint8Array;
  /** Virtual position where the next record would start. */
  headPos = 0;
  appendedBytes = 0;
  /** Newest accepted timestamp since the last clear, even if that chunk is evicted already. */
  lastTimestampUs = -Infinity;
  wraps = 0;
  /**
   * Largest payload one eviction took from the front (a GOP, or the audio beside it), in the
   * current and the previous window-long period: how far the payload swings between its peak
   * just before an eviction and its trough just after.
   */
  swingBytes = 0;
  previousSwingBytes = 0;
  swingPeriodEndUs = -Infinity;

  constructor(
    arenaBytes: number,
    private readonly windowUs: number,
  ) {
    this.arena = new Uint8Array(arenaBytes);
  }

  slot(index: number): number {
    return (this.headSlot + index) & this.mask;
  }

  ts(index: number): number {
    return this.timestampUs[this.slot(index)]!;
  }

  end(index: number): number {
    const s = this.slot(index);
    return this.timestampUs[s]! + this.durationUs[s]!;
  }

  offset(index: number): number {
    return this.arenaPos[this.slot(index)]! % this.arena.length;
  }

  length(index: number): number {
    return this.byteLength[this.slot(index)]!;
  }

  /** Payload bytes appended before `index` (`index` may be `count`). */
  cumBefore(index: number): number {
    return index >= this.count ? this.appendedBytes : this.cumBytes[this.slot(index)]!;
  }

  /** Payload bytes of records `index..count-1`. */
  bytesFrom(index: number): number {
    return this.appendedBytes - this.cumBefore(index);
  }

  payloadBytes(): number {
    return this.bytesFrom(0);
  }

  /** First index that ends after `thresholdUs`, scanning from the front (the pruning rule). */
  firstEndingAfter(thresholdUs: number): number {
    let i = 0;
    while (i < this.count && this.end(i) <= thresholdUs) i++;
    return i;
  }

  /** First index whose timestamp is >= `tUs` (`count` if none). */
  lowerBound(tUs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts(mid) < tUs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Time from the oldest record's start to the newest's end (0 when empty). */
  spanUs(): number {
    return this.count === 0 ? 0 : this.end(this.count - 1) - this.ts(0);
  }

  swing(): number {
    return Math.max(this.swingBytes, this.previousSwingBytes);
  }

  dropFront(records: number): void {
    if (records > 0) this.swingBytes = Math.max(this.swingBytes, this.cumBefore(records) - this.cumBefore(0));
    this.headSlot = (this.headSlot + records) & this.mask;
    this.firstSeq += records;
    this.count -= records;
    // An empty arena can restart at offset 0, so the next record never pays for a tail gap.
    if (this.count === 0) this.headPos = 0;
  }

  /** Virtual position where `n` bytes fit contiguously without evicting, or -1. */
  findRoom(n: number): number {
    const size = this.arena.length;
    const tailPos = this.count === 0 ? this.headPos : this.arenaPos[this.headSlot]!;
    const used = this.headPos - tailPos;
    const physical = this.headPos % size;
    if (physical + n <= size) return used + n <= size ? this.headPos : -1;
    // Skip to offset 0; the gap up to the end counts as used until the tail passes it.
    const gap = size - physical;
    return used + gap + n <= size ? this.headPos + gap : -1;
  }

  /** Copies the live payloads into a fresh arena of `size` bytes, back to back from 0. */
  relinearise(size: number): void {
    const next = new Uint8Array(size);
    const base = this.cumBefore(0);
    copyRuns(this, 0, this.count, next, 0);
    for (let i = 0; i < this.count; i++) {
      const s = this.slot(i);
      this.arenaPos[s] = this.cumBytes[s]! - base;
    }
    this.arena = next;
    this.headPos = this.appendedBytes - base;
  }

  push(pos: number, data: Uint8Array, info: ChunkInfo): void {
    if (this.count === this.slots) this.growSlots();
    const physical = pos % this.arena.length;
    if (physical === 0 && this.count > 0) this.wraps++;
    this.arena.set(data, physical);
    const s = this.slot(this.count);
    this.timestampUs[s] = info.timestampUs;
    this.durationUs[s] = info.durationUs;
    this.arenaPos[s] = pos;
    this.cumBytes[s] = this.appendedBytes;
    this.byteLength[s] = data.byteLength;
    this.key[s] = info.key ? 1 : 0;
    this.epoch[s] = info.epoch;
    this.count++;
    this.headPos = pos + data.byteLength;
    this.appendedBytes += data.byteLength;
    this.lastTimestampUs = info.timestampUs;
    if (info.timestampUs >= this.swingPeriodEndUs) {
      this.previousSwingBytes = this.swingBytes;
      this.swingBytes = 0;
      this.swingPeriodEndUs = info.timestampUs + this.windowUs;
    }
  }

  private growSlots(): void {
    const slots = this.slots * 2;
    const { headSlot, count } = this;
    this.timestampUs = regrow(this.timestampUs, new Float64Array(slots), headSlot, count);
    this.durationUs = regrow(this.durationUs, new Float64Array(slots), headSlot, count);
    this.arenaPos = regrow(this.arenaPos, new Float64Array(slots), headSlot, count);
    this.cumBytes = regrow(this.cumBytes, new Float64Array(slots), headSlot, count);
    this.byteLength = regrow(this.byteLength, new Uint32Array(slots), headSlot, count);
    this.key = regrow(this.key, new Uint8Array(slots), headSlot, count);
    this.epoch = regrow(this.epoch, new Uint32Array(slots), headSlot, count);
    this.slots = slots;
    this.mask = slots - 1;
    this.headSlot = 0;
  }

  reset(arenaBytes: number): void {
    this.headSlot = 0;
    this.count = 0;
    this.firstSeq = 0;
    this.headPos = 0;
    this.appendedBytes = 0;
    this.lastTimestampUs = -Infinity;
    this.wraps = 0;
    this.swingBytes = 0;
    this.previousSwingBytes = 0;
    this.swingPeriodEndUs = -Infinity;
    if (this.arena.length !== arenaBytes) this.arena = new Uint8Array(arenaBytes);
  }
}

type NumberArray = Float64Array | Uint32Array | Uint8Array;

/** Copies a full circular deque (`count` === `src.length`) into `dst`, index 0 first. */
function regrow<A extends NumberArray>(src: A, dst: A, headSlot: number, count: number): A {
  const firstPart = Math.min(count, src.length - headSlot);
  dst.set(src.subarray(headSlot, headSlot + firstPart), 0);
  dst.set(src.subarray(0, count - firstPart), firstPart);
  return dst;
}

/**
 * Copies the payloads of records [from, to) to `dst` at `dstOffset`, back to back. Neighbouring
 * records are usually adjacent in the arena, so runs are copied with one `set` each.
 */
function copyRuns(store: TrackStore, from: number, to: number, dst: Uint8Array, dstOffset: number): void {
  let runStart = 0;
  let runEnd = -1;
  let write = dstOffset;
  for (let i = from; i < to; i++) {
    const offset = store.offset(i);
    const length = store.length(i);
    if (offset === runEnd) {
      runEnd += length;
      continue;
    }
    if (runEnd >= 0) {
      dst.set(store.arena.subarray(runStart, runEnd), write);
      write += runEnd - runStart;
    }
    runStart = offset;
    runEnd = offset + length;
  }
  if (runEnd >= 0) dst.set(store.arena.subarray(runStart, runEnd), write);
}

/** Circular deque of numbers (video sequence numbers of keyframes), grown by doubling. */
class NumberDeque {
  private buf = new Float64Array(64);
  private head = 0;
  count = 0;

  at(index: number): number {
    return this.buf[(this.head + index) & (this.buf.length - 1)]!;
  }

  push(value: number): void {
    if (this.count === this.buf.length) {
      this.buf = regrow(this.buf, new Float64Array(this.buf.length * 2), this.head, this.count);
      this.head = 0;
    }
    this.buf[(this.head + this.count) & (this.buf.length - 1)] = value;
    this.count++;
  }

  shift(): void {
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.count--;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`RingBuffer: ${name} must be a positive integer, got ${value}`);
  }
}

/**
 * Circular store of the last `windowUs` of encoded chunks of a tab's video and audio.
 *
 * Invariants after every `append` (the unit tests check them after every step):
 * - video index 0 is a keyframe, and video is a gap-free run of whole GOPs plus the open one;
 * - stored payload of both tracks is <= `maxBytes`;
 * - the second-oldest keyframe is newer than `newest video timestamp - windowUs`, and GOPs are
 *   only evicted when that rule, the byte cap or arena space demands it;
 * - no audio chunk at the front ends at or before the oldest video timestamp.
 */
export class RingBuffer {
  readonly #windowUs: number;
  readonly #maxBytes: number;
  readonly #initialArenaBytes: number;
  readonly #video: TrackStore;
  readonly #audio: TrackStore;
  /** Video sequence numbers of the stored keyframes, oldest first. */
  readonly #keyframes = new NumberDeque();
  /** True while non-key video would not extend a complete stored GOP. */
  #awaitingKeyframe = true;
  #evictedGops = 0;
  #rejectedChunks = 0;
  /** Set by the first eviction: from then on arenas are sized to the payload, not a prediction. */
  #windowFull = false;
  #arenaGrowths = 0;
  #arenaShrinks = 0;
  #arenaCopiedBytes = 0;

  constructor(options: RingBufferOptions) {
    if (!Number.isFinite(options.windowUs) || options.windowUs <= 0) {
      throw new RangeError(`RingBuffer: windowUs must be a positive number, got ${options.windowUs}`);
    }
    requirePositiveInteger('maxBytes', options.maxBytes);
    // Record lengths live in a Uint32Array.
    if (options.maxBytes > 0xffff_ffff) throw new RangeError(`RingBuffer: maxBytes must be < 2^32, got ${options.maxBytes}`);
    const initialArenaBytes = options.initialArenaBytes ?? DEFAULT_INITIAL_ARENA_BYTES;
    requirePositiveInteger('initialArenaBytes', initialArenaBytes);
    this.#windowUs = options.windowUs;
    this.#maxBytes = options.maxBytes;
    this.#initialArenaBytes = Math.min(initialArenaBytes, options.maxBytes);
    this.#video = new TrackStore(this.#initialArenaBytes, this.#windowUs);
    this.#audio = new TrackStore(this.#initialArenaBytes, this.#windowUs);
  }

  /**
   * Copies `data` into the track's arena, evicting what the window and byte cap require.
   *
   * Returns false (and counts the chunk in `rejectedChunks`) when the chunk is rejected: its
   * timestamp is older than the track's newest accepted one; it is non-key video without a
   * complete open GOP to extend (nothing stored yet, or an earlier chunk of this GOP was
   * rejected); it is non-key video of a newer `epoch` than its GOP, or video of an older epoch;
   * it is audio ending at or before the oldest video; or it cannot fit under `maxBytes` even after
   * evicting every GOP but the open one. After a rejected video chunk, non-key video is rejected
   * until the next keyframe, since a GOP with a hole would not decode.
   */
  append(track: Track, data: Uint8Array, info: ChunkInfo): boolean {
    const video = this.#video;
    const audio = this.#audio;
    const n = data.byteLength;
    const tsUs = info.timestampUs;
    const isVideo = track === 'video';
    const startsGop = isVideo && info.key;

    if (isVideo) {
      const newestEpoch = video.count > 0 ? video.epoch[video.slot(video.count - 1)]! : -1;
      const acceptable =
        tsUs >= video.lastTimestampUs &&
        (startsGop || (!this.#awaitingKeyframe && info.epoch === newestEpoch)) &&
        info.epoch >= newestEpoch &&
        this.#canMakeRoom(track, startsGop, tsUs, n);
      if (!acceptable) {
        this.#awaitingKeyframe = true;
        this.#rejectedChunks++;
        return false;
      }
    } else {
      const acceptable =
        tsUs >= audio.lastTimestampUs &&
        (video.count === 0 || tsUs + info.durationUs > video.ts(0)) &&
        this.#canMakeRoom(track, false, tsUs, n);
      if (!acceptable) {
        this.#rejectedChunks++;
        return false;
      }
    }

    // Accepted: from here on every eviction is needed and the chunk is guaranteed to fit.
    const horizonUs = tsUs - this.#windowUs;
    if (isVideo) {
      if (startsGop && video.count === 0) this.#pruneAudio(tsUs);
      while (this.#keyframes.count >= 2 && video.ts(this.#keyIndex(1)) <= horizonUs) this.#evictOldestGop(tsUs);
    } else if (video.count === 0) {
      const expired = audio.firstEndingAfter(horizonUs);
      if (expired > 0) {
        audio.dropFront(expired);
        this.#windowFull = true;
      }
    }

    while (video.payloadBytes() + audio.payloadBytes() + n > this.#maxBytes) {
      if (!this.#evictForRoom(track, startsGop, tsUs)) throw new Error('RingBuffer: byte-cap planning is inconsistent');
    }

    const store = isVideo ? video : audio;
    let pos = store.findRoom(n);
    if (pos < 0 && store.arena.length < this.#maxBytes) {
      // Payload stays under the cap, so growing is preferred to losing footage.
      this.#resize(store, this.#grownSize(store, n));
      this.#arenaGrowths++;
      pos = store.findRoom(n);
    }
    // At full size: free the tail of this arena (this track's own oldest records only).
    while (pos < 0 && (isVideo || video.count === 0) && this.#evictForRoom(track, startsGop, tsUs)) {
      pos = store.findRoom(n);
    }
    if (pos < 0) {
      // Only the open GOP (or the audio) is left and it is split around the arena's end; the
      // payload is under maxBytes == arena size, so packing it to the front always makes room.
      this.#resize(store, store.arena.length);
      pos = store.findRoom(n);
    }

    if (startsGop) {
      this.#keyframes.push(video.firstSeq + video.count);
      this.#awaitingKeyframe = false;
    }
    store.push(pos, data, info);
    if (this.#windowFull) {
      // A video append may have evicted audio too.
      this.#shrinkIfOversized(video);
      this.#shrinkIfOversized(audio);
    }
    return true;
  }

  /** Number of live chunks of a track. */
  count(track: Track): number {
    return this.#store(track).count;
  }

  /** Metadata of chunk `index` of a track; index 0 is the oldest live chunk. */
  infoAt(track: Track, index: number): ChunkInfo {
    const store = this.#store(track);
    this.#checkIndex(store, index);
    const s = store.slot(index);
    return {
      timestampUs: store.timestampUs[s]!,
      durationUs: store.durationUs[s]!,
      key: store.key[s] === 1,
      epoch: store.epoch[s]!,
    };
  }

  /**
   * Moves every timestamp of `track` by `deltaUs`: its clock's estimate was refined. Order
   * within the track is kept; a few milliseconds against the other track change nothing else.
   */
  shiftTimestamps(track: Track, deltaUs: number): void {
    const store = this.#store(track);
    for (let i = 0; i < store.count; i++) {
      const slot = store.slot(i);
      store.timestampUs[slot] = store.timestampUs[slot]! + deltaUs;
    }
    store.lastTimestampUs += deltaUs;
  }

  /** First index whose timestampUs >= `tUs` (`count(track)` if none). */
  lowerBound(track: Track, tUs: number): number {
    return this.#store(track).lowerBound(tUs);
  }

  /** Index of the newest video keyframe with timestampUs <= `tUs`, or -1. */
  keyframeAtOrBefore(tUs: number): number {
    // Binary search over the keyframe deque: first keyframe newer than tUs.
    let lo = 0;
    let hi = this.#keyframes.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#video.ts(this.#keyIndex(mid)) <= tUs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? -1 : this.#keyIndex(lo - 1);
  }

  /** Copies chunks [from, to) of a track out, with one allocation for all their bytes. */
  copyOut(track: Track, from: number, to: number): CopiedChunks {
    const store = this.#range('copyOut', track, from, to);
    const base = store.cumBefore(from);
    const bytes = new Uint8Array(store.cumBefore(to) - base);
    copyRuns(store, from, to, bytes, 0);
    const chunks: CopiedChunks['chunks'] = [];
    for (let i = from; i < to; i++) chunks.push({ ...this.#info(store, i), offset: store.cumBytes[store.slot(i)]! - base });
    return { bytes, chunks };
  }

  /** The store of `track`, once [from, to) is checked to be a range of its records. */
  #range(method: string, track: Track, from: number, to: number): TrackStore {
    const store = this.#store(track);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > store.count || from > to) {
      throw new RangeError(`RingBuffer.${method}: range [${from}, ${to}) is outside [0, ${store.count}]`);
    }
    return store;
  }

  /** Record `i`'s metadata and payload length. */
  #info(store: TrackStore, i: number): ChunkInfo & { byteLength: number } {
    const s = store.slot(i);
    return { timestampUs: store.timestampUs[s]!, durationUs: store.durationUs[s]!, key: store.key[s] === 1, epoch: store.epoch[s]!, byteLength: store.byteLength[s]! };
  }

  /** Lends chunks [from, to) of a track: their payloads stay in the arena (see BorrowedChunks). */
  borrow(track: Track, from: number, to: number): BorrowedChunks {
    const store = this.#range('borrow', track, from, to);
    const chunks: BorrowedChunks['chunks'] = [];
    for (let i = from; i < to; i++) chunks.push({ ...this.#info(store, i), offset: store.offset(i) });
    return { bytes: store.arena, chunks };
  }

  stats(): RingBufferStats {
    const video = this.#video;
    const audio = this.#audio;
    const hasVideo = video.count > 0;
    const oldestUs = hasVideo ? video.ts(0) : null;
    const newestUs = hasVideo ? video.ts(video.count - 1) : null;
    return {
      videoChunks: video.count,
      audioChunks: audio.count,
      payloadBytes: video.payloadBytes() + audio.payloadBytes(),
      arenaBytes: video.arena.length + audio.arena.length,
      oldestUs,
      newestUs,
      bufferedUs: hasVideo ? video.end(video.count - 1) - video.ts(0) : 0,
      evictedGops: this.#evictedGops,
      rejectedChunks: this.#rejectedChunks,
      arenaWraps: video.wraps + audio.wraps,
      arenaGrowths: this.#arenaGrowths,
      arenaShrinks: this.#arenaShrinks,
      arenaCopiedBytes: this.#arenaCopiedBytes,
    };
  }

  /** Forgets every chunk and counter and gives grown arenas back, ready for a new recording. */
  clear(): void {
    this.#video.reset(this.#initialArenaBytes);
    this.#audio.reset(this.#initialArenaBytes);
    this.#keyframes.clear();
    this.#awaitingKeyframe = true;
    this.#evictedGops = 0;
    this.#rejectedChunks = 0;
    this.#windowFull = false;
    this.#arenaGrowths = 0;
    this.#arenaShrinks = 0;
    this.#arenaCopiedBytes = 0;
  }

  #store(track: Track): TrackStore {
    return track === 'video' ? this.#video : this.#audio;
  }

  #checkIndex(store: TrackStore, index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= store.count) {
      throw new RangeError(`RingBuffer: index ${index} is outside [0, ${store.count})`);
    }
  }

  /** Video index of the `k`-th stored keyframe (0 = oldest). */
  #keyIndex(k: number): number {
    return this.#keyframes.at(k) - this.#video.firstSeq;
  }

  /** Replaces the track's arena by one of `size` bytes holding its live payloads from offset 0. */
  #resize(store: TrackStore, size: number): void {
    this.#arenaCopiedBytes += store.payloadBytes();
    store.relinearise(size);
  }

  /** `bytes` plus room for the payload to swing by a GOP, and for a few percent more. */
  #withMargin(store: TrackStore, bytes: number): number {
    return bytes + Math.max(Math.ceil(bytes * ARENA_MARGIN), store.swing());
  }

  /**
   * Arena size for a track that has no room for `n` more bytes. While the window fills, the size
   * the track's byte rate so far predicts for the whole window, so one copy usually suffices;
   * once full, the largest step that keeps the arena under the ratio cap at the window's trough.
   */
  #grownSize(store: TrackStore, n: number): number {
    const need = store.payloadBytes() + n;
    let size = this.#withMargin(store, need);
    if (!this.#windowFull) {
      // Video's rate over its closed GOPs: an open GOP has its keyframe but few of its deltas.
      const closed = store === this.#video && this.#keyframes.count >= 2 ? this.#keyIndex(this.#keyframes.count - 1) : store.count;
      const spanUs = closed < store.count ? store.ts(closed) - store.ts(0) : store.spanUs();
      if (spanUs >= this.#windowUs * PREDICT_AFTER_WINDOW_SHARE) {
        const rate = (store.cumBefore(closed) - store.cumBefore(0)) / spanUs;
        // The window fills to its peak just before the first eviction: a window and a GOP.
        const gopUs = closed < store.count ? spanUs / (this.#keyframes.count - 1) : 0;
        const predicted = this.#withMargin(store, Math.ceil(rate * (this.#windowUs + gopUs)));
        // At least a fixed step, so a byte rate that keeps rising costs few copies.
        size = Math.max(size, predicted, Math.ceil(store.arena.length * 1.25));
      } else {
        size = Math.max(size, store.arena.length * 2);
      }
    } else {
      size = Math.max(size, Math.floor((need - store.swing()) * FULL_GROWTH));
      // A busier scene: go most of the way to what its rate will fill, in a few steps.
      const heading = this.#headingFor(store);
      if (heading > size) size = Math.max(size, Math.min(heading, Math.ceil(need * MAX_ARENA_OVER_PAYLOAD_CHANGING)));
    }
    // Room can lack by a tail gap with the payload under the size: grow all the same.
    size = Math.max(size, Math.ceil(store.arena.length * (1 + ARENA_MARGIN)));
    return Math.min(size, this.#maxBytes);
  }

  /**
   * Arena size (margin included) for a window at the byte rate of the track's newest
   * {@link RECENT_WINDOW_SHARE} of the window: where the payload is heading. 0 while the track
   * is too short to say.
   */
  #headingFor(store: TrackStore): number {
    const recentUs = this.#windowUs * RECENT_WINDOW_SHARE;
    if (store.spanUs() < 2 * recentUs) return 0;
    const from = store.lowerBound(store.end(store.count - 1) - recentUs);
    const spanUs = store.end(store.count - 1) - store.ts(from);
    if (spanUs <= 0) return 0;
    return this.#withMargin(store, Math.ceil((store.bytesFrom(from) / spanUs) * this.#windowUs));
  }

  /** Once the window is full: a smaller arena when the payload has fallen well below this one. */
  #shrinkIfOversized(store: TrackStore): void {
    // An empty track has no payload to size by; it keeps its arena for the chunks to come.
    if (store.count === 0) return;
    const payload = store.payloadBytes();
    const size = store.arena.length;
    if (size <= payload * MAX_ARENA_OVER_PAYLOAD) return;
    // While the rate changes, wait (unless the arena is far too big): a falling payload would
    // need a shrink per few percent, and a rising one will fill what it was grown to.
    if (size <= payload * MAX_ARENA_OVER_PAYLOAD_CHANGING) {
      const heading = this.#headingFor(store);
      if (heading < payload || heading > this.#withMargin(store, payload) * (1 + SHRINK_HYSTERESIS)) return;
    }
    const target = Math.min(this.#maxBytes, this.#withMargin(store, payload + store.swing()));
    if (size <= target * (1 + SHRINK_HYSTERESIS)) return;
    this.#resize(store, target);
    this.#arenaShrinks++;
  }

  /**
   * Whether `n` more bytes can fit under maxBytes once everything this append may evict is
   * gone, worked out without evicting anything (a rejected chunk must leave the buffer as is).
   */
  #canMakeRoom(track: Track, startsGop: boolean, tsUs: number, n: number): boolean {
    const video = this.#video;
    const audio = this.#audio;
    if (n > this.#maxBytes) return false;
    if (video.payloadBytes() + audio.payloadBytes() + n <= this.#maxBytes) return true;
    // Without video, all older audio may go.
    if (track === 'audio' && video.count === 0) return true;
    let keptVideoBytes = 0;
    let oldestVideoUs = tsUs;
    if (!startsGop) {
      // Only the open GOP stays; it exists because the chunk passed the keyframe checks.
      const openIndex = this.#keyIndex(this.#keyframes.count - 1);
      keptVideoBytes = video.bytesFrom(openIndex);
      oldestVideoUs = video.ts(openIndex);
    }
    const keptAudioBytes = audio.bytesFrom(audio.firstEndingAfter(oldestVideoUs));
    return keptVideoBytes + keptAudioBytes + n <= this.#maxBytes;
  }

  /**
   * Evicts the oldest unit that an append of this kind may evict: a closed GOP (every GOP when
   * the chunk starts a new one), or the oldest audio chunk when there is no video.
   */
  #evictForRoom(track: Track, startsGop: boolean, tsUs: number): boolean {
    if (this.#video.count > 0) {
      const closedGops = startsGop ? this.#keyframes.count : this.#keyframes.count - 1;
      if (closedGops === 0) return false;
      this.#evictOldestGop(tsUs);
      return true;
    }
    if (track === 'audio' && this.#audio.count > 0) {
      this.#audio.dropFront(1);
      this.#windowFull = true;
      return true;
    }
    return false;
  }

  /** `incomingKeyUs` becomes the oldest video timestamp when the last stored GOP goes. */
  #evictOldestGop(incomingKeyUs: number): void {
    const video = this.#video;
    const nextGopIndex = this.#keyframes.count >= 2 ? this.#keyIndex(1) : video.count;
    video.dropFront(nextGopIndex);
    this.#keyframes.shift();
    this.#evictedGops++;
    this.#windowFull = true;
    this.#pruneAudio(video.count > 0 ? video.ts(0) : incomingKeyUs);
  }

  /** Drops audio from the front while it ends at or before `oldestVideoUs`. */
  #pruneAudio(oldestVideoUs: number): void {
    this.#audio.dropFront(this.#audio.firstEndingAfter(oldestVideoUs));
  }
}
