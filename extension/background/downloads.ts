/** Downloads of clips the offscreen document hands out as blob URLs (it revokes each when its download ends). */
import { errorMessage } from '../../src/contract/errors';
import { askOffscreen, hasOffscreenDocument } from './offscreen-client';
import { readState, updateState } from './state';

/**
 * Starts the download of a blob URL; the URL is remembered so it is revoked when the download
 * ends. A failure gives Chrome's reason, for the caller's message (err_download_start...).
 */
export async function downloadBlobUrl(url: string, filename: string): Promise<{ ok: true; downloadId: number } | { ok: false; reason: string }> {
  let downloadId: number;
  try {
    downloadId = await chrome.downloads.download({ url, filename, conflictAction: 'uniquify', saveAs: false });
  } catch (error) {
    await askOffscreen({ type: 'revoke', url });
    return { ok: false, reason: errorMessage(error) };
  }
  await updateState((s) => ({ pendingDownloads: { ...s.pendingDownloads, [downloadId]: url } }));
  return { ok: true, downloadId };
}

/** How a download ended: its file's name (no folder), Chrome's interrupt reason, or not known. */
export type DownloadOutcome =
  | { state: 'complete'; filename: string }
  | { state: 'interrupted'; reason: string }
  /** Still running after the wait, or erased from the download list meanwhile. */
  | { state: 'unknown' };

/** Waits (at most `timeoutMs`) until Chrome has written the file or given up on it. */
export function downloadSettled(downloadId: number, timeoutMs: number): Promise<DownloadOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: DownloadOutcome) => {
      if (settled) return;
      settled = true;
      chrome.downloads.onChanged.removeListener(onChanged);
      clearTimeout(timer);
      resolve(outcome);
    };
    const check = async () => {
      const [item] = await chrome.downloads.search({ id: downloadId });
      if (!item) finish({ state: 'unknown' });
      else if (item.state === 'complete') finish({ state: 'complete', filename: item.filename.split(/[\\/]/).pop() ?? item.filename });
      else if (item.state === 'interrupted') finish({ state: 'interrupted', reason: item.error ?? 'FILE_FAILED' });
    };
    const onChanged = (delta: chrome.downloads.DownloadDelta) => {
      if (delta.id === downloadId && delta.state) void check();
    };
    const timer = setTimeout(() => finish({ state: 'unknown' }), timeoutMs);
    chrome.downloads.onChanged.addListener(onChanged);
    // It may have ended before the listener was added.
    void check();
  });
}

/** Revokes a clip's blob URL once Chrome has finished (or abandoned) writing it. */
export async function downloadEnded(downloadId: number): Promise<void> {
  const state = await readState();
  const url = state.pendingDownloads[downloadId];
  if (url === undefined) return;
  await updateState((s) => {
    const { [downloadId]: _done, ...rest } = s.pendingDownloads;
    return { pendingDownloads: rest };
  });
  if (await hasOffscreenDocument()) await askOffscreen({ type: 'revoke', url });
}
