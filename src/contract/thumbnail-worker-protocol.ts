/** The offscreen document <-> thumbnail worker contract: a saved clip file in, a small image out. */
import { CLIP_FORMATS, type ClipFormat } from '../clip/clip-formats';
import { fail, isRecord, type Parsed } from './parse';

export interface ThumbnailRequest {
  id: number;
  format: ClipFormat;
  /** The clip exactly as saved: the thumbnail shows what the file holds. */
  file: Blob;
}

export type ThumbnailResponse = { id: number; ok: true; image: Blob } | { id: number; ok: false; error: string };

/** Validates a thumbnail request; the error names the bad field (the id, when readable, is kept). */
export function parseThumbnailRequest(message: unknown): Parsed<ThumbnailRequest> & { id?: number } {
  if (!isRecord(message) || typeof message.id !== 'number') return fail('"id" must be a number');
  const { id, format, file } = message;
  if (!(CLIP_FORMATS as readonly unknown[]).includes(format)) return { ...fail(`"format" must be one of ${CLIP_FORMATS.join(', ')}`), id };
  if (!(file instanceof Blob)) return { ...fail('"file" must be a Blob'), id };
  return { ok: true, value: { id, format: format as ClipFormat, file } };
}
