import { describe, expect, it } from 'vitest';
import { TrackClock } from '../../src/clock';

describe('TrackClock', () => {
  it('TrackClock, maps by the fastest arrival seen during warm-up, then freezes', () => {
    const clock = new TrackClock(100_000);
    // Raw clock starts at 0; true latency 5 ms, jitter adds up to 30 ms.
    const jitterUs = [30_000, 12_000, 0, 25_000, 8_000];
    jitterUs.forEach((jitter, i) => clock.observe(i * 20_000, 1_000_000 + i * 20_000 + 5_000 + jitter));
    expect(clock.settled).toBe(false);
    clock.observe(120_000, 1_000_000 + 120_000 + 5_000 + 40_000);
    expect(clock.settled).toBe(true);
    expect(clock.toSharedUs(0)).toBe(1_005_000);
    // Frozen: a faster sample after warm-up does not move the mapping (it would break monotony).
    clock.observe(200_000, 1_200_000);
    expect(clock.toSharedUs(200_000)).toBe(1_205_000);
  });

  it('TrackClock, refuses to map before it settles', () => {
    expect(() => new TrackClock(1).toSharedUs(0)).toThrow(/settled/);
  });
});
