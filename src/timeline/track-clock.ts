/**
 * Puts a track's timestamps on the shared timeline (the offscreen document's
 * `performance.now()`, in microseconds).
 *
 * Tab capture stamps video frames with the capture instant on a monotonic clock that counts
 * from boot. Audio data is stamped on the page's own `performance.now()` clock (Chromium's
 * page-relative audio capture time), with the instant its first sample is heard. So:
 * - A raw clock whose samples arrive within PAGE_CLOCK_MAX_LATENCY_US of their stamps already
 *   IS the page clock (data cannot arrive before it was captured): it is used as is. Mapping it
 *   by arrival instead would add the audio service's fixed ~20 ms look-behind: audio late.
 * - Any other clock (video's boot clock, ~1e9 us away) is mapped by the lower envelope of
 *   `arrival - timestamp`: the sample that reached us fastest shows the pipeline's fixed
 *   latency; every other sample was merely delayed. The envelope settles after a warm-up span
 *   and keeps being refined for the whole session: a warm-up on a loaded machine (every frame
 *   late) can only overestimate the latency, and a faster sample later corrects it. It only
 *   ever moves down (earlier), by the amount the estimate was wrong, and the chunk sink moves
 *   what the track has buffered with it.
 *   What the envelope cannot see is the pipeline's minimum latency itself (capture to
 *   delivery: 6.6-7.6 ms measured on these machines against the monotonic clock): frames are
 *   placed that much late. No web API exposes the monotonic clock's origin to remove it.
 *
 * What the stamps mean, measured against the monotonic clock (read from outside the browser)
 * on a page that flashes in requestAnimationFrame and clicks through Web Audio:
 * - an audio stamp is when that sample is heard: within 0.8 ms of what the page's
 *   `AudioContext.getOutputTimestamp()` promised; it arrives here 13-21 ms later;
 * - a video stamp is 34 ms (two refreshes) after the page's animation frame that drew it, and
 *   the frame arrives here 9-10 ms after its stamp (7 ms at best).
 * Taking one display refresh off the video stamps (the canvas page's frames are captured a
 * refresh after Chromium means them to be seen) was tried and measured: on the reference the
 * issue names, a tab playing an in-sync <video>, it moved quiet-machine clips from about -2 ms
 * (-15..+13, four runs) to about +20 ms (+5..+29, five runs). <video> frames take another path
 * than a canvas, and the stamps are used as they are.
 * Those -15..+13 ms are the page, not this mapping. The reference page logs when its player put
 * each flash on screen (requestVideoFrameCallback's expectedDisplayTime) and when that second was
 * heard (its audio clock, video.currentTime): the player can only show a frame on a display
 * refresh, so the tab itself presents the flash -30..+14 ms off its sound, differently in each
 * run, and steps by 16.7 ms within a run. Clip minus page (each clip's median over its flashes)
 * was -2.2..+4.0 ms in 43 of 46 clips from 31 browser sessions, steps included; one
 * session sat at +9.0..+9.8 ms in all three of its clips, not yet explained
 * (tests/harness/page-presentation.ts; `npm run bench`).
 * Chunks wait until their track's clock is settled.
 */
/** Arrival this soon after a sample's stamp means the stamp is on the page clock already. */
export const PAGE_CLOCK_MAX_LATENCY_US = 1_000_000;

export class TrackClock {
  #offsetUs: number | null = null;
  #firstArrivalUs: number | null = null;
  #settled = false;
  /** The stamps are on the page clock: nothing to estimate, ever. */
  #pageClock = false;

  /** @param warmupUs how long (in arrival time) to refine the offset before freezing it. */
  constructor(private readonly warmupUs: number) {}

  /**
   * Records one sample: its raw timestamp and when it reached us, both in microseconds.
   * Returns how far the settled mapping moved (<= 0; 0 while warming up or unchanged).
   */
  observe(rawTimestampUs: number, arrivalUs: number): number {
    if (this.#pageClock) return 0;
    this.#firstArrivalUs ??= arrivalUs;
    const offsetUs = arrivalUs - rawTimestampUs;
    let movedUs = 0;
    if (this.#offsetUs === null || offsetUs < this.#offsetUs) {
      if (this.#settled && this.#offsetUs !== null) movedUs = Math.round(offsetUs) - Math.round(this.#offsetUs);
      this.#offsetUs = offsetUs;
    }
    if (!this.#settled && arrivalUs - this.#firstArrivalUs >= this.warmupUs) {
      this.#settled = true;
      if (this.#offsetUs >= 0 && this.#offsetUs < PAGE_CLOCK_MAX_LATENCY_US) {
        this.#offsetUs = 0;
        this.#pageClock = true;
      }
    }
    return movedUs;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Maps a raw timestamp onto the shared timeline; only valid once settled. */
  toSharedUs(rawTimestampUs: number): number {
    if (!this.#settled || this.#offsetUs === null) throw new Error('TrackClock used before it settled');
    return Math.round(rawTimestampUs + this.#offsetUs);
  }
}
