/**
 * The library and editor pages read stored clips and thumbnails straight from the extension's OPFS (the
 * offscreen document writes them; same origin), as object URLs the caller revokes.
 */
import { clipFileName, LIBRARY_PATHS, thumbnailFileName, type LibraryClip } from '../../src/library/library-clip';

/** Each folder's handle, looked up once: every lookup is a round trip to the storage service. */
const folders = new Map<string, Promise<FileSystemDirectoryHandle>>();

function folder(name: string): Promise<FileSystemDirectoryHandle> {
  let handle = folders.get(name);
  if (!handle) {
    handle = navigator.storage.getDirectory().then((root) => root.getDirectoryHandle(name));
    handle.catch(() => folders.delete(name));
    folders.set(name, handle);
  }
  return handle;
}

async function fileIn(folderName: string, name: string): Promise<File | null> {
  try {
    return await (await (await folder(folderName)).getFileHandle(name)).getFile();
  } catch {
    return null;
  }
}

/** An object URL of the clip's thumbnail, or null when it has none (yet). */
export async function thumbnailUrl(clip: LibraryClip): Promise<string | null> {
  if (!clip.hasThumbnail) return null;
  const file = await fileIn(LIBRARY_PATHS.thumbnails, thumbnailFileName(clip));
  return file ? URL.createObjectURL(file) : null;
}

/** The clip's stored file (read from disk as it is used), or null when it is missing. */
export function clipFile(clip: LibraryClip): Promise<File | null> {
  return fileIn(LIBRARY_PATHS.clips, clipFileName(clip));
}

/** An object URL of the clip itself (read from disk as it plays), or null when it is missing. */
export async function clipUrl(clip: LibraryClip): Promise<string | null> {
  const file = await clipFile(clip);
  return file ? URL.createObjectURL(new Blob([file], { type: clip.format === 'gif' ? 'image/gif' : 'video/mp4' })) : null;
}
