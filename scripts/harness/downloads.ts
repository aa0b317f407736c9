// When a download is whole on disk, as Chromium's own download system says so.
//
// CDP's Browser.downloadWillBegin / downloadProgress would be the natural source, but Chromium
// only emits them for downloads that belong to a frame: `chrome.downloads.download` called from
// an extension page fires them, called from the service worker (as Looptab does) fires nothing.
// So the witness is the service worker itself: `chrome.downloads.onCreated` and `onChanged`
// (state 'complete' comes after the file has its final name). Times are taken there and moved
// onto this process's `performance.now()` clock with an offset measured over a round trip.
import type { WebWorker } from 'puppeteer-core';

/** A download Chromium has finished writing. Times are this process's `performance.now()`. */
export interface CompletedDownload {
  /** `chrome.downloads` id. */
  id: number;
  url: string;
  /** Full path of the finished file. */
  file: string;
  bytes: number;
  /** When `chrome.downloads.onCreated` fired: Chromium accepted the download. */
  createdAtMs: number;
  /** When `chrome.downloads.onChanged` reported state `complete`: the file is final. */
  completedAtMs: number;
}

/** A watch for the next download; `completed()` waits for it (at most the watch's timeout). */
export interface DownloadWatch {
  completed(): Promise<CompletedDownload>;
}

/** What the service worker reports, its times in epoch ms on its own clock. */
interface WorkerDownload {
  id: number;
  url: string;
  file: string;
  bytes: number;
  createdAtEpochMs: number;
  completedAtEpochMs: number;
}

/**
 * State kept on the service worker's global object. Functions evaluated in the browser must use
 * only globals (so `performance` is the global one here, never imported: a bundler would
 * rename an import) and no named inner functions (tsx wraps those in a `__name` helper).
 */
interface WorkerWatches {
  nextId: number;
  pending: Map<number, { downloadId: number | null; createdAtEpochMs: number; resolve(d: WorkerDownload): void; reject(e: Error): void }>;
  results: Map<number, Promise<WorkerDownload>>;
}

/** Starts watching in `worker` for the first download created after this call. */
export async function watchNextDownload(worker: WebWorker, timeoutMs: number): Promise<DownloadWatch> {
  const beforeMs = performance.now();
  const { watchId, workerNowEpochMs } = await worker.evaluate(installWatch, timeoutMs);
  const afterMs = performance.now();
  // Worker epoch ms minus this process's performance.now(), at the round trip's midpoint.
  const offsetMs = workerNowEpochMs - (beforeMs + afterMs) / 2;
  return {
    async completed() {
      const done = await worker.evaluate(takeResult, watchId);
      return {
        id: done.id,
        url: done.url,
        file: done.file,
        bytes: done.bytes,
        createdAtMs: done.createdAtEpochMs - offsetMs,
        completedAtMs: done.completedAtEpochMs - offsetMs,
      };
    },
  };
}

/** Runs in the service worker. */
function installWatch(timeoutMs: number): { watchId: number; workerNowEpochMs: number } {
  const scope = globalThis as unknown as { looptabHarnessDownloads?: WorkerWatches };
  let state = scope.looptabHarnessDownloads;
  if (!state) {
    const created: WorkerWatches = { nextId: 1, pending: new Map(), results: new Map() };
    state = scope.looptabHarnessDownloads = created;
    chrome.downloads.onCreated.addListener((item) => {
      const watch = [...created.pending.values()].find((w) => w.downloadId === null);
      if (!watch) return;
      watch.downloadId = item.id;
      watch.createdAtEpochMs = performance.timeOrigin + performance.now();
    });
    chrome.downloads.onChanged.addListener((delta) => {
      const stateNow = delta.state?.current;
      if (stateNow !== 'complete' && stateNow !== 'interrupted') return;
      const completedAtEpochMs = performance.timeOrigin + performance.now();
      for (const [watchId, watch] of created.pending) {
        if (watch.downloadId !== delta.id) continue;
        created.pending.delete(watchId);
        if (stateNow === 'interrupted') {
          watch.reject(new Error(`download ${delta.id} was interrupted: ${delta.error?.current ?? 'no reason given'}`));
          return;
        }
        void chrome.downloads.search({ id: delta.id }).then(([item]) => {
          if (!item) return watch.reject(new Error(`download ${delta.id} completed but is not listed`));
          watch.resolve({ id: item.id, url: item.url, file: item.filename, bytes: item.fileSize, createdAtEpochMs: watch.createdAtEpochMs, completedAtEpochMs });
        }, (error: unknown) => watch.reject(new Error(String(error))));
      }
    });
  }
  const watches = state;
  const watchId = watches.nextId++;
  const result = new Promise<WorkerDownload>((resolve, reject) => {
    watches.pending.set(watchId, { downloadId: null, createdAtEpochMs: NaN, resolve, reject });
    setTimeout(() => {
      const watch = watches.pending.get(watchId);
      if (!watch) return;
      watches.pending.delete(watchId);
      reject(new Error(`no download ${watch.downloadId === null ? 'was created' : `(id ${watch.downloadId}) completed`} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  // Marked handled so a watch nobody waits for does not log an unhandled rejection.
  result.catch(() => undefined);
  watches.results.set(watchId, result);
  return { watchId, workerNowEpochMs: performance.timeOrigin + performance.now() };
}

/** Runs in the service worker. */
async function takeResult(watchId: number): Promise<WorkerDownload> {
  const scope = globalThis as unknown as { looptabHarnessDownloads?: WorkerWatches };
  const result = scope.looptabHarnessDownloads?.results.get(watchId);
  if (!result) throw new Error(`download watch ${watchId} is unknown (did the service worker restart?)`);
  scope.looptabHarnessDownloads?.results.delete(watchId);
  return result;
}
