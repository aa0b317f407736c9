import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, parseManifest, segmentFileName, storeDecoderConfig, type RecordingManifest } from '../../../src/recording/recording-manifest';
import { mulberry32 } from '../../../scripts/harness/prng';

const randomBytes = (random: () => number, length: number): Uint8Array => Uint8Array.from({ length }, () => Math.floor(random() * 256));

describe('base64', () => {
  it('encodeBase64/decodeBase64, round trip random bytes of every small length, matching Node’s base64', () => {
    const random = mulberry32(3);
    for (let length = 0; length < 70; length++) {
      const bytes = randomBytes(random, length);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeBase64(encodeBase64(all))).toEqual(all);
    const large = randomBytes(random, 200_000);
    expect(Buffer.from(decodeBase64(encodeBase64(large))).equals(large)).toBe(true);
  });
});

describe('storeDecoderConfig', () => {
  it('storeDecoderConfig, stores the description as base64 and keeps the other fields', () => {
    const description = randomBytes(mulberry32(8), 41);
    const stored = storeDecoderConfig({ codec: 'avc1.64001f', codedWidth: 1280, codedHeight: 720, description });
    expect(stored).toEqual({ codec: 'avc1.64001f', codedWidth: 1280, codedHeight: 720, description: Buffer.from(description).toString('base64') });
    // Survives JSON (as the manifest file does) and decodes to the same bytes.
    const back = JSON.parse(JSON.stringify(stored)) as typeof stored;
    expect(decodeBase64(back.description!)).toEqual(description);
  });

  it('storeDecoderConfig, without a description stores none', () => {
    const stored = storeDecoderConfig({ codec: 'opus', sampleRate: 48_000, numberOfChannels: 2 });
    expect(stored).toEqual({ codec: 'opus', sampleRate: 48_000, numberOfChannels: 2 });
    expect('description' in stored).toBe(false);
  });
});

describe('parseManifest', () => {
  const valid = (): RecordingManifest => ({
    version: 1,
    id: 'rec-2024-abc123',
    title: 'A tab',
    sourceOrigin: 'https://example.com',
    createdAt: 1_700_000_000_000,
    width: 1280,
    height: 720,
    video: storeDecoderConfig({ codec: 'avc1.64001f', codedWidth: 1280, codedHeight: 720, description: new Uint8Array([1, 2, 3]) }),
    audio: storeDecoderConfig({ codec: 'opus', sampleRate: 48_000, numberOfChannels: 2, description: new Uint8Array([4, 5]) }),
    segments: [
      { index: 0, startUs: 0 },
      { index: 1, startUs: 5_016_667 },
    ],
  });

  it('parseManifest, accepts a valid manifest (after JSON) and returns it unchanged', () => {
    const manifest = valid();
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    // No audio, no origin, no segments yet: all allowed.
    const bare = { ...manifest, audio: null, sourceOrigin: null, segments: [] };
    expect(parseManifest(bare)).toEqual(bare);
  });

  it('parseManifest, drops fields it does not know', () => {
    expect(parseManifest({ ...valid(), extra: 'x' })).toEqual(valid());
    expect(parseManifest({ ...valid(), segments: [{ index: 0, startUs: 0, junk: true }] })!.segments).toEqual([{ index: 0, startUs: 0 }]);
  });

  const corruptions: [string, (m: Record<string, unknown>) => void][] = [
    ['version 2', (m) => (m.version = 2)],
    ['version "1"', (m) => (m.version = '1')],
    ['no version', (m) => delete m.version],
    ['id with a slash', (m) => (m.id = '../x')],
    ['empty id', (m) => (m.id = '')],
    ['numeric id', (m) => (m.id = 42)],
    ['title null', (m) => (m.title = null)],
    ['no title', (m) => delete m.title],
    ['createdAt a string', (m) => (m.createdAt = '1700000000000')],
    ['createdAt negative', (m) => (m.createdAt = -1)],
    ['createdAt NaN', (m) => (m.createdAt = Number.NaN)],
    ['width Infinity', (m) => (m.width = Infinity)],
    ['no height', (m) => delete m.height],
    ['height negative', (m) => (m.height = -720)],
    ['video null', (m) => (m.video = null)],
    ['video without codec', (m) => (m.video = { codedWidth: 1 })],
    ['video codec a number', (m) => (m.video = { codec: 7 })],
    ['video description bytes', (m) => (m.video = { codec: 'avc1.64001f', description: [1, 2, 3] })],
    ['video an array', (m) => (m.video = ['avc1'])],
    ['audio missing (not null)', (m) => delete m.audio],
    ['audio without codec', (m) => (m.audio = {})],
    ['audio a string', (m) => (m.audio = 'opus')],
    ['sourceOrigin missing', (m) => delete m.sourceOrigin],
    ['sourceOrigin a number', (m) => (m.sourceOrigin = 1)],
    ['segments missing', (m) => delete m.segments],
    ['segments an object', (m) => (m.segments = { 0: { index: 0, startUs: 0 } })],
    ['segment null', (m) => (m.segments = [null])],
    ['segment index fractional', (m) => (m.segments = [{ index: 0.5, startUs: 0 }])],
    ['segment index a string', (m) => (m.segments = [{ index: '0', startUs: 0 }])],
    ['segment without startUs', (m) => (m.segments = [{ index: 0 }])],
    ['segment startUs NaN', (m) => (m.segments = [{ index: 0, startUs: Number.NaN }])],
    ['second segment bad', (m) => (m.segments = [{ index: 0, startUs: 0 }, { index: 1, startUs: 'later' }])],
  ];

  it.each(corruptions)('parseManifest, rejects: %s', (_, corrupt) => {
    const manifest = valid() as unknown as Record<string, unknown>;
    corrupt(manifest);
    expect(parseManifest(manifest)).toBeNull();
  });

  it('parseManifest, rejects what is no object', () => {
    for (const raw of [null, undefined, 1, 'manifest', [], [valid()]]) expect(parseManifest(raw)).toBeNull();
  });
});

describe('segmentFileName', () => {
  it('segmentFileName, zero pads to 5 digits so names sort in order', () => {
    expect(segmentFileName(0)).toBe('segment-00000.mp4');
    expect(segmentFileName(7)).toBe('segment-00007.mp4');
    expect(segmentFileName(42)).toBe('segment-00042.mp4');
    expect(segmentFileName(99_999)).toBe('segment-99999.mp4');
    expect(segmentFileName(100_000)).toBe('segment-100000.mp4');
    const names = [12, 3, 100, 9, 1_000].map(segmentFileName);
    expect([...names].sort()).toEqual([3, 9, 12, 100, 1_000].map(segmentFileName));
  });
});
