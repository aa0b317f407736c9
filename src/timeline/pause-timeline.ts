/**
 * Pause and resume on one continuous timeline: the paused spans are cut out of BOTH tracks with
 * one shared offset, so a clip across a pause plays straight through (no frozen frame, no gap)
 * and the tracks stay aligned. All values are integer microseconds on the shared clock.
 */

/**
 * Moves a pause instant to the next audio packet boundary. Audio packets (20 ms of Opus) cannot
 * be cut, so a pause that falls inside one would leave a hole or an overlap at the resume;
 * on a boundary the last packet before the pause ends exactly where the pause starts.
 * `gridEndUs` is the end of any audio packet seen (packets are contiguous), `packetUs` their length.
 */
export function pauseOnPacketGrid(nowUs: number, gridEndUs: number | null, packetUs: number | null): number {
  if (gridEndUs === null || packetUs === null || packetUs <= 0) return nowUs;
  return gridEndUs + Math.ceil((nowUs - gridEndUs) / packetUs) * packetUs;
}

/**
 * The resume instant that makes the paused span a whole number of audio packets, so the first
 * packet after the resume starts exactly where the last one before the pause ended.
 */
export function resumeOnPacketGrid(pauseStartUs: number, nowUs: number, packetUs: number | null): number {
  if (packetUs === null || packetUs <= 0) return nowUs;
  return pauseStartUs + Math.ceil((nowUs - pauseStartUs) / packetUs) * packetUs;
}

interface PauseSpan {
  startUs: number;
  /** null while paused. */
  endUs: number | null;
}

export class PauseTimeline {
  #spans: PauseSpan[] = [];

  get paused(): boolean {
    return this.#spans.at(-1)?.endUs === null;
  }

  /** Start of the current pause, or null when not paused. */
  get pausedSinceUs(): number | null {
    const last = this.#spans.at(-1);
    return last && last.endUs === null ? last.startUs : null;
  }

  /** Total paused time before `sharedUs` (completed spans only). */
  pausedBeforeUs(sharedUs: number): number {
    let totalUs = 0;
    for (const span of this.#spans) {
      if (span.endUs !== null && span.endUs <= sharedUs) totalUs += span.endUs - span.startUs;
    }
    return totalUs;
  }

  /** Cuts both tracks at `atUs`: every sample at or after it is dropped until resume. Idempotent. */
  pause(atUs: number): void {
    if (this.paused) return;
    const last = this.#spans.at(-1);
    if (last && last.endUs !== null && atUs < last.endUs) throw new Error('pause before the previous resume');
    this.#spans.push({ startUs: atUs, endUs: null });
  }

  /** Ends the pause at `atUs`; samples from then on are shifted back by the paused time. Idempotent. */
  resume(atUs: number): void {
    const last = this.#spans.at(-1);
    if (!last || last.endUs !== null) return;
    last.endUs = Math.max(atUs, last.startUs);
  }

  /**
   * Maps a sample that starts at `sharedUs` onto the continuous timeline, or null when it falls
   * inside a paused span (including samples still in flight in an encoder when the pause began).
   */
  toContinuousUs(sharedUs: number): number | null {
    for (const span of this.#spans) {
      if (sharedUs >= span.startUs && (span.endUs === null || sharedUs < span.endUs)) return null;
    }
    return sharedUs - this.pausedBeforeUs(sharedUs);
  }

  /** Where an instant lands on the continuous timeline; inside a pause, where the pause began. */
  instantToContinuousUs(sharedUs: number): number {
    for (const span of this.#spans) {
      if (sharedUs >= span.startUs && (span.endUs === null || sharedUs < span.endUs)) return span.startUs - this.pausedBeforeUs(span.startUs);
    }
    return sharedUs - this.pausedBeforeUs(sharedUs);
  }

}
