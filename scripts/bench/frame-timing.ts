/**
 * How steady a recording's frames are, from the timestamps of its encoded frames alone (any
 * recorder, any container): their intervals, and the frames missing from a grid of 1/fps slots.
 */
import { mean } from './stats';

export interface FrameTiming {
  /** Timestamps looked at. */
  frames: number;
  /** From the first timestamp to the last. */
  spanSec: number;
  intervalMeanMs: number;
  /** Population standard deviation of the intervals between consecutive frames. */
  intervalStdMs: number;
  intervalMaxMs: number;
  /** Frame slots (1/fps) that no frame filled, summed over all intervals. */
  missingSlots: number;
  /** The longest run of consecutive empty slots. */
  longestGapSlots: number;
  /** missing / (delivered + missing), in percent: the share of the grid left empty. */
  dropPct: number;
}

/**
 * Tab capture stamps frames on a 60 Hz display's refreshes, and WebM rounds them to the
 * millisecond, so a 30 fps frame one refresh late spans 1.5 slots: an interval counts as
 * round(slots) - 1 missing frames with up to 0.6 of a slot of lateness forgiven.
 */
const LATENESS_FORGIVEN_SLOTS = 0.6;

export function missingSlotsIn(intervalSec: number, fps: number): number {
  return Math.max(0, Math.floor(intervalSec * fps + (1 - LATENESS_FORGIVEN_SLOTS)) - 1);
}

/** The timing of frames stamped `timestampsSec` (any order) on a grid of `fps` slots a second. */
export function frameTiming(timestampsSec: readonly number[], fps: number): FrameTiming {
  const sorted = timestampsSec.filter(Number.isFinite).sort((a, b) => a - b);
  const intervalsMs = sorted.slice(1).map((t, i) => (t - sorted[i]!) * 1000);
  const missing = intervalsMs.map((ms) => missingSlotsIn(ms / 1000, fps));
  const missingSlots = missing.reduce((sum, n) => sum + n, 0);
  const average = mean(intervalsMs);
  const variance = mean(intervalsMs.map((ms) => (ms - average) ** 2));
  const slots = intervalsMs.length + missingSlots;
  return {
    frames: sorted.length,
    spanSec: sorted.length > 1 ? sorted[sorted.length - 1]! - sorted[0]! : 0,
    intervalMeanMs: average,
    intervalStdMs: Math.sqrt(variance),
    intervalMaxMs: intervalsMs.length > 0 ? Math.max(...intervalsMs) : NaN,
    missingSlots,
    longestGapSlots: missing.length > 0 ? Math.max(...missing) : 0,
    dropPct: slots > 0 ? (100 * missingSlots) / slots : NaN,
  };
}
