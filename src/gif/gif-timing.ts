/**
 * GIF timing: which instants of a clip become GIF frames, which decoded source frame each one
 * shows, and how long each is displayed.
 *
 * Sources are tab captures: frames arrive when the page repaints, so their timing is irregular
 * and resampling goes by timestamps, never by frame count. GIF delays are whole centiseconds:
 * rounding each frame on its own drifts (15 fps is 6.67 cs a frame), so the rounding error is
 * carried from frame to frame and the delays add up to the clip's real length.
 */

const US_PER_S = 1_000_000;
const US_PER_CS = 10_000;

/**
 * The shortest delay written, in centiseconds. Browsers (Chromium, Firefox, Safari) show any
 * delay below 2 cs as 10 cs, so a shorter delay would make the GIF play 5x slower, not faster.
 */
export const MIN_GIF_DELAY_CS = 2;

/** Highest frame rate a GIF plays at its real speed: one frame per {@link MIN_GIF_DELAY_CS}. */
export const MAX_GIF_FPS = 100 / MIN_GIF_DELAY_CS;

/** The longest delay one GIF frame can carry: the field is 16-bit centiseconds. */
export const MAX_GIF_DELAY_CS = 0xffff;

/**
 * Instants (integer microseconds, on the same timeline as `startUs`) of the output frames of the
 * clip `[startUs, endUs)` at `fps`: `startUs + k / fps` for `k < round(duration * fps)`, at least
 * one, and never more than the clip's centiseconds allow at {@link MIN_GIF_DELAY_CS} each (so
 * {@link gifDelaysCs} can always honour both its total and its minimum).
 *
 * @throws RangeError if `fps` is not in (0, {@link MAX_GIF_FPS}] or the clip is empty.
 */
export function outputFrameTimesUs(startUs: number, endUs: number, fps: number): number[] {
  if (!Number.isFinite(fps) || fps <= 0 || fps > MAX_GIF_FPS) {
    throw new RangeError(`outputFrameTimesUs: fps must be in (0, ${MAX_GIF_FPS}], got ${fps}`);
  }
  if (!Number.isFinite(startUs) || !Number.isFinite(endUs) || endUs <= startUs) {
    throw new RangeError(`outputFrameTimesUs: the clip [${startUs}, ${endUs}) is empty`);
  }
  const durationUs = endUs - startUs;
  const totalCs = Math.round(durationUs / US_PER_CS);
  const count = Math.max(1, Math.min(Math.round((durationUs * fps) / US_PER_S), Math.floor(totalCs / MIN_GIF_DELAY_CS)));
  const times: number[] = [];
  for (let k = 0; k < count; k++) times.push(startUs + Math.round((k * US_PER_S) / fps));
  return times;
}

/**
 * Online form of {@link pickSourceFrames}, for a decoder that hands out frames one at a time in
 * presentation order: only the newest frame ever needs to be held.
 *
 * Offer each source timestamp in order; `offer` answers how many output instants (the next ones,
 * in order) show the frame offered BEFORE it. Instants before the first source frame are given to
 * the first frame. After the last frame, `finish` answers how many instants the last one shows.
 */
export class SourceFramePicker {
  readonly #outputTimesUs: readonly number[];
  #next = 0;
  #offered = 0;

  constructor(outputTimesUs: readonly number[]) {
    this.#outputTimesUs = outputTimesUs;
  }

  /** Output instants not yet handed out. */
  get remaining(): number {
    return this.#outputTimesUs.length - this.#next;
  }

  /** Output instants covered by the previously offered frame (0 for the first frame). */
  offer(timestampUs: number): number {
    this.#offered++;
    // The first frame covers every instant before the second one, so nothing is decided yet.
    if (this.#offered === 1) return 0;
    const start = this.#next;
    while (this.#next < this.#outputTimesUs.length && this.#outputTimesUs[this.#next]! < timestampUs) this.#next++;
    return this.#next - start;
  }

  /** Output instants covered by the last offered frame (all remaining ones; 0 if none was offered). */
  finish(): number {
    if (this.#offered === 0) return 0;
    const count = this.remaining;
    this.#next = this.#outputTimesUs.length;
    return count;
  }
}

/**
 * For each output instant, the index of the source frame it shows: the latest one with
 * timestamp <= the instant (a frame stays on screen until the next one). The first output, at the
 * clip's start, thus shows the frame on screen at the start, usually one from before it; an
 * instant before every source frame shows the first frame.
 *
 * @param sourceTimestampsUs presentation timestamps, ascending (equal neighbours allowed: the later wins).
 * @param outputTimesUs output instants, ascending (see {@link outputFrameTimesUs}).
 * @throws RangeError if there are output instants but no source frames.
 */
export function pickSourceFrames(sourceTimestampsUs: readonly number[], outputTimesUs: readonly number[]): number[] {
  if (outputTimesUs.length > 0 && sourceTimestampsUs.length === 0) {
    throw new RangeError('pickSourceFrames: no source frames to pick from');
  }
  const picker = new SourceFramePicker(outputTimesUs);
  const picks: number[] = [];
  sourceTimestampsUs.forEach((timestampUs, index) => {
    for (let n = picker.offer(timestampUs); n > 0; n--) picks.push(index - 1);
  });
  for (let n = picker.finish(); n > 0; n--) picks.push(sourceTimestampsUs.length - 1);
  return picks;
}

/**
 * Display time of each output frame in centiseconds: frame k lasts from `outputTimesUs[k]` to the
 * next instant, the last one to `endUs`.
 *
 * Frame boundaries are rounded on the clip's own clock (not each delay on its own), which carries
 * the rounding error from frame to frame: the delays sum to exactly
 * `round((endUs - outputTimesUs[0]) / 10 ms)`, with no drift however long the clip.
 *
 * No delay is below {@link MIN_GIF_DELAY_CS}: browsers clamp delays under 2 cs to 10 cs. A boundary
 * that would make a frame shorter is moved (later, or earlier near the end), keeping the total.
 * Only if the clip has fewer than 2 cs per frame (never with {@link outputFrameTimesUs}) is the
 * total exceeded, to `2 * frames`.
 */
export function gifDelaysCs(outputTimesUs: readonly number[], endUs: number): number[] {
  const count = outputTimesUs.length;
  const firstUs = outputTimesUs[0];
  if (firstUs === undefined) return [];
  // boundaries[k] = start of frame k in centiseconds since the first frame; boundaries[count] = end.
  const boundaries = new Array<number>(count + 1);
  for (let k = 0; k < count; k++) boundaries[k] = Math.round((outputTimesUs[k]! - firstUs) / US_PER_CS);
  const totalCs = Math.max(Math.round((endUs - firstUs) / US_PER_CS), MIN_GIF_DELAY_CS * count);
  boundaries[count] = totalCs;
  // Forward: each frame at least the minimum; backward: leave room for the frames after it.
  for (let k = 1; k < count; k++) boundaries[k] = Math.max(boundaries[k]!, boundaries[k - 1]! + MIN_GIF_DELAY_CS);
  for (let k = count - 1; k >= 1; k--) boundaries[k] = Math.min(boundaries[k]!, boundaries[k + 1]! - MIN_GIF_DELAY_CS);
  const delays: number[] = [];
  for (let k = 0; k < count; k++) delays.push(boundaries[k + 1]! - boundaries[k]!);
  return delays;
}

/**
 * `delayCs` as the delays of consecutive frames, each at most {@link MAX_GIF_DELAY_CS}: a frame
 * shown longer than one delay holds (a page unchanged for minutes) is written again.
 */
export function splitGifDelayCs(delayCs: number): number[] {
  const pieces: number[] = [];
  let left = delayCs;
  for (; left > MAX_GIF_DELAY_CS; left -= MAX_GIF_DELAY_CS) pieces.push(MAX_GIF_DELAY_CS);
  pieces.push(left);
  return pieces;
}
