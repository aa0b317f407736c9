import { describe, expect, it } from 'vitest';
import { DEFAULT_REFRESH_US, RefreshInterval } from '../../src/refresh';

/** Capture stamps on a display refreshing every `refreshUs`, a frame every `every` refreshes. */
function stamps(refreshUs: number, pattern: readonly number[]): number[] {
  const out = [1_000_000_000];
  for (const every of pattern) out.push(out.at(-1)! + every * refreshUs);
  return out;
}

describe('RefreshInterval', () => {
  it('RefreshInterval, assumes 60 Hz while frames come two refreshes apart (30 fps on 60 Hz)', () => {
    const refresh = new RefreshInterval();
    for (const t of stamps(16_667, [2, 2, 2, 1, 2, 2, 3, 2, 1, 2])) expect(refresh.observe(t)).toBe(0);
    expect(refresh.intervalUs).toBe(DEFAULT_REFRESH_US);
  });

  it('RefreshInterval, finds a faster display once its refresh shows up three times', () => {
    const refresh = new RefreshInterval();
    const changes = stamps(8_333, [4, 1, 4, 3, 1, 4, 1, 4]).map((t) => refresh.observe(t));
    expect(refresh.intervalUs).toBe(8_333);
    expect(changes.filter((c) => c !== 0)).toEqual([8_333 - DEFAULT_REFRESH_US]);
  });

  it('RefreshInterval, ignores a lone odd gap and gaps no display has', () => {
    const refresh = new RefreshInterval();
    for (const t of [0, 33_333, 43_000, 76_333, 77_000, 110_000, 110_500].map((x) => x + 1_000_000_000)) refresh.observe(t);
    expect(refresh.intervalUs).toBe(DEFAULT_REFRESH_US);
  });
});
