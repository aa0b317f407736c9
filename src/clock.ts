/**
 * Puts a track's timestamps on the shared timeline (the offscreen document's
 * `performance.now()`, in microseconds).
 *
 * Tab capture stamps video frames on a monotonic clock that counts from boot, and audio
 * from zero at track start (FIELD-NOTES): the raw values cannot be compared. For each track
 * we estimate `offset = arrival - timestamp` by its lower envelope (the sample that reached us
 * fastest shows the pipeline's fixed latency; every other sample was merely delayed) over a
 * warm-up span, then freeze it. A frozen offset keeps the mapping monotonic, which the ring
 * buffer and the muxer both need; chunks wait until their track's clock is settled.
 */
export class TrackClock {
  #offsetUs: number | null = null;
  #firstArrivalUs: number | null = null;
  #settled = false;

  /** @param warmupUs how long (in arrival time) to refine the offset before freezing it. */
  constructor(private readonly warmupUs: number) {}

  /** Records one sample: its raw timestamp and when it reached us, both in microseconds. */
  observe(rawTimestampUs: number, arrivalUs: number): void {
    if (this.#settled) return;
    this.#firstArrivalUs ??= arrivalUs;
    const offsetUs = arrivalUs - rawTimestampUs;
    if (this.#offsetUs === null || offsetUs < this.#offsetUs) this.#offsetUs = offsetUs;
    if (arrivalUs - this.#firstArrivalUs >= this.warmupUs) this.#settled = true;
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
