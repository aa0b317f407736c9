/**
 * Graceful overload: watches, second by second, how many of the frames the recorder meant to
 * encode the encoder had no room for, and when that lasts it steps down evenly (a lower frame
 * rate, or a smaller picture, per the user's preference) instead of dropping frames at random.
 * When the load passes it steps back up, one level at a time; a step up that brings the drops
 * back waits twice as long before the next try (like WebRTC's quality scaler).
 */
import { localize, type LocalText } from '../i18n/english';

/**
 * What to keep when the machine cannot keep up: the picture's size, or its frame rate; `off`
 * keeps both and drops frames where the encoder has no room (the bench's comparison, too).
 */
export const OVERLOAD_PREFERENCES = ['resolution', 'frame-rate', 'off'] as const;
export type OverloadPreference = (typeof OVERLOAD_PREFERENCES)[number];

export interface LoadWindow {
  /** Frames the recorder meant to encode in the window. */
  wanted: number;
  /** Of those, how many the encoder had no room for. */
  dropped: number;
}

export interface OverloadLevel {
  /** 0 = what the settings ask; higher = degraded. */
  index: number;
  /** Frame rate as a fraction of the asked one. */
  fpsFactor: number;
  /** Width and height as a fraction of the captured ones. */
  scale: number;
}

/**
 * Keep resolution: 30 fps becomes 15, then 10: whole divisions of what capture sends, so every
 * kept frame is the same number of paints apart (2/3 would alternate one and two: a stutter).
 */
const FPS_FACTORS = [1, 1 / 2, 1 / 3];
/** Keep frame rate: the encoded area becomes 56 %, 25 %, 14 % of the frame's. */
const SCALES = [1, 3 / 4, 1 / 2, 3 / 8];

export interface GovernorOptions {
  preference: OverloadPreference;
  /** A window is overloaded when this share of wanted frames was dropped. */
  dropRatio?: number;
  /** Overloaded windows in a row before stepping down. */
  windowsToStepDown?: number;
  /** Windows after any step before the next one (the load takes a moment to settle). */
  settleWindows?: number;
  /** Calm windows before the first try at stepping up; doubled after each failed try. */
  firstProbeWindows?: number;
  maxProbeWindows?: number;
}

export class OverloadGovernor {
  readonly preference: OverloadPreference;
  readonly #dropRatio: number;
  readonly #windowsToStepDown: number;
  readonly #settleWindows: number;
  readonly #firstProbeWindows: number;
  readonly #maxProbeWindows: number;
  #index = 0;
  #overloadedRun = 0;
  #calmRun = 0;
  #settle = 0;
  #probeWindows: number;
  /** Windows since the last step up (a step down soon after it means the try failed). */
  #sinceStepUp = Infinity;

  constructor(options: GovernorOptions) {
    this.preference = options.preference;
    this.#dropRatio = options.dropRatio ?? 0.05;
    this.#windowsToStepDown = options.windowsToStepDown ?? 2;
    this.#settleWindows = options.settleWindows ?? 3;
    this.#firstProbeWindows = options.firstProbeWindows ?? 10;
    this.#maxProbeWindows = options.maxProbeWindows ?? 160;
    this.#probeWindows = this.#firstProbeWindows;
    // The first seconds after arming are busy with starting up, not with the steady load.
    this.#settle = this.#settleWindows;
  }

  get level(): OverloadLevel {
    const i = this.#index;
    if (this.preference === 'resolution') return { index: i, fpsFactor: FPS_FACTORS[i]!, scale: 1 };
    return { index: i, fpsFactor: 1, scale: SCALES[i]! };
  }

  get degraded(): boolean {
    return this.#index > 0;
  }

  /** One window's figures; returns the step it caused, if any. */
  observe(window: LoadWindow): 'down' | 'up' | null {
    this.#sinceStepUp++;
    const overloaded = window.wanted > 0 && window.dropped / window.wanted >= this.#dropRatio;
    this.#overloadedRun = overloaded ? this.#overloadedRun + 1 : 0;
    this.#calmRun = overloaded ? 0 : this.#calmRun + 1;
    if (this.#settle > 0) {
      this.#settle--;
      return null;
    }
    const deepest = this.preference === 'off' ? 0 : (this.preference === 'resolution' ? FPS_FACTORS : SCALES).length - 1;
    if (this.#overloadedRun >= this.#windowsToStepDown && this.#index < deepest) {
      if (this.#sinceStepUp <= this.#probeWindows) this.#probeWindows = Math.min(this.#maxProbeWindows, this.#probeWindows * 2);
      return this.#step(1);
    }
    if (this.#index > 0 && this.#calmRun >= this.#probeWindows) {
      this.#sinceStepUp = 0;
      return this.#step(-1);
    }
    // A long calm after the last try: the next overload starts from the first wait again.
    if (this.#calmRun >= this.#maxProbeWindows) this.#probeWindows = this.#firstProbeWindows;
    return null;
  }

  #step(by: 1 | -1): 'down' | 'up' {
    this.#index += by;
    this.#overloadedRun = 0;
    this.#calmRun = 0;
    this.#settle = this.#settleWindows;
    return by > 0 ? 'down' : 'up';
  }
}

/** "1080p30": a size and frame rate as people say them. */
export function describePace(height: number, fps: number): string {
  return `${height}p${Math.round(fps)}`;
}

/** What the popup says while degraded. */
export function overloadMessage(asked: { height: number; fps: number }, now: { height: number; fps: number }): LocalText {
  return localize('err_overload_pace', describePace(asked.height, asked.fps), describePace(now.height, now.fps));
}
