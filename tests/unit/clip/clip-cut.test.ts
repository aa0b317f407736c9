import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src/buffer/ring-buffer';
import { cutLastClip } from '../../../src/clip/clip-cut';
import { DecoderConfigs } from '../../../src/clip/decoder-configs';
import { opusHead } from '../support/opus-head';

const FRAME_US = 33_333;
const AUDIO_US = 20_000;
const START_US = 10_000_000;

/**
 * `seconds` of 30 fps video (a keyframe every second; the encoder reconfigured at
 * `epochChangeAtUs`) and 20 ms Opus audio; each payload is its own timestamp, so a test can
 * tell which chunks a clip holds.
 */
function recording(seconds: number, epochChangeAtUs = Infinity): { ring: RingBuffer; configs: DecoderConfigs } {
  const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 64 * 1024 * 1024 });
  const configs = new DecoderConfigs();
  const payload = (us: number) => new Uint8Array(new Float64Array([us]).buffer);
  configs.observeAudio({ codec: 'opus', sampleRate: 48_000, numberOfChannels: 2, description: opusHead(312) });
  configs.observeVideo({ codec: 'avc1.42E01F', codedWidth: 1280, codedHeight: 720 });
  let lastKeyUs = -Infinity;
  let audioUs = START_US;
  for (let t = START_US; t < START_US + seconds * 1_000_000; t += FRAME_US) {
    const reconfigured = t >= epochChangeAtUs && configs.video(1) === undefined;
    const epoch = reconfigured ? configs.observeVideo({ codec: 'avc1.42E01F', codedWidth: 640, codedHeight: 360 }) : configs.videoEpoch;
    const key = reconfigured || t - lastKeyUs >= 1_000_000;
    if (key) lastKeyUs = t;
    ring.append('video', payload(t), { timestampUs: t, durationUs: FRAME_US, key, epoch });
    while (audioUs + AUDIO_US <= t + FRAME_US) {
      ring.append('audio', payload(audioUs), { timestampUs: audioUs, durationUs: AUDIO_US, key: true, epoch: 0 });
      audioUs += AUDIO_US;
    }
  }
  return { ring, configs };
}

const stamps = (chunks: { bytes: Uint8Array; chunks: { offset: number }[] }) =>
  chunks.chunks.map((c) => new Float64Array(chunks.bytes.buffer.slice(chunks.bytes.byteOffset + c.offset, chunks.bytes.byteOffset + c.offset + 8))[0]!);

describe('cutLastClip', () => {
  it('cutLastClip, copies out the last N s from the keyframe before them, with both decoder configs', () => {
    const { ring, configs } = recording(20);
    const cut = cutLastClip(ring, configs, { requestedUs: 5_000_000 });
    if (!cut.ok) throw new Error(cut.error);
    const { clip } = cut;
    expect(Math.abs(clip.endUs - clip.startUs - 5_000_000)).toBeLessThanOrEqual(FRAME_US / 2);
    expect(clip.video.codec).toBe('avc');
    expect(clip.video.decoderConfig).toEqual({ codec: 'avc1.42E01F', codedWidth: 1280, codedHeight: 720 });
    expect(clip.video.chunks.chunks[0]!.key).toBe(true);
    expect(clip.video.chunks.chunks[0]!.timestampUs).toBeLessThanOrEqual(clip.startUs);
    expect(clip.audio?.codec).toBe('opus');
    expect(clip.audio?.decoderConfig.sampleRate).toBe(48_000);
    // The payloads are the chunks the info says (each payload holds its own timestamp).
    expect(stamps(clip.video.chunks)).toEqual(clip.video.chunks.chunks.map((c) => c.timestampUs));
    expect(stamps(clip.audio!.chunks)).toEqual(clip.audio!.chunks.chunks.map((c) => c.timestampUs));
  });

  it('cutLastClip, borrowed, lends the same chunks as it copies, from the arenas themselves', () => {
    const { ring, configs } = recording(20);
    const copied = cutLastClip(ring, configs, { requestedUs: 5_000_000 });
    const borrowed = cutLastClip(ring, configs, { requestedUs: 5_000_000, borrow: true });
    if (!copied.ok || !borrowed.ok) throw new Error('cut failed');
    expect(borrowed.plan).toEqual(copied.plan);
    for (const track of ['video', 'audio'] as const) {
      const lent = borrowed.clip[track]!.chunks;
      expect(stamps(lent)).toEqual(stamps(copied.clip[track]!.chunks));
      expect(lent.chunks.map(({ offset: _, ...info }) => info)).toEqual(copied.clip[track]!.chunks.chunks.map(({ offset: _, ...info }) => info));
      // The arena (sized for far more than the clip), not a copy of the clip's bytes.
      expect(lent.bytes.byteLength).toBeGreaterThan(copied.clip[track]!.chunks.bytes.byteLength);
    }
  });

  it('cutLastClip, ends where the sound ends, the Opus pre-skip read from its description', () => {
    const { ring, configs } = recording(10);
    expect(configs.audioDelayUs).toBe(6_500);
    const cut = cutLastClip(ring, configs, { requestedUs: 3_000_000 });
    if (!cut.ok) throw new Error(cut.error);
    const lastAudio = ring.infoAt('audio', ring.count('audio') - 1);
    expect(cut.clip.endUs).toBe(lastAudio.timestampUs + lastAudio.durationUs - 6_500);
  });

  it('cutLastClip, owns its bytes: the ring moving on does not change the clip', () => {
    const { ring, configs } = recording(10);
    const cut = cutLastClip(ring, configs, { requestedUs: 2_000_000 });
    if (!cut.ok) throw new Error(cut.error);
    const before = stamps(cut.clip.video.chunks);
    ring.clear();
    expect(stamps(cut.clip.video.chunks)).toEqual(before);
  });

  it('cutLastClip, never spans a reconfiguration and takes the newest epoch config', () => {
    const { ring, configs } = recording(10, 7_000_000 + START_US);
    const cut = cutLastClip(ring, configs, { requestedUs: 5_000_000 });
    if (!cut.ok) throw new Error(cut.error);
    expect(cut.clip.video.decoderConfig.codedWidth).toBe(640);
    expect(cut.clip.startUs).toBeGreaterThanOrEqual(7_000_000 + START_US);
    expect(cut.plan.note).toMatch(/reconfigured/);
  });

  it('cutLastClip, for a GIF keeps the exact length and leaves the audio out', () => {
    const { ring, configs } = recording(10);
    const cut = cutLastClip(ring, configs, { requestedUs: 2_345_678, frameAligned: false, withAudio: false });
    if (!cut.ok) throw new Error(cut.error);
    expect(cut.clip.endUs - cut.clip.startUs).toBe(2_345_678);
    expect(cut.clip.audio).toBeNull();
  });

  it('cutLastClip, says clearly when nothing is buffered', () => {
    const cut = cutLastClip(new RingBuffer({ windowUs: 1_000_000, maxBytes: 1024 * 1024 }), new DecoderConfigs(), { requestedUs: 1_000_000 });
    expect(cut).toEqual({ ok: false, error: expect.stringMatching(/Nothing is buffered/), errorText: { key: 'err_nothing_buffered' } });
  });
});

describe('DecoderConfigs', () => {
  it('DecoderConfigs, starts a new epoch only when the config really changes, and copies descriptions', () => {
    const configs = new DecoderConfigs();
    expect(configs.observeVideo(undefined)).toBe(-1);
    const description = new Uint8Array([1, 2, 3]);
    expect(configs.observeVideo({ codec: 'avc1.64001F', codedWidth: 1280, codedHeight: 720, description })).toBe(0);
    expect(configs.observeVideo({ codec: 'avc1.64001F', codedWidth: 1280, codedHeight: 720, description: new Uint8Array([1, 2, 3]) })).toBe(0);
    expect(configs.observeVideo(undefined)).toBe(0);
    description[0] = 9;
    expect(configs.video(0)?.description).toEqual(new Uint8Array([1, 2, 3]));
    expect(configs.observeVideo({ codec: 'avc1.64001F', codedWidth: 1280, codedHeight: 720, description: new Uint8Array([1, 2, 4]) })).toBe(1);
    expect(configs.observeVideo({ codec: 'vp8', codedWidth: 1280, codedHeight: 720 })).toBe(2);
    // Only the newest epoch and the one before it are kept.
    expect(configs.video(0)).toBeUndefined();
    expect(configs.video(1)).toBeDefined();
  });

  it('DecoderConfigs, startNewEpoch makes the next config a new epoch even when it is the same', () => {
    const configs = new DecoderConfigs();
    const config = { codec: 'avc1.64001F', codedWidth: 640, codedHeight: 360 };
    expect(configs.observeVideo(config)).toBe(0);
    configs.startNewEpoch();
    // Chunks still in flight from before carry no config: they stay in the old epoch.
    expect(configs.observeVideo(undefined)).toBe(0);
    expect(configs.observeVideo(config)).toBe(1);
    expect(configs.observeVideo(config)).toBe(1);
  });

  it('DecoderConfigs, keeps the first audio config and its encoder delay', () => {
    const configs = new DecoderConfigs();
    expect(configs.observeAudio(undefined)).toBe(false);
    expect(configs.observeAudio({ codec: 'opus', sampleRate: 48_000, numberOfChannels: 2, description: opusHead(312) })).toBe(true);
    expect(configs.observeAudio({ codec: 'opus', sampleRate: 44_100, numberOfChannels: 1 })).toBe(true);
    expect(configs.audio?.sampleRate).toBe(48_000);
    expect(configs.audioDelayUs).toBe(6_500);
  });
});
