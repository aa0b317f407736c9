/**
 * The one message contract between the GIF client (offscreen document) and the GIF worker:
 * requests, responses, and the parse that checks a request at the worker's boundary.
 */
import type { VideoTrackInput } from '../clip/clip-input';
import { MAX_GIF_FPS } from '../gif/gif-timing';
import type { Parsed } from './parse';

/** How a clip becomes a GIF: the settings' GIF width and frame rate, carried to the worker. */
export interface GifOptions {
  widthPx: number;
  fps: number;
}

/** Output widths a request may ask for: a GIF needs 2 px, and the cap stops a typo from allocating gigabytes. */
export const GIF_REQUEST_WIDTH_PX = { min: 2, max: 4096 } as const;

/** Encode the span `[startUs, endUs)` of `video` (capture timeline) into a GIF. */
export interface GifEncodeRequest extends GifOptions {
  id: number;
  type: 'encode';
  startUs: number;
  endUs: number;
  video: VideoTrackInput;
}

/** Stop encode `id`, queued or running. */
export interface GifCancelRequest {
  id: number;
  type: 'cancel';
}

export type GifRequest = GifEncodeRequest | GifCancelRequest;

export const GIF_REQUEST_TYPES = ['encode', 'cancel'] as const satisfies readonly GifRequest['type'][];

/** A finished GIF and what it holds. */
export interface GifResult {
  data: Uint8Array;
  frames: number;
  durationSec: number;
  widthPx: number;
  heightPx: number;
}

export type GifResponse =
  | { id: number; type: 'progress'; fraction: number }
  | ({ id: number; type: 'done' } & GifResult)
  | { id: number; type: 'error'; error: string }
  | { id: number; type: 'cancelled' };

/** The id a reply to an unreadable request carries (real ids start at 1). */
export const UNKNOWN_GIF_REQUEST_ID = -1;

/** The request's id if it has a usable one, so even a bad request gets its error back. */
export function gifRequestId(message: unknown): number {
  const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
  return typeof id === 'number' && id >= 0 ? id : UNKNOWN_GIF_REQUEST_ID;
}

const BAD = 'Bad GIF request: ';

/** Validates a request arriving at the GIF worker; the error names the bad field. */
export function parseGifRequest(message: unknown): Parsed<GifRequest> {
  const id = gifRequestId(message);
  if (id === UNKNOWN_GIF_REQUEST_ID) return { ok: false, error: `${BAD}expected an object with a numeric id` };
  const request = message as Record<string, unknown>;
  switch (request.type) {
    case 'cancel':
      return { ok: true, value: { id, type: 'cancel' } };
    case 'encode':
      return parseEncode(id, request);
    default:
      return { ok: false, error: `${BAD}unknown type ${JSON.stringify(request.type)}; expected one of ${GIF_REQUEST_TYPES.join(', ')}` };
  }
}

const ENCODE_NUMBER_FIELDS = ['startUs', 'endUs', 'widthPx', 'fps'] as const;
type EncodeNumbers = Pick<GifEncodeRequest, (typeof ENCODE_NUMBER_FIELDS)[number]>;

function parseEncodeNumbers(request: Record<string, unknown>): Parsed<EncodeNumbers> {
  const numbers: Partial<EncodeNumbers> = {};
  for (const field of ENCODE_NUMBER_FIELDS) {
    const value = request[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, error: `${BAD}${field} must be a finite number, got ${String(value)}` };
    numbers[field] = value;
  }
  return { ok: true, value: numbers as EncodeNumbers };
}

function parseEncode(id: number, request: Record<string, unknown>): Parsed<GifEncodeRequest> {
  const parsed = parseEncodeNumbers(request);
  if (!parsed.ok) return parsed;
  const { startUs, endUs, widthPx, fps } = parsed.value;
  if (endUs <= startUs) return { ok: false, error: `${BAD}endUs (${endUs}) must be after startUs (${startUs})` };
  const { min, max } = GIF_REQUEST_WIDTH_PX;
  if (!Number.isInteger(widthPx) || widthPx < min || widthPx > max) return { ok: false, error: `${BAD}widthPx must be an integer in [${min}, ${max}], got ${widthPx}` };
  if (fps <= 0 || fps > MAX_GIF_FPS) return { ok: false, error: `${BAD}fps must be in (0, ${MAX_GIF_FPS}], got ${fps}` };
  const video = request.video as Partial<VideoTrackInput> | undefined;
  if (!video?.decoderConfig || typeof video.decoderConfig.codec !== 'string') return { ok: false, error: `${BAD}video.decoderConfig.codec is missing` };
  if (!(video.chunks?.bytes instanceof Uint8Array) || !Array.isArray(video.chunks.chunks)) {
    return { ok: false, error: `${BAD}video.chunks must hold bytes (Uint8Array) and chunks (array)` };
  }
  if (video.chunks.chunks.length === 0) return { ok: false, error: `${BAD}video.chunks.chunks is empty` };
  return { ok: true, value: { id, type: 'encode', startUs, endUs, widthPx, fps, video: video as VideoTrackInput } };
}
