/**
 * The library's index: which clips it holds, as one document that is replaced whole on every
 * change (the store writes it atomically). Pure: every operation returns a new index, and the
 * store writes a clip's bytes before it commits the index that names them, so a crash leaves
 * at worst a file the index does not name, which `reconcile` finds on the next start.
 *
 * Invariants: ids are unique; `clips` is in the order saved (oldest first); the cap is kept by
 * removing the oldest clips first, and every removal for the cap is recorded in `evictions`.
 */
import { fail, isRecord, type Parsed } from '../contract/parse';
import { clipFileName, parseLibraryClip, thumbnailFileName, type LibraryClip } from './library-clip';
import { localize, type LocalText } from '../i18n/english';

export const LIBRARY_INDEX_VERSION = 1;
/** Evictions remembered for the library page to report (the newest ones). */
export const MAX_EVICTION_RECORDS = 50;
export const MAX_TITLE_LENGTH = 200;

/** A clip the library removed to stay under its cap: the user is told, never silently. */
export interface Eviction {
  id: string;
  title: string;
  bytes: number;
  createdAt: number;
  /** When it was removed, in ms since the epoch. */
  evictedAt: number;
}

export interface LibraryIndex {
  clips: LibraryClip[];
  evictions: Eviction[];
}

export const emptyIndex = (): LibraryIndex => ({ clips: [], evictions: [] });

/** Reads a stored index; a corrupt entry is dropped and reported, never trusted. */
export function parseLibraryIndex(raw: unknown): { index: LibraryIndex; problems: LocalText[] } {
  if (raw === undefined || raw === null) return { index: emptyIndex(), problems: [] };
  if (!isRecord(raw) || !Array.isArray(raw.clips)) return { index: emptyIndex(), problems: [localize('err_library_index_unreadable')] };
  const problems: LocalText[] = [];
  const clips: LibraryClip[] = [];
  const seen = new Set<string>();
  raw.clips.forEach((entry, i) => {
    const clip = parseLibraryClip(entry);
    if (clip === null || seen.has(clip.id)) {
      problems.push(localize(clip === null ? 'err_library_entry_corrupt' : 'err_library_entry_duplicate', i));
      return;
    }
    seen.add(clip.id);
    clips.push(clip);
  });
  const evictions = Array.isArray(raw.evictions) ? raw.evictions.filter(isEviction).slice(-MAX_EVICTION_RECORDS) : [];
  return { index: { clips, evictions }, problems };
}

function isEviction(value: unknown): value is Eviction {
  if (!isRecord(value)) return false;
  const { id, title, bytes, createdAt, evictedAt } = value;
  return typeof id === 'string' && typeof title === 'string' && [bytes, createdAt, evictedAt].every((n) => typeof n === 'number' && Number.isFinite(n));
}

export function serializeIndex(index: LibraryIndex): string {
  return JSON.stringify({ version: LIBRARY_INDEX_VERSION, ...index });
}

export function usedBytes(index: LibraryIndex): number {
  return index.clips.reduce((sum, clip) => sum + clip.bytes, 0);
}

/** The clips as the library shows them: newest (last saved) first. */
export function newestFirst(index: LibraryIndex): LibraryClip[] {
  return [...index.clips].reverse();
}

export function findClip(index: LibraryIndex, id: string): LibraryClip | undefined {
  return index.clips.find((clip) => clip.id === id);
}

/**
 * Adds a clip whose bytes are written, removing the oldest clips while the library would exceed
 * `capBytes`. A clip larger than the cap on its own is refused (it would empty the library and
 * still not fit); the store then deletes its file.
 */
export function addClip(index: LibraryIndex, clip: LibraryClip, capBytes: number, nowMs: number): Parsed<{ index: LibraryIndex; evicted: LibraryClip[] }> {
  if (findClip(index, clip.id)) return fail(`"id" ${clip.id} is already in the library`);
  if (clip.bytes > capBytes) {
    return fail(`the clip (${formatMB(clip.bytes)}) is larger than the library's cap (${formatMB(capBytes)}); raise the cap in the options to keep it`);
  }
  const { index: fitted, evicted } = enforceCap({ ...index, clips: [...index.clips, clip] }, capBytes, nowMs);
  return { ok: true, value: { index: fitted, evicted } };
}

/**
 * Adds a recording whose file is already written. A recording exists nowhere else (it was never
 * downloaded), so it is kept even when larger than the cap: older clips go to make room, and if
 * the library is still over its cap the next clip saved pushes the recording out in turn.
 */
export function adoptRecording(index: LibraryIndex, clip: LibraryClip, capBytes: number, nowMs: number): Parsed<{ index: LibraryIndex; evicted: LibraryClip[] }> {
  if (findClip(index, clip.id)) return fail(`"id" ${clip.id} is already in the library`);
  const { index: fitted, evicted } = enforceCap({ ...index, clips: [...index.clips, clip] }, capBytes, nowMs, clip.id);
  return { ok: true, value: { index: fitted, evicted } };
}

/** Removes the oldest clips (in the order saved) until the library fits `capBytes`; `keepId` never goes. */
export function enforceCap(index: LibraryIndex, capBytes: number, nowMs: number, keepId?: string): { index: LibraryIndex; evicted: LibraryClip[] } {
  const evicted: LibraryClip[] = [];
  let total = usedBytes(index);
  for (const clip of index.clips) {
    if (total <= capBytes) break;
    if (clip.id === keepId) continue;
    evicted.push(clip);
    total -= clip.bytes;
  }
  if (evicted.length === 0) return { index, evicted };
  const gone = new Set(evicted.map((c) => c.id));
  const evictions = [...index.evictions, ...evicted.map(({ id, title, bytes, createdAt }) => ({ id, title, bytes, createdAt, evictedAt: nowMs }))].slice(-MAX_EVICTION_RECORDS);
  return { index: { clips: index.clips.filter((c) => !gone.has(c.id)), evictions }, evicted };
}

/** A user-given title: trimmed, not empty, at most MAX_TITLE_LENGTH characters. */
export function parseTitle(title: unknown): Parsed<string> {
  if (typeof title !== 'string' || title.trim().length === 0 || title.trim().length > MAX_TITLE_LENGTH) {
    return fail(`"title" must be a non-empty string of at most ${MAX_TITLE_LENGTH} characters`);
  }
  return { ok: true, value: title.trim() };
}

export function renameClip(index: LibraryIndex, id: string, title: string): Parsed<LibraryIndex> {
  const parsed = parseTitle(title);
  if (!parsed.ok) return parsed;
  return updateClip(index, id, { title: parsed.value });
}

/** Removes the clips named; if any id is unknown nothing is removed and the error names it. */
export function removeClips(index: LibraryIndex, ids: readonly string[]): Parsed<{ index: LibraryIndex; removed: LibraryClip[] }> {
  const unknown = ids.filter((id) => !findClip(index, id));
  if (unknown.length > 0) return fail(`"ids": ${unknown.map((id) => JSON.stringify(id)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the library`);
  const gone = new Set(ids);
  return { ok: true, value: { index: { ...index, clips: index.clips.filter((c) => !gone.has(c.id)) }, removed: index.clips.filter((c) => gone.has(c.id)) } };
}

/** Records that a clip's thumbnail is stored. */
export function markThumbnail(index: LibraryIndex, id: string): Parsed<LibraryIndex> {
  return updateClip(index, id, { hasThumbnail: true });
}

/** One clip's entry changed; the error names an unknown id. */
function updateClip(index: LibraryIndex, id: string, change: Partial<Pick<LibraryClip, 'title' | 'hasThumbnail'>>): Parsed<LibraryIndex> {
  if (!findClip(index, id)) return fail(`"id" ${JSON.stringify(id)} is not in the library`);
  return { ok: true, value: { ...index, clips: index.clips.map((clip) => (clip.id === id ? { ...clip, ...change } : clip)) } };
}

/** What the store found on disk: the names in its clips and thumbnails folders. */
export interface StoredFiles {
  clips: readonly string[];
  thumbnails: readonly string[];
}

/**
 * Squares the index with the files really stored: a file no entry names was being written when
 * the browser stopped (delete it); an entry whose clip file is gone (storage evicted or damaged)
 * is dropped and reported, so the library says what is missing instead of breaking; an entry
 * whose thumbnail is gone shows none.
 */
export function reconcile(index: LibraryIndex, stored: StoredFiles): { index: LibraryIndex; orphanClips: string[]; orphanThumbnails: string[]; missing: LibraryClip[] } {
  const clipFiles = new Set(stored.clips);
  const thumbnailFiles = new Set(stored.thumbnails);
  const missing = index.clips.filter((clip) => !clipFiles.has(clipFileName(clip)));
  const gone = new Set(missing.map((c) => c.id));
  const clips = index.clips
    .filter((c) => !gone.has(c.id))
    .map((c) => (c.hasThumbnail && !thumbnailFiles.has(thumbnailFileName(c)) ? { ...c, hasThumbnail: false } : c));
  const namedClips = new Set(clips.map(clipFileName));
  const namedThumbnails = new Set(clips.map(thumbnailFileName));
  return {
    index: { ...index, clips },
    orphanClips: stored.clips.filter((file) => !namedClips.has(file)),
    orphanThumbnails: stored.thumbnails.filter((file) => !namedThumbnails.has(file)),
    missing,
  };
}

function formatMB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
