/**
 * Which chunks of a clip the GIF worker decodes: the span from the keyframe on screen at the cut
 * to the last chunk before its end, and the keyframes in it that sample the palette.
 *
 * Pure: indices into the chunk list, no decoder.
 */
import type { ChunkInfo } from '../buffer/ring-buffer';

/** Indices `first..last` (inclusive) of the chunks to decode, in order. */
export interface DecodeSpan {
  first: number;
  last: number;
}

/**
 * The chunks to decode for `[startUs, endUs)`: from the keyframe on screen at `startUs` (the
 * first keyframe if none is), through the last chunk that starts before `endUs`.
 * @throws Error if the clip has no keyframe.
 */
export function gifDecodeSpan(chunks: readonly ChunkInfo[], startUs: number, endUs: number): DecodeSpan {
  let first = -1;
  for (let i = 0; i < chunks.length && chunks[i]!.timestampUs <= startUs; i++) if (chunks[i]!.key) first = i;
  if (first < 0) first = chunks.findIndex((c) => c.key);
  if (first < 0) throw new Error('The clip has no video keyframe.');
  let last = first;
  for (let i = first; i < chunks.length; i++) if (chunks[i]!.timestampUs < endUs) last = i;
  return { first, last };
}

/**
 * At most `max` keyframes of `span`, spread evenly, first and last included: each decodes on its
 * own, so they sample the palette across the clip without decoding it all.
 */
export function paletteSampleKeyframes(chunks: readonly ChunkInfo[], span: DecodeSpan, max: number): number[] {
  const keys: number[] = [];
  for (let i = span.first; i <= span.last; i++) if (chunks[i]!.key) keys.push(i);
  return spreadPicks(keys, max);
}

/** Evenly spread picks of at most `max` items, first and last included. */
export function spreadPicks<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, k) => items[Math.round((k * (items.length - 1)) / (max - 1))]!);
}
