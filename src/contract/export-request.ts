/**
 * The editor's export request: clips from the library (each optionally trimmed), a dissolve
 * between every two, a crop in the first clip's pixels, and a format. Validated at the boundary
 * like every public request; the error names the field.
 */
import type { ClipFormat } from '../clip/clip-formats';
import type { CropRect } from '../edit/composition';
import { isClipId } from '../library/library-clip';
import { parseClipFormat } from './messages';
import { fail, isRecord, type Parsed } from './parse';
import type { LocalText } from '../i18n/english';
import type { Failure } from './errors';

/** Most clips one export may join. */
export const MAX_EXPORT_CLIPS = 20;
/** Longest dissolve, in seconds. */
export const MAX_TRANSITION_SEC = 10;

export interface ExportClip {
  id: string;
  /** In the clip's own seconds; default its start and end. */
  startSec?: number;
  endSec?: number;
}

export interface ExportSpec {
  clips: ExportClip[];
  transition: { kind: 'dissolve'; durationSec: number } | null;
  crop: CropRect | null;
  format: ClipFormat;
}

export type ExportReply =
  | {
      ok: true;
      filename: string;
      bytes: number;
      durationSec: number;
      /** How much of the output's video was encoded again (0 for a plain trim). */
      reencodedSec: number;
      /** What was changed to make the request exportable (a cut moved onto a frame, a crop snapped). */
      fixes: string[];
      /** Why parts that could have been copied were encoded (clips whose video differs). */
      notes: string[];
      /** `fixes` and `notes` for a page to show in the user's language. */
      fixTexts: LocalText[];
      noteTexts: LocalText[];
      libraryId?: string;
      libraryError?: string;
    }
  | Failure;

const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function parseClip(value: unknown, index: number): Parsed<ExportClip> {
  const field = `"clips"[${index}]`;
  if (!isRecord(value)) return fail(`${field} must be an object with an "id"`);
  if (!isClipId(value.id)) return fail(`${field}."id" must be a clip id (got ${JSON.stringify(value.id)})`);
  const clip: ExportClip = { id: value.id };
  for (const key of ['startSec', 'endSec'] as const) {
    if (value[key] === undefined) continue;
    if (!isSeconds(value[key])) return fail(`${field}."${key}" must be a number of seconds, 0 or more (got ${JSON.stringify(value[key])})`);
    clip[key] = value[key];
  }
  if (clip.startSec !== undefined && clip.endSec !== undefined && clip.endSec <= clip.startSec) {
    return fail(`${field}."endSec" must be after "startSec" (${clip.startSec} to ${clip.endSec})`);
  }
  return { ok: true, value: clip };
}

function parseCrop(value: unknown): Parsed<CropRect | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (!isRecord(value)) return fail('"crop" must be an object with "x", "y", "width" and "height"');
  const rect: Record<string, number> = {};
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    const number = value[key];
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 16_384) return fail(`"crop"."${key}" must be a number of pixels in 0-16384 (got ${JSON.stringify(number)})`);
    rect[key] = number;
  }
  return { ok: true, value: rect as unknown as CropRect };
}

/** Validates the fields of an export request (everything but `type`). */
export function parseExportSpec(record: Record<string, unknown>): Parsed<ExportSpec> {
  const { clips } = record;
  if (!Array.isArray(clips) || clips.length === 0 || clips.length > MAX_EXPORT_CLIPS) return fail(`"clips" must be a list of 1-${MAX_EXPORT_CLIPS} clips`);
  const parsedClips: ExportClip[] = [];
  for (const [index, clip] of clips.entries()) {
    const parsed = parseClip(clip, index);
    if (!parsed.ok) return parsed;
    parsedClips.push(parsed.value);
  }
  let transition: ExportSpec['transition'] = null;
  if (record.transition !== undefined && record.transition !== null) {
    const value = record.transition;
    if (!isRecord(value) || value.kind !== 'dissolve') return fail('"transition"."kind" must be "dissolve"');
    const { durationSec } = value;
    if (typeof durationSec !== 'number' || !Number.isFinite(durationSec) || durationSec < 0 || durationSec > MAX_TRANSITION_SEC) {
      return fail(`"transition"."durationSec" must be a number of seconds in 0-${MAX_TRANSITION_SEC} (got ${JSON.stringify(durationSec)})`);
    }
    transition = { kind: 'dissolve', durationSec };
  }
  const crop = parseCrop(record.crop);
  if (!crop.ok) return crop;
  const format = parseClipFormat(record.format ?? 'mp4');
  if (!format.ok) return format;
  return { ok: true, value: { clips: parsedClips, transition, crop: crop.value, format: format.value } };
}
