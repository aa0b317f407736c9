import { describe, expect, it } from 'vitest';
import { MAX_ARENA_OVER_PAYLOAD, MAX_ARENA_OVER_PAYLOAD_CHANGING } from '../../../src/buffer/ring-buffer';
import { BYTES_PER_MB, simulateRing, type StreamSpec } from '../../../scripts/bench/ring-sim';

import { mulberry32 } from '../../../scripts/harness/prng';

const S = 1_000_000;
/** The recorder's window: 60 s and its 2 s of slack. */
const WINDOW_US = 62 * S;
const RATE_720P_BPS = 2.2e6;
const RATE_1080P_BPS = 5e6;

function run(videoBitrateBps: StreamSpec['videoBitrateBps'], settledFromUs: number, seed = 1) {
  return simulateRing({ durationUs: 240 * S, videoBitrateBps }, { windowUs: WINDOW_US, settledFromUs }, mulberry32(seed));
}

describe('RingBuffer arenas', () => {
  for (const [label, rateBps] of [
    ['720p', RATE_720P_BPS],
    ['1080p', RATE_1080P_BPS],
  ] as const) {
    it(`ring arenas, stay within 10 % of the payload once a ${label} window is full, after one growth`, () => {
      const result = run(() => rateBps, 2 * WINDOW_US);
      expect(result.bytesIntact).toBe(true);
      expect(result.fullAtUs).not.toBeNull();
      expect(result.maxRatioFull).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD);
      // One growth from the first 4 MiB to the predicted window; the audio arena shrinks once.
      expect(result.stats.arenaGrowths).toBe(1);
      expect(result.stats.arenaShrinks).toBeLessThanOrEqual(2);
      expect(result.stats.arenaCopiedBytes).toBeLessThan(8 * BYTES_PER_MB);
      expect(result.resizesAfterSettled).toBe(0);
      // The window holds ~62 s of video at the rate.
      expect(result.stats.payloadBytes).toBeGreaterThan(((rateBps / 8) * WINDOW_US) / S);
    });
  }

  it('ring arenas, a scene that gets busier after the window is full: a few growths, then within 10 %', () => {
    const changeUs = 90 * S;
    const result = run((t) => (t < changeUs ? RATE_720P_BPS : RATE_1080P_BPS), changeUs + WINDOW_US + 10 * S);
    expect(result.bytesIntact).toBe(true);
    expect(result.maxRatioFull).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD_CHANGING);
    expect(result.maxRatioSettled).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD);
    expect(result.stats.arenaGrowths + result.stats.arenaShrinks).toBeLessThanOrEqual(9);
    expect(result.resizesAfterSettled).toBe(0);
    // Not one copy of the whole payload per few percent of growth.
    expect(result.stats.arenaCopiedBytes).toBeLessThan(200 * BYTES_PER_MB);
  });

  it('ring arenas, a scene that gets calmer after the window is full: a few shrinks, then within 10 %', () => {
    const changeUs = 90 * S;
    const result = run((t) => (t < changeUs ? RATE_1080P_BPS : RATE_720P_BPS), changeUs + WINDOW_US + 10 * S);
    expect(result.bytesIntact).toBe(true);
    expect(result.maxRatioFull).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD_CHANGING);
    expect(result.maxRatioSettled).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD);
    expect(result.stats.arenaShrinks).toBeLessThanOrEqual(6);
    expect(result.stats.arenaCopiedBytes).toBeLessThan(120 * BYTES_PER_MB);
  });

  it('ring arenas, a rate that goes up and down while the window fills settles within 10 %', () => {
    const rate = (t: number): number => (t < 20 * S ? 1e6 : t < 40 * S ? 4e6 : 2e6);
    const result = run(rate, 40 * S + WINDOW_US + 10 * S);
    expect(result.bytesIntact).toBe(true);
    expect(result.maxRatioSettled).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD);
    expect(result.stats.arenaGrowths + result.stats.arenaShrinks).toBeLessThanOrEqual(9);
    expect(result.resizesAfterSettled).toBe(0);
  });

  it('ring arenas, a still page (0.3 Mbit/s) is within 10 % too, and its arenas only shrink', () => {
    const result = run(() => 0.3e6, 2 * WINDOW_US);
    expect(result.maxRatioFull).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD);
    expect(result.stats.arenaGrowths).toBe(0);
    expect(result.resizesAfterSettled).toBe(0);
  });

  it('ring arenas, other seeds of the steady 1080p stream stay within 10 %', () => {
    for (const seed of [2, 3, 4]) {
      const result = run(() => RATE_1080P_BPS, 2 * WINDOW_US, seed);
      expect(result.maxRatioFull, `seed ${seed}`).toBeLessThanOrEqual(MAX_ARENA_OVER_PAYLOAD);
      expect(result.resizesAfterSettled, `seed ${seed}`).toBe(0);
    }
  });
});
