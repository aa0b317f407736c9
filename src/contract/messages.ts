/**
 * The one message contract between Looptab's contexts.
 *
 * Public requests (popup, options page, tests -> service worker) have no `target`.
 * Internal requests to the offscreen document carry `target: 'offscreen'`, events from the
 * offscreen document to the service worker carry `target: 'worker'`, so each listener can
 * ignore what is not addressed to it (`chrome.runtime.sendMessage` reaches every context).
 */
import { CLIP_FORMATS, type ClipFormat } from '../clip/clip-formats';
import type { Settings } from '../settings/settings';
import type { GifOptions } from './gif-worker-protocol';

export const MAX_CLIP_SECONDS = 3600;

// ---- Public requests -------------------------------------------------------------------------

export type PublicRequest =
  | { type: 'status' }
  | { type: 'arm'; tabId: number }
  | { type: 'disarm' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'save'; seconds: number; format: ClipFormat };

export const PUBLIC_REQUEST_TYPES = ['status', 'arm', 'disarm', 'pause', 'resume', 'cancel', 'save'] as const satisfies readonly PublicRequest['type'][];

export type CaptureState = 'idle' | 'starting' | 'armed' | 'paused' | 'ended' | 'error';

/** Everything the popup shows; also the reply to `{ type: 'status' }`. */
export interface Status {
  armed: boolean;
  state: CaptureState;
  tabId: number | null;
  tabTitle: string | null;
  bufferedSec: number;
  /** Encoded payload bytes held in the ring buffer. */
  bytes: number;
  /** Bytes allocated for the ring buffer's arenas (what the buffer costs in memory). */
  arenaBytes: number;
  maxBytes: number;
  windowSec: number;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number;
  encodedFrames: number;
  droppedFrames: number;
  /** A GIF being made, if any: the popup shows its progress and can cancel it. */
  export: { format: ClipFormat; seconds: number; fraction: number } | null;
  /** How far the newest buffered audio ends behind the newest video frame (encoder lag). */
  audioLagMs: number | null;
  lastError: string | null;
}

/** The status when nothing records; `maxBytes` and `windowSec` come from the settings. */
export function idleStatus(lastError: string | null, maxBytes: number, windowSec: number): Status {
  return {
    armed: false,
    state: 'idle',
    tabId: null,
    tabTitle: null,
    bufferedSec: 0,
    bytes: 0,
    arenaBytes: 0,
    maxBytes,
    windowSec,
    videoCodec: null,
    audioCodec: null,
    width: null,
    height: null,
    fps: 0,
    encodedFrames: 0,
    droppedFrames: 0,
    export: null,
    audioLagMs: null,
    lastError,
  };
}

export type SaveReply =
  | {
      ok: true;
      filename: string;
      bytes: number;
      format: ClipFormat;
      requestedSec: number;
      durationSec: number;
      /** Set when the clip differs from the request (less was buffered, a size change cut it). */
      note?: string;
    }
  | { ok: false; error: string };

export type OkReply = { ok: true } | { ok: false; error: string };

export interface PublicReplies {
  status: Status;
  arm: OkReply;
  disarm: OkReply;
  pause: OkReply;
  resume: OkReply;
  cancel: OkReply;
  save: SaveReply;
}

// ---- Internal: service worker -> offscreen -----------------------------------------------------

export type OffscreenRequest =
  | { target: 'offscreen'; type: 'start'; streamId: string; tabId: number; tabTitle: string; settings: Settings }
  | { target: 'offscreen'; type: 'stop' }
  | { target: 'offscreen'; type: 'pause' }
  | { target: 'offscreen'; type: 'resume' }
  | { target: 'offscreen'; type: 'status' }
  | {
      target: 'offscreen';
      type: 'save';
      seconds: number;
      format: ClipFormat;
      postRollSec: number;
      gif: GifOptions;
    }
  | { target: 'offscreen'; type: 'cancel' }
  | { target: 'offscreen'; type: 'revoke'; url: string }
  /** Fault injection for end-to-end tests; only our own pages can send it (sender checked). */
  | { target: 'offscreen'; type: 'inject-fault'; fault: 'video-encoder' };

/** What the offscreen document hands back for a save: the service worker downloads it. */
export type OffscreenSaveReply =
  | { ok: true; url: string; bytes: number; requestedSec: number; durationSec: number; note?: string }
  | { ok: false; error: string };

export interface OffscreenReplies {
  start: OkReply;
  stop: OkReply;
  pause: OkReply;
  resume: OkReply;
  cancel: OkReply;
  status: Status;
  save: OffscreenSaveReply;
  revoke: OkReply;
  'inject-fault': OkReply;
}

// ---- Internal: offscreen -> service worker (events) ---------------------------------------------

export type WorkerEvent =
  | { target: 'worker'; type: 'state'; state: CaptureState; error: string | null }
  /** GIF export progress, for the badge; null when it ended. */
  | { target: 'worker'; type: 'progress'; fraction: number | null };

// ---- Validation at the boundary --------------------------------------------------------------

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a public request; the error names the bad field so the caller can fix it. */
export function parsePublicRequest(message: unknown): Parsed<PublicRequest> {
  if (!isRecord(message)) return { ok: false, error: 'message must be an object with a "type" field' };
  const { type } = message;
  switch (type) {
    case 'status':
    case 'disarm':
    case 'pause':
    case 'resume':
    case 'cancel':
      return { ok: true, value: { type } };
    case 'arm': {
      const { tabId } = message;
      if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) {
        return { ok: false, error: '"tabId" must be a non-negative integer tab id' };
      }
      return { ok: true, value: { type, tabId } };
    }
    case 'save': {
      const seconds = parseClipSeconds(message.seconds);
      if (!seconds.ok) return seconds;
      const format = message.format ?? 'mp4';
      if (typeof format !== 'string' || !(CLIP_FORMATS as readonly string[]).includes(format)) {
        return { ok: false, error: `"format" must be one of ${CLIP_FORMATS.join(', ')} (got ${JSON.stringify(format)})` };
      }
      return { ok: true, value: { type, seconds: seconds.value, format: format as ClipFormat } };
    }
    default:
      return {
        ok: false,
        error: `unknown message type ${JSON.stringify(type)}; expected one of ${PUBLIC_REQUEST_TYPES.join(', ')}`,
      };
  }
}

/** A clip length: a positive, finite number of seconds, at most an hour. */
export function parseClipSeconds(seconds: unknown): Parsed<number> {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    return { ok: false, error: `"seconds" must be a positive number (got ${JSON.stringify(seconds)})` };
  }
  if (seconds > MAX_CLIP_SECONDS) {
    return { ok: false, error: `"seconds" must be at most ${MAX_CLIP_SECONDS} (got ${seconds})` };
  }
  return { ok: true, value: seconds };
}

export function isOffscreenRequest(message: unknown): message is OffscreenRequest {
  return isRecord(message) && message.target === 'offscreen' && typeof message.type === 'string';
}

export function isWorkerEvent(message: unknown): message is WorkerEvent {
  return isRecord(message) && message.target === 'worker' && typeof message.type === 'string';
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** Turns anything thrown into the one-line message a user sees. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return String(error);
}
