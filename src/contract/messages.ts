/**
 * The public contract: what Looptab's pages (popup, options, tests) ask the service worker, and
 * what it answers. These requests carry no `target`; the internal ones to the offscreen document
 * and its events back are in offscreen-messages.ts, the Web Workers' in *-worker-protocol.ts.
 */
import type { FrameRateMode } from '../cadence/frame-cadence';
import { CLIP_FORMATS, type ClipFormat } from '../clip/clip-formats';
import { isClipId, type LibraryClip } from '../library/library-clip';
import { parseTitle, type Eviction } from '../library/library-index';
import { parseRegionRect } from '../region/region-parse';
import type { FrameSize, RegionRect } from '../region/region-rect';
import { parseExportSpec, type ExportReply, type ExportSpec } from './export-request';
import { fail, parseNumber, parseType, type Parsed } from './parse';
import { statusError, type Failure, type Notice } from './errors';
import type { LocalText } from '../i18n/english';

export const MAX_CLIP_SECONDS = 3600;

// ---- Public requests -------------------------------------------------------------------------

export type PublicRequest =
  | { type: 'status' }
  | { type: 'arm'; tabId: number }
  | { type: 'disarm' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'save'; seconds: number; format: ClipFormat }
  | ({ type: 'export' } & ExportSpec)
  /** Starts recording to disk; `includeBufferedSec` 0 = from now, absent = everything buffered. */
  | { type: 'record-start'; includeBufferedSec?: number }
  | { type: 'record-stop' }
  /** Records only `rect` (CSS pixels of the tab's viewport) of the armed tab; null = the whole tab. */
  | { type: 'region'; rect: RegionRect | null }
  /** The armed tab's latest picture, for drawing a region on it. */
  | { type: 'region-frame' }
  | LibraryRequest;

/** The clip library's requests (the library page's, and tests'). */
export type LibraryRequest =
  | { type: 'library' }
  | { type: 'library-download'; id: string }
  | { type: 'library-rename'; id: string; title: string }
  | { type: 'library-delete'; ids: string[] };

export const PUBLIC_REQUEST_TYPES = [
  'status', 'arm', 'disarm', 'pause', 'resume', 'cancel', 'save', 'export', 'record-start', 'record-stop',
  'region', 'region-frame', 'library', 'library-download', 'library-rename', 'library-delete',
] as const satisfies readonly PublicRequest['type'][];

/** Most clips one delete may name. */
export const MAX_DELETE_IDS = 1000;

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
  /** Frames the tab painted (tab capture sends one only when the page changes). */
  capturedFrames: number;
  encodedFrames: number;
  /** Of the encoded frames, those encoded again while the page did not paint (a still page). */
  repeatedFrames: number;
  droppedFrames: number;
  /**
   * The pace video is encoded at: `fps` the frame rate aimed at (lowered under overload),
   * `scale` the share of the captured width and height encoded, `message` what the popup says
   * while the machine cannot keep up (null otherwise), in English, `messageText` the same in
   * catalogue form. Null while nothing is armed.
   */
  pace: { mode: FrameRateMode; fps: number; scale: number; message: string | null; messageText: LocalText | null } | null;
  /** A GIF being made or an editor export running, if any: the popup shows its progress and can cancel it. */
  export: { format: ClipFormat; seconds: number; fraction: number } | null;
  /** How far the newest buffered audio ends behind the newest video frame (encoder lag). */
  audioLagMs: number | null;
  /**
   * The buffer's own timeline (seconds, pauses cut out): when its newest video frame starts, and
   * where the current pause began (null when not paused). Nothing captured after a pause began
   * is ever buffered, so while paused `newestFrameSec <= pausedAtSec`.
   */
  timeline: { newestFrameSec: number | null; pausedAtSec: number | null };
  /** The recording to disk, while one runs. */
  recording: RecordingStatus | null;
  /** The region recorded, in CSS pixels of the tab's viewport; null = the whole tab. `width`/`height` above are its encoded size. */
  region: RegionRect | null;
  /** The last error or notice, in English (automation reads it). */
  lastError: string | null;
  /** The same in catalogue form, for a page to show in the user's language; null when only English exists. */
  lastErrorText: LocalText | null;
}

export interface RecordingStatus {
  /** Recorded so far, on the recording's own timeline (pauses cut out). */
  durationSec: number;
  /** Bytes of its segments on disk. */
  bytes: number;
  segments: number;
  /** Room left for it to grow, after the reserve for its final file; null before the first check. */
  freeBytes: number | null;
  /** Video frames written. */
  frames: number;
  /** Low storage or a write failure, for the popup, in English. */
  warning: string | null;
  /** The same in catalogue form, for the popup to show in the user's language; null when only English exists. */
  warningText: LocalText | null;
}

/** The reply to `record-stop`: the recording as kept in the library. */
export type RecordStopReply =
  /** `note`: why it stopped by itself or how it was kept, in English; `noteTexts` the same for a page to show. */
  | { ok: true; libraryId: string; durationSec: number; bytes: number; segments: number; frames: number; note?: string; noteTexts?: LocalText[] }
  | Failure;

/** The status when nothing records; `maxBytes` and `windowSec` come from the settings. */
export function idleStatus(lastError: Notice | null, maxBytes: number, windowSec: number): Status {
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
    capturedFrames: 0,
    encodedFrames: 0,
    repeatedFrames: 0,
    droppedFrames: 0,
    pace: null,
    export: null,
    audioLagMs: null,
    timeline: { newestFrameSec: null, pausedAtSec: null },
    recording: null,
    region: null,
    ...statusError(lastError),
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
      /** The same note in catalogue form, for a page to show in the user's language. */
      noteText?: LocalText;
      /** The clip's id in the library; absent when it could not be kept there (see libraryError). */
      libraryId?: string;
      /** Why the clip was downloaded but not kept in the library. */
      libraryError?: string;
      /** The same in catalogue form. */
      libraryErrorText?: LocalText;
    }
  | Failure;

/** The reply to `{ type: 'library' }`: every clip, newest first. */
export type LibraryReply =
  | {
      ok: true;
      clips: LibraryClip[];
      usedBytes: number;
      quotaBytes: number;
      /** Clips removed to stay under the cap (the newest removals), so the page can say so. */
      evictions: Eviction[];
      /** What was found wrong in storage (a clip whose file is gone), in English. */
      problems: string[];
      /** The same in catalogue form, for the page to show in the user's language. */
      problemTexts: LocalText[];
    }
  | Failure;

export type LibraryDownloadReply = { ok: true; filename: string } | Failure;

/** The region as applied (snapped to even frame pixels, in CSS pixels), or why not. */
export type RegionReply = { ok: true; rect: RegionRect | null } | Failure;

/** A JPEG of the tab's latest frame (a blob URL of the offscreen document), the frame's size and the viewport's. */
export type RegionFrameReply =
  | { ok: true; url: string; frame: FrameSize; viewportCss: FrameSize; region: RegionRect | null }
  | Failure;

export type OkReply = { ok: true } | Failure;

export interface PublicReplies {
  status: Status;
  arm: OkReply;
  disarm: OkReply;
  pause: OkReply;
  resume: OkReply;
  cancel: OkReply;
  save: SaveReply;
  export: ExportReply;
  'record-start': OkReply;
  'record-stop': RecordStopReply;
  region: RegionReply;
  'region-frame': RegionFrameReply;
  library: LibraryReply;
  'library-download': LibraryDownloadReply;
  'library-rename': OkReply;
  'library-delete': OkReply;
}

// ---- Validation at the boundary --------------------------------------------------------------

/** Validates a public request; the error names the bad field so the caller can fix it. */
export function parsePublicRequest(message: unknown): Parsed<PublicRequest> {
  const typed = parseType(message, PUBLIC_REQUEST_TYPES);
  if (!typed.ok) return typed;
  const { record, type } = typed.value;
  switch (type) {
    case 'arm': {
      const tabId = parseNumber(record, 'tabId', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
      return tabId.ok ? { ok: true, value: { type, tabId: tabId.value } } : fail('"tabId" must be a non-negative integer tab id');
    }
    case 'save': {
      const seconds = parseClipSeconds(record.seconds);
      if (!seconds.ok) return seconds;
      const format = parseClipFormat(record.format ?? 'mp4');
      return format.ok ? { ok: true, value: { type, seconds: seconds.value, format: format.value } } : format;
    }
    case 'export': {
      const spec = parseExportSpec(record);
      return spec.ok ? { ok: true, value: { type, ...spec.value } } : spec;
    }
    case 'record-start': {
      if (record.includeBufferedSec === undefined) return { ok: true, value: { type } };
      const include = parseNumber(record, 'includeBufferedSec', { min: 0, max: MAX_CLIP_SECONDS });
      return include.ok ? { ok: true, value: { type, includeBufferedSec: include.value } } : include;
    }
    case 'region': {
      if (!('rect' in record)) return fail('"rect" must be given: { x, y, width, height } in CSS pixels, or null for the whole tab');
      const region = parseRegionRect(record.rect, 'rect');
      return region.ok ? { ok: true, value: { type, rect: region.rect } } : fail(region.error);
    }
    case 'library-download':
    case 'library-rename': {
      const id = parseClipIdField(record.id);
      if (!id.ok) return id;
      if (type === 'library-download') return { ok: true, value: { type, id: id.value } };
      const title = parseTitle(record.title);
      return title.ok ? { ok: true, value: { type, id: id.value, title: title.value } } : title;
    }
    case 'library-delete': {
      const { ids } = record;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_DELETE_IDS) return fail(`"ids" must be a list of 1-${MAX_DELETE_IDS} clip ids`);
      const bad = ids.findIndex((id) => !isClipId(id));
      if (bad >= 0) return fail(`"ids"[${bad}] must be a clip id (got ${JSON.stringify(ids[bad])})`);
      return { ok: true, value: { type, ids: [...new Set(ids as string[])] } };
    }
    default:
      return { ok: true, value: { type } };
  }
}

function parseClipIdField(id: unknown): Parsed<string> {
  return isClipId(id) ? { ok: true, value: id } : fail(`"id" must be a clip id (got ${JSON.stringify(id)})`);
}

export function parseClipFormat(format: unknown): Parsed<ClipFormat> {
  if (typeof format !== 'string' || !(CLIP_FORMATS as readonly string[]).includes(format)) {
    return fail(`"format" must be one of ${CLIP_FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
  }
  return { ok: true, value: format as ClipFormat };
}

/** A clip length: a positive, finite number of seconds, at most an hour. */
export function parseClipSeconds(seconds: unknown): Parsed<number> {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    return fail(`"seconds" must be a positive number (got ${JSON.stringify(seconds)})`);
  }
  if (seconds > MAX_CLIP_SECONDS) {
    return fail(`"seconds" must be at most ${MAX_CLIP_SECONDS} (got ${seconds})`);
  }
  return { ok: true, value: seconds };
}
