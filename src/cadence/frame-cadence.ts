/**
 * When the recorder encodes a frame. Tab capture sends a frame only when the page paints, so the
 * recorder keeps the newest frame and paces the encoder itself:
 * - `variable`: frames are encoded as they come (tab capture already sends at most the asked
 *   frame rate); at a lowered pace, evenly: a frame at least a slot after the last one encoded.
 *   When the page stops painting, its last frame is
 *   encoded again every `repeatAfterUs`, so a still page still has keyframes to start clips on.
 * - `constant`: one frame every slot, stamped on the slot grid, the newest one again when the page
 *   did not paint: every frame lasts the same, which video editors want.
 * All instants are on the video track's raw clock, in microseconds.
 */
import { US_PER_S } from '../units';

export const FRAME_RATE_MODES = ['variable', 'constant'] as const;
export type FrameRateMode = (typeof FRAME_RATE_MODES)[number];

/** Capture stamps wander about a millisecond around the display's refresh: not a reason to skip a frame. */
export const CAPTURE_JITTER_US = 4_000;

/** Constant mode fills at most this many slots a late timer missed; past it the gap stays (a stall). */
const MAX_CATCH_UP_SLOTS = 3;

export interface CadenceOptions {
  mode: FrameRateMode;
  fps: number;
  /** Variable mode: a still page's last frame is encoded again after this long. */
  repeatAfterUs: number;
}

export class FrameCadence {
  readonly mode: FrameRateMode;
  readonly #repeatAfterUs: number;
  readonly #askedSlotUs: number;
  #slotUs: number;
  /** Constant mode: the grid's origin (the first frame's instant). */
  #anchorUs: number | null = null;
  #lastSlot = -Infinity;
  #lastEncodedUs = -Infinity;

  constructor(options: CadenceOptions) {
    if (!(options.fps > 0) || !(options.repeatAfterUs > 0)) throw new RangeError('FrameCadence: fps and repeatAfterUs must be > 0');
    this.mode = options.mode;
    this.#repeatAfterUs = options.repeatAfterUs;
    this.#slotUs = US_PER_S / options.fps;
    this.#askedSlotUs = this.#slotUs;
  }

  get fps(): number {
    return US_PER_S / this.#slotUs;
  }

  /** A new pace from the next frame on (the overload governor lowers and restores it). */
  setFps(fps: number): void {
    if (!(fps > 0)) throw new RangeError(`FrameCadence: fps must be > 0, got ${fps}`);
    const slotUs = US_PER_S / fps;
    if (slotUs === this.#slotUs) return;
    if (this.#anchorUs !== null && Number.isFinite(this.#lastSlot)) {
      // The new grid starts where the last slot encoded was: no slot is stamped twice.
      this.#anchorUs += this.#lastSlot * this.#slotUs;
      this.#lastSlot = 0;
    }
    this.#slotUs = slotUs;
  }

  /** The page painted a frame at `rawUs`: whether to encode it now (else it is only kept). */
  onFrame(rawUs: number): boolean {
    this.#anchorUs ??= rawUs;
    if (this.mode === 'constant') return false;
    // At the asked pace every paint counts: capture bunches frames after a late one, and each shows something new.
    if (this.#slotUs > this.#askedSlotUs && rawUs - this.#lastEncodedUs < this.#slotUs - CAPTURE_JITTER_US) return false;
    this.#lastEncodedUs = rawUs;
    return true;
  }

  /**
   * A tick at `rawNowUs`: the timestamp to encode the kept frame with, or null. Constant mode
   * catches up on slots a late timer missed (ask again until null), a few at most.
   */
  onTick(rawNowUs: number): number | null {
    if (this.#anchorUs === null) return null;
    if (this.mode === 'variable') {
      if (rawNowUs - this.#lastEncodedUs < this.#repeatAfterUs) return null;
      this.#lastEncodedUs = rawNowUs;
      return Math.round(rawNowUs);
    }
    // A slot's tick comes half a slot after its instant, so a frame painted up to then counts.
    const dueSlot = Math.floor((rawNowUs - this.#anchorUs) / this.#slotUs - 0.5);
    if (dueSlot < 0 || dueSlot <= this.#lastSlot) return null;
    const slot = dueSlot - this.#lastSlot > MAX_CATCH_UP_SLOTS ? dueSlot : this.#lastSlot + 1;
    this.#lastSlot = slot;
    const stampUs = Math.round(this.#anchorUs + slot * this.#slotUs);
    this.#lastEncodedUs = stampUs;
    return stampUs;
  }

  /** The raw instant of the next tick worth waking for, or null before the first frame. */
  nextTickUs(rawNowUs: number): number | null {
    if (this.#anchorUs === null) return null;
    if (this.mode === 'variable') return Math.max(rawNowUs, this.#lastEncodedUs + this.#repeatAfterUs);
    const next = Number.isFinite(this.#lastSlot) ? this.#lastSlot + 1 : 0;
    return Math.max(rawNowUs, this.#anchorUs + (next + 0.5) * this.#slotUs);
  }
}
