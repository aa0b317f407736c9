/**
 * The offscreen document: answers the service worker's requests for the one Recorder.
 */
import { dispatch, type Handlers } from '../src/contract/dispatch';
import { errorMessage, NOT_RECORDING_ERROR } from '../src/contract/errors';
import { idleStatus, type OkReply } from '../src/contract/messages';
import {
  isAddressedTo,
  parseOffscreenRequest,
  type OffscreenReplies,
  type OffscreenRequest,
  type ServiceWorkerEvent,
} from '../src/contract/offscreen-messages';
import type { LibraryClip } from '../src/library/library-clip';
import type { KeepInLibrary } from './clip-saver';
import { LibraryStore } from './library/library-store';
import { Recorder } from './recorder';
import { ThumbnailClient } from './thumbnail/thumbnail-client';

let recorder: Recorder | null = null;
/** Opened at its first use; a failed open is retried at the next. */
let library: Promise<LibraryStore> | null = null;
/** Blob URLs of library files handed out for re-downloads, revoked when each download ends. */
const libraryUrls = new Set<string>();

const thumbnails = new ThumbnailClient();

function openLibrary(): Promise<LibraryStore> {
  library ??= LibraryStore.open().then(
    (store) => {
      void makeMissingThumbnails(store);
      return store;
    },
    (error: unknown) => {
      library = null;
      throw new Error(`The clip library could not be opened: ${errorMessage(error)}`);
    },
  );
  return library;
}

/** User-timing name of making and storing a thumbnail (npm run bench reads it). */
const THUMBNAIL_MEASURE = 'looptab.library.thumbnail';

function makeThumbnail(store: LibraryStore, clip: Pick<LibraryClip, 'id' | 'format'>, file: Blob): Promise<void> {
  const startMs = performance.now();
  return thumbnails
    .make(clip.format, file)
    .then((image) => store.setThumbnail(clip.id, image))
    .then(
      () => void performance.measure(THUMBNAIL_MEASURE, { start: startMs }),
      (error: unknown) => console.error(`Looptab: no thumbnail for clip ${clip.id}: ${errorMessage(error)}`),
    );
}

/** A clip kept just before the document closed has no thumbnail yet: make it now, from its file. */
async function makeMissingThumbnails(store: LibraryStore): Promise<void> {
  for (const clip of await store.withoutThumbnail()) {
    const stored = await store.file(clip.id);
    if (stored.ok) await makeThumbnail(store, clip, stored.value.file);
  }
}

/** Keeps a saved clip; its thumbnail follows once made, so the save's reply does not wait for it. */
const keepInLibrary: KeepInLibrary = async (blob, clip, capBytes) => {
  const store = await openLibrary();
  const kept = await store.add(blob, { ...clip, hasThumbnail: false }, capBytes);
  if (!kept.ok) return kept;
  void makeThumbnail(store, kept.value.clip, blob);
  return { ok: true, value: kept.value.clip.id };
};

function notifyServiceWorker(event: ServiceWorkerEvent): void {
  chrome.runtime.sendMessage({ ...event, target: 'service-worker' }).catch(() => undefined);
}

const idle = idleStatus(null, 0, 0);
const notRecording: OkReply = { ok: false, error: NOT_RECORDING_ERROR };

async function stopRecorder(): Promise<void> {
  await recorder?.stop();
  recorder = null;
}

const handlers: Handlers<OffscreenRequest, OffscreenReplies> = {
  async start({ streamId, tabId, tabTitle, settings, captureSize }) {
    await stopRecorder();
    const started = new Recorder(tabId, tabTitle, settings, captureSize, {
      onStateChange: (state, error) => notifyServiceWorker({ type: 'state', state, error }),
      onProgress: (fraction) => notifyServiceWorker({ type: 'progress', fraction }),
      keep: keepInLibrary,
    });
    recorder = started;
    try {
      await started.start(streamId);
      return { ok: true };
    } catch (error) {
      await stopRecorder();
      return { ok: false, error: errorMessage(error) };
    }
  },
  async stop() {
    await stopRecorder();
    return { ok: true };
  },
  pause() {
    if (!recorder) return notRecording;
    recorder.pause();
    return { ok: true };
  },
  resume() {
    if (!recorder) return notRecording;
    recorder.resume();
    return { ok: true };
  },
  status: () => recorder?.status() ?? idle,
  save({ seconds, format, postRollSec, gif, library: target }) {
    if (!recorder) return notRecording;
    return recorder.save({ seconds, format, postRollSec, gif, library: target });
  },
  cancel() {
    if (!recorder?.cancelExports()) return { ok: false, error: 'No GIF is being made.' };
    return { ok: true };
  },
  revoke({ url }) {
    if (libraryUrls.delete(url)) URL.revokeObjectURL(url);
    else recorder?.revoke(url);
    return { ok: true };
  },
  kept({ url }) {
    if (!recorder) return notRecording;
    return recorder.kept(url);
  },
  async library() {
    return { ok: true, ...(await (await openLibrary()).list()) };
  },
  async 'library-file'({ id }) {
    const stored = await (await openLibrary()).file(id);
    if (!stored.ok) return stored;
    const url = URL.createObjectURL(stored.value.file);
    libraryUrls.add(url);
    return { ok: true, url, clip: stored.value.clip };
  },
  async 'library-rename'({ id, title }) {
    const renamed = await (await openLibrary()).rename(id, title);
    return renamed.ok ? { ok: true } : renamed;
  },
  async 'library-delete'({ ids }) {
    const removed = await (await openLibrary()).remove(ids);
    return removed.ok ? { ok: true } : removed;
  },
};

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !isAddressedTo(message, 'offscreen')) return false;
  const parsed = parseOffscreenRequest(message);
  if (!parsed.ok) {
    sendResponse({ ok: false, error: parsed.error });
    return false;
  }
  dispatch(handlers, parsed.value).then(sendResponse, (error: unknown) => sendResponse({ ok: false, error: errorMessage(error) }));
  return true;
});
