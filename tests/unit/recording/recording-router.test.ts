// The router's boundary accounting, fed a synthetic capture in arrival order: 30 fps video with
// jitter and a keyframe each second, 20 ms Opus packets delivered ~40 ms after they sound.
import { describe, expect, it } from 'vitest';
import type { ChunkInfo, Track } from '../../../src/buffer/ring-buffer';
import { RecordingRouter, type RouterOptions, type RouterOutput, type RoutedPacket } from '../../../src/recording/recording-router';
import { mulberry32 } from '../../../scripts/harness/prng';

const FRAME_US = 1_000_000 / 30;
const GRID_US = 1_000_000 / 60;
const AUDIO_US = 20_000;
const SEGMENT_US = 5_000_000;
const AUDIO_DELAY_US = 6_500;
/** Unlike a frame's gap, so a frame given it by mistake shows. */
const LAST_FRAME_US = 25_000;
/** Shared-timeline instant of the first keyframe's nominal capture. */
const T0 = 7_000_000;

interface Sent {
  id: number;
  track: Track;
  data: Uint8Array;
  info: ChunkInfo;
  arrivalUs: number;
  /** Video: frame number from the first keyframe (negative before it). */
  frame?: number;
}

/** Unique bytes: track tag, the chunk's id, then filler of a length that varies. */
function payload(track: Track, id: number): Uint8Array {
  const data = new Uint8Array(5 + ((id * 7) % 53));
  data[0] = track === 'video' ? 0x56 : 0x41;
  new DataView(data.buffer).setUint32(1, id);
  data.fill(id & 0xff, 5);
  return data;
}

const idOf = (data: Uint8Array): number => new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(1);

interface Scenario {
  sent: Sent[];
  /** Shared-timeline stamp of the first keyframe: the recording's t = 0. */
  baseUs: number;
}

/**
 * `preFrames` delta frames before the first keyframe; the first keyframe (and so the burst after it)
 * reaches the router `firstKeyLateUs` late, as an encoder's first output does.
 */
function capture(seed: number, durationUs: number, { preFrames = 10, firstKeyLateUs = 120_000, jitterUs = 900, epoch = 0 } = {}): Scenario {
  const random = mulberry32(seed);
  const sent: Sent[] = [];
  let id = 0;
  let lastArrival = -Infinity;
  let baseUs = 0;
  for (let k = -preFrames; k * FRAME_US < durationUs; k++) {
    const timestampUs = Math.round(T0 + k * FRAME_US + (random() * 2 - 1) * jitterUs);
    if (k === 0) baseUs = timestampUs;
    const latency = k === 0 ? firstKeyLateUs : 5_000 + random() * 1_000;
    const arrivalUs = Math.max(lastArrival + 1, timestampUs + latency);
    lastArrival = arrivalUs;
    const key = ((k % 30) + 30) % 30 === 0 && k >= 0;
    sent.push({ id, track: 'video', data: payload('video', id), info: { timestampUs, durationUs: Math.round(FRAME_US), key, epoch }, arrivalUs, frame: k });
    id++;
  }
  // Audio from 0.5 s before the first keyframe; one packet sits 3 ms after it (so the delay drops it).
  for (let timestampUs = baseUs + 3_000 - 25 * AUDIO_US; timestampUs < T0 + durationUs; timestampUs += AUDIO_US) {
    const arrivalUs = timestampUs + 40_000 + (random() * 2 - 1) * 1_000;
    sent.push({ id, track: 'audio', data: payload('audio', id), info: { timestampUs, durationUs: AUDIO_US, key: true, epoch: 0 }, arrivalUs });
    id++;
  }
  sent.sort((a, b) => a.arrivalUs - b.arrivalUs || a.id - b.id);
  return { sent, baseUs };
}

const defaults: RouterOptions = { segmentUs: SEGMENT_US, hasAudio: true, audioDelayUs: AUDIO_DELAY_US, lastFrameUs: LAST_FRAME_US, epoch: 0 };

interface Run {
  router: RecordingRouter;
  outputs: RouterOutput[];
  /** How many outputs there were when each chunk (by id) was appended. */
  outputsBefore: Map<number, number>;
}

function route(sent: readonly Sent[], options: Partial<RouterOptions> = {}, stop = true): Run {
  const outputs: RouterOutput[] = [];
  const router = new RecordingRouter({ ...defaults, ...options }, (output) => outputs.push(output));
  const outputsBefore = new Map<number, number>();
  for (const chunk of sent) {
    outputsBefore.set(chunk.id, outputs.length);
    router.append(chunk.track, chunk.data, chunk.info);
  }
  if (stop) router.stop();
  return { router, outputs, outputsBefore };
}

const packetsOf = (outputs: readonly RouterOutput[]): RoutedPacket[] => outputs.flatMap((o) => (o.kind === 'packet' ? [o.packet] : []));
const startsOf = (outputs: readonly RouterOutput[]): Map<number, number> => new Map(outputs.flatMap((o) => (o.kind === 'open' ? [[o.segment, o.startUs] as const] : [])));

/** Where each packet sits on the recording's timeline. */
function absolute(outputs: readonly RouterOutput[]): { packet: RoutedPacket; atUs: number; index: number }[] {
  const starts = startsOf(outputs);
  return outputs.flatMap((o, index) => (o.kind === 'packet' ? [{ packet: o.packet, atUs: starts.get(o.packet.segment)! + o.packet.timeUs, index }] : []));
}

describe('RecordingRouter on a 23 s capture', () => {
  const seeds = [1, 2, 3, 4];

  it.each(seeds)('RecordingRouter, emits every packet from the first keyframe on exactly once, none before it (seed %i)', (seed) => {
    const { sent, baseUs } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    const expected = sent.filter((c) => (c.track === 'video' ? c.frame! >= 0 : c.info.timestampUs - AUDIO_DELAY_US >= baseUs));
    const emitted = packetsOf(outputs).map((p) => idOf(p.data));
    expect(new Set(emitted).size).toBe(emitted.length);
    expect([...emitted].sort((a, b) => a - b)).toEqual(expected.map((c) => c.id).sort((a, b) => a - b));
    // The bytes are the appended ones, whole.
    const byId = new Map(sent.map((c) => [c.id, c]));
    for (const packet of packetsOf(outputs)) {
      const chunk = byId.get(idOf(packet.data))!;
      expect(packet.track).toBe(chunk.track);
      expect(packet.data).toEqual(chunk.data);
    }
    // The scenario does exercise the drops: delta frames, audio from before, and audio the delay moves before t = 0.
    expect(sent.filter((c) => c.track === 'video' && c.frame! < 0)).toHaveLength(10);
    expect(sent.some((c) => c.track === 'audio' && c.info.timestampUs >= baseUs && c.info.timestampUs - AUDIO_DELAY_US < baseUs)).toBe(true);
  });

  it.each(seeds)('RecordingRouter, hands over copies: changing the appended bytes afterwards changes nothing (seed %i)', (seed) => {
    const { sent } = capture(seed, 6_000_000);
    const outputs: RouterOutput[] = [];
    const router = new RecordingRouter(defaults, (o) => outputs.push(o));
    for (const chunk of sent) {
      const scratch = chunk.data.slice();
      router.append(chunk.track, scratch, chunk.info);
      scratch.fill(0xee);
    }
    router.stop();
    const byId = new Map(sent.map((c) => [c.id, c]));
    const packets = packetsOf(outputs);
    expect(packets.length).toBeGreaterThan(400);
    for (const packet of packets) expect(packet.data).toEqual(byId.get(idOf(packet.data))!.data);
  });

  it.each(seeds)('RecordingRouter, per track, times are integers >= 0 and strictly increasing across segments (seed %i)', (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    for (const track of ['video', 'audio'] as const) {
      const times = absolute(outputs).filter((p) => p.packet.track === track);
      expect(times.length).toBeGreaterThan(100);
      for (const { packet } of times) {
        expect(Number.isInteger(packet.timeUs)).toBe(true);
        expect(packet.timeUs).toBeGreaterThanOrEqual(0);
      }
      for (let i = 1; i < times.length; i++) expect(times[i]!.atUs).toBeGreaterThan(times[i - 1]!.atUs);
    }
  });

  it.each(seeds)('RecordingRouter, cuts on the first keyframe at least segmentUs after the previous start; each segment starts with it at 0 (seed %i)', (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    const starts = [...startsOf(outputs).entries()];
    expect(starts.map(([segment]) => segment)).toEqual([0, 1, 2, 3, 4]);
    // Keyframes every second: the cuts fall on the 5 s keyframes (gridded, so within a frame's jitter).
    starts.forEach(([segment, startUs]) => {
      expect(Number.isInteger(startUs)).toBe(true);
      expect(Math.abs(startUs - segment * SEGMENT_US)).toBeLessThan(2_000);
    });
    for (let i = 1; i < starts.length; i++) expect(starts[i]![1] - starts[i - 1]![1]).toBeGreaterThanOrEqual(SEGMENT_US);
    const video = absolute(outputs).filter((p) => p.packet.track === 'video');
    for (const [segment, startUs] of starts) {
      const own = video.filter((p) => p.packet.segment === segment);
      expect(own[0]!.packet.key).toBe(true);
      expect(own[0]!.packet.timeUs).toBe(0);
      expect(own[0]!.atUs).toBe(startUs);
      // No keyframe inside a segment was late enough to have started a new one.
      for (const p of own.slice(1)) if (p.packet.key) expect(p.packet.timeUs).toBeLessThan(SEGMENT_US);
      // The segment holds 1 s keyframe groups: 5 of them (30 frames each) but for the last.
      if (segment < 4) expect(own.filter((p) => p.packet.key)).toHaveLength(5);
      if (segment < 4) expect(own).toHaveLength(150);
    }
  });

  it.each(seeds)('RecordingRouter, puts each packet in the newest segment that had started when it sounds (seed %i)', (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    const starts = [...startsOf(outputs).values()];
    for (const { packet, atUs } of absolute(outputs)) {
      const expected = starts.findLastIndex((startUs) => startUs <= atUs);
      expect(packet.segment, `${packet.track} at ${atUs}`).toBe(expected);
    }
  });

  it.each(seeds)('RecordingRouter, audio that arrives after the cut but sounds before it goes to the older segment (seed %i)', (seed) => {
    const { sent, baseUs } = capture(seed, 23_000_000);
    const { outputs, outputsBefore } = route(sent);
    const openAt = new Map(outputs.flatMap((o, index) => (o.kind === 'open' ? [[o.segment, index] as const] : [])));
    const starts = startsOf(outputs);
    const byId = new Map(sent.map((c) => [c.id, c]));
    for (let segment = 1; segment <= 4; segment++) {
      const late = packetsOf(outputs).filter((p) => {
        const chunk = byId.get(idOf(p.data))!;
        return p.track === 'audio' && outputsBefore.get(chunk.id)! > openAt.get(segment)! && chunk.info.timestampUs - AUDIO_DELAY_US - baseUs < starts.get(segment)!;
      });
      // ~40 ms of audio lag behind a 5 ms video lag: one or two packets each time.
      expect(late.length).toBeGreaterThan(0);
      for (const p of late) expect(p.segment).toBe(segment - 1);
    }
  });

  it.each(seeds)("RecordingRouter, 'open' precedes a segment's packets, 'close' follows its last, each segment closed once (seed %i)", (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    const opened = new Map<number, number>();
    const closed = new Map<number, number>();
    outputs.forEach((o, index) => {
      if (o.kind === 'open') {
        expect(opened.has(o.segment)).toBe(false);
        opened.set(o.segment, index);
      } else if (o.kind === 'close') {
        expect(opened.has(o.segment)).toBe(true);
        expect(closed.has(o.segment)).toBe(false);
        closed.set(o.segment, index);
      } else {
        expect(opened.has(o.packet.segment)).toBe(true);
        expect(closed.has(o.packet.segment)).toBe(false);
      }
    });
    expect([...closed.keys()].sort()).toEqual([...opened.keys()].sort());
    // At most two segments are open at once (the newest and the one draining late audio).
    let open = 0;
    for (const o of outputs) {
      if (o.kind === 'open') open++;
      if (o.kind === 'close') open--;
      expect(open).toBeLessThanOrEqual(2);
    }
    expect(open).toBe(0);
  });

  it.each(seeds)('RecordingRouter, closes the draining segment as soon as audio passes the cut (seed %i)', (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    for (let segment = 0; segment < 4; segment++) {
      const closeAt = outputs.findIndex((o) => o.kind === 'close' && o.segment === segment);
      const firstNewerAudio = outputs.findIndex((o) => o.kind === 'packet' && o.packet.track === 'audio' && o.packet.segment === segment + 1);
      expect(closeAt).toBeGreaterThan(0);
      expect(closeAt).toBeLessThan(firstNewerAudio);
      // ... and not before then: no output of segment `segment` was cut off (the late audio came after the open).
      expect(outputs.slice(closeAt + 1).some((o) => o.kind === 'packet' && o.packet.segment === segment)).toBe(false);
    }
  });

  it.each(seeds)('RecordingRouter, a frame lasts until the next one, across segments too; the last lasts lastFrameUs (seed %i)', (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    const video = absolute(outputs).filter((p) => p.packet.track === 'video');
    for (let i = 0; i + 1 < video.length; i++) {
      expect(video[i]!.packet.durationUs).toBeGreaterThan(0);
      expect(video[i]!.atUs + video[i]!.packet.durationUs).toBe(video[i + 1]!.atUs);
    }
    expect(video.at(-1)!.packet.durationUs).toBe(LAST_FRAME_US);
    for (const { packet } of absolute(outputs).filter((p) => p.packet.track === 'audio')) expect(packet.durationUs).toBe(AUDIO_US);
  });

  it.each(seeds)('RecordingRouter, video times sit on the 1/60 s grid from the first frame and follow the capture (seed %i)', (seed) => {
    const { sent, baseUs } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    const byId = new Map(sent.map((c) => [c.id, c]));
    const video = absolute(outputs).filter((p) => p.packet.track === 'video');
    expect(video).toHaveLength(690);
    for (const { packet, atUs } of video) {
      expect(Math.abs(atUs - Math.round(atUs / GRID_US) * GRID_US)).toBeLessThanOrEqual(1);
      const rawUs = byId.get(idOf(packet.data))!.info.timestampUs - baseUs;
      expect(Math.abs(atUs - rawUs)).toBeLessThanOrEqual(GRID_US / 2);
    }
    // 30 fps on a 60 Hz grid: every frame is two grid steps after the previous one.
    for (let i = 1; i < video.length; i++) expect(Math.round((video[i]!.atUs - video[i - 1]!.atUs) / GRID_US)).toBe(2);
  });

  it.each(seeds)('RecordingRouter, audio sits at its stamp minus audioDelayUs from the first keyframe, duplicates none (seed %i)', (seed) => {
    const { sent, baseUs } = capture(seed, 23_000_000);
    const { outputs } = route(sent);
    const byId = new Map(sent.map((c) => [c.id, c]));
    for (const { packet, atUs } of absolute(outputs).filter((p) => p.packet.track === 'audio')) {
      expect(atUs).toBe(byId.get(idOf(packet.data))!.info.timestampUs - AUDIO_DELAY_US - baseUs);
    }
  });

  it.each(seeds)('RecordingRouter, keeps audio that arrived before the first keyframe when it sounds after it (seed %i)', (seed) => {
    const { sent, baseUs } = capture(seed, 3_000_000);
    const keyArrival = sent.find((c) => c.track === 'video' && c.frame === 0)!.arrivalUs;
    const early = sent.filter((c) => c.track === 'audio' && c.arrivalUs < keyArrival);
    const earlyKept = early.filter((c) => c.info.timestampUs - AUDIO_DELAY_US >= baseUs);
    // The keyframe comes 120 ms late: ~4 packets sound after it but arrive before it.
    expect(earlyKept.length).toBeGreaterThanOrEqual(3);
    expect(early.length).toBeGreaterThan(earlyKept.length);
    const { outputs } = route(sent);
    const emitted = packetsOf(outputs).filter((p) => p.track === 'audio');
    const emittedIds = new Set(emitted.map((p) => idOf(p.data)));
    for (const c of early) expect(emittedIds.has(c.id)).toBe(c.info.timestampUs - AUDIO_DELAY_US >= baseUs);
    // Written first, in order, in segment 0.
    expect(emitted.slice(0, earlyKept.length).map((p) => idOf(p.data))).toEqual(earlyKept.map((c) => c.id));
    expect(emitted[0]!.timeUs).toBe(earlyKept[0]!.info.timestampUs - AUDIO_DELAY_US - baseUs);
  });

  it.each(seeds)('RecordingRouter, the getters agree with what was emitted (seed %i)', (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const { router, outputs } = route(sent, {}, false);
    const check = (held: number): void => {
      const packets = packetsOf(outputs);
      const starts = startsOf(outputs);
      expect(router.segments.map((s) => s.segment)).toEqual([...starts.keys()]);
      for (const s of router.segments) {
        const own = packets.filter((p) => p.segment === s.segment);
        expect(s.startUs).toBe(starts.get(s.segment));
        expect(s.videoPackets).toBe(own.filter((p) => p.track === 'video').length);
        expect(s.audioPackets).toBe(own.filter((p) => p.track === 'audio').length);
        expect(s.bytes).toBe(own.reduce((sum, p) => sum + p.data.byteLength, 0));
      }
      expect(router.videoPackets).toBe(packets.filter((p) => p.track === 'video').length + held);
    };
    // Before stop() one frame is held back (it lasts until its successor), and counts.
    check(1);
    const video = absolute(outputs).filter((p) => p.packet.track === 'video');
    const last = video.at(-1)!;
    expect(router.durationUs).toBe(last.atUs + last.packet.durationUs + LAST_FRAME_US);
    router.stop();
    check(0);
    expect(router.videoPackets).toBe(690);
    // stop() twice writes nothing more.
    const count = outputs.length;
    router.stop();
    router.append('video', payload('video', 9_999), { timestampUs: T0 + 30_000_000, durationUs: 33_333, key: true, epoch: 0 });
    expect(outputs).toHaveLength(count);
  });

  it.each(seeds)('RecordingRouter, stop() right after a cut closes the draining segment too, then the newest (seed %i)', (seed) => {
    const { sent } = capture(seed, 23_000_000);
    const cutKey = sent.find((c) => c.track === 'video' && c.frame === 150)!;
    // Up to the keyframe at 5 s: the audio of its last ~35 ms has not arrived yet.
    const { outputs } = route(sent.filter((c) => c.arrivalUs <= cutKey.arrivalUs));
    const tail = outputs.slice(outputs.findIndex((o) => o.kind === 'open' && o.segment === 1));
    expect(tail.filter((o) => o.kind !== 'packet')).toEqual([
      { kind: 'open', segment: 1, startUs: (tail[0] as { startUs: number }).startUs },
      { kind: 'close', segment: 0 },
      { kind: 'close', segment: 1 },
    ]);
    // The held keyframe is segment 1's only packet, and lasts lastFrameUs.
    expect(packetsOf(tail)).toEqual([expect.objectContaining({ segment: 1, track: 'video', timeUs: 0, key: true, durationUs: LAST_FRAME_US })]);
  });
});

describe('RecordingRouter without audio', () => {
  it('RecordingRouter, hasAudio false: drops audio and closes the old segment right at the cut', () => {
    const { sent } = capture(7, 23_000_000);
    const { outputs } = route(sent, { hasAudio: false });
    expect(packetsOf(outputs).filter((p) => p.track === 'audio')).toHaveLength(0);
    expect(packetsOf(outputs)).toHaveLength(690);
    for (let segment = 1; segment <= 4; segment++) {
      const openAt = outputs.findIndex((o) => o.kind === 'open' && o.segment === segment);
      // The old segment's last frame, the new open, then the old close: nothing in between.
      expect(outputs[openAt - 1]).toMatchObject({ kind: 'packet', packet: { segment: segment - 1, track: 'video' } });
      expect(outputs[openAt + 1]).toEqual({ kind: 'close', segment: segment - 1 });
    }
  });
});

describe('RecordingRouter, small cases', () => {
  const info = (timestampUs: number, key: boolean, epoch = 0): ChunkInfo => ({ timestampUs, durationUs: 33_333, key, epoch });
  const audioInfo = (timestampUs: number): ChunkInfo => ({ timestampUs, durationUs: AUDIO_US, key: true, epoch: 0 });

  function manual(options: Partial<RouterOptions> = {}): { router: RecordingRouter; outputs: RouterOutput[] } {
    const outputs: RouterOutput[] = [];
    return { router: new RecordingRouter({ ...defaults, ...options }, (o) => outputs.push(o)), outputs };
  }

  it('RecordingRouter, nothing before the first keyframe: no open, no packets, duration 0', () => {
    const { router, outputs } = manual();
    router.append('video', payload('video', 1), info(1_000_000, false));
    router.append('audio', payload('audio', 2), audioInfo(1_010_000));
    expect(outputs).toEqual([]);
    expect(router.durationUs).toBe(0);
    expect(router.videoPackets).toBe(0);
    router.stop();
    expect(outputs).toEqual([]);
  });

  it('RecordingRouter, a chunk of another epoch sets configChanged and nothing more is emitted', () => {
    const { router, outputs } = manual({ epoch: 3 });
    router.append('video', payload('video', 1), info(1_000_000, true, 3));
    router.append('video', payload('video', 2), info(1_033_333, false, 3));
    router.append('audio', payload('audio', 3), audioInfo(1_020_000));
    expect(router.configChanged).toBe(false);
    const before = outputs.length;
    router.append('video', payload('video', 4), info(1_066_667, true, 4));
    expect(router.configChanged).toBe(true);
    expect(outputs).toHaveLength(before);
    router.append('video', payload('video', 5), info(1_100_000, false, 3));
    router.append('audio', payload('audio', 6), audioInfo(1_040_000));
    expect(outputs).toHaveLength(before);
    // stop() still writes the held frame (of the old config) and closes.
    router.stop();
    const after = outputs.slice(before);
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ kind: 'packet', packet: { track: 'video', timeUs: 33_333, durationUs: LAST_FRAME_US } });
    expect(idOf((after[0] as { packet: RoutedPacket }).packet.data)).toBe(2);
    expect(after[1]).toEqual({ kind: 'close', segment: 0 });
    expect(packetsOf(outputs).map((p) => idOf(p.data))).toEqual([1, 3, 2]);
  });

  it('RecordingRouter, epoch null takes the first video chunk’s epoch', () => {
    const { router } = manual({ epoch: null });
    router.append('video', payload('video', 1), info(1_000_000, true, 9));
    router.append('video', payload('video', 2), info(1_033_333, false, 9));
    expect(router.configChanged).toBe(false);
    router.append('video', payload('video', 3), info(1_066_667, false, 0));
    expect(router.configChanged).toBe(true);
  });

  it('RecordingRouter, audio that a refined clock moves before a written packet stays in order (+1 µs)', () => {
    const { router, outputs } = manual({ audioDelayUs: 0 });
    router.append('video', payload('video', 1), info(1_000_000, true));
    router.append('audio', payload('audio', 2), audioInfo(1_100_000));
    router.append('audio', payload('audio', 3), audioInfo(1_090_000));
    router.append('audio', payload('audio', 4), audioInfo(1_140_000));
    router.stop();
    const audio = packetsOf(outputs).filter((p) => p.track === 'audio');
    expect(audio.map((p) => p.timeUs)).toEqual([100_000, 100_001, 140_000]);
  });

  it('RecordingRouter, audioDelayUs moves audio earlier by exactly that much', () => {
    const times = (audioDelayUs: number): number[] => {
      const { router, outputs } = manual({ audioDelayUs });
      router.append('video', payload('video', 1), info(1_000_000, true));
      for (let t = 1_000_000; t < 1_200_000; t += AUDIO_US) router.append('audio', payload('audio', t), audioInfo(t));
      router.stop();
      return packetsOf(outputs).filter((p) => p.track === 'audio').map((p) => p.timeUs);
    };
    expect(times(0)).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000, 140_000, 160_000, 180_000]);
    // The packet stamped at 0 now sounds before the first frame and goes.
    expect(times(6_500)).toEqual([13_500, 33_500, 53_500, 73_500, 93_500, 113_500, 133_500, 153_500, 173_500]);
  });

  it('RecordingRouter, frames closer than a grid step are pushed one step after the previous one', () => {
    const { router, outputs } = manual();
    for (const [i, t] of [1_000_000, 1_033_333, 1_034_333, 1_066_667].entries()) router.append('video', payload('video', i), info(t, i === 0));
    router.stop();
    expect(packetsOf(outputs).map((p) => p.timeUs)).toEqual([0, 33_333, 50_000, 66_667]);
  });

  it('RecordingRouter, a jump off the grid (> 2 ms) re-anchors it at that frame', () => {
    const { router, outputs } = manual();
    // Third frame 8 ms late (half a grid step): off by more than 2 ms, so it keeps its own time.
    for (const [i, t] of [1_000_000, 1_033_333, 1_074_667, 1_108_000].entries()) router.append('video', payload('video', i), info(t, i === 0));
    router.stop();
    expect(packetsOf(outputs).map((p) => p.timeUs)).toEqual([0, 33_333, 74_667, 108_000]);
  });

  it('RecordingRouter, a keyframe just short of segmentUs does not cut; the next one does', () => {
    const { router, outputs } = manual({ segmentUs: 1_000_000, hasAudio: false });
    // Keyframes at 0, 0.9833 s (59 grid steps, < 1 s) and 1.0167 s (61 steps).
    const frames = [0, 983_333, 1_016_667, 1_050_000];
    frames.forEach((t, i) => router.append('video', payload('video', i), info(1_000_000 + t, i < 3)));
    router.stop();
    expect(outputs.filter((o) => o.kind === 'open')).toEqual([
      { kind: 'open', segment: 0, startUs: 0 },
      { kind: 'open', segment: 1, startUs: 1_016_667 },
    ]);
    expect(packetsOf(outputs).map((p) => [p.segment, p.timeUs, p.key])).toEqual([
      [0, 0, true],
      [0, 983_333, true],
      [1, 0, true],
      [1, 33_333, false],
    ]);
  });
});

describe('RecordingRouter.durationUs', () => {
  it('is the end of the last frame before and after stop()', () => {
    const router = new RecordingRouter({ segmentUs: 5e6, hasAudio: false, audioDelayUs: 0, lastFrameUs: 33_333, epoch: 0 }, () => {});
    router.append('video', new Uint8Array(1), { timestampUs: 0, durationUs: 0, key: true, epoch: 0 });
    router.append('video', new Uint8Array(1), { timestampUs: 33_333, durationUs: 0, key: false, epoch: 0 });
    const before = router.durationUs;
    router.stop();
    expect(router.durationUs).toBe(before);
    expect(before).toBeGreaterThan(33_333);
  });
});
