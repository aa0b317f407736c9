import { describe, expect, it } from 'vitest';
import { TrackClock } from '../../../src/timeline/track-clock';

describe('TrackClock', () => {
  it('TrackClock, maps by the fastest arrival seen during warm-up, then refines it', () => {
    const clock = new TrackClock(100_000);
    // Raw clock starts at 0; true latency 5 ms, jitter adds up to 30 ms.
    const jitterUs = [30_000, 12_000, 0, 25_000, 8_000];
    jitterUs.forEach((jitter, i) => clock.observe(i * 20_000, 1_000_000 + i * 20_000 + 5_000 + jitter));
    expect(clock.settled).toBe(false);
    clock.observe(120_000, 1_000_000 + 120_000 + 5_000 + 40_000);
    expect(clock.settled).toBe(true);
    expect(clock.toSharedUs(0)).toBe(1_005_000);
    // A slower sample changes nothing; a faster one (the warm-up was loaded) moves it earlier.
    expect(clock.observe(160_000, 1_000_000 + 160_000 + 9_000)).toBe(0);
    expect(clock.toSharedUs(0)).toBe(1_005_000);
    // ... and says by how much, so what was buffered can move with it.
    expect(clock.observe(200_000, 1_200_000 + 2_000)).toBe(-3_000);
    expect(clock.toSharedUs(200_000)).toBe(1_202_000);
  });

  it('TrackClock, refuses to map before it settles', () => {
    expect(() => new TrackClock(1).toSharedUs(0)).toThrow(/settled/);
  });
});

describe('TrackClock on the page clock', () => {
  it('TrackClock, uses stamps that are already on the page clock as they are', () => {
    // Audio: stamped on performance.now() when heard, delivered >= 20 ms later.
    const clock = new TrackClock(100_000);
    for (let i = 0; i <= 12; i++) clock.observe(5_000_000 + i * 10_000, 5_000_000 + i * 10_000 + 20_300 + (i % 3) * 4_000);
    expect(clock.settled).toBe(true);
    expect(clock.toSharedUs(5_050_000)).toBe(5_050_000);
    // And stays so: later samples never turn it into an estimate.
    clock.observe(6_000_000, 6_000_000);
    expect(clock.toSharedUs(6_000_000)).toBe(6_000_000);
  });

  it('TrackClock, still maps a clock from another origin (video, boot time) by its envelope', () => {
    const clock = new TrackClock(100_000);
    for (let i = 0; i <= 12; i++) clock.observe(1_140_000_000 + i * 33_333, 5_000_000 + i * 33_333 + 9_000);
    expect(clock.toSharedUs(1_140_000_000)).toBe(5_009_000);
  });
});
