/**
 * When a captured frame was meant to be seen, from when tab capture stamped it.
 *
 * Pages time their pictures for the moment they are seen: Chromium's compositor asks a page
 * (and a <video>, whose frames follow its audio clock) for the frame that will be on screen one
 * display refresh after the animation frame begins. Tab capture stamps that frame later: 34 ms
 * (two refreshes at 60 Hz) after its animation frame, measured against the monotonic clock,
 * i.e. one refresh after the moment the page meant. Audio is stamped when it is heard, so a
 * video stamp taken as is puts the picture one refresh late against its sound (a <video>
 * reference measured -24 ms: the refresh plus the capture pipeline's 7 ms, see clock.ts).
 *
 * The refresh interval is read from the stamps themselves: tab capture stamps frames on the
 * display's refresh ticks, so consecutive stamps are whole refreshes apart, and the shortest
 * gap seen again and again is one refresh. Until such a gap shows (a 30 fps capture of a 60 Hz
 * display sends most frames two refreshes apart), Chromium's default of 60 Hz is assumed.
 */

/** Chromium's frame rate where the display's is unknown (and in headless). */
export const DEFAULT_REFRESH_US = 16_667;
/** No display refreshes faster than this (a 250 Hz panel): shorter gaps are not refreshes. */
const MIN_REFRESH_US = 4_000;
/** Gaps this close count as the same refresh interval. */
const SAME_GAP_US = 1_000;
/** A shorter gap must repeat this often before it is believed (one odd stamp is not a display). */
const CONFIRMATIONS = 3;

export class RefreshInterval {
  #intervalUs = DEFAULT_REFRESH_US;
  #previousUs: number | null = null;
  #candidateUs = 0;
  #candidateSeen = 0;

  get intervalUs(): number {
    return this.#intervalUs;
  }

  /**
   * Records the next frame's capture stamp. Returns how much the interval changed (< 0 when a
   * shorter refresh was confirmed, else 0).
   */
  observe(timestampUs: number): number {
    const previousUs = this.#previousUs;
    this.#previousUs = timestampUs;
    if (previousUs === null) return 0;
    const gapUs = timestampUs - previousUs;
    if (gapUs < MIN_REFRESH_US || gapUs > this.#intervalUs - SAME_GAP_US) return 0;
    if (Math.abs(gapUs - this.#candidateUs) <= SAME_GAP_US) this.#candidateSeen++;
    else {
      this.#candidateUs = gapUs;
      this.#candidateSeen = 1;
    }
    if (this.#candidateSeen < CONFIRMATIONS) return 0;
    const changeUs = Math.round(this.#candidateUs) - this.#intervalUs;
    this.#intervalUs = Math.round(this.#candidateUs);
    this.#candidateSeen = 0;
    return changeUs;
  }
}
