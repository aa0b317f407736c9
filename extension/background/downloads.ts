/** Downloads of clips the offscreen document hands out as blob URLs (it revokes each when its download ends). */
import { errorMessage } from '../../src/contract/errors';
import { askOffscreen, hasOffscreenDocument } from './offscreen-client';
import { readState, updateState } from './state';

/** Starts the download of a blob URL; the URL is remembered so it is revoked when the download ends. */
export async function downloadBlobUrl(url: string, filename: string): Promise<{ ok: true } | { ok: false; error: string }> {
  let downloadId: number;
  try {
    downloadId = await chrome.downloads.download({ url, filename, conflictAction: 'uniquify', saveAs: false });
  } catch (error) {
    await askOffscreen({ type: 'revoke', url });
    return { ok: false, error: `The download could not start: ${errorMessage(error)}` };
  }
  await updateState((s) => ({ pendingDownloads: { ...s.pendingDownloads, [downloadId]: url } }));
  return { ok: true };
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
