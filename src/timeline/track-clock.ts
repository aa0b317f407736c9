/**
 * Puts a track's timestamps on the shared timeline (the offscreen document's
 * `performance.now()`, in microseconds).
 *
 * Tab capture stamps video frames with the capture instant on a monotonic clock that counts
 * from boot, and audio data on the page's own `performance.now()` clock with the instant its
 * first sample is heard. So:
 * - A raw clock whose samples arrive within PAGE_CLOCK_MAX_LATENCY_US of their stamps already
 *   IS the page clock (data cannot arrive before it was captured) and is used as is: mapping it
 *   by arrival would add the audio service's fixed look-behind and make the audio late.
 * - Any other clock (video's boot clock) is mapped by the lower envelope of
 *   `arrival - timestamp`: the sample that reached us fastest shows the pipeline's fixed
 *   latency; every other one was merely delayed. The envelope settles after a warm-up span and
 *   keeps being refined all session, only ever moving earlier (a loaded warm-up can only
 *   overestimate the latency); the chunk sink moves what the track has buffered with it.
 * The stamps are used as they are, with no correction for how the page presents frames: the
 * README's "Limits" and `npm run bench` say how close this comes to what the tab showed.
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
