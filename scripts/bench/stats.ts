/** Median, min and max of a sample; NaN for all three when it is empty. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Half the range over the mean, in percent: how far a series strays either side of its middle. */
export function spreadPct(values: readonly number[]): number {
  const average = mean(values);
  return average === 0 ? 0 : ((Math.max(...values) - Math.min(...values)) / 2 / average) * 100;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Offset between another context's epoch clock and this process's `performance.now()`, from
 * the quickest of a few round trips (its midpoint is then off by at most half that trip).
 */
export async function clockOffsetMs(readEpochMs: () => Promise<number>, now: () => number, trips = 3): Promise<number> {
  let best = { rttMs: Infinity, offsetMs: NaN };
  for (let i = 0; i < trips; i++) {
    const before = now();
    const remote = await readEpochMs();
    const after = now();
    if (after - before < best.rttMs) best = { rttMs: after - before, offsetMs: remote - (before + after) / 2 };
  }
  return best.offsetMs;
}
