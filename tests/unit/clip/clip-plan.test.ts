import { describe, expect, it } from 'vitest';
import { planLastClip } from '../../../src/clip/clip-plan';
import { RingBuffer } from '../../../src/buffer/ring-buffer';

const FRAME_US = 33_333;
const AUDIO_US = 20_000;

/** Fills a ring with `seconds` of 30 fps video (a keyframe every second) and 20 ms audio. */
function filledRing(seconds: number, options: { startUs?: number; epochChangeAtUs?: number } = {}): RingBuffer {
  const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 64 * 1024 * 1024 });
  const startUs = options.startUs ?? 10_000_000;
  const endUs = startUs + seconds * 1_000_000;
  const data = new Uint8Array(100);
  let lastKeyUs = -Infinity;
  let epoch = 0;
  let audioUs = startUs;
  for (let t = startUs; t < endUs; t += FRAME_US) {
    let key = t - lastKeyUs >= 1_000_000;
    if (options.epochChangeAtUs !== undefined && epoch === 0 && t >= options.epochChangeAtUs) {
      epoch = 1;
      key = true;
    }
    if (key) lastKeyUs = t;
    ring.append('video', data, { timestampUs: t, durationUs: FRAME_US, key, epoch });
    while (audioUs + AUDIO_US <= t + FRAME_US) {
      ring.append('audio', data, { timestampUs: audioUs, durationUs: AUDIO_US, key: true, epoch: 0 });
      audioUs += AUDIO_US;
    }
  }
  return ring;
}

describe('planLastClip', () => {
  it('planLastClip, starts at the requested instant and the keyframe before it', () => {
    const ring = filledRing(20);
    const result = planLastClip(ring, 5_500_000);
    if (!result.ok) throw new Error(result.error);
    const { plan } = result;
    // On the frame boundary nearest the requested instant (ffmpeg misplaces a mid-frame start).
    expect(Math.abs(plan.endUs - plan.startUs - 5_500_000)).toBeLessThanOrEqual(FRAME_US / 2);
    expect(ring.infoAt('video', ring.lowerBound('video', plan.startUs)).timestampUs).toBe(plan.startUs);
    expect(plan.keyframeUs).toBeLessThanOrEqual(plan.startUs);
    expect(plan.startUs - plan.keyframeUs).toBeLessThan(1_000_000);
    expect(ring.infoAt('video', plan.video.from).key).toBe(true);
    expect(plan.video.to).toBe(ring.count('video'));
    expect(plan.note).toBeUndefined();
    expect(plan.noteText).toBeUndefined();
  });

  it('planLastClip, takes audio from the packet sounding at the start to within half a packet of the end', () => {
    const ring = filledRing(20);
    const result = planLastClip(ring, 3_000_000);
    if (!result.ok) throw new Error(result.error);
    const { plan } = result;
    const first = ring.infoAt('audio', plan.audio.from);
    expect(first.timestampUs).toBeLessThanOrEqual(plan.startUs);
    expect(first.timestampUs + first.durationUs).toBeGreaterThan(plan.startUs);
    // Every newer packet is mostly inside the clip (none past its end exist yet): all are taken.
    expect(plan.audio.to).toBe(ring.count('audio'));
  });

  it('planLastClip, keeps the exact length when asked not to align (GIF)', () => {
    const ring = filledRing(20);
    const result = planLastClip(ring, 5_500_000, { frameAligned: false });
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.endUs - result.plan.startUs).toBe(5_500_000);
  });

  it('planLastClip, keeps a mid-frame start when no frame boundary is within a frame (a still page)', () => {
    const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 1024 * 1024 });
    const data = new Uint8Array(10);
    // One frame every 2 s, audio throughout.
    for (let t = 0; t < 10_000_000; t += 2_000_000) ring.append('video', data, { timestampUs: t, durationUs: 2_000_000, key: true, epoch: 0 });
    for (let t = 0; t < 10_000_000; t += AUDIO_US) ring.append('audio', data, { timestampUs: t, durationUs: AUDIO_US, key: true, epoch: 0 });
    const result = planLastClip(ring, 3_000_000);
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.endUs - result.plan.startUs).toBe(3_000_000);
  });

  it('planLastClip, saves what is there when more is asked and says so', () => {
    const ring = filledRing(4);
    const result = planLastClip(ring, 30_000_000);
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.video.from).toBe(0);
    expect(result.plan.startUs).toBe(ring.infoAt('video', 0).timestampUs);
    expect(result.plan.note).toMatch(/Only 4\.\d s were buffered/);
    expect(result.plan.noteText).toEqual({ key: 'err_clip_short', substitutions: [expect.stringMatching(/^4\.\d$/)] });
  });

  it('planLastClip, never spans a decoder reconfiguration', () => {
    const ring = filledRing(10, { startUs: 0, epochChangeAtUs: 7_000_000 });
    const result = planLastClip(ring, 8_000_000);
    if (!result.ok) throw new Error(result.error);
    const first = ring.infoAt('video', result.plan.video.from);
    expect(first.epoch).toBe(1);
    expect(first.key).toBe(true);
    expect(result.plan.epoch).toBe(1);
    expect(result.plan.note).toMatch(/encoder was reconfigured/);
    expect(result.plan.noteText?.key).toBe('err_clip_short_reconfigured');
  });

  it('planLastClip, reports an empty buffer clearly', () => {
    const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 16 * 1024 * 1024 });
    const result = planLastClip(ring, 5_000_000);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/Nothing is buffered yet/), errorText: { key: 'err_nothing_buffered' } });
  });
});

describe('planLastClip, when audio lags', () => {
  it('planLastClip, ends both tracks where the audio ends', () => {
    const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 16 * 1024 * 1024 });
    const data = new Uint8Array(10);
    for (let t = 0; t < 5_000_000; t += FRAME_US) ring.append('video', data, { timestampUs: t, durationUs: FRAME_US, key: t === 0, epoch: 0 });
    // The audio encoder is 400 ms behind.
    for (let t = 0; t < 4_600_000; t += AUDIO_US) ring.append('audio', data, { timestampUs: t, durationUs: AUDIO_US, key: true, epoch: 0 });
    const result = planLastClip(ring, 2_000_000);
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.endUs).toBe(4_600_000);
    expect(ring.infoAt('video', result.plan.video.to - 1).timestampUs).toBeLessThan(4_600_000);
    expect(ring.infoAt('video', result.plan.video.to).timestampUs).toBeGreaterThanOrEqual(4_600_000);
    expect(result.plan.audio.to).toBe(ring.count('audio'));
  });
});

describe('planLastClip, with the audio encoder\'s delay', () => {
  it('planLastClip, ends where the sound ends (packets sound that much before their stamps), keeping the length', () => {
    const ring = filledRing(5);
    const lastAudio = ring.infoAt('audio', ring.count('audio') - 1);
    const delayUs = 6_500; // Opus pre-skip, 312 samples at 48 kHz
    const result = planLastClip(ring, 2_000_000, { audioDelayUs: delayUs, frameAligned: false });
    if (!result.ok) throw new Error(result.error);
    const { plan } = result;
    expect(plan.endUs).toBe(lastAudio.timestampUs + lastAudio.durationUs - delayUs);
    expect(plan.endUs - plan.startUs).toBe(2_000_000);
    // The last packet still belongs to the clip: the muxer moves it to end exactly at endUs.
    expect(plan.audio.to).toBe(ring.count('audio'));
  });
});

describe('planLastClip, with post-roll', () => {
  it('planLastClip, ends at the instant fixed K s after the request, even when more came since', () => {
    // 20 s buffered (from 10 s to 30 s); the request came at 25 s with 2 s of post-roll.
    const ring = filledRing(20);
    const endAtUs = 27_000_000;
    const result = planLastClip(ring, 6_000_000, { endAtUs });
    if (!result.ok) throw new Error(result.error);
    const { plan } = result;
    expect(plan.endUs).toBe(endAtUs);
    expect(Math.abs(plan.endUs - plan.startUs - 6_000_000)).toBeLessThanOrEqual(FRAME_US / 2);
    // No frame or packet from after the end is taken.
    expect(ring.infoAt('video', plan.video.to - 1).timestampUs).toBeLessThan(endAtUs);
    expect(ring.infoAt('video', plan.video.to).timestampUs).toBeGreaterThanOrEqual(endAtUs);
    const lastAudio = ring.infoAt('audio', plan.audio.to - 1);
    expect(lastAudio.timestampUs + lastAudio.durationUs / 2).toBeLessThanOrEqual(endAtUs);
  });

  it('planLastClip, ends where the buffer ends when the post-roll instant was never reached', () => {
    const ring = filledRing(5);
    const result = planLastClip(ring, 2_000_000, { endAtUs: 99_000_000 });
    if (!result.ok) throw new Error(result.error);
    const lastAudio = ring.infoAt('audio', ring.count('audio') - 1);
    expect(result.plan.endUs).toBe(lastAudio.timestampUs + lastAudio.durationUs);
  });
});

describe('planLastClip, with constant frame timing', () => {
  it('ends where the last whole frame ends, with the sound sounding up to there', () => {
    const ring = filledRing(5);
    const delayUs = 6_500;
    // Audio ends 20 ms into the last frame's slot here: a last frame cut there would be short.
    const result = planLastClip(ring, 3_000_000, { audioDelayUs: delayUs, constantFrameUs: FRAME_US });
    if (!result.ok) throw new Error(result.error);
    const { plan } = result;
    const frames = Array.from({ length: ring.count('video') }, (_, i) => ring.infoAt('video', i).timestampUs);
    const lastFrame = frames.filter((t) => t < plan.endUs).at(-1)!;
    expect(plan.endUs).toBe(Math.floor(lastFrame + FRAME_US));
    const lastAudio = ring.infoAt('audio', ring.count('audio') - 1);
    expect(plan.endUs).toBeLessThanOrEqual(lastAudio.timestampUs + lastAudio.durationUs - delayUs);
    // The packets reach the clip's end (as the muxer places them: delay removed).
    const tail = ring.infoAt('audio', plan.audio.to - 1);
    expect(tail.timestampUs - delayUs + tail.durationUs).toBeGreaterThanOrEqual(plan.endUs);
    expect(tail.timestampUs - delayUs).toBeLessThan(plan.endUs);
    // Starting on a frame, the clip is a whole number of frames long.
    expect(Math.round((plan.endUs - plan.startUs) / FRAME_US) * FRAME_US).toBeCloseTo(plan.endUs - plan.startUs, -1);
  });
});
