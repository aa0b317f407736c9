/**
 * A track's sample tables in its timescale, from planned samples: what an MP4 writer puts in
 * stts, stsz, stss, the edit list and the durations. The rounding follows mediabunny's MP4
 * muxer step for step, so both writers give every sample the same time to the timescale unit.
 */
import { usToSeconds } from '../units';
import type { PlannedSample } from './sample-plan';

/** The movie's timescale (mvhd, tkhd, edit lists): mediabunny's, the LCM of common frame rates. */
export const MOVIE_TIMESCALE = 57_600;

/** A track's samples gathered in one mdat chunk lasting about this long (players read ahead by chunks). */
export const CHUNK_SECONDS = 0.5;

/** One run of the time-to-sample table. */
export interface SttsRun {
  count: number;
  delta: number;
}

export interface TrackTables {
  timescale: number;
  samples: readonly PlannedSample[];
  stts: SttsRun[];
  /** 1-based numbers of the key samples; null when every sample is key (no stss box). */
  syncSamples: number[] | null;
  /** mdhd duration, in the track's timescale. */
  mediaDuration: number;
  /** tkhd duration, in MOVIE_TIMESCALE. */
  trackDuration: number;
  /** Null without an edit list (the first sample starts at 0). */
  edit: { emptyBefore: number; segmentDuration: number; mediaTime: number } | null;
  /** Index of each chunk's first sample, and the sample count after the last one. */
  chunkStarts: number[];
  avgBitrateBps: number;
  maxBitrateBps: number;
}

const intoTimescale = (seconds: number, timescale: number): number => Math.round(seconds * timescale);

/**
 * The tables of `samples` (in presentation order, which is decode order: capture encoders do
 * not reorder frames). Throws when timestamps go backwards, which no writer here can store
 * without composition offsets.
 */
export function trackTables(samples: readonly PlannedSample[], timescale: number): TrackTables {
  if (samples.length === 0) throw new Error('A track needs at least one sample.');
  const times = samples.map((sample) => usToSeconds(sample.timeUs));
  const durations = samples.map((sample) => usToSeconds(sample.durationUs));
  const offsetSec = times[0]!;

  // Each sample lasts until the next one starts, rounded against a running position that
  // starts at the first sample's exact one (mediabunny's arithmetic, to the last float); the
  // last lasts its own duration.
  const deltas = new Array<number>(samples.length);
  let positionUnits = times[0]! * timescale;
  for (let i = 1; i < samples.length; i++) {
    const delta = Math.round(times[i]! * timescale - positionUnits);
    if (delta < 0) throw new Error(`Sample ${i} starts before the one before it.`);
    deltas[i - 1] = delta;
    positionUnits += delta;
  }
  deltas[samples.length - 1] = intoTimescale(durations.at(-1)!, timescale);
  const stts: SttsRun[] = [];
  for (const delta of deltas) {
    const last = stts.at(-1);
    if (last && last.delta === delta) last.count++;
    else stts.push({ count: 1, delta });
  }

  let syncSamples: number[] | null = [];
  for (const [i, sample] of samples.entries()) if (sample.key) syncSamples.push(i + 1);
  if (syncSamples.length === samples.length) syncSamples = null;

  let endSec = -Infinity;
  let totalBytes = 0;
  for (let i = 0; i < samples.length; i++) {
    endSec = Math.max(endSec, times[i]! + durations[i]!);
    totalBytes += samples[i]!.byteLength;
  }
  const rawSpanSec = endSec - offsetSec;
  // After the writer moves the first sample to 0, as mediabunny measures it.
  let spanSec = -Infinity;
  for (let i = 0; i < samples.length; i++) spanSec = Math.max(spanSec, times[i]! - offsetSec + durations[i]!);

  const spanMovie = intoTimescale(spanSec, MOVIE_TIMESCALE);
  const offsetMovie = intoTimescale(offsetSec, MOVIE_TIMESCALE);
  let edit: TrackTables['edit'] = null;
  if (offsetSec > 0) edit = { emptyBefore: offsetMovie, segmentDuration: spanMovie, mediaTime: 0 };
  else if (offsetSec < 0) edit = { emptyBefore: 0, segmentDuration: Math.max(0, spanMovie + offsetMovie), mediaTime: intoTimescale(-offsetSec, timescale) };

  const chunkStarts: number[] = [];
  let chunkStartSec = Infinity;
  for (let i = 0; i < samples.length; i++) {
    if (chunkStarts.length === 0 || times[i]! - chunkStartSec >= CHUNK_SECONDS) {
      chunkStarts.push(i);
      chunkStartSec = times[i]!;
    }
  }

  // The busiest second of the track, in decode order.
  let windowStart = 0;
  let windowBytes = 0;
  let maxWindowBytes = 0;
  for (let i = 0; i < samples.length; i++) {
    windowBytes += samples[i]!.byteLength;
    while (times[i]! - times[windowStart]! >= 1) windowBytes -= samples[windowStart++]!.byteLength;
    maxWindowBytes = Math.max(maxWindowBytes, windowBytes);
  }

  return {
    timescale,
    samples,
    stts,
    syncSamples,
    mediaDuration: intoTimescale(spanSec, timescale),
    trackDuration: Math.max(0, spanMovie + offsetMovie),
    edit,
    chunkStarts,
    avgBitrateBps: rawSpanSec > 0 ? Math.round((8 * totalBytes) / rawSpanSec) : 0,
    maxBitrateBps: 8 * maxWindowBytes,
  };
}
