/**
 * The clip library on disk: each clip's bytes in the Origin Private File System
 * (`clips/<id>.<format>`), its thumbnail (`thumbnails/<id>.webp`), and one index file
 * (`library.json`) naming them. The offscreen document is its only writer, and runs one change
 * at a time; the library page reads the files directly (same origin).
 *
 * Why one index file rather than IndexedDB: `createWritable()` writes to a swap file that
 * replaces the real one only on `close()`, so replacing the whole index is an atomic commit, and
 * a few hundred entries are a few tens of KB. A clip's file is closed (complete) before the index
 * that names it is committed; a file the index does not name is removed when the store opens.
 */
import { errorMessage, failure, noticeEnglish } from '../../src/contract/errors';
import { localize, type LocalText } from '../../src/i18n/english';
import type { Parsed } from '../../src/contract/parse';
import { clipFileName, LIBRARY_PATHS, thumbnailFileName, type LibraryClip } from '../../src/library/library-clip';
import {
  addClip,
  adoptRecording,
  findClip,
  markThumbnail,
  newestFirst,
  parseLibraryIndex,
  reconcile,
  removeClips,
  renameClip,
  serializeIndex,
  usedBytes,
  type Eviction,
  type LibraryIndex,
} from '../../src/library/library-index';

const { index: INDEX_FILE, clips: CLIPS_DIR, thumbnails: THUMBNAILS_DIR } = LIBRARY_PATHS;

export interface LibraryListing {
  clips: LibraryClip[];
  usedBytes: number;
  /** What the browser lets the extension store in all (navigator.storage.estimate). */
  quotaBytes: number;
  evictions: Eviction[];
  /** What the store found wrong when it opened (a corrupt entry, a clip whose file is gone), in English. */
  problems: string[];
  /** The same problems in catalogue form, for the page to show in the user's language. */
  problemTexts: LocalText[];
}

async function writeFile(dir: FileSystemDirectoryHandle, name: string, data: Blob | string): Promise<void> {
  const handle = await dir.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  try {
    await writable.write(data);
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  }
}

async function namesIn(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const names: string[] = [];
  for await (const name of dir.keys()) names.push(name);
  return names;
}

export class LibraryStore {
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly root: FileSystemDirectoryHandle,
    private readonly clipsDir: FileSystemDirectoryHandle,
    private readonly thumbnailsDir: FileSystemDirectoryHandle,
    private index: LibraryIndex,
    private readonly problems: LocalText[],
  ) {}

  /** Opens the library: reads the index and squares it with the files really there. */
  static async open(): Promise<LibraryStore> {
    const root = await navigator.storage.getDirectory();
    const clipsDir = await root.getDirectoryHandle(CLIPS_DIR, { create: true });
    const thumbnailsDir = await root.getDirectoryHandle(THUMBNAILS_DIR, { create: true });
    let raw: unknown;
    const problems: LocalText[] = [];
    try {
      const text = await (await (await root.getFileHandle(INDEX_FILE)).getFile()).text();
      raw = JSON.parse(text);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NotFoundError')) raw = 'unreadable';
    }
    const parsed = parseLibraryIndex(raw);
    problems.push(...parsed.problems);
    const { index, orphanClips, orphanThumbnails, missing } = reconcile(parsed.index, {
      clips: await namesIn(clipsDir),
      thumbnails: await namesIn(thumbnailsDir),
    });
    for (const name of orphanClips) await clipsDir.removeEntry(name).catch(() => undefined);
    for (const name of orphanThumbnails) await thumbnailsDir.removeEntry(name).catch(() => undefined);
    for (const clip of missing) problems.push(localize('err_library_clip_gone', clip.title, new Date(clip.createdAt).toLocaleString()));
    const store = new LibraryStore(root, clipsDir, thumbnailsDir, index, problems);
    if (serializeIndex(index) !== serializeIndex(parsed.index)) await store.#commit(index);
    return store;
  }

  /** Runs changes one after another: each reads the index the previous one committed. */
  #serial<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(change, change);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commit(index: LibraryIndex): Promise<void> {
    await writeFile(this.root, INDEX_FILE, serializeIndex(index));
    this.index = index;
  }

  async list(): Promise<LibraryListing> {
    await this.#queue;
    const estimate = await navigator.storage.estimate();
    return {
      clips: newestFirst(this.index),
      usedBytes: usedBytes(this.index),
      quotaBytes: estimate.quota ?? 0,
      evictions: this.index.evictions,
      problems: this.problems.map(noticeEnglish),
      problemTexts: [...this.problems],
    };
  }

  /**
   * Keeps a clip: its bytes first, then the index entry. Oldest clips go to stay under
   * `capBytes`. On any failure nothing half-written stays and the error says why.
   */
  add(blob: Blob, clip: Omit<LibraryClip, 'id' | 'bytes' | 'kind'>, capBytes: number): Promise<Parsed<{ clip: LibraryClip; evicted: LibraryClip[] }>> {
    return this.#serial(async () => {
      const entry: LibraryClip = { ...clip, id: crypto.randomUUID(), kind: 'clip', bytes: blob.size };
      const planned = addClip(this.index, entry, capBytes, Date.now());
      if (!planned.ok) return planned;
      const name = clipFileName(entry);
      try {
        await writeFile(this.clipsDir, name, blob);
        await this.#commit(planned.value.index);
      } catch (error) {
        await this.clipsDir.removeEntry(name).catch(() => undefined);
        return { ok: false, error: `it could not be written (${errorMessage(error)})` };
      }
      await this.#removeFiles(planned.value.evicted);
      return { ok: true, value: { clip: entry, evicted: planned.value.evicted } };
    });
  }

  /**
   * Commits a recording whose file the disk worker has written into the clips folder (under the
   * entry's id). Nothing is copied; a failed commit leaves the file, which the next open removes
   * while the recording's segments stay to be finished again.
   */
  adopt(entry: LibraryClip, capBytes: number, note: LocalText | null = null): Promise<Parsed<{ clip: LibraryClip; evicted: LibraryClip[] }>> {
    return this.#serial(async () => {
      const planned = adoptRecording(this.index, entry, capBytes, Date.now());
      if (!planned.ok) return planned;
      await this.#commit(planned.value.index);
      // With the commit, before any listing: the page never shows the recording without its note.
      if (note) this.problems.push(note);
      await this.#removeFiles(planned.value.evicted);
      return { ok: true, value: { clip: entry, evicted: planned.value.evicted } };
    });
  }

  /** Whether a clip (or finished recording) of this id is kept. */
  async has(id: string): Promise<boolean> {
    await this.#queue;
    return findClip(this.index, id) !== undefined;
  }

  /** Says something the library page should show (a recording recovered after a crash). */
  report(problem: LocalText): void {
    this.problems.push(problem);
  }

  /** Stores a kept clip's thumbnail (the file first, then the index says it is there). */
  setThumbnail(id: string, image: Blob): Promise<Parsed<LibraryClip>> {
    return this.#serial(async () => {
      const marked = markThumbnail(this.index, id);
      if (!marked.ok) return marked; // deleted meanwhile
      await writeFile(this.thumbnailsDir, thumbnailFileName({ id }), image);
      await this.#commit(marked.value);
      return { ok: true, value: findClip(marked.value, id)! };
    });
  }

  rename(id: string, title: string): Promise<Parsed<LibraryClip>> {
    return this.#serial(async () => {
      const renamed = renameClip(this.index, id, title);
      if (!renamed.ok) return renamed;
      await this.#commit(renamed.value);
      return { ok: true, value: findClip(renamed.value, id)! };
    });
  }

  remove(ids: readonly string[]): Promise<Parsed<LibraryClip[]>> {
    return this.#serial(async () => {
      const removed = removeClips(this.index, ids);
      if (!removed.ok) return removed;
      await this.#commit(removed.value.index);
      await this.#removeFiles(removed.value.removed);
      return { ok: true, value: removed.value.removed };
    });
  }

  /** A kept clip's stored thumbnail; null when it has none (yet) or it cannot be read. */
  async thumbnail(id: string): Promise<Blob | null> {
    await this.#queue;
    if (!findClip(this.index, id)?.hasThumbnail) return null;
    return (await this.thumbnailsDir.getFileHandle(thumbnailFileName({ id }))).getFile().catch(() => null);
  }

  /** Clips whose thumbnail was never stored (the document closed before it was made). */
  async withoutThumbnail(): Promise<LibraryClip[]> {
    await this.#queue;
    return this.index.clips.filter((clip) => !clip.hasThumbnail);
  }

  /** The clip and its stored file (read from disk on use, not copied into memory). */
  async file(id: string): Promise<Parsed<{ clip: LibraryClip; file: File }>> {
    await this.#queue;
    const clip = findClip(this.index, id);
    if (!clip) return failure('err_library_no_clip', JSON.stringify(id));
    try {
      const file = await (await this.clipsDir.getFileHandle(clipFileName(clip))).getFile();
      return { ok: true, value: { clip, file } };
    } catch (error) {
      return failure('err_library_clip_missing', clip.title, errorMessage(error));
    }
  }

  /** Files go after the index no longer names them: a crash in between leaves orphans, removed at open. */
  async #removeFiles(clips: readonly LibraryClip[]): Promise<void> {
    for (const clip of clips) {
      await this.clipsDir.removeEntry(clipFileName(clip)).catch(() => undefined);
      await this.thumbnailsDir.removeEntry(thumbnailFileName(clip)).catch(() => undefined);
    }
  }
}
