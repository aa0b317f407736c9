/**
 * What the library keeps of a saved clip besides its bytes: what the grid shows and what the
 * editor will need to read it back without probing the file.
 */
import { CLIP_FORMATS, type ClipFormat } from '../clip/clip-formats';
import { isRecord } from '../contract/parse';

/** A saved clip of the replay buffer (or an editor export), or a whole recording to disk. */
export const CLIP_KINDS = ['clip', 'recording'] as const;
export type ClipKind = (typeof CLIP_KINDS)[number];

export interface LibraryClip {
  /** Unique, also the stored file's base name. */
  id: string;
  kind: ClipKind;
  format: ClipFormat;
  /** Shown in the grid and used for re-downloads; the tab's title at save time. */
  title: string;
  /** When it was saved, in ms since the epoch. */
  createdAt: number;
  durationSec: number;
  bytes: number;
  width: number;
  height: number;
  hasAudio: boolean;
  /** WebCodecs codec strings of the clip's tracks (the GIF's source video for a GIF). */
  videoCodec: string;
  audioCodec: string | null;
  /** The recorded page's origin (never its full URL); null when unknown. */
  sourceOrigin: string | null;
  /** Whether its thumbnail is stored (it is made after the clip is kept, off the save's path). */
  hasThumbnail: boolean;
}

/** Where the library lives in the extension's Origin Private File System. */
export const LIBRARY_PATHS = { index: 'library.json', clips: 'clips', thumbnails: 'thumbnails' } as const;

/** The stored file's name in the clips folder. */
export function clipFileName(clip: Pick<LibraryClip, 'id' | 'format'>): string {
  return `${clip.id}.${clip.format}`;
}

/** The stored thumbnail's name in the thumbnails folder. */
export function thumbnailFileName(clip: Pick<LibraryClip, 'id'>): string {
  return `${clip.id}.webp`;
}

const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

export function isClipId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** A stored entry, checked field by field; null when it is not one (a corrupt index line). */
export function parseLibraryClip(value: unknown): LibraryClip | null {
  if (!isRecord(value)) return null;
  const { id, kind = 'clip', format, title, createdAt, durationSec, bytes, width, height, hasAudio, videoCodec, audioCodec, sourceOrigin, hasThumbnail } = value;
  if (!(CLIP_KINDS as readonly unknown[]).includes(kind)) return null;
  if (!isClipId(id) || !(CLIP_FORMATS as readonly unknown[]).includes(format) || typeof title !== 'string') return null;
  if (![createdAt, durationSec, bytes, width, height].every(isCount) || typeof hasAudio !== 'boolean') return null;
  if (typeof videoCodec !== 'string' || (audioCodec !== null && typeof audioCodec !== 'string')) return null;
  if (sourceOrigin !== null && typeof sourceOrigin !== 'string') return null;
  return {
    id,
    kind: kind as ClipKind,
    format: format as ClipFormat,
    title,
    createdAt: createdAt as number,
    durationSec: durationSec as number,
    bytes: bytes as number,
    width: width as number,
    height: height as number,
    hasAudio,
    videoCodec,
    audioCodec,
    sourceOrigin,
    hasThumbnail: hasThumbnail === true,
  };
}
