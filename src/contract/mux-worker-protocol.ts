/** The offscreen document <-> mux worker contract: one clip in, one MP4 (or an error) out. */
import type { ClipInput } from '../clip/clip-input';
import { fail, isRecord, type Parsed } from './parse';

export interface MuxRequest {
  id: number;
  clip: ClipInput;
}

/** The MP4 comes back as a Blob: made in the worker, it costs the capture thread no copy. */
export type MuxResponse = { id: number; ok: true; blob: Blob } | { id: number; ok: false; error: string };

function isTrack(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.decoderConfig) || !isRecord(value.chunks)) return false;
  return value.chunks.bytes instanceof Uint8Array && Array.isArray(value.chunks.chunks);
}

/** Validates a mux request's shape; the error names the bad field (the id, when readable, is kept). */
export function parseMuxRequest(message: unknown): Parsed<MuxRequest> & { id?: number } {
  if (!isRecord(message) || typeof message.id !== 'number') return fail('"id" must be a number');
  const { id, clip } = message;
  if (!isRecord(clip)) return { ...fail('"clip" must be an object'), id };
  if (typeof clip.startUs !== 'number' || typeof clip.endUs !== 'number') return { ...fail('"clip.startUs" and "clip.endUs" must be numbers'), id };
  if (!isTrack(clip.video)) return { ...fail('"clip.video" must be a track with a decoder config and chunks'), id };
  if (clip.audio !== null && !isTrack(clip.audio)) return { ...fail('"clip.audio" must be a track or null'), id };
  return { ok: true, value: { id, clip: clip as unknown as ClipInput } };
}
