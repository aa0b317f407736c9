import { describe, expect, it } from 'vitest';
import { RingBuffer, type ChunkInfo, type Track } from '../../../src/buffer/ring-buffer';

import { mulberry32 } from '../../../scripts/harness/prng';

/** Payload whose every byte depends on track, timestamp and position, so misplaced bytes show. */
function payload(track: Track, timestampUs: number, byteLength: number): Uint8Array {
  const bytes = new Uint8Array(byteLength);
  const seed = (Math.imul(timestampUs | 0, 0x9e3779b1) ^ (track === 'video' ? 0x5a5a5a5a : 0x3c3c3c3c)) >>> 0;
  for (let j = 0; j < byteLength; j++) bytes[j] = ((seed >>> ((j & 3) * 8)) + (j >>> 2)) & 255;
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function info(timestampUs: number, durationUs: number, key: boolean, epoch = 0): ChunkInfo {
  return { timestampUs, durationUs, key, epoch };
}

interface Stored {
  info: ChunkInfo;
  bytes: Uint8Array;
}

/** Everything the buffer accepted, per track: the live chunks must be a suffix of it. */
interface Shadow {
  accepted: Record<Track, Stored[]>;
  lastUs: Record<Track, number>;
  awaitingKeyframe: boolean;
}

interface Config {
  windowUs: number;
  maxBytes: number;
  initialArenaBytes: number;
  /** The cap is far above what the window holds, so only the window may evict. */
  uncapped: boolean;
}

type Outcome = 'accept' | 'order' | 'keyframe' | 'epoch' | 'late-audio' | 'cap';

function live(ring: RingBuffer, shadow: Shadow, track: Track): Stored[] {
  const all = shadow.accepted[track];
  return all.slice(all.length - ring.count(track));
}

function byteSum(chunks: Stored[]): number {
  let sum = 0;
  for (const chunk of chunks) sum += chunk.bytes.byteLength;
  return sum;
}

/** Audio kept when the oldest video starts at `oldestVideoUs` (front pruning, brute force). */
function audioKeptAfter(audio: Stored[], oldestVideoUs: number): Stored[] {
  let i = 0;
  while (i < audio.length && audio[i]!.info.timestampUs + audio[i]!.info.durationUs <= oldestVideoUs) i++;
  return audio.slice(i);
}

/** The spec's acceptance rules, worked out by brute force from the state before the append. */
function expectedOutcome(ring: RingBuffer, shadow: Shadow, config: Config, track: Track, chunk: Stored): Outcome {
  const video = live(ring, shadow, 'video');
  const audio = live(ring, shadow, 'audio');
  const { timestampUs, durationUs, key, epoch } = chunk.info;
  const n = chunk.bytes.byteLength;
  if (timestampUs < shadow.lastUs[track]) return 'order';
  const startsGop = track === 'video' && key;
  if (track === 'video') {
    const newestEpoch = video.length > 0 ? video[video.length - 1]!.info.epoch : -1;
    if (epoch < newestEpoch) return 'epoch';
    if (!key && shadow.awaitingKeyframe) return 'keyframe';
    if (!key && epoch !== newestEpoch) return 'epoch';
  } else if (video.length > 0 && timestampUs + durationUs <= video[0]!.info.timestampUs) {
    return 'late-audio';
  }
  if (n > config.maxBytes) return 'cap';
  if (byteSum(video) + byteSum(audio) + n <= config.maxBytes) return 'accept';
  if (track === 'audio' && video.length === 0) return 'accept';
  let keptVideo: Stored[] = [];
  let oldestVideoUs = timestampUs;
  if (!startsGop) {
    let open = video.length - 1;
    while (!video[open]!.info.key) open--;
    keptVideo = video.slice(open);
    oldestVideoUs = video[open]!.info.timestampUs;
  }
  return byteSum(keptVideo) + byteSum(audioKeptAfter(audio, oldestVideoUs)) + n <= config.maxBytes ? 'accept' : 'cap';
}

// Plain checks in the per-step invariants: `expect` costs too much at millions of calls.
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

function same<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, expected ${String(expected)}`);
}

function checkBytes(ring: RingBuffer, track: Track, expected: Stored[], from: number, to: number): void {
  const copied = ring.copyOut(track, from, to);
  same(copied.chunks.length, to - from, `${track} copyOut(${from}, ${to}) chunk count`);
  let offset = 0;
  for (let i = from; i < to; i++) {
    const want = expected[i]!;
    const got = copied.chunks[i - from]!;
    if (got.offset !== offset || got.byteLength !== want.bytes.byteLength || got.timestampUs !== want.info.timestampUs) {
      throw new Error(`${track} chunk ${i}: copied as ${JSON.stringify(got)}, expected offset ${offset}, t=${want.info.timestampUs}`);
    }
    if (!sameBytes(copied.bytes.subarray(got.offset, got.offset + got.byteLength), want.bytes)) {
      throw new Error(`${track} chunk ${i} (t=${want.info.timestampUs}) came back with different bytes`);
    }
    offset += got.byteLength;
  }
  same(copied.bytes.byteLength, offset, `${track} copyOut(${from}, ${to}) byte count`);
  // Borrowing lends the same payloads and metadata straight out of the arena.
  const lent = ring.borrow(track, from, to);
  same(lent.chunks.length, to - from, `${track} borrow(${from}, ${to}) chunk count`);
  for (let i = from; i < to; i++) {
    const got = lent.chunks[i - from]!;
    const { offset: _copiedAt, ...copiedInfo } = copied.chunks[i - from]!;
    const { offset: lentAt, ...lentInfo } = got;
    same(JSON.stringify(lentInfo), JSON.stringify(copiedInfo), `${track} chunk ${i} borrowed metadata`);
    if (!sameBytes(lent.bytes.subarray(lentAt, lentAt + got.byteLength), expected[i]!.bytes)) {
      throw new Error(`${track} chunk ${i} (t=${expected[i]!.info.timestampUs}) was lent with different bytes`);
    }
  }
}

function checkInvariants(ring: RingBuffer, shadow: Shadow, config: Config, rand: () => number, fullBytes: boolean): void {
  const video = live(ring, shadow, 'video');
  const audio = live(ring, shadow, 'audio');
  const stats = ring.stats();

  for (const track of ['video', 'audio'] as const) {
    const expected = track === 'video' ? video : audio;
    const count = ring.count(track);
    let previousUs = -Infinity;
    for (let i = 0; i < count; i++) {
      const got = ring.infoAt(track, i);
      const want = expected[i]!.info;
      if (got.timestampUs !== want.timestampUs || got.durationUs !== want.durationUs || got.key !== want.key || got.epoch !== want.epoch) {
        throw new Error(`${track} ${i}: infoAt gave ${JSON.stringify(got)}, appended ${JSON.stringify(want)}`);
      }
      if (got.timestampUs < previousUs) throw new Error(`${track} ${i}: timestamp goes back`);
      previousUs = got.timestampUs;
    }
    if (fullBytes) checkBytes(ring, track, expected, 0, count);
    else if (count > 0) {
      const from = Math.floor(rand() * count);
      checkBytes(ring, track, expected, from, Math.min(count, from + 1 + Math.floor(rand() * 8)));
      checkBytes(ring, track, expected, count - 1, count);
    }

    // lowerBound agrees with a linear scan, probing stored timestamps, between them and outside.
    for (let probe = 0; probe < 4; probe++) {
      const base = count > 0 ? expected[Math.floor(rand() * count)]!.info.timestampUs : 0;
      const tUs = base + Math.floor((rand() - 0.5) * 40_000);
      let brute = 0;
      while (brute < count && expected[brute]!.info.timestampUs < tUs) brute++;
      same(ring.lowerBound(track, tUs), brute, `${track} lowerBound(${tUs})`);
    }
  }

  same(stats.videoChunks, video.length, 'stats.videoChunks');
  same(stats.audioChunks, audio.length, 'stats.audioChunks');
  same(stats.payloadBytes, byteSum(video) + byteSum(audio), 'stats.payloadBytes');
  check(stats.payloadBytes <= config.maxBytes, `payload ${stats.payloadBytes} B over the cap`);
  check(stats.arenaBytes <= 2 * config.maxBytes, `arenas ${stats.arenaBytes} B over twice the cap`);

  if (video.length > 0) {
    const oldest = video[0]!.info;
    const newest = video[video.length - 1]!.info;
    check(oldest.key, 'video 0 is not a keyframe');
    same(stats.oldestUs, oldest.timestampUs, 'stats.oldestUs');
    same(stats.newestUs, newest.timestampUs, 'stats.newestUs');
    same(stats.bufferedUs, newest.timestampUs + newest.durationUs - oldest.timestampUs, 'stats.bufferedUs');

    // Window: the second-oldest keyframe is inside the window (else its GOP should be gone).
    const horizonUs = newest.timestampUs - config.windowUs;
    const secondKey = video.findIndex((chunk, i) => i > 0 && chunk.info.key);
    if (secondKey > 0) check(video[secondKey]!.info.timestampUs > horizonUs, 'a GOP older than the window is still stored');
    // Without cap pressure only the window evicts, so after an eviction a clip of windowUs has
    // its keyframe at index 0.
    if (config.uncapped && stats.evictedGops > 0) same(ring.keyframeAtOrBefore(horizonUs), 0, 'keyframe before the window start');

    // A decoder-config change starts a GOP.
    for (let i = 1; i < video.length; i++) {
      const chunk = video[i]!.info;
      const previous = video[i - 1]!.info;
      if (chunk.epoch < previous.epoch || (chunk.epoch !== previous.epoch && !chunk.key)) {
        throw new Error(`video ${i}: epoch ${chunk.epoch} follows ${previous.epoch} on a ${chunk.key ? 'key' : 'delta'} frame`);
      }
    }

    if (audio.length > 0) check(audio[0]!.info.timestampUs + audio[0]!.info.durationUs > oldest.timestampUs, 'audio 0 ends before the video');
  } else {
    same(stats.oldestUs, null, 'stats.oldestUs');
    same(stats.bufferedUs, 0, 'stats.bufferedUs');
    if (audio.length > 0) {
      const newestAudioUs = audio[audio.length - 1]!.info.timestampUs;
      check(audio[0]!.info.timestampUs + audio[0]!.info.durationUs > newestAudioUs - config.windowUs, 'audio older than the window');
    }
  }

  for (let probe = 0; probe < 4; probe++) {
    const base = video.length > 0 ? video[Math.floor(rand() * video.length)]!.info.timestampUs : 0;
    const tUs = base + Math.floor((rand() - 0.5) * 200_000);
    let brute = -1;
    for (let i = 0; i < video.length; i++) if (video[i]!.info.key && video[i]!.info.timestampUs <= tUs) brute = i;
    same(ring.keyframeAtOrBefore(tUs), brute, `keyframeAtOrBefore(${tUs})`);
  }
}

interface Coverage {
  outcomes: Record<Outcome, number>;
  wraps: number;
  grownRuns: number;
  evictingRuns: number;
  bigChunks: number;
}

function runSeed(seed: number, steps: number, coverage: Coverage): void {
  const rand = mulberry32(seed);
  const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const uncapped = rand() < 0.25;
  const config: Config = {
    // Whole milliseconds, so timestamps often land exactly on the window and pruning boundaries.
    windowUs: between(300, 3_000) * 1_000,
    maxBytes: uncapped ? 50_000_000 : between(3_000, 120_000),
    initialArenaBytes: between(200, 16_384),
    uncapped,
  };
  const ring = new RingBuffer(config);
  const shadow: Shadow = { accepted: { video: [], audio: [] }, lastUs: { video: -Infinity, audio: -Infinity }, awaitingKeyframe: true };

  const frameUs = between(16, 50) * 1_000;
  const audioUs = 20_000;
  let nextVideoUs = between(0, 1_000) * 1_000;
  let nextAudioUs = between(0, 1_000) * 1_000;
  let framesLeftInGop = 0;
  let firstVideo = true;
  let epoch = 0;
  let grown = false;

  for (let step = 0; step < steps; step++) {
    const track: Track = nextVideoUs <= nextAudioUs || rand() < 0.05 ? 'video' : 'audio';
    let timestampUs = track === 'video' ? nextVideoUs : nextAudioUs;
    if (rand() < 0.01) timestampUs -= between(1, 100_000); // out of order: must be rejected
    let chunk: Stored;
    if (track === 'video') {
      let key = framesLeftInGop <= 0;
      if (firstVideo) key = rand() < 0.5; // sometimes the stream starts mid-GOP
      if (key) {
        framesLeftInGop = between(1, 60);
        if (rand() < 0.05) epoch++;
      } else if (rand() < 0.005) epoch++; // a config change without a keyframe: must be rejected
      framesLeftInGop--;
      let byteLength = key ? between(300, 4_000) : between(0, 1_500);
      if (rand() < 0.03) {
        coverage.bigChunks++;
        // Relative to the arena (half of both arenas approximates the video one), bounded so
        // uncapped runs do not snowball.
        const arenaScale = rand() < 0.5 ? config.initialArenaBytes : Math.min(config.maxBytes, ring.stats().arenaBytes / 2, 150_000);
        byteLength = Math.floor(arenaScale * (0.5 + rand() * 0.7));
      }
      chunk = { info: info(timestampUs, frameUs, key, epoch), bytes: payload('video', timestampUs, byteLength) };
      firstVideo = false;
      // Equal timestamps are legal; sometimes the tab goes static and frames pause.
      nextVideoUs += rand() < 0.02 ? 0 : rand() < 0.01 ? between(500, 2_000) * 1_000 : frameUs + between(-2, 2) * 1_000;
    } else {
      const byteLength = rand() < 0.01 ? between(1_000, 10_000) : between(10, 300);
      chunk = { info: info(timestampUs, audioUs, true, 0), bytes: payload('audio', timestampUs, byteLength) };
      nextAudioUs += rand() < 0.005 ? between(200, 1_500) * 1_000 : audioUs;
    }

    const expected = expectedOutcome(ring, shadow, config, track, chunk);
    const accepted = ring.append(track, chunk.bytes, chunk.info);
    coverage.outcomes[expected]++;
    if (accepted !== (expected === 'accept')) {
      throw new Error(`step ${step}: append(${track}, t=${timestampUs}, ${chunk.bytes.byteLength} B) returned ${accepted}, expected ${expected}`);
    }
    if (accepted) {
      shadow.accepted[track].push({ info: chunk.info, bytes: chunk.bytes.slice() });
      shadow.lastUs[track] = timestampUs;
      if (track === 'video' && chunk.info.key) shadow.awaitingKeyframe = false;
    } else if (track === 'video') {
      shadow.awaitingKeyframe = true;
    }
    // The caller may reuse its buffer: the stored bytes must be a copy, not a view.
    chunk.bytes.fill(0xee);
    grown ||= ring.stats().arenaBytes > 2 * Math.min(config.initialArenaBytes, config.maxBytes);
    try {
      checkInvariants(ring, shadow, config, rand, step % 40 === 0 || step === steps - 1);
    } catch (error) {
      throw new Error(`step ${step}, after append(${track}, t=${timestampUs}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const stats = ring.stats();
  coverage.wraps += stats.arenaWraps;
  if (grown) coverage.grownRuns++;
  if (stats.evictedGops > 0) coverage.evictingRuns++;
}

describe('RingBuffer', () => {
  it('ring buffer, keeps every invariant over thousands of random appends', () => {
    const only = process.env.RING_SEED;
    const seeds = only !== undefined ? [Number(only)] : Array.from({ length: 40 }, (_, i) => 0x1000 + i);
    const coverage: Coverage = {
      outcomes: { accept: 0, order: 0, keyframe: 0, epoch: 0, 'late-audio': 0, cap: 0 },
      wraps: 0,
      grownRuns: 0,
      evictingRuns: 0,
      bigChunks: 0,
    };
    for (const seed of seeds) {
      try {
        runSeed(seed, 700, coverage);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`seed ${seed} failed (replay with RING_SEED=${seed}): ${message}`, { cause: error });
      }
    }
    if (only !== undefined) return;
    // The run must have exercised what it claims to check.
    expect(coverage.wraps).toBeGreaterThan(0);
    expect(coverage.grownRuns).toBeGreaterThan(0);
    expect(coverage.evictingRuns).toBeGreaterThan(0);
    expect(coverage.bigChunks).toBeGreaterThan(0);
    for (const outcome of Object.keys(coverage.outcomes) as Outcome[]) {
      expect(coverage.outcomes[outcome], `no '${outcome}' outcome was exercised`).toBeGreaterThan(0);
    }
  }, 30_000); // ~28k appends with full checks: about a second alone, more beside other files

  it('ring buffer, rejects a non-key first video chunk', () => {
    const ring = new RingBuffer({ windowUs: 10_000_000, maxBytes: 100_000 });
    expect(ring.append('video', payload('video', 0, 100), info(0, 33_000, false))).toBe(false);
    expect(ring.append('video', payload('video', 33_000, 100), info(33_000, 33_000, false))).toBe(false);
    expect(ring.count('video')).toBe(0);
    expect(ring.stats().rejectedChunks).toBe(2);
    expect(ring.append('video', payload('video', 66_000, 100), info(66_000, 33_000, true))).toBe(true);
    expect(ring.append('video', payload('video', 99_000, 100), info(99_000, 33_000, false))).toBe(true);
    expect(ring.infoAt('video', 0).key).toBe(true);
    expect(ring.count('video')).toBe(2);
  });

  it('ring buffer, rejects an oversize GOP whole', () => {
    const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 10_000, initialArenaBytes: 1_024 });
    let t = 0;
    const video = (key: boolean, bytes: number): boolean => {
      t += 33_000;
      return ring.append('video', payload('video', t, bytes), info(t, 33_000, key));
    };
    expect(video(true, 1_000)).toBe(true);
    for (let i = 0; i < 4; i++) expect(video(false, 1_000)).toBe(true);

    // The next GOP outgrows the cap on its third delta: the first GOP goes to make room, the
    // open GOP never does, so that delta is rejected, and so is the rest of the GOP, even a
    // chunk that would fit, because a GOP with a hole would not decode.
    expect(video(true, 3_000)).toBe(true);
    expect(video(false, 3_000)).toBe(true);
    expect(video(false, 3_000)).toBe(true);
    expect(ring.stats().evictedGops).toBe(1);
    expect(video(false, 3_000)).toBe(false);
    expect(video(false, 10)).toBe(false);
    expect(ring.stats().rejectedChunks).toBe(2);
    expect(ring.count('video')).toBe(3);
    expect(ring.stats().payloadBytes).toBe(9_000);

    // A keyframe larger than the cap is rejected with its GOP; the stored GOP stays.
    expect(video(true, 10_001)).toBe(false);
    expect(video(false, 10)).toBe(false);
    expect(ring.count('video')).toBe(3);

    // The next keyframe starts over.
    expect(video(true, 2_000)).toBe(true);
    expect(video(false, 10)).toBe(true);
    expect(ring.infoAt('video', 0).key).toBe(true);
    expect(ring.stats().payloadBytes).toBeLessThanOrEqual(10_000);
  });

  it('ring buffer, growth stops at the cap', () => {
    const maxBytes = 100_000; // not a power of two times the initial size
    const initialArenaBytes = 4_096;
    const ring = new RingBuffer({ windowUs: 1_000_000_000, maxBytes, initialArenaBytes });
    let previousArenaBytes = ring.stats().arenaBytes;
    for (let i = 0; i < 2_000; i++) {
      const t = i * 33_000;
      expect(ring.append('video', payload('video', t, 1_000), info(t, 33_000, i % 10 === 0))).toBe(true);
      const { arenaBytes, payloadBytes } = ring.stats();
      expect(arenaBytes).toBeGreaterThanOrEqual(previousArenaBytes);
      expect(arenaBytes).toBeLessThanOrEqual(initialArenaBytes + maxBytes);
      expect(payloadBytes).toBeLessThanOrEqual(maxBytes);
      previousArenaBytes = arenaBytes;
    }
    const stats = ring.stats();
    expect(stats.arenaBytes).toBe(initialArenaBytes + maxBytes);
    expect(stats.evictedGops).toBeGreaterThan(0);
    expect(stats.arenaWraps).toBeGreaterThan(0);
    expect(ring.infoAt('video', 0).key).toBe(true);
    const copied = ring.copyOut('video', 0, ring.count('video'));
    const first = copied.chunks[0]!;
    expect(sameBytes(copied.bytes.subarray(0, first.byteLength), payload('video', first.timestampUs, 1_000))).toBe(true);
  });

  it('ring buffer, prunes audio that ends before the first video', () => {
    const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 1_000_000 });
    for (let t = 0; t < 1_000_000; t += 20_000) {
      expect(ring.append('audio', payload('audio', t, 50), info(t, 20_000, true))).toBe(true);
    }
    expect(ring.count('audio')).toBe(50); // kept while there is no video
    expect(ring.append('video', payload('video', 500_000, 500), info(500_000, 33_000, true))).toBe(true);
    // The chunk at 480 ms ends exactly at 500 ms: it cannot be used either.
    expect(ring.infoAt('audio', 0).timestampUs).toBe(500_000);
    expect(ring.count('audio')).toBe(25);
    expect(ring.stats().payloadBytes).toBe(25 * 50 + 500);
  });

  it('ring buffer, bounds audio alone by the window', () => {
    const ring = new RingBuffer({ windowUs: 1_000_000, maxBytes: 1_000_000 });
    for (let t = 0; t < 5_000_000; t += 20_000) ring.append('audio', payload('audio', t, 50), info(t, 20_000, true));
    const newestUs = ring.infoAt('audio', ring.count('audio') - 1).timestampUs;
    const oldest = ring.infoAt('audio', 0);
    expect(oldest.timestampUs + oldest.durationUs).toBeGreaterThan(newestUs - 1_000_000);
    expect(oldest.timestampUs).toBeLessThanOrEqual(newestUs - 1_000_000);
  });

  it('ring buffer, shiftTimestamps moves one track, keeps its order and accepts what follows', () => {
    const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 1_000_000 });
    for (let t = 0; t < 200_000; t += 33_000) ring.append('video', payload('video', t, 100), info(t, 33_000, t === 0));
    ring.append('audio', payload('audio', 0, 50), info(0, 20_000, true));
    ring.shiftTimestamps('video', -3_000);
    expect(ring.infoAt('video', 0).timestampUs).toBe(-3_000);
    expect(ring.infoAt('video', 1).timestampUs).toBe(30_000);
    expect(ring.infoAt('audio', 0).timestampUs).toBe(0);
    expect(ring.lowerBound('video', 30_000)).toBe(1);
    // The next frame only has to follow the shifted ones.
    expect(ring.append('video', payload('video', 196_000, 100), info(196_000, 33_000, false))).toBe(true);
  });

  it('ring buffer, clear() empties', () => {
    const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 1_000_000, initialArenaBytes: 1_024 });
    for (let i = 0; i < 100; i++) {
      ring.append('video', payload('video', i * 33_000, 500), info(i * 33_000, 33_000, i % 30 === 0));
      ring.append('audio', payload('audio', i * 20_000, 50), info(i * 20_000, 20_000, true));
    }
    ring.append('video', payload('video', 0, 10), info(0, 33_000, false)); // rejected: goes back in time
    expect(ring.stats().arenaBytes).toBeGreaterThan(2 * 1_024);

    ring.clear();
    expect(ring.count('video')).toBe(0);
    expect(ring.count('audio')).toBe(0);
    expect(ring.stats()).toEqual({
      videoChunks: 0,
      audioChunks: 0,
      payloadBytes: 0,
      arenaBytes: 2 * 1_024,
      oldestUs: null,
      newestUs: null,
      bufferedUs: 0,
      evictedGops: 0,
      rejectedChunks: 0,
      arenaWraps: 0,
      arenaGrowths: 0,
      arenaShrinks: 0,
      arenaCopiedBytes: 0,
    });
    expect(ring.keyframeAtOrBefore(1e12)).toBe(-1);
    expect(ring.lowerBound('video', 0)).toBe(0);
    expect(ring.copyOut('audio', 0, 0).bytes.byteLength).toBe(0);
    // A new recording may start earlier on the timeline, and must start with a keyframe again.
    expect(ring.append('video', payload('video', 0, 10), info(0, 33_000, false))).toBe(false);
    expect(ring.append('video', payload('video', 0, 10), info(0, 33_000, true))).toBe(true);
  });

  it('ring buffer, steady state does not grow arenaBytes', () => {
    const windowUs = 2_000_000;
    const ring = new RingBuffer({ windowUs, maxBytes: 10_000_000, initialArenaBytes: 8_192 });
    const rand = mulberry32(7);
    let videoUs = 0;
    let audioUs = 0;
    let frame = 0;
    const runUntil = (endUs: number): void => {
      while (videoUs < endUs) {
        const key = frame++ % 30 === 0;
        const bytes = key ? 3_000 + Math.floor(rand() * 1_000) : 300 + Math.floor(rand() * 700);
        expect(ring.append('video', payload('video', videoUs, bytes), info(videoUs, 33_333, key))).toBe(true);
        videoUs += 33_333;
        while (audioUs < videoUs) {
          expect(ring.append('audio', payload('audio', audioUs, 120), info(audioUs, 20_000, true))).toBe(true);
          audioUs += 20_000;
        }
      }
    };
    runUntil(3 * windowUs);
    const settled = ring.stats();
    runUntil(20 * windowUs);
    const later = ring.stats();
    expect(later.arenaBytes).toBe(settled.arenaBytes);
    expect(later.evictedGops).toBeGreaterThan(settled.evictedGops);
    expect(later.arenaWraps).toBeGreaterThan(settled.arenaWraps);
    expect(later.bufferedUs).toBeGreaterThanOrEqual(windowUs);
  });

  it('ring buffer, copyOut returns bytes that later appends do not overwrite', () => {
    const ring = new RingBuffer({ windowUs: 100_000, maxBytes: 1_000_000, initialArenaBytes: 1_024 });
    ring.append('video', payload('video', 0, 400), info(0, 33_000, true));
    const copied = ring.copyOut('video', 0, 1);
    for (let i = 1; i < 100; i++) ring.append('video', payload('video', i * 33_000, 400), info(i * 33_000, 33_000, true));
    expect(sameBytes(copied.bytes, payload('video', 0, 400))).toBe(true);
    expect(() => ring.copyOut('video', 0, ring.count('video') + 1)).toThrow(RangeError);
    expect(() => ring.borrow('video', 0, ring.count('video') + 1)).toThrow(RangeError);
    expect(() => ring.infoAt('video', -1)).toThrow(RangeError);
  });
});
