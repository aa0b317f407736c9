/**
 * Saves from the ring buffer while recording goes on: cuts the clip, then writes an MP4 right
 * here (the fast writer: its header plus the payloads lent by the ring, in one Blob copy made
 * in the same task, before the ring can move on), or muxes it in the mux worker (what the fast
 * writer does not write, copied out first), or encodes it in the GIF worker. It hands back a
 * blob URL that lives until the download ends. GIF exports report progress and can be cancelled.
 */
import type { RingBuffer } from '../src/buffer/ring-buffer';
import type { ClipFormat } from '../src/clip/clip-formats';
import { cutLastClip } from '../src/clip/clip-cut';
import type { ClipInput } from '../src/clip/clip-input';
import { ownChunks } from '../src/clip/pack-chunks';
import type { DecoderConfigs } from '../src/clip/decoder-configs';
import { errorMessage, failure } from '../src/contract/errors';
import type { GifOptions } from '../src/contract/gif-worker-protocol';
import type { Status } from '../src/contract/messages';
import type { KeptReply, LibraryTarget, OffscreenSaveReply } from '../src/contract/offscreen-messages';
import type { Parsed } from '../src/contract/parse';
import type { LibraryClip } from '../src/library/library-clip';
import { fastMp4Blob } from '../src/mp4/fast-mp4';
import { secondsToUs, usToSeconds } from '../src/units';
import { GifCancelledError, type GifClient } from './gif/gif-client';
import type { MuxClient } from './mux-client';

/** User-timing name of keeping a clip in the library (npm run bench reads it). */
export const LIBRARY_KEEP_MEASURE = 'looptab.library.keep';
/** User-timing names of a save's cut (detail: the plan's instants) and of making its MP4 (detail: which writer); npm run bench and tests read them. */
export const SAVE_CUT_MEASURE = 'looptab.save.cut';
export const SAVE_MP4_MEASURE = 'looptab.save.mp4';

/** How long past its post-roll a save waits for the audio to arrive (it lags under load). */
const POST_ROLL_GRACE_MS = 3_000;
const POST_ROLL_POLL_MS = 50;

export interface SaveRequest {
  seconds: number;
  format: ClipFormat;
  postRollSec: number;
  gif: GifOptions;
  library: LibraryTarget;
}

/** Keeps a made clip in the library (its id), or says why it could not. */
export type KeepInLibrary = (blob: Blob, clip: Omit<LibraryClip, 'id' | 'bytes' | 'hasThumbnail' | 'kind'>, capBytes: number) => Promise<Parsed<string>>;

interface MadeClip {
  ok: true;
  blob: Blob;
  durationSec: number;
  width: number;
  height: number;
}

/** A GIF being made: what the popup shows, what cancel stops. */
interface GifExport {
  seconds: number;
  fraction: number;
}

export class ClipSaver {
  readonly #objectUrls = new Set<string>();
  readonly #gifExports = new Map<number, GifExport>();
  /** Library writes in flight, by the blob URL of the clip they keep. */
  readonly #keeping = new Map<string, Promise<Parsed<string>>>();

  constructor(
    private readonly ring: RingBuffer,
    private readonly configs: DecoderConfigs,
    private readonly muxer: MuxClient,
    private readonly gifs: GifClient,
    /** The buffer's own timeline instant of "now" (pauses cut out). */
    private readonly nowOnTimelineUs: () => number,
    /** GIF progress (0-1), null when no export is left. */
    private readonly onProgress: (fraction: number | null) => void,
    private readonly keep: KeepInLibrary,
    /** How long each frame lasts with constant frame timing; null with variable timing. */
    private readonly constantFrameUs: () => number | null = () => null,
  ) {}

  /** The newest GIF being made, for the status. */
  get currentExport(): Status['export'] {
    const newest = [...this.#gifExports.values()].at(-1);
    return newest ? { format: 'gif', seconds: newest.seconds, fraction: newest.fraction } : null;
  }

  async save({ seconds, format, postRollSec, gif, library }: SaveRequest): Promise<OffscreenSaveReply> {
    // Post-roll: the clip ends K s after the request, on the buffer's own timeline; recording
    // goes on until the audio (which ends clips) has reached that instant.
    let endAtUs: number | undefined;
    if (postRollSec > 0) {
      endAtUs = this.nowOnTimelineUs() + secondsToUs(postRollSec);
      await this.#untilBuffered(endAtUs, postRollSec * 1000 + POST_ROLL_GRACE_MS);
    }
    const cutStartMs = performance.now();
    const cut = cutLastClip(this.ring, this.configs, {
      requestedUs: secondsToUs(seconds),
      ...(endAtUs === undefined ? {} : { endAtUs }),
      frameAligned: format === 'mp4',
      withAudio: format === 'mp4',
      borrow: format === 'mp4',
      ...(format === 'mp4' && this.constantFrameUs() !== null ? { constantFrameUs: this.constantFrameUs()! } : {}),
    });
    if (!cut.ok) return cut;
    // The plan's instants on the buffer's timeline and "now" on it, beside performance.now(): tests place the clip in real time.
    performance.measure(SAVE_CUT_MEASURE, { start: cutStartMs, detail: { startUs: cut.plan.startUs, endUs: cut.plan.endUs, timelineNowUs: this.nowOnTimelineUs(), nowMs: performance.now() } });
    const { note, noteText } = cut.plan;
    // An MP4 clip is borrowed: #mp4 is done with the arena before it first awaits.
    const made = format === 'gif' ? await this.#gif(seconds, cut.clip, gif) : await this.#mp4(cut.clip);
    if (!made.ok) return made;
    // The library keeps the same Blob the download reads, while the download runs: the reply
    // hands out the URL now, and `kept(url)` says how keeping it went.
    const url = URL.createObjectURL(made.blob);
    this.#objectUrls.add(url);
    const keepStartMs = performance.now();
    const keeping = this.keep(
      made.blob,
      {
        format,
        title: library.title,
        createdAt: Date.now(),
        durationSec: made.durationSec,
        width: made.width,
        height: made.height,
        hasAudio: format === 'mp4' && cut.clip.audio !== null,
        videoCodec: cut.clip.video.decoderConfig.codec,
        audioCodec: format === 'mp4' ? (cut.clip.audio?.decoderConfig.codec ?? null) : null,
        sourceOrigin: library.sourceOrigin,
      },
      library.capBytes,
    )
      .catch((error: unknown): Parsed<string> => ({ ok: false, error: errorMessage(error) }))
      .finally(() => performance.measure(LIBRARY_KEEP_MEASURE, { start: keepStartMs }));
    this.#keeping.set(url, keeping);
    return { ok: true, url, bytes: made.blob.size, requestedSec: seconds, durationSec: made.durationSec, ...(note ? { note } : {}), ...(noteText ? { noteText } : {}) };
  }

  /** How keeping the clip behind `url` in the library went (waits until it is done); asked once. */
  async kept(url: string): Promise<KeptReply> {
    const keeping = this.#keeping.get(url);
    if (!keeping) return { ok: false, error: 'No clip is being kept for this URL.' };
    this.#keeping.delete(url);
    const kept = await keeping;
    return kept.ok ? { ok: true, libraryId: kept.value } : kept;
  }

  /** Makes the MP4 of a borrowed clip: the Blob (or the worker's copy) is made before the first await. */
  async #mp4(clip: ClipInput): Promise<MadeClip> {
    const { codedWidth: width, codedHeight: height } = clip.video.decoderConfig;
    const durationSec = usToSeconds(clip.endUs - clip.startUs);
    const startMs = performance.now();
    const fast = fastMp4Blob(clip, { creationTimeMs: Date.now() });
    if (fast.ok) {
      performance.measure(SAVE_MP4_MEASURE, { start: startMs, detail: 'fast' });
      return { ok: true, blob: fast.blob, durationSec, width, height };
    }
    const owned: ClipInput = {
      ...clip,
      video: { ...clip.video, chunks: ownChunks(clip.video.chunks) },
      audio: clip.audio && { ...clip.audio, chunks: ownChunks(clip.audio.chunks) },
    };
    const blob = await this.muxer.mux(owned);
    performance.measure(SAVE_MP4_MEASURE, { start: startMs, detail: `mediabunny (${fast.reason})` });
    return { ok: true, blob, durationSec, width, height };
  }

  /** Makes a GIF in its worker; a cancelled export leaves nothing behind: no blob, no download. */
  async #gif(seconds: number, clip: ClipInput, options: GifOptions): Promise<MadeClip | { ok: false; error: string }> {
    const { startUs, endUs, video } = clip;
    const encoding = this.gifs.encode({ startUs, endUs, video, ...options }, (fraction) => {
      const current = this.#gifExports.get(encoding.id);
      if (current) current.fraction = fraction;
      this.onProgress(fraction);
    });
    this.#gifExports.set(encoding.id, { seconds, fraction: 0 });
    try {
      const result = await encoding;
      const blob = new Blob([result.data as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
      return { ok: true, blob, durationSec: result.durationSec, width: result.widthPx, height: result.heightPx };
    } catch (error) {
      if (error instanceof GifCancelledError) return failure('err_gif_cancelled');
      return failure('err_gif_failed', errorMessage(error));
    } finally {
      this.#gifExports.delete(encoding.id);
      this.onProgress(this.currentExport?.fraction ?? null);
    }
  }

  /** Resolves once the newest audio (else video) reaches `endUs`, or after `timeoutMs` (paused, stalled). */
  async #untilBuffered(endUs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const track = this.ring.count('audio') > 0 ? 'audio' : 'video';
      const count = this.ring.count(track);
      const newest = count > 0 ? this.ring.infoAt(track, count - 1) : null;
      if (newest && newest.timestampUs + newest.durationUs >= endUs) return;
      await new Promise((resolve) => setTimeout(resolve, POST_ROLL_POLL_MS));
    }
  }

  /** Cancels every GIF being made; false when there was none. */
  cancelExports(): boolean {
    for (const id of this.#gifExports.keys()) this.gifs.cancel(id);
    return this.#gifExports.size > 0;
  }

  revoke(url: string): void {
    if (this.#objectUrls.delete(url)) URL.revokeObjectURL(url);
  }

  /** Cancels what is being made and revokes every URL; idempotent. */
  close(): void {
    this.cancelExports();
    this.#keeping.clear();
    for (const url of this.#objectUrls) URL.revokeObjectURL(url);
    this.#objectUrls.clear();
  }
}
