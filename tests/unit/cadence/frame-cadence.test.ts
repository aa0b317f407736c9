import { describe, expect, it } from 'vitest';
import { FrameCadence } from '../../../src/cadence/frame-cadence';

const SLOT_30 = 1e6 / 30;

/** Runs ticks every `stepUs` from `fromUs` to `toUs`, collecting the stamps they encode. */
function tickStamps(cadence: FrameCadence, fromUs: number, toUs: number, stepUs: number): number[] {
  const stamps: number[] = [];
  for (let nowUs = fromUs; nowUs <= toUs; nowUs += stepUs) {
    for (let stamp = cadence.onTick(nowUs); stamp !== null; stamp = cadence.onTick(nowUs)) stamps.push(stamp);
  }
  return stamps;
}

describe('FrameCadence, variable', () => {
  it('encodes every frame of a page painting at the frame rate, jitter included', () => {
    const cadence = new FrameCadence({ mode: 'variable', fps: 30, repeatAfterUs: 1e6 });
    const jitterUs = [0, 900, -800, 1_000, -1_000, 300];
    const encoded = Array.from({ length: 60 }, (_, i) => cadence.onFrame(1e9 + i * SLOT_30 + jitterUs[i % jitterUs.length]!));
    expect(encoded.every(Boolean)).toBe(true);
  });

  it('at the asked pace, takes every frame capture sends, bunched ones too', () => {
    const cadence = new FrameCadence({ mode: 'variable', fps: 30, repeatAfterUs: 1e6 });
    // A late frame, then one a vsync later: both show something new.
    expect([0, 50_000, 66_667, 100_000].map((t) => cadence.onFrame(1e9 + t))).toEqual([true, true, true, true]);
  });

  it('takes every third frame of a 60 fps paint at 20 fps, evenly', () => {
    const cadence = new FrameCadence({ mode: 'variable', fps: 30, repeatAfterUs: 1e6 });
    cadence.setFps(20);
    const kept = Array.from({ length: 120 }, (_, i) => 1e9 + (i * 1e6) / 60).filter((t) => cadence.onFrame(t));
    expect(kept).toHaveLength(40);
    for (const gap of kept.slice(1).map((t, i) => t - kept[i]!)) expect(gap).toBeCloseTo(50_000, 0);
  });

  it('halves a 30 fps paint evenly when the pace drops to 15 fps', () => {
    const cadence = new FrameCadence({ mode: 'variable', fps: 30, repeatAfterUs: 1e6 });
    cadence.setFps(15);
    const kept = Array.from({ length: 60 }, (_, i) => 1e9 + i * SLOT_30).filter((t) => cadence.onFrame(t));
    expect(kept).toHaveLength(30);
    expect(new Set(kept.slice(1).map((t, i) => Math.round(t - kept[i]!)))).toEqual(new Set([Math.round(2 * SLOT_30)]));
  });

  it('repeats a still page once per repeat interval, never before its first frame', () => {
    const cadence = new FrameCadence({ mode: 'variable', fps: 30, repeatAfterUs: 1e6 });
    expect(cadence.onTick(5e6)).toBeNull();
    expect(cadence.nextTickUs(5e6)).toBeNull();
    expect(cadence.onFrame(10e6)).toBe(true);
    expect(cadence.nextTickUs(10.1e6)).toBe(11e6);
    const stamps = tickStamps(cadence, 10e6, 15.5e6, 10_000);
    expect(stamps).toEqual([11e6, 12e6, 13e6, 14e6, 15e6]);
    // The page paints again: its frames are encoded, and the repeats wait for a new still spell.
    expect(cadence.onFrame(15.3e6)).toBe(true);
    expect(cadence.onTick(16e6)).toBeNull();
    expect(cadence.onTick(16.3e6)).toBe(16.3e6);
  });
});

describe('FrameCadence, constant', () => {
  it('stamps one frame per slot on the grid of the first frame, still page or not', () => {
    const cadence = new FrameCadence({ mode: 'constant', fps: 30, repeatAfterUs: 1e6 });
    expect(cadence.onFrame(1e9)).toBe(false);
    const stamps = tickStamps(cadence, 1e9, 1e9 + 2e6, 7_000);
    // Slot k's tick is due half a slot after its instant: 2 s gives slots 0..59.
    expect(stamps).toHaveLength(60);
    stamps.forEach((stamp, k) => expect(stamp).toBe(Math.round(1e9 + k * SLOT_30)));
  });

  it('catches up a late timer with every missed slot, but not after a long stall', () => {
    const cadence = new FrameCadence({ mode: 'constant', fps: 30, repeatAfterUs: 1e6 });
    cadence.onFrame(0);
    expect(tickStamps(cadence, 20_000, 20_000, 1)).toEqual([0]);
    // 100 ms late: slots 1, 2 and 3 are all due.
    expect(tickStamps(cadence, 120_000, 120_000, 1)).toEqual([1, 2, 3].map((k) => Math.round(k * SLOT_30)));
    // A 2 s stall: only the newest slot is filled; the gap stays.
    expect(tickStamps(cadence, 2_120_000, 2_120_000, 1)).toEqual([Math.round(63 * SLOT_30)]);
  });

  it('wakes half a slot after the next slot', () => {
    const cadence = new FrameCadence({ mode: 'constant', fps: 30, repeatAfterUs: 1e6 });
    cadence.onFrame(0);
    expect(cadence.nextTickUs(0)).toBeCloseTo(SLOT_30 / 2, 6);
    cadence.onTick(SLOT_30 / 2);
    expect(cadence.nextTickUs(SLOT_30 / 2)).toBeCloseTo(1.5 * SLOT_30, 6);
  });

  it('keeps the stamps strictly increasing across a change of pace', () => {
    const cadence = new FrameCadence({ mode: 'constant', fps: 30, repeatAfterUs: 1e6 });
    cadence.onFrame(0);
    const before = tickStamps(cadence, 0, 1e6, 5_000);
    cadence.setFps(20);
    const after = tickStamps(cadence, 1e6 + 5_000, 2e6, 5_000);
    const all = [...before, ...after];
    for (let i = 1; i < all.length; i++) expect(all[i]!).toBeGreaterThan(all[i - 1]!);
    const gaps = after.slice(1).map((t, i) => t - after[i]!);
    for (const gap of gaps) expect(gap).toBe(50_000);
  });

  it('refuses a nonsense pace', () => {
    expect(() => new FrameCadence({ mode: 'constant', fps: 0, repeatAfterUs: 1e6 })).toThrow(RangeError);
    expect(() => new FrameCadence({ mode: 'variable', fps: 30, repeatAfterUs: Number.NaN })).toThrow(RangeError);
  });
});
