import { describe, expect, it } from 'vitest';
import { opusHead } from '../support/opus-head';
import { defaultVideoBitrateBps, evenSize, fitCaptureSize, h264LevelIdc, videoCandidates } from '../../../src/codec/codecs';

describe('h264LevelIdc', () => {
  it.each([
    [640, 360, 30, 30],
    [1280, 720, 30, 31],
    [1280, 720, 60, 32],
    [1920, 1080, 30, 40],
    [1920, 1080, 60, 42],
    [2560, 1440, 30, 50],
    [3840, 2160, 30, 51],
  ])('h264LevelIdc, %ix%i@%i needs level %i', (width, height, fps, level) => {
    expect(h264LevelIdc(width, height, fps)).toBe(level);
  });

  it('h264LevelIdc, refuses what no level fits', () => {
    expect(h264LevelIdc(8192, 8192, 60)).toBeNull();
  });
});

describe('videoCandidates', () => {
  it('videoCandidates, tries H.264 High first with a level that fits, then VP9, VP8, AV1', () => {
    const codecs = videoCandidates(1920, 1080, 30).map((c) => c.codec);
    // avc1.42E01F at 1080p produced one frame and then nothing (FIELD-NOTES): never pick 3.1 here.
    expect(codecs).toEqual(['avc1.640028', 'avc1.4D4028', 'avc1.42E028', 'vp09.00.41.08', 'vp8', 'av01.0.08M.08']);
  });
});

describe('fitCaptureSize', () => {
  it('fitCaptureSize, keeps a small tab at its own size (never upscales)', () => {
    expect(fitCaptureSize(1280, 632, 1920, 1080)).toEqual({ width: 1280, height: 632 });
  });

  it('fitCaptureSize, scales a large tab down keeping its aspect, to even numbers', () => {
    expect(fitCaptureSize(2560, 1600, 1920, 1080)).toEqual({ width: 1728, height: 1080 });
    expect(fitCaptureSize(1001, 501, 1920, 1080)).toEqual({ width: 1000, height: 500 });
  });

  it('fitCaptureSize, uses the max when the tab size is unknown', () => {
    expect(fitCaptureSize(undefined, undefined, 1920, 1080)).toEqual({ width: 1920, height: 1080 });
  });
});

describe('evenSize and bitrate', () => {
  it('evenSize, rounds down to even', () => {
    expect(evenSize(641, 361)).toEqual({ width: 640, height: 360 });
  });

  it('defaultVideoBitrateBps, scales with pixels and stays in bounds', () => {
    expect(defaultVideoBitrateBps(1920, 1080, 30)).toBe(4_976_640);
    expect(defaultVideoBitrateBps(160, 120, 5)).toBe(500_000);
    expect(defaultVideoBitrateBps(3840, 2160, 60)).toBe(12_000_000);
  });
});

describe('container names', () => {
  it('videoContainerOf and audioContainerOf, name what the muxer needs for every candidate', async () => {
    const { videoContainerOf, audioContainerOf, AUDIO_CANDIDATES } = await import('../../../src/codec/codecs');
    for (const candidate of videoCandidates(1280, 720, 30)) expect(videoContainerOf(candidate.codec)).toBe(candidate.container);
    for (const candidate of AUDIO_CANDIDATES) expect(audioContainerOf(candidate.codec)).toBe(candidate.container);
  });
});

describe('audioEncoderDelayUs', () => {
  it('audioEncoderDelayUs, reads Opus pre-skip from the OpusHead, in 48 kHz samples', async () => {
    const { audioEncoderDelayUs } = await import('../../../src/codec/codecs');
    expect(audioEncoderDelayUs('opus', opusHead(312))).toBe(6_500);
    expect(audioEncoderDelayUs('opus', opusHead(3_840))).toBe(80_000);
  });

  it('audioEncoderDelayUs, is 0 where nothing declares a delay', async () => {
    const { audioEncoderDelayUs } = await import('../../../src/codec/codecs');
    expect(audioEncoderDelayUs('opus', undefined)).toBe(0);
    expect(audioEncoderDelayUs('opus', new Uint8Array(19))).toBe(0);
    expect(audioEncoderDelayUs('mp4a.40.2', opusHead(312))).toBe(0);
  });
});
