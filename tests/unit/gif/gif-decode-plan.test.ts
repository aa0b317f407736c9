import { describe, expect, it } from 'vitest';
import type { ChunkInfo } from '../../../src/buffer/ring-buffer';
import { gifDecodeSpan, paletteSampleKeyframes, spreadPicks } from '../../../src/gif/gif-decode-plan';

const FRAME_US = 33_333;

/** `count` chunks at 30 fps from `firstUs`, a keyframe every `gop`. */
function chunks(count: number, gop: number, firstUs = 0): ChunkInfo[] {
  return Array.from({ length: count }, (_, i) => ({ timestampUs: firstUs + i * FRAME_US, durationUs: FRAME_US, key: i % gop === 0, epoch: 0 }));
}

describe('gifDecodeSpan', () => {
  it('gifDecodeSpan, starts at the keyframe on screen at the cut and ends before its end', () => {
    const list = chunks(90, 30);
    // 1.5 s is mid-GOP: the keyframe before it is chunk 30 (1.0 s); 2.5 s ends before chunk 75.
    expect(gifDecodeSpan(list, 1_500_000, 2_500_000)).toEqual({ first: 30, last: 75 });
    expect(gifDecodeSpan(list, 30 * FRAME_US, 31 * FRAME_US)).toEqual({ first: 30, last: 30 });
  });

  it('gifDecodeSpan, starts at the first keyframe when the cut is before it', () => {
    const list = chunks(60, 30, 1_000_000).map((c, i) => ({ ...c, key: i === 5 }));
    expect(gifDecodeSpan(list, 0, 1_500_000)).toEqual({ first: 5, last: 15 });
  });

  it('gifDecodeSpan, refuses a clip without a keyframe', () => {
    expect(() => gifDecodeSpan(chunks(10, 30).map((c) => ({ ...c, key: false })), 0, 100_000)).toThrow(/no video keyframe/);
  });
});

describe('paletteSampleKeyframes', () => {
  it('paletteSampleKeyframes, picks keyframes of the span only, spread, ends included', () => {
    const list = chunks(300, 30);
    expect(paletteSampleKeyframes(list, { first: 30, last: 200 }, 8)).toEqual([30, 60, 90, 120, 150, 180]);
    expect(paletteSampleKeyframes(list, { first: 0, last: 299 }, 4)).toEqual([0, 90, 180, 270]);
  });
});

describe('spreadPicks', () => {
  it('spreadPicks, keeps everything up to max and spreads evenly beyond', () => {
    expect(spreadPicks([1, 2, 3], 8)).toEqual([1, 2, 3]);
    const items = Array.from({ length: 11 }, (_, i) => i);
    expect(spreadPicks(items, 8)).toEqual([0, 1, 3, 4, 6, 7, 9, 10]);
    expect(spreadPicks(items, 2)).toEqual([0, 10]);
  });
});
