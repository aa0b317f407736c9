/**
 * The internal contract between the service worker and the offscreen document (the recorder).
 * `chrome.runtime.sendMessage` reaches every extension context, so requests to the offscreen
 * document carry `target: 'offscreen'` and its events to the service worker carry
 * `target: 'service-worker'`: each listener ignores what is not addressed to it, and parses
 * what is.
 */
import type { ClipFormat } from '../clip/clip-formats';
import { parseSettings, type Settings } from '../settings/settings';
import type { GifOptions } from './gif-worker-protocol';
import type { LibraryClip } from '../library/library-clip';
import type { ExportSpec } from './export-request';
import { parseClipFormat, parseClipSeconds, parsePublicRequest, type CaptureState, type LibraryReply, type OkReply, type RecordStopReply, type RegionFrameReply, type RegionReply, type Status } from './messages';
import { parseRegionRect } from '../region/region-parse';
import type { FrameSize, RegionRect } from '../region/region-rect';
import { fail, isRecord, parseNumber, parseString, parseType, type Parsed } from './parse';
import type { Failure } from './errors';
import { ENGLISH, type LocalText, type MessageKey } from '../i18n/english';

export type OffscreenRequest =
  | { type: 'start'; streamId: string; tabId: number; tabTitle: string; settings: Settings; captureSize: CaptureSize; region: RegionRequest | null }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'status' }
  | { type: 'save'; seconds: number; format: ClipFormat; postRollSec: number; gif: GifOptions; library: LibraryTarget }
  | { type: 'cancel' }
  | { type: 'revoke'; url: string }
  | { type: 'kept'; url: string }
  /** `editedWord`: what the export's title adds to its first clip's, as "<title> (<word>)", in the user's language. */
  | { type: 'export'; spec: ExportSpec; gif: GifOptions; capBytes: number; editedWord: string }
  /** `includeBufferedSec` null: everything buffered. */
  | { type: 'record-start'; includeBufferedSec: number | null; segmentSec: number; library: LibraryTarget }
  | { type: 'record-stop' }
  | ({ type: 'region' } & RegionRequest)
  | { type: 'region-frame'; viewportCss: FrameSize }
  | { type: 'library' }
  | { type: 'library-file'; id: string }
  /** A kept clip's thumbnail, waiting for it while it is being made. */
  | { type: 'thumbnail'; id: string }
  | { type: 'library-rename'; id: string; title: string }
  | { type: 'library-delete'; ids: string[] };

/** What a save tells the library about the clip it keeps. */
export interface LibraryTarget {
  title: string;
  /** The recorded page's origin, never its full URL. */
  sourceOrigin: string | null;
  capBytes: number;
}

/** The size the tab is captured at: its own, scaled down to fit the settings' maximum. */
export interface CaptureSize {
  width: number;
  height: number;
}

export const OFFSCREEN_REQUEST_TYPES = [
  'start', 'stop', 'pause', 'resume', 'status', 'save', 'cancel', 'revoke', 'kept', 'export',
  'record-start', 'record-stop', 'region', 'region-frame', 'library', 'library-file', 'thumbnail', 'library-rename', 'library-delete',
] as const satisfies readonly OffscreenRequest['type'][];

/** What the offscreen document hands back for a save: the service worker downloads it. */
export type OffscreenSaveReply =
  | { ok: true; url: string; bytes: number; requestedSec: number; durationSec: number; note?: string; noteText?: LocalText }
  | Failure;

/** What the offscreen document hands back for an export: the service worker names and downloads it. */
export type OffscreenExportReply =
  | {
      ok: true;
      url: string;
      bytes: number;
      /** The first clip's title, marked as edited: the file and library name start from it. */
      title: string;
      durationSec: number;
      reencodedSec: number;
      fixes: string[];
      notes: string[];
      fixTexts: LocalText[];
      noteTexts: LocalText[];
    }
  | Failure;

/** How keeping a saved clip in the library went: its id, or why it was not kept. */
export type KeptReply = { ok: true; libraryId: string } | Failure;

/** A stored clip handed out for a download: a blob URL of its file, revoked when the download ends. */
export type LibraryFileReply = { ok: true; url: string; clip: LibraryClip } | Failure;

/**
 * A clip's thumbnail as a data: URL (a WebP of a few KB), for the save notification. The
 * service worker cannot make blob URLs, one of the offscreen document's loads only while that
 * document lives and has not revoked it, and files in OPFS have no extension URL.
 */
export type ThumbnailUrlReply = { ok: true; dataUrl: string } | Failure;

export interface OffscreenReplies {
  start: OkReply;
  stop: OkReply;
  pause: OkReply;
  resume: OkReply;
  cancel: OkReply;
  status: Status;
  save: OffscreenSaveReply;
  revoke: OkReply;
  kept: KeptReply;
  export: OffscreenExportReply;
  'record-start': OkReply;
  'record-stop': RecordStopReply;
  region: RegionReply;
  'region-frame': RegionFrameReply;
  library: LibraryReply;
  'library-file': LibraryFileReply;
  thumbnail: ThumbnailUrlReply;
  'library-rename': OkReply;
  'library-delete': OkReply;
}

/** A region in CSS pixels of the viewport it was drawn on (null rect = the whole tab). */
export interface RegionRequest {
  rect: RegionRect | null;
  viewportCss: FrameSize;
}

/** Events from the offscreen document to the service worker. */
export type ServiceWorkerEvent =
  /** `errorText`: the same error in catalogue form, for the badge to say in the user's language. */
  | { type: 'state'; state: CaptureState; error: string | null; errorText?: LocalText }
  /** GIF export progress, for the badge; null when it ended. */
  | { type: 'progress'; fraction: number | null }
  /** A recording to disk started, went on another minute, or ended (`error`: why it ended by itself). */
  | { type: 'recording'; active: boolean; elapsedSec: number; error: string | null; errorText?: LocalText };

export const SERVICE_WORKER_EVENT_TYPES = ['state', 'progress', 'recording'] as const satisfies readonly ServiceWorkerEvent['type'][];

const CAPTURE_STATES = ['idle', 'starting', 'armed', 'paused', 'ended', 'error'] as const satisfies readonly CaptureState[];

export function isAddressedTo(message: unknown, target: 'offscreen' | 'service-worker'): boolean {
  return isRecord(message) && message.target === target;
}

function parseGifOptions(value: unknown): Parsed<GifOptions> {
  if (!isRecord(value)) return fail('"gif" must be an object with "widthPx" and "fps"');
  const widthPx = parseNumber(value, 'widthPx', { min: 1, max: 7680, integer: true });
  if (!widthPx.ok) return widthPx;
  const fps = parseNumber(value, 'fps', { min: 1, max: 60, integer: true });
  if (!fps.ok) return fps;
  return { ok: true, value: { widthPx: widthPx.value, fps: fps.value } };
}

/** Validates a request to the offscreen document; the error names the bad field. */
export function parseOffscreenRequest(message: unknown): Parsed<OffscreenRequest> {
  const typed = parseType(message, OFFSCREEN_REQUEST_TYPES);
  if (!typed.ok) return typed;
  const { record, type } = typed.value;
  switch (type) {
    case 'start': {
      const streamId = parseString(record, 'streamId');
      if (!streamId.ok) return streamId;
      const tabId = parseNumber(record, 'tabId', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
      if (!tabId.ok) return tabId;
      const tabTitle = parseString(record, 'tabTitle');
      if (!tabTitle.ok) return tabTitle;
      const settings = parseSettings(record.settings);
      if (settings.problems.length > 0) return fail(`"settings": ${settings.problems.join('; ')}`);
      const size = isRecord(record.captureSize) ? record.captureSize : {};
      const width = parseNumber(size, 'width', { min: 2, max: 7680, integer: true });
      if (!width.ok) return fail(`"captureSize".${width.error}`);
      const height = parseNumber(size, 'height', { min: 2, max: 4320, integer: true });
      if (!height.ok) return fail(`"captureSize".${height.error}`);
      const captureSize = { width: width.value, height: height.value };
      const region = record.region === null ? { ok: true as const, value: null } : parseRegionRequest(record.region);
      if (!region.ok) return fail(`"region".${region.error}`);
      return { ok: true, value: { type, streamId: streamId.value, tabId: tabId.value, tabTitle: tabTitle.value, settings: settings.settings, captureSize, region: region.value } };
    }
    case 'region': {
      const region = parseRegionRequest(record);
      return region.ok ? { ok: true, value: { type, ...region.value } } : region;
    }
    case 'region-frame': {
      const viewportCss = parseViewport(record.viewportCss);
      return viewportCss.ok ? { ok: true, value: { type, viewportCss: viewportCss.value } } : viewportCss;
    }
    case 'save': {
      const seconds = parseClipSeconds(record.seconds);
      if (!seconds.ok) return seconds;
      const format = parseClipFormat(record.format);
      if (!format.ok) return format;
      const postRollSec = parseNumber(record, 'postRollSec', { min: 0, max: 3600 });
      if (!postRollSec.ok) return postRollSec;
      const gif = parseGifOptions(record.gif);
      if (!gif.ok) return gif;
      const library = parseLibraryTarget(record.library);
      if (!library.ok) return library;
      return { ok: true, value: { type, seconds: seconds.value, format: format.value, postRollSec: postRollSec.value, gif: gif.value, library: library.value } };
    }
    case 'revoke':
    case 'kept': {
      const url = parseString(record, 'url');
      if (!url.ok || !url.value.startsWith('blob:')) return fail('"url" must be a blob: URL');
      return { ok: true, value: { type, url: url.value } };
    }
    case 'export': {
      const parsed = parsePublicRequest({ ...(isRecord(record.spec) ? record.spec : {}), type: 'export' });
      if (!parsed.ok) return fail(`"spec".${parsed.error}`);
      if (parsed.value.type !== 'export') return fail('"spec" must be an export');
      const gif = parseGifOptions(record.gif);
      if (!gif.ok) return gif;
      const capBytes = parseNumber(record, 'capBytes', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
      if (!capBytes.ok) return capBytes;
      const editedWord = parseString(record, 'editedWord', 100);
      if (!editedWord.ok) return editedWord;
      const { type: _export, ...spec } = parsed.value;
      return { ok: true, value: { type, spec, gif: gif.value, capBytes: capBytes.value, editedWord: editedWord.value } };
    }
    case 'record-start': {
      let includeBufferedSec: number | null = null;
      if (record.includeBufferedSec !== null) {
        const include = parseNumber(record, 'includeBufferedSec', { min: 0, max: 3600 });
        if (!include.ok) return include;
        includeBufferedSec = include.value;
      }
      const segmentSec = parseNumber(record, 'segmentSec', { min: 1, max: 3600 });
      if (!segmentSec.ok) return segmentSec;
      const library = parseLibraryTarget(record.library);
      if (!library.ok) return library;
      return { ok: true, value: { type, includeBufferedSec, segmentSec: segmentSec.value, library: library.value } };
    }
    case 'library-file':
    case 'thumbnail': {
      // The same id rules as the public library requests.
      const parsed = parsePublicRequest({ type: 'library-download', id: record.id });
      return parsed.ok && parsed.value.type === 'library-download' ? { ok: true, value: { type, id: parsed.value.id } } : (parsed as { ok: false; error: string });
    }
    case 'library-rename':
    case 'library-delete': {
      const parsed = parsePublicRequest(record);
      return parsed.ok && parsed.value.type === type ? { ok: true, value: parsed.value } : (parsed as { ok: false; error: string });
    }
    default:
      return { ok: true, value: { type } };
  }
}

function parseViewport(value: unknown): Parsed<FrameSize> {
  const size = isRecord(value) ? value : {};
  const width = parseNumber(size, 'width', { min: 1, max: 100_000 });
  if (!width.ok) return fail(`"viewportCss".${width.error}`);
  const height = parseNumber(size, 'height', { min: 1, max: 100_000 });
  if (!height.ok) return fail(`"viewportCss".${height.error}`);
  return { ok: true, value: { width: width.value, height: height.value } };
}

function parseRegionRequest(value: unknown): Parsed<RegionRequest> {
  if (!isRecord(value)) return fail('must be an object with "rect" and "viewportCss"');
  const rect = parseRegionRect(value.rect, 'rect');
  if (!rect.ok) return fail(rect.error);
  const viewportCss = parseViewport(value.viewportCss);
  return viewportCss.ok ? { ok: true, value: { rect: rect.rect, viewportCss: viewportCss.value } } : viewportCss;
}

function parseLibraryTarget(value: unknown): Parsed<LibraryTarget> {
  if (!isRecord(value)) return fail('"library" must be an object with "title", "sourceOrigin" and "capBytes"');
  const title = parseString(value, 'title', 1000);
  if (!title.ok) return fail(`"library".${title.error}`);
  const { sourceOrigin } = value;
  if (sourceOrigin !== null && typeof sourceOrigin !== 'string') return fail('"library"."sourceOrigin" must be a string or null');
  const capBytes = parseNumber(value, 'capBytes', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  if (!capBytes.ok) return fail(`"library".${capBytes.error}`);
  return { ok: true, value: { title: title.value, sourceOrigin, capBytes: capBytes.value } };
}

/** A LocalText sent across contexts: a catalogue key and string substitutions. */
export function parseLocalText(value: unknown): Parsed<LocalText> {
  if (!isRecord(value) || typeof value.key !== 'string' || !Object.hasOwn(ENGLISH, value.key)) return fail(' must be an object whose "key" names a message');
  const { substitutions } = value;
  if (substitutions === undefined) return { ok: true, value: { key: value.key as MessageKey } };
  if (!Array.isArray(substitutions) || substitutions.length > 9 || !substitutions.every((item) => typeof item === 'string')) return fail('."substitutions" must be up to 9 strings');
  return { ok: true, value: { key: value.key as MessageKey, substitutions: substitutions as string[] } };
}

/** An event with its error's catalogue form, when it was sent one. */
function withErrorText<T extends object>(value: T, errorText: unknown): Parsed<T & { errorText?: LocalText }> {
  if (errorText === undefined) return { ok: true, value };
  const text = parseLocalText(errorText);
  if (!text.ok) return fail(`"errorText"${text.error}`);
  return { ok: true, value: { ...value, errorText: text.value } };
}

/** Validates an event from the offscreen document; the error names the bad field. */
export function parseServiceWorkerEvent(message: unknown): Parsed<ServiceWorkerEvent> {
  const typed = parseType(message, SERVICE_WORKER_EVENT_TYPES);
  if (!typed.ok) return typed;
  const { record, type } = typed.value;
  if (type === 'state') {
    const { state, error, errorText } = record;
    if (typeof state !== 'string' || !(CAPTURE_STATES as readonly string[]).includes(state)) return fail(`"state" must be one of ${CAPTURE_STATES.join(', ')}`);
    if (error !== null && typeof error !== 'string') return fail('"error" must be a string or null');
    return withErrorText({ type, state: state as CaptureState, error }, errorText);
  }
  if (type === 'recording') {
    const { active, elapsedSec, error, errorText } = record;
    if (typeof active !== 'boolean') return fail('"active" must be a boolean');
    if (typeof elapsedSec !== 'number' || !(elapsedSec >= 0)) return fail('"elapsedSec" must be a non-negative number');
    if (error !== null && typeof error !== 'string') return fail('"error" must be a string or null');
    return withErrorText({ type, active, elapsedSec, error }, errorText);
  }
  const { fraction } = record;
  if (fraction !== null && (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1))) return fail('"fraction" must be a number in 0-1 or null');
  return { ok: true, value: { type, fraction } };
}
