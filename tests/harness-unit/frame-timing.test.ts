// The bench's frame-timing figures: intervals and missing frame slots from timestamps alone.
import { describe, expect, it } from 'vitest';
import { frameTiming, missingSlotsIn } from '../../scripts/bench/frame-timing';

const SLOT = 1 / 30;
const REFRESH = 1 / 60;

describe('missingSlotsIn', () => {
  it('a frame one 60 Hz refresh late, even rounded to the millisecond, misses no slot', () => {
    expect(missingSlotsIn(SLOT, 30)).toBe(0);
    expect(missingSlotsIn(SLOT + REFRESH, 30)).toBe(0);
    expect(missingSlotsIn(0.051, 30)).toBe(0);
    expect(missingSlotsIn(REFRESH, 30)).toBe(0);
  });

  it('an interval of n + 1 slots misses n, also a refresh late', () => {
    expect(missingSlotsIn(2 * SLOT, 30)).toBe(1);
    expect(missingSlotsIn(2 * SLOT + REFRESH, 30)).toBe(1);
    expect(missingSlotsIn(4 * SLOT, 30)).toBe(3);
    expect(missingSlotsIn(4 * SLOT - 0.001, 30)).toBe(3);
  });
});

describe('frameTiming', () => {
  it('a steady 30 fps stream has no gap and no spread', () => {
    const timing = frameTiming(Array.from({ length: 31 }, (_, i) => 5 + i * SLOT), 30);
    expect(timing.frames).toBe(31);
    expect(timing.spanSec).toBeCloseTo(1, 9);
    expect(timing.intervalMeanMs).toBeCloseTo(1000 / 30, 9);
    expect(timing.intervalStdMs).toBeCloseTo(0, 9);
    expect(timing).toMatchObject({ missingSlots: 0, longestGapSlots: 0, dropPct: 0 });
  });

  it('counts the slots of each gap, keeps the longest run, and sorts its input', () => {
    // Slots 0 1 2 5 6 8 9, shuffled: intervals of 1 1 3 1 2 1 slots, 3 of 9 slots empty.
    const timing = frameTiming([9, 0, 1, 2, 8, 5, 6].map((n) => 0.2 + n * SLOT), 30);
    expect(timing).toMatchObject({ frames: 7, missingSlots: 3, longestGapSlots: 2 });
    expect(timing.dropPct).toBeCloseTo((100 * 3) / 9, 9);
    expect(timing.intervalMaxMs).toBeCloseTo(100, 9);
    const intervals = [1, 1, 3, 1, 2, 1].map((n) => (n * 1000) / 30);
    const average = intervals.reduce((a, b) => a + b) / intervals.length;
    const std = Math.sqrt(intervals.reduce((sum, ms) => sum + (ms - average) ** 2, 0) / intervals.length);
    expect(timing.intervalStdMs).toBeCloseTo(std, 9);
  });

  it('fewer than two frames give no intervals', () => {
    expect(frameTiming([1], 30)).toMatchObject({ frames: 1, spanSec: 0, missingSlots: 0, longestGapSlots: 0 });
    expect(frameTiming([], 30).intervalStdMs).toBeNaN();
  });
});
