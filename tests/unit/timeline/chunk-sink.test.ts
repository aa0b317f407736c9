import { describe, expect, it } from 'vitest';
import { ChunkSink, type ChunkConsumer } from '../../../src/timeline/chunk-sink';
import { RingBuffer, type Track } from '../../../src/buffer/ring-buffer';

const AUDIO_US = 20_000;
const FRAME_US = 33_333;
/** Video stamps count from boot, far from the page clock the audio is stamped on. */
const BOOT_US = 1_000_000_000;

/** What ChunkSink reads of an encoder's output chunk; the payload carries the capture instant. */
function chunk(timestampUs: number, durationUs: number, key: boolean, capturedUs: number): EncodedVideoChunk {
  const data = new Uint8Array(new Float64Array([capturedUs]).buffer);
  return {
    timestamp: timestampUs,
    duration: durationUs,
    type: key ? 'key' : 'delta',
    byteLength: data.byteLength,
    copyTo: (destination: Uint8Array) => destination.set(data),
  } as unknown as EncodedVideoChunk;
}

/**
 * Feeds 4 s of capture (audio heard at t, delivered 20 ms later; video captured at t, delivered
 * 10 ms later), pausing and resuming at the given instants, as the recorder does.
 */
function record(pauseAtUs: number, resumeAtUs: number, others: ChunkConsumer[] = []): RingBuffer {
  const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 16 * 1024 * 1024 });
  const sink = new ChunkSink([ring, ...others]);
  type Event = { atUs: number; run: () => void };
  const events: Event[] = [];
  for (let t = 0; t < 4_000_000; t += AUDIO_US) {
    events.push({ atUs: t + AUDIO_US, run: () => { sink.observe('audio', t, t + AUDIO_US); sink.add('audio', chunk(t, AUDIO_US, true, t), 0, AUDIO_US); } });
  }
  for (let k = 0; k * FRAME_US < 4_000_000; k++) {
    const t = Math.round(k * FRAME_US);
    events.push({ atUs: t + 10_000, run: () => { sink.observe('video', BOOT_US + t, t + 10_000); if (sink.keeps('video', BOOT_US + t)) sink.add('video', chunk(BOOT_US + t, FRAME_US, k % 30 === 0, t), 0, FRAME_US); } });
  }
  events.push({ atUs: pauseAtUs, run: () => sink.pause(pauseAtUs) });
  events.push({ atUs: resumeAtUs, run: () => sink.resume(resumeAtUs) });
  events.sort((a, b) => a.atUs - b.atUs);
  for (const event of events) event.run();
  return ring;
}

function timestamps(ring: RingBuffer, track: Track): number[] {
  return Array.from({ length: ring.count(track) }, (_, i) => ring.infoAt(track, i).timestampUs);
}

describe('ChunkSink, pause and resume', () => {
  it('ChunkSink, joins the audio across a pause with no hole and no overlap', () => {
    const audio = timestamps(record(1_503_000, 2_211_000), 'audio');
    for (let i = 1; i < audio.length; i++) expect(audio[i]! - audio[i - 1]!).toBe(AUDIO_US);
  });

  it('ChunkSink, cuts one span from both tracks, so they keep their alignment', () => {
    const ring = record(1_503_000, 2_211_000);
    // How far each chunk sits before the instant it was captured (heard, for audio): 0 before
    // the pause, the paused span after it. The video clock adds its 10 ms delivery latency.
    const shifts = (track: Track, latencyUs: number): Set<number> => {
      const copied = ring.copyOut(track, 0, ring.count(track));
      const view = new DataView(copied.bytes.buffer, copied.bytes.byteOffset);
      return new Set(copied.chunks.map((c) => Math.round(view.getFloat64(c.offset, true)) + latencyUs - c.timestampUs));
    };
    const audio = [...shifts('audio', 0)].sort((a, b) => a - b);
    const video = [...shifts('video', 10_000)].sort((a, b) => a - b);
    expect(audio).toHaveLength(2);
    expect(audio[0]).toBe(0);
    // The span is whole audio packets (the pause and the resume are moved onto their grid).
    expect(audio[1]! % AUDIO_US).toBe(0);
    expect(video).toEqual(audio);
  });
});

describe('ChunkSink, consumers', () => {
  it('ChunkSink, hands every consumer the same chunks, bytes and clock shifts', () => {
    const second = new RingBuffer({ windowUs: 60_000_000, maxBytes: 16 * 1024 * 1024 });
    const ring = record(1_503_000, 2_211_000, [second]);
    for (const track of ['video', 'audio'] as const) {
      expect(timestamps(second, track)).toEqual(timestamps(ring, track));
      const a = ring.copyOut(track, 0, ring.count(track));
      const b = second.copyOut(track, 0, second.count(track));
      expect(Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes))).toBe(0);
    }
  });

  it('ChunkSink, tells every consumer when a settled clock moves what it holds', () => {
    const moves: { track: Track; deltaUs: number }[] = [];
    const sink = new ChunkSink([{ append: () => undefined, shiftTimestamps: (track, deltaUs) => void moves.push({ track, deltaUs }) }]);
    for (let t = 0; t <= 600_000; t += FRAME_US) sink.observe('video', BOOT_US + t, t + 10_000);
    expect(moves).toEqual([]);
    // A frame that arrives faster than any before shows the latency was overestimated by 4 ms.
    sink.observe('video', BOOT_US + 700_000, 706_000);
    expect(moves).toEqual([{ track: 'video', deltaUs: -4_000 }]);
  });

  it('ChunkSink, stops feeding a consumer once disconnected', () => {
    const sink = new ChunkSink();
    const seen: number[] = [];
    const disconnect = sink.connect({ append: (_track, _data, info) => void seen.push(info.timestampUs), shiftTimestamps: () => undefined });
    // Let the audio clock settle (its first half second waits in the queue), then one more.
    for (let t = 0; t <= 600_000; t += AUDIO_US) {
      sink.observe('audio', t, t + AUDIO_US);
      sink.add('audio', chunk(t, AUDIO_US, true, t), 0, AUDIO_US);
    }
    const count = seen.length;
    expect(count).toBeGreaterThan(0);
    disconnect();
    sink.observe('audio', 620_000, 640_000);
    sink.add('audio', chunk(620_000, AUDIO_US, true, 620_000), 0, AUDIO_US);
    expect(seen).toHaveLength(count);
  });
});
