/**
 * The offscreen document's clip library: the one store (opened at first use), each saved clip
 * kept and given a thumbnail, and the blob URLs of stored clips handed out for downloads.
 */
import { errorMessage, LocalError } from '../../src/contract/errors';
import type { LibraryFileReply, ThumbnailUrlReply } from '../../src/contract/offscreen-messages';
import type { Parsed } from '../../src/contract/parse';
import type { LibraryClip } from '../../src/library/library-clip';
import type { LocalText } from '../../src/i18n/english';
import type { KeepInLibrary } from '../clip-saver';
import { THUMBNAIL_TYPE } from '../../src/library/thumbnail-size';
import { ThumbnailClient } from '../thumbnail/thumbnail-client';
import { LibraryStore } from './library-store';

/** User-timing name of making and storing a thumbnail (npm run bench reads it). */
const THUMBNAIL_MEASURE = 'looptab.library.thumbnail';

/** Opened at its first use; a failed open is retried at the next. */
let library: Promise<LibraryStore> | null = null;
/** Blob URLs of stored clips handed out for downloads, revoked when each download ends. */
const fileUrls = new Set<string>();
const thumbnails = new ThumbnailClient();
/** Thumbnails being made, by clip id: the save notification waits for its clip's. */
const making = new Map<string, Promise<void>>();

export function openLibrary(): Promise<LibraryStore> {
  library ??= LibraryStore.open().then(
    (store) => {
      void makeMissingThumbnails(store);
      return store;
    },
    (error: unknown) => {
      library = null;
      throw new LocalError('err_library_open', errorMessage(error));
    },
  );
  return library;
}

function makeThumbnail(store: LibraryStore, clip: Pick<LibraryClip, 'id' | 'format'>, file: Blob): Promise<void> {
  const startMs = performance.now();
  const made = thumbnails
    .make(clip.format, file)
    .then((image) => store.setThumbnail(clip.id, image))
    .then(
      () => void performance.measure(THUMBNAIL_MEASURE, { start: startMs }),
      (error: unknown) => console.error(`Looptab: no thumbnail for clip ${clip.id}: ${errorMessage(error)}`),
    )
    .finally(() => making.delete(clip.id));
  making.set(clip.id, made);
  return made;
}

/** A kept clip's thumbnail as a data: URL, once made (the caller bounds the wait). */
export async function thumbnailDataUrl(id: string): Promise<ThumbnailUrlReply> {
  await making.get(id);
  const image = await (await openLibrary()).thumbnail(id);
  if (!image) return { ok: false, error: `clip ${id} has no thumbnail` };
  const reader = new FileReader();
  const read = new Promise<string>((resolve, reject) => {
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('the thumbnail could not be read'));
  });
  // Files in OPFS have no type: say it, so the data: URL does too.
  reader.readAsDataURL(new Blob([image], { type: THUMBNAIL_TYPE }));
  return { ok: true, dataUrl: await read };
}

/** A clip kept just before the document closed has no thumbnail yet: make it now, from its file. */
async function makeMissingThumbnails(store: LibraryStore): Promise<void> {
  for (const clip of await store.withoutThumbnail()) {
    const stored = await store.file(clip.id);
    if (stored.ok) await makeThumbnail(store, clip, stored.value.file);
  }
}

/** Keeps a saved clip; its thumbnail follows once made, so the save's reply does not wait for it. */
export const keepInLibrary: KeepInLibrary = async (blob, clip, capBytes) => {
  const store = await openLibrary();
  const kept = await store.add(blob, { ...clip, hasThumbnail: false }, capBytes);
  if (!kept.ok) return kept;
  void makeThumbnail(store, kept.value.clip, blob);
  return { ok: true, value: kept.value.clip.id };
};

/** A blob URL of a stored clip's file (read from disk as it is downloaded). */
export async function libraryFileUrl(id: string): Promise<LibraryFileReply> {
  const stored = await (await openLibrary()).file(id);
  if (!stored.ok) return stored;
  const url = URL.createObjectURL(stored.value.file);
  fileUrls.add(url);
  return { ok: true, url, clip: stored.value.clip };
}

/** Revokes a URL libraryFileUrl handed out; false when it was not one of them. */
export function revokeLibraryUrl(url: string): boolean {
  if (!fileUrls.delete(url)) return false;
  URL.revokeObjectURL(url);
  return true;
}

/** Keeps a finished recording whose file is already in the clips folder; its thumbnail follows. */
export async function keepRecordingFile(entry: LibraryClip, capBytes: number, note: LocalText | null = null): Promise<Parsed<LibraryClip>> {
  const store = await openLibrary();
  const kept = await store.adopt(entry, capBytes, note);
  if (!kept.ok) return kept;
  const stored = await store.file(entry.id);
  if (stored.ok) void makeThumbnail(store, entry, stored.value.file);
  return { ok: true, value: kept.value.clip };
}
