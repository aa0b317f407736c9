/**
 * Turns the shared timeline's chunks into a recording's segments: which segment each packet goes
 * to and at what time. Pure, so the boundary accounting is tested without a browser.
 *
 * - The recording starts at its first video keyframe (t = 0); earlier packets are not written.
 * - Video times sit on the 1/60 s grid the clips use (see mp4-mux.ts), walking forward from the
 *   first frame; a frame lasts until the next one, so one frame is held back until its successor.
 * - A segment starts on the first video keyframe at least `segmentUs` after the previous start.
 *   Audio goes to the newest segment that had started when its sound starts, so a packet that
 *   arrives (late, as audio does) after the video cut still lands in the segment before it: every
 *   packet is written once, in time order per track, and the export joins the tracks unchanged.
 * - Times inside a segment are integer microseconds from the segment's start, so each segment
 *   file plays on its own from 0; the segment's start on the recording's timeline is its offset.
 */
import type { ChunkInfo, Track } from '../buffer/ring-buffer';
import { GRID_REANCHOR_US, VIDEO_GRID_US } from '../mp4/mp4-mux';

export interface RoutedPacket {
  segment: number;
  track: Track;
  /** A copy the router hands over (the sink's bytes are valid only during its call). */
  data: Uint8Array;
  /** From the segment's start, integer microseconds. */
  timeUs: number;
  durationUs: number;
  key: boolean;
}

export type RouterOutput =
  | { kind: 'open'; segment: number; startUs: number }
  | { kind: 'packet'; packet: RoutedPacket }
  | { kind: 'close'; segment: number };

export interface RouterOptions {
  segmentUs: number;
  hasAudio: boolean;
  /** The audio encoder's priming (Opus pre-skip): its packets sound this much earlier than stamped. */
  audioDelayUs: number;
  /** How long the last frame lasts when the recording stops. */
  lastFrameUs: number;
  /** The video decoder-config epoch the recording is in (null: the first chunk's); once it has started, a chunk of another ends it. */
  epoch: number | null;
}

export interface SegmentCount {
  segment: number;
  startUs: number;
  videoPackets: number;
  audioPackets: number;
  bytes: number;
}

interface HeldFrame {
  data: Uint8Array;
  timeUs: number;
  key: boolean;
}

/** Audio that arrives before the first video keyframe waits this long at most for it. */
const MAX_EARLY_AUDIO_US = 5_000_000;

export class RecordingRouter {
  readonly #options: RouterOptions;
  readonly #emit: (output: RouterOutput) => void;
  /** Where the recording's t = 0 is on the shared timeline. */
  #baseUs: number | null = null;
  #epoch: number | null;
  #gridOriginUs = 0;
  #held: HeldFrame | null = null;
  #lastVideoUs = -Infinity;
  /** Where the last written frame ends, once stop() wrote it. */
  #endUs = 0;
  #lastAudioUs = -Infinity;
  #earlyAudio: { data: Uint8Array; info: ChunkInfo }[] = [];
  /** Segments written, in order; the last one takes new video. */
  readonly #segments: SegmentCount[] = [];
  /** The segment before the newest, still open for late audio; null when closed. */
  #draining: number | null = null;
  #configChanged = false;
  #stopped = false;

  constructor(options: RouterOptions, emit: (output: RouterOutput) => void) {
    this.#options = options;
    this.#epoch = options.epoch;
    this.#emit = emit;
  }

  /** Set once a chunk of another decoder config arrived: the recording must end. */
  get configChanged(): boolean {
    return this.#configChanged;
  }

  get segments(): readonly SegmentCount[] {
    return this.#segments;
  }

  /** Where the recording ends: the end of its last video frame (the held one counts one frame). */
  get durationUs(): number {
    if (this.#held) return this.#held.timeUs + this.#options.lastFrameUs;
    return this.#endUs;
  }

  get videoPackets(): number {
    return this.#segments.reduce((sum, s) => sum + s.videoPackets, 0) + (this.#held ? 1 : 0);
  }

  append(track: Track, data: Uint8Array, info: ChunkInfo): void {
    if (this.#stopped || this.#configChanged) return;
    if (track === 'video') this.#video(data, info);
    else this.#audio(data, info);
  }

  /** Writes the held frame and closes every open segment. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#held) {
      this.#endUs = this.#held.timeUs + this.#options.lastFrameUs;
      this.#writeVideo(this.#held, this.#options.lastFrameUs);
      this.#held = null;
    }
    if (this.#draining !== null) this.#close(this.#draining);
    const newest = this.#segments.at(-1);
    if (newest) this.#close(newest.segment);
  }

  #video(data: Uint8Array, info: ChunkInfo): void {
    if (this.#epoch === null) this.#epoch = info.epoch;
    if (info.epoch !== this.#epoch) {
      // Before the start, older buffered frames of another config are just not part of it.
      if (this.#baseUs !== null) this.#configChanged = true;
      return;
    }
    if (this.#baseUs === null) {
      if (!info.key) return;
      this.#baseUs = info.timestampUs;
      this.#gridOriginUs = 0;
      this.#open(0);
      this.#held = { data: data.slice(), timeUs: 0, key: true };
      this.#lastVideoUs = 0;
      this.#releaseEarlyAudio();
      return;
    }
    const timeUs = this.#gridded(info.timestampUs - this.#baseUs);
    const newest = this.#segments.at(-1)!;
    if (info.key && timeUs - newest.startUs >= this.#options.segmentUs) {
      // The held frame ends the old segment where the new one starts.
      if (this.#held) this.#writeVideo(this.#held, timeUs - this.#held.timeUs);
      this.#held = null;
      if (this.#draining !== null) this.#close(this.#draining);
      this.#draining = newest.segment;
      this.#open(timeUs);
      if (!this.#options.hasAudio || this.#lastAudioUs >= timeUs) this.#closeDraining();
    } else if (this.#held) {
      this.#writeVideo(this.#held, timeUs - this.#held.timeUs);
    }
    this.#held = { data: data.slice(), timeUs, key: info.key };
    this.#lastVideoUs = timeUs;
  }

  /** Snaps forward onto the 1/60 s grid, strictly after the previous frame (mp4-mux's rule). */
  #gridded(rawUs: number): number {
    let snappedUs = this.#gridOriginUs + Math.round((rawUs - this.#gridOriginUs) / VIDEO_GRID_US) * VIDEO_GRID_US;
    if (Math.abs(snappedUs - rawUs) > GRID_REANCHOR_US) {
      this.#gridOriginUs = rawUs;
      snappedUs = rawUs;
    }
    return Math.round(Math.max(snappedUs, this.#lastVideoUs + VIDEO_GRID_US));
  }

  #audio(data: Uint8Array, info: ChunkInfo): void {
    if (!this.#options.hasAudio) return;
    if (this.#baseUs === null) {
      this.#earlyAudio.push({ data: data.slice(), info });
      const oldest = this.#earlyAudio[0]!;
      if (info.timestampUs - oldest.info.timestampUs > MAX_EARLY_AUDIO_US) this.#earlyAudio.shift();
      return;
    }
    const stampedUs = info.timestampUs - this.#options.audioDelayUs - this.#baseUs;
    // Sound from before the first frame is not part of the recording.
    if (stampedUs < 0) return;
    // A refined clock estimate can move new packets a little earlier than written ones: keep order.
    const timeUs = Math.max(stampedUs, this.#lastAudioUs + 1);
    this.#lastAudioUs = timeUs;
    const newest = this.#segments.at(-1)!;
    const target = this.#draining !== null && timeUs < newest.startUs ? this.#segments.at(-2)! : newest;
    if (target === newest) this.#closeDraining();
    this.#write(target, 'audio', data.slice(), timeUs, info.durationUs, true);
  }

  #releaseEarlyAudio(): void {
    const early = this.#earlyAudio;
    this.#earlyAudio = [];
    for (const { data, info } of early) this.#audio(data, info);
  }

  #writeVideo(frame: HeldFrame, durationUs: number): void {
    this.#write(this.#segments.at(-1)!, 'video', frame.data, frame.timeUs, durationUs, frame.key);
  }

  #write(segment: SegmentCount, track: Track, data: Uint8Array, recordingUs: number, durationUs: number, key: boolean): void {
    if (track === 'video') segment.videoPackets++;
    else segment.audioPackets++;
    segment.bytes += data.byteLength;
    this.#emit({ kind: 'packet', packet: { segment: segment.segment, track, data, timeUs: recordingUs - segment.startUs, durationUs, key } });
  }

  #open(startUs: number): void {
    const segment = this.#segments.length;
    this.#segments.push({ segment, startUs, videoPackets: 0, audioPackets: 0, bytes: 0 });
    this.#emit({ kind: 'open', segment, startUs });
  }

  #closeDraining(): void {
    if (this.#draining === null) return;
    this.#close(this.#draining);
  }

  #close(segment: number): void {
    if (this.#draining === segment) this.#draining = null;
    this.#emit({ kind: 'close', segment });
  }
}
