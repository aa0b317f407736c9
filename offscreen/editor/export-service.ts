/**
 * The offscreen document's editor exports: source clips read from the library, the edit run in
 * the export worker (a GIF then made by the GIF worker from its video), the result kept in the
 * library beside its download, like a save. One export at a time; it can be cancelled.
 */
import type { ClipFormat } from '../../src/clip/clip-formats';
import { errorMessage, failure, failureOf } from '../../src/contract/errors';
import { english, inEnglish } from '../../src/i18n/english';
import type { ExportSpec } from '../../src/contract/export-request';
import type { GifOptions } from '../../src/contract/gif-worker-protocol';
import type { Status } from '../../src/contract/messages';
import type { KeptReply, OffscreenExportReply } from '../../src/contract/offscreen-messages';
import type { Parsed } from '../../src/contract/parse';
import { sourceIds } from '../../src/edit/from-request';
import { usToSeconds } from '../../src/units';
import { GifCancelledError, GifClient } from '../gif/gif-client';
import { keepInLibrary, openLibrary } from '../library/library-service';
import { ExportCancelledError, ExportClient } from './export-client';

/** User-timing name of a whole export (npm run bench reads it). */
export const EXPORT_MEASURE = 'looptab.editor.export';
/** The part of the progress bar the composition takes when a GIF follows it. */
const GIF_COMPOSE_SHARE = 0.5;

interface Running {
  format: ClipFormat;
  seconds: number;
  fraction: number;
  cancel(): void;
  cancelled: boolean;
}

export class ExportService {
  readonly #worker = new ExportClient();
  readonly #gifs = new GifClient();
  readonly #keeping = new Map<string, Promise<Parsed<string>>>();
  readonly #urls = new Set<string>();
  #running: Running | null = null;

  constructor(private readonly onProgress: (fraction: number | null) => void) {}

  get current(): Status['export'] {
    const running = this.#running;
    return running ? { format: running.format, seconds: running.seconds, fraction: running.fraction } : null;
  }

  async export(spec: ExportSpec, gif: GifOptions, capBytes: number, editedWord: string): Promise<OffscreenExportReply> {
    if (this.#running) return failure('err_export_running');
    const store = await openLibrary();
    const ids = sourceIds(spec);
    const files = await Promise.all(ids.map((id) => store.file(id)));
    const missing = files.findIndex((file) => !file.ok);
    if (missing >= 0) return failure('err_export_clip_missing', ids[missing]!);
    const stored = files.map((file) => (file as Extract<typeof file, { ok: true }>).value);
    const gifSource = stored.find(({ clip }) => clip.format === 'gif');
    if (gifSource) return failure('err_export_gif_source', gifSource.clip.id);

    const startMs = performance.now();
    const running: Running = { format: spec.format, seconds: 0, fraction: 0, cancel: () => undefined, cancelled: false };
    this.#running = running;
    const progress = (fraction: number): void => {
      running.fraction = fraction;
      this.onProgress(fraction);
    };
    try {
      const share = spec.format === 'gif' ? GIF_COMPOSE_SHARE : 1;
      const { transition, crop, clips } = spec;
      const job = this.#worker.run({ sources: stored.map(({ clip, file }) => ({ id: clip.id, file, encoderCodec: clip.videoCodec })), spec: { clips, transition, crop }, output: spec.format }, (fraction) => progress(fraction * share));
      running.cancel = () => this.#worker.cancel(job.id);
      const made = await job.done;
      running.seconds = usToSeconds(made.durationUs);
      let blob = made.mp4;
      let { width, height } = made;
      if (spec.format === 'gif' && made.gifVideo) {
        if (running.cancelled) throw new ExportCancelledError(english('err_export_cancelled'));
        const encoding = this.#gifs.encode({ ...made.gifVideo, ...gif }, (fraction) => progress(share + fraction * (1 - share)));
        running.cancel = () => this.#gifs.cancel(encoding.id);
        const result = await encoding;
        blob = new Blob([result.data as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
        ({ widthPx: width, heightPx: height } = result);
      }
      if (!blob) throw new Error('The export made no file.');
      const first = stored[0]!.clip;
      const title = `${first.title} (${editedWord})`;
      const durationSec = usToSeconds(made.durationUs);
      const url = URL.createObjectURL(blob);
      this.#urls.add(url);
      const keeping = keepInLibrary(
        blob,
        {
          format: spec.format,
          title,
          createdAt: Date.now(),
          durationSec,
          width,
          height,
          hasAudio: made.audioCodec !== null,
          videoCodec: made.videoCodec,
          audioCodec: made.audioCodec,
          sourceOrigin: first.sourceOrigin,
        },
        capBytes,
      ).catch((error: unknown): Parsed<string> => ({ ok: false, error: errorMessage(error) }));
      this.#keeping.set(url, keeping);
      performance.measure(EXPORT_MEASURE, { start: startMs });
      return { ok: true, url, bytes: blob.size, title, durationSec, reencodedSec: usToSeconds(made.reencodedUs), fixes: made.fixes.map(inEnglish), notes: made.notes.map(inEnglish), fixTexts: made.fixes, noteTexts: made.notes };
    } catch (error) {
      if (error instanceof ExportCancelledError || error instanceof GifCancelledError) return failure('err_export_cancelled');
      return failureOf(error);
    } finally {
      this.#running = null;
      this.onProgress(null);
    }
  }

  /** Cancels the running export; false when none runs. */
  cancel(): boolean {
    if (!this.#running) return false;
    this.#running.cancelled = true;
    this.#running.cancel();
    return true;
  }

  /** How keeping the export behind `url` went, or null when `url` is not an export's. */
  async kept(url: string): Promise<KeptReply | null> {
    const keeping = this.#keeping.get(url);
    if (!keeping) return null;
    this.#keeping.delete(url);
    const kept = await keeping;
    return kept.ok ? { ok: true, libraryId: kept.value } : kept;
  }

  /** Revokes an export's URL; false when it is not one. */
  revoke(url: string): boolean {
    if (!this.#urls.delete(url)) return false;
    URL.revokeObjectURL(url);
    return true;
  }
}
