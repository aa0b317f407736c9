import { describe, expect, it } from 'vitest';
import {
  gifDelaysCs,
  MAX_GIF_DELAY_CS,
  MAX_GIF_FPS,
  MIN_GIF_DELAY_CS,
  outputFrameTimesUs,
  pickSourceFrames,
  SourceFramePicker,
  splitGifDelayCs,
} from '../../../src/gif/gif-timing';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Reference: the latest source index with ts <= t, or 0 when t is before every source frame. */
function naivePick(sources: number[], t: number): number {
  let pick = 0;
  for (let i = 0; i < sources.length; i++) if (sources[i]! <= t) pick = i;
  return pick;
}

describe('outputFrameTimesUs', () => {
  it('outputFrameTimesUs, places frames on the fps grid from the start', () => {
    const times = outputFrameTimesUs(1_000_000, 2_000_000, 15);
    expect(times).toHaveLength(15);
    expect(times[0]).toBe(1_000_000);
    expect(times[1]).toBe(1_066_667);
    expect(times[14]).toBe(1_933_333);
  });

  it('outputFrameTimesUs, gives round(duration * fps) frames, at least one', () => {
    expect(outputFrameTimesUs(0, 10_000_000, 15)).toHaveLength(150);
    expect(outputFrameTimesUs(0, 2_530_000, 10)).toHaveLength(25);
    expect(outputFrameTimesUs(0, 2_560_000, 10)).toHaveLength(26);
    expect(outputFrameTimesUs(0, 20_000, 15)).toHaveLength(1);
    expect(outputFrameTimesUs(5, 6, 15)).toEqual([5]);
  });

  it('outputFrameTimesUs, works on a large arbitrary timeline', () => {
    const startUs = 1_143_250_117;
    const times = outputFrameTimesUs(startUs, startUs + 5_000_000, 15);
    expect(times).toHaveLength(75);
    expect(times.every((t) => Number.isInteger(t) && t >= startUs && t < startUs + 5_000_000)).toBe(true);
  });

  it('outputFrameTimesUs, refuses frame rates a GIF cannot play and empty clips', () => {
    expect(() => outputFrameTimesUs(0, 1_000_000, 0)).toThrow(RangeError);
    expect(() => outputFrameTimesUs(0, 1_000_000, MAX_GIF_FPS + 1)).toThrow(/fps/);
    expect(() => outputFrameTimesUs(0, 1_000_000, Number.NaN)).toThrow(RangeError);
    expect(() => outputFrameTimesUs(10, 10, 15)).toThrow(/empty/);
    expect(outputFrameTimesUs(0, 1_000_000, MAX_GIF_FPS)).toHaveLength(50);
  });
});

describe('pickSourceFrames', () => {
  it('pickSourceFrames, shows the frame on screen at the start, from before it', () => {
    // 30 fps source from a keyframe at 0; the clip starts mid-frame at 50 ms.
    const sources = Array.from({ length: 30 }, (_, i) => Math.round((i * 1e6) / 30));
    const outputs = outputFrameTimesUs(50_000, 1_000_000, 15);
    const picks = pickSourceFrames(sources, outputs);
    expect(picks[0]).toBe(1); // frame 1 (33.3 ms) is on screen at 50 ms
    expect(picks).toEqual(outputs.map((t) => naivePick(sources, t)));
  });

  it('pickSourceFrames, resamples by timestamps with irregular source timing', () => {
    // A tab capture: bursts at 60 Hz, pauses of up to 700 ms, duplicate-free but uneven.
    const next = random(7);
    for (let run = 0; run < 50; run++) {
      const sources: number[] = [];
      let t = 1_000_000_000 + Math.floor(next() * 1e6);
      for (let i = 0; i < 200; i++) {
        sources.push(t);
        t += next() < 0.1 ? Math.floor(next() * 700_000) + 1 : 16_667 + Math.floor(next() * 2_000) - 1_000;
      }
      const startUs = sources[0]! + Math.floor(next() * 500_000);
      const endUs = sources[sources.length - 1]! + 16_667;
      const fps = [5, 10, 15, 24, 30, 50][run % 6]!;
      const outputs = outputFrameTimesUs(startUs, endUs, fps);
      const picks = pickSourceFrames(sources, outputs);
      expect(picks).toHaveLength(outputs.length);
      expect(picks).toEqual(outputs.map((time) => naivePick(sources, time)));
      // Never a frame from the future, never going back in time.
      picks.forEach((pick, k) => {
        expect(sources[pick]!).toBeLessThanOrEqual(outputs[k]!);
        if (k > 0) expect(pick).toBeGreaterThanOrEqual(picks[k - 1]!);
      });
    }
  });

  it('pickSourceFrames, holds the last frame to the end and covers instants before the first', () => {
    expect(pickSourceFrames([100, 200], [0, 50, 150, 250, 1_000])).toEqual([0, 0, 0, 1, 1]);
    expect(pickSourceFrames([100], [0, 100, 200])).toEqual([0, 0, 0]);
  });

  it('pickSourceFrames, gives equal timestamps to the later frame', () => {
    expect(pickSourceFrames([0, 100, 100, 200], [0, 100, 150, 200])).toEqual([0, 2, 2, 3]);
  });

  it('pickSourceFrames, needs a source frame when there are outputs', () => {
    expect(() => pickSourceFrames([], [0])).toThrow(RangeError);
    expect(pickSourceFrames([], [])).toEqual([]);
  });
});

describe('SourceFramePicker', () => {
  it('SourceFramePicker, hands out each instant exactly once, one frame behind', () => {
    const picker = new SourceFramePicker([0, 10, 20, 30, 40]);
    expect(picker.offer(5)).toBe(0); // first frame: nothing decided yet
    expect(picker.offer(25)).toBe(3); // frame@5 covers 0 (before it), 10, 20
    expect(picker.offer(26)).toBe(0); // frame@25 covers nothing: 30 >= 26
    expect(picker.remaining).toBe(2);
    expect(picker.finish()).toBe(2); // frame@26 covers 30, 40
    expect(picker.remaining).toBe(0);
  });

  it('SourceFramePicker, finishes with nothing when no frame came', () => {
    expect(new SourceFramePicker([0, 1]).finish()).toBe(0);
  });
});

describe('gifDelaysCs', () => {
  it('gifDelaysCs, carries the rounding error: 15 fps alternates 7 and 6 cs', () => {
    const outputs = outputFrameTimesUs(0, 1_000_000, 15);
    const delays = gifDelaysCs(outputs, 1_000_000);
    expect(sum(delays)).toBe(100);
    expect(new Set(delays)).toEqual(new Set([6, 7]));
  });

  it('gifDelaysCs, sums to the duration to 10 ms over many random durations and frame rates', () => {
    const next = random(42);
    for (let run = 0; run < 1_000; run++) {
      const startUs = Math.floor(next() * 2e9);
      const durationUs = 1 + Math.floor(next() * (run % 3 === 0 ? 500_000 : 60_000_000));
      const fps = run % 4 === 0 ? 1 + Math.floor(next() * MAX_GIF_FPS) : 0.5 + next() * (MAX_GIF_FPS - 0.5);
      const outputs = outputFrameTimesUs(startUs, startUs + durationUs, fps);
      const delays = gifDelaysCs(outputs, startUs + durationUs);
      const label = `${durationUs} us at ${fps} fps`;
      expect(delays, label).toHaveLength(outputs.length);
      const expectedCs = Math.max(Math.round(durationUs / 10_000), MIN_GIF_DELAY_CS);
      expect(sum(delays), label).toBe(expectedCs);
      expect(delays.every((d) => Number.isInteger(d) && d >= MIN_GIF_DELAY_CS), label).toBe(true);
      // No drift: every frame starts within half a centisecond of rounding (plus 1 cs where the
      // minimum moved a boundary) of its real instant, however long the clip.
      if (fps <= 40) {
        let elapsedCs = 0;
        let worstCs = 0;
        outputs.forEach((t, k) => {
          worstCs = Math.max(worstCs, Math.abs(elapsedCs - (t - startUs) / 10_000));
          elapsedCs += delays[k]!;
        });
        expect(worstCs, label).toBeLessThanOrEqual(1.5);
      }
    }
  });

  it('gifDelaysCs, never goes below 2 cs: a short last frame borrows from the ones before', () => {
    // The last frame would get 0.5 cs (rounded to 0): the boundary before it moves back to 8 cs.
    const delays = gifDelaysCs([0, 20_000, 40_000, 60_000, 95_000], 100_000);
    expect(delays).toEqual([2, 2, 2, 2, 2]);
    // A short frame in the middle pushes the next boundary later.
    expect(gifDelaysCs([0, 10_000, 20_000, 60_000], 100_000)).toEqual([2, 2, 2, 4]);
  });

  it('gifDelaysCs, keeps the minimum even when frames are too dense, exceeding the total only then', () => {
    const delays = gifDelaysCs([0, 5_000, 10_000, 15_000], 20_000);
    expect(delays).toEqual([2, 2, 2, 2]);
  });

  it('gifDelaysCs, follows irregular instants', () => {
    expect(gifDelaysCs([0, 100_000, 130_000, 500_000], 1_000_000)).toEqual([10, 3, 37, 50]);
    expect(gifDelaysCs([], 10)).toEqual([]);
  });
});

describe('splitGifDelayCs', () => {
  it('splitGifDelayCs, keeps a delay a GIF frame holds as it is', () => {
    expect(splitGifDelayCs(0)).toEqual([0]);
    expect(splitGifDelayCs(7)).toEqual([7]);
    expect(splitGifDelayCs(MAX_GIF_DELAY_CS)).toEqual([MAX_GIF_DELAY_CS]);
  });

  it('splitGifDelayCs, cuts a longer delay into full pieces and the rest, adding up to it', () => {
    expect(splitGifDelayCs(MAX_GIF_DELAY_CS + 1)).toEqual([MAX_GIF_DELAY_CS, 1]);
    expect(splitGifDelayCs(2 * MAX_GIF_DELAY_CS)).toEqual([MAX_GIF_DELAY_CS, MAX_GIF_DELAY_CS]);
    const pieces = splitGifDelayCs(5 * MAX_GIF_DELAY_CS + 123);
    expect(sum(pieces)).toBe(5 * MAX_GIF_DELAY_CS + 123);
    expect(pieces.every((cs) => cs > 0 && cs <= MAX_GIF_DELAY_CS)).toBe(true);
  });
});
