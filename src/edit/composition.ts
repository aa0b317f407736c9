/**
 * The editor's composition model: segments of source clips placed on one output timeline, and
 * instructions that tile that timeline saying what each span shows. Positions are derived, never
 * given: a segment starts where the previous one ends minus the transition, so gaps and overlaps
 * cannot be expressed; a request can only be refused (validate.ts says why).
 */
import { US_PER_S } from '../units';

/** A source clip as the editor knows it (from the library and its file). */
export interface EditSource {
  id: string;
  /** Presentation length of the clip (t = 0 to its end). */
  durationUs: number;
  width: number;
  height: number;
  hasAudio: boolean;
  /** Video frame start times in presentation order (negative ones are pre-roll before t = 0). */
  frameTimesUs: readonly number[];
  /** Which of `frameTimesUs` are keyframes (same indices). */
  keyframes: readonly boolean[];
  /** Identity of the video decoder config: packets of sources with equal keys share a stream. */
  configKey: string;
}

/** The part of a source a user picked, in the source's own time. */
export interface EditRange {
  source: number;
  startUs: number;
  endUs: number;
}

export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EditSpec {
  ranges: readonly EditRange[];
  /** Cross-dissolve length between every two consecutive ranges (0: a cut). */
  transitionUs: number;
  /** In the first source's pixels; null keeps the whole frame. */
  crop: CropRect | null;
}

/** A source range placed on the output timeline. */
export interface Segment {
  source: number;
  sourceStartUs: number;
  sourceEndUs: number;
  outputStartUs: number;
}

export const segmentEndUs = (segment: Segment): number => segment.outputStartUs + segment.sourceEndUs - segment.sourceStartUs;

/** A value moving linearly over an instruction's span (opacity; volume follows it on an equal-power curve). */
export interface Ramp {
  fromValue: number;
  toValue: number;
}

export interface Layer {
  segment: number;
  opacity: Ramp;
}

/**
 * One span of the output: the layers it needs, bottom first. `passthrough` names the one
 * segment whose packets can be copied as they are (one layer, fully opaque, no crop).
 */
export interface Instruction {
  startUs: number;
  endUs: number;
  layers: Layer[];
  passthrough: number | null;
}

export interface Composition {
  sources: readonly EditSource[];
  segments: Segment[];
  instructions: Instruction[];
  durationUs: number;
  /** The output frame size (the crop, or the first source's frame). */
  width: number;
  height: number;
  crop: CropRect | null;
}

const OPAQUE: Ramp = { fromValue: 1, toValue: 1 };

/** The frame start nearest `timeUs` among a source's frames at or after t = 0 (cuts land on frames). */
export function nearestFrameUs(source: EditSource, timeUs: number): number {
  let best = timeUs;
  let bestDistance = Infinity;
  for (const frameUs of source.frameTimesUs) {
    if (frameUs < 0) continue;
    const distance = Math.abs(frameUs - timeUs);
    if (distance < bestDistance) {
      best = frameUs;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Places the ranges one after the other, each overlapping the previous by the transition, and
 * tiles the output with instructions: one layer where a single segment shows, two with opposite
 * opacity ramps where one dissolves into the next. Assumes a valid spec (validateSpec).
 */
export function buildComposition(sources: readonly EditSource[], spec: EditSpec): Composition {
  const segments: Segment[] = [];
  let outputStartUs = 0;
  for (const range of spec.ranges) {
    const segment: Segment = { source: range.source, sourceStartUs: range.startUs, sourceEndUs: range.endUs, outputStartUs };
    segments.push(segment);
    outputStartUs = segmentEndUs(segment) - spec.transitionUs;
  }
  const durationUs = segmentEndUs(segments.at(-1)!);
  const instructions: Instruction[] = [];
  const single = (segment: number, startUs: number, endUs: number): void => {
    if (endUs > startUs) instructions.push({ startUs, endUs, layers: [{ segment, opacity: OPAQUE }], passthrough: spec.crop ? null : segment });
  };
  segments.forEach((segment, index) => {
    const startUs = index === 0 ? 0 : segment.outputStartUs + spec.transitionUs;
    const isLast = index === segments.length - 1;
    const endUs = isLast ? durationUs : segmentEndUs(segment) - spec.transitionUs;
    single(index, startUs, endUs);
    if (!isLast && spec.transitionUs > 0) {
      instructions.push({
        startUs: endUs,
        endUs: endUs + spec.transitionUs,
        layers: [
          { segment: index, opacity: { fromValue: 1, toValue: 0 } },
          { segment: index + 1, opacity: { fromValue: 0, toValue: 1 } },
        ],
        passthrough: null,
      });
    }
  });
  const first = sources[segments[0]!.source]!;
  const width = spec.crop?.width ?? first.width;
  const height = spec.crop?.height ?? first.height;
  return { sources, segments, instructions, durationUs, width, height, crop: spec.crop };
}

/** Where in its source an output instant of `segment` falls. */
export const sourceTimeUs = (segment: Segment, outputUs: number): number => segment.sourceStartUs + outputUs - segment.outputStartUs;

/** Equal-power crossfade: the gains of the outgoing and incoming sound at `progress` (0-1); their squares sum to 1. */
export function equalPowerGains(progress: number): { outgoing: number; incoming: number } {
  const clamped = Math.min(1, Math.max(0, progress));
  // The ends exactly (cos(pi / 2) is 6e-17 in floating point).
  if (clamped === 0 || clamped === 1) return { outgoing: 1 - clamped, incoming: clamped };
  return { outgoing: Math.cos((clamped * Math.PI) / 2), incoming: Math.sin((clamped * Math.PI) / 2) };
}

/** A ramp's value at `timeUs` within `instruction`. */
export function rampAt(ramp: Ramp, instruction: Instruction, timeUs: number): number {
  const progress = (timeUs - instruction.startUs) / (instruction.endUs - instruction.startUs);
  return ramp.fromValue + (ramp.toValue - ramp.fromValue) * Math.min(1, Math.max(0, progress));
}

/** The instruction showing at output instant `timeUs` (the last one for the end itself). */
export function instructionAt(composition: Composition, timeUs: number): Instruction {
  const { instructions } = composition;
  return instructions.find((instruction) => timeUs < instruction.endUs) ?? instructions.at(-1)!;
}

export const seconds = (us: number): string => `${(us / US_PER_S).toFixed(3)} s`;
