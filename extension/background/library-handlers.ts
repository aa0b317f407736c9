/**
 * The clip library's requests: the offscreen document keeps the library, so each creates it when
 * needed (nothing needs to be recording).
 */
import type { LibraryDownloadReply, LibraryReply, OkReply } from '../../src/contract/messages';
import { failure } from '../../src/contract/errors';
import { clipFilename } from '../../src/settings/filename-template';
import { loadSettings } from '../settings-store';
import { downloadBlobUrl } from './downloads';
import { askOffscreen, ensureOffscreenDocument } from './offscreen-client';

export async function library(): Promise<LibraryReply> {
  await ensureOffscreenDocument();
  return askOffscreen({ type: 'library' });
}

/** Downloads a library clip again: the same bytes, named by the file-name template. */
export async function libraryDownload(id: string): Promise<LibraryDownloadReply> {
  await ensureOffscreenDocument();
  const [stored, { settings }] = await Promise.all([askOffscreen({ type: 'library-file', id }), loadSettings()]);
  if (!stored.ok) return stored;
  const { clip } = stored;
  const filename = clipFilename(settings.filenameTemplate, { title: clip.title, date: new Date(clip.createdAt), seconds: clip.durationSec }, clip.format);
  const download = await downloadBlobUrl(stored.url, filename);
  return download.ok ? { ok: true, filename } : failure('err_download_start', download.reason);
}

export async function libraryRename(id: string, title: string): Promise<OkReply> {
  await ensureOffscreenDocument();
  return askOffscreen({ type: 'library-rename', id, title });
}

export async function libraryDelete(ids: string[]): Promise<OkReply> {
  await ensureOffscreenDocument();
  return askOffscreen({ type: 'library-delete', ids });
}
