/** Synthetic editor sources and random edit specs for the src/edit unit tests. */
import type { CropRect, EditRange, EditSource, EditSpec } from '../../../src/edit/composition';

import { mulberry32 } from '../../../scripts/harness/prng';

export { mulberry32 };

export const FPS30_US = 1_000_000 / 30;
export const FPS60_US = 1_000_000 / 60;

export interface GridOptions {
  id?: string;
  durationUs: number;
  /** Frame spacing (may be fractional; each time is rounded to whole microseconds). */
  frameUs?: number;
  /** A keyframe whenever this long has passed since the last one (the first frame is always one). */
  keyEveryUs?: number;
  /** Frames before t = 0 (negative times). */
  preRollFrames?: number;
  /** Each time moves by up to this much either way (keep it under a quarter frame). */
  jitterUs?: number;
  /** Where frame 0 would fall without jitter. */
  phaseUs?: number;
  width?: number;
  height?: number;
  configKey?: string;
  hasAudio?: boolean;
  random?: () => number;
}

/** A source whose frames lie on a regular grid (optionally jittered), keyframes every `keyEveryUs`. */
export function gridSource(options: GridOptions): EditSource {
  const frameUs = options.frameUs ?? FPS30_US;
  const keyEveryUs = options.keyEveryUs ?? 1_000_000;
  const jitterUs = options.jitterUs ?? 0;
  const random = options.random ?? (() => 0.5);
  const frameTimesUs: number[] = [];
  const keyframes: boolean[] = [];
  let lastKeyUs = -Infinity;
  for (let i = -(options.preRollFrames ?? 0); ; i++) {
    const jitter = jitterUs > 0 ? Math.round((random() * 2 - 1) * jitterUs) : 0;
    const timeUs = Math.round((options.phaseUs ?? 0) + i * frameUs) + jitter;
    if (timeUs >= options.durationUs) break;
    const key = frameTimesUs.length === 0 || timeUs - lastKeyUs >= keyEveryUs;
    if (key) lastKeyUs = timeUs;
    frameTimesUs.push(timeUs);
    keyframes.push(key);
  }
  return {
    id: options.id ?? 'clip',
    durationUs: options.durationUs,
    width: options.width ?? 640,
    height: options.height ?? 360,
    hasAudio: options.hasAudio ?? true,
    frameTimesUs,
    keyframes,
    configKey: options.configKey ?? 'avc1.42E01E 640x360',
  };
}

/** Index of the frame starting exactly at `timeUs` (throws when none does: the test's own mistake). */
export function frameIndex(source: EditSource, timeUs: number): number {
  const index = source.frameTimesUs.indexOf(timeUs);
  if (index < 0) throw new Error(`${source.id} has no frame at ${timeUs} us`);
  return index;
}

/** The first keyframe of `source` at or after `timeUs`. */
export function keyframeAtOrAfter(source: EditSource, timeUs: number): number {
  const index = source.frameTimesUs.findIndex((t, i) => t >= timeUs && source.keyframes[i]);
  if (index < 0) throw new Error(`${source.id} has no keyframe at or after ${timeUs} us`);
  return index;
}

export interface RandomCase {
  sources: EditSource[];
  spec: EditSpec;
}

const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const between = (random: () => number, min: number, max: number): number => Math.round(min + random() * (max - min));

/**
 * A random edit: 1-3 sources (1/30 s or 1/60 s grids with jitter and pre-roll, keyframes every
 * 0.5-2 s, sometimes a differing config or size), 1-5 ranges (whole clips, random trims, trims
 * on frames), a cut or a dissolve, and sometimes a crop (odd, or partly outside the frame).
 */
export function randomCase(random: () => number): RandomCase {
  const sourceCount = between(random, 1, 3);
  const sources = Array.from({ length: sourceCount }, (_, index): EditSource => {
    const frameUs = pick(random, [FPS30_US, FPS60_US]);
    const differs = random() < 0.15 ? pick(random, ['config', 'size'] as const) : null;
    return gridSource({
      id: `source-${index}`,
      durationUs: between(random, 800_000, 8_000_000),
      frameUs,
      keyEveryUs: between(random, 500_000, 2_000_000),
      preRollFrames: between(random, 0, 5),
      jitterUs: between(random, 0, Math.floor(frameUs / 5)),
      phaseUs: random() < 0.5 ? 0 : between(random, 0, Math.floor(frameUs / 2)),
      width: differs === 'size' ? 1280 : 640,
      height: differs === 'size' ? 720 : 360,
      configKey: differs === 'config' ? 'vp09.00.10.08' : 'avc1.42E01E 640x360',
      hasAudio: random() < 0.7,
      random,
    });
  });
  const rangeCount = between(random, 1, 5);
  const ranges = Array.from({ length: rangeCount }, (): EditRange => {
    const source = between(random, 0, sourceCount - 1);
    const { durationUs, frameTimesUs } = sources[source]!;
    const style = random();
    if (style < 0.25) return { source, startUs: 0, endUs: durationUs };
    if (style < 0.5) {
      const onFrames = frameTimesUs.filter((t) => t >= 0);
      const a = pick(random, onFrames);
      const b = pick(random, [...onFrames, durationUs]);
      return { source, startUs: Math.min(a, b), endUs: Math.max(a, b) };
    }
    const a = between(random, 0, durationUs);
    const b = between(random, 0, durationUs);
    return { source, startUs: Math.min(a, b), endUs: Math.max(a, b) };
  });
  const transitionUs = random() < 0.5 ? 0 : between(random, 1, 1_500_000);
  let crop: CropRect | null = null;
  if (random() < 0.3) {
    const first = sources[ranges[0]!.source]!;
    const x = between(random, 0, first.width / 2);
    const y = between(random, 0, first.height / 2);
    crop = { x, y, width: between(random, 8, first.width - x + 4), height: between(random, 8, first.height - y + 4) };
  }
  return { sources, spec: { ranges, transitionUs, crop } };
}
