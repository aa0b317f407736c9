/**
 * What the editor opens: the clips named in its URL (`editor.html?ids=<id>,<id>`), their library
 * entries (asked of the service worker), their stored files and what the composition model needs
 * of each (frame times, keyframes, size), read from the file itself.
 */
import { BlobSource } from 'mediabunny';
import type { PublicReplies, PublicRequest } from '../../src/contract/messages';
import type { EditSource } from '../../src/edit/composition';
import { readEditSource } from '../../src/edit/read-source';
import { isClipId, type LibraryClip } from '../../src/library/library-clip';
import { clipFile } from '../library/library-files';

export function send<T extends PublicRequest>(request: T): Promise<PublicReplies[T['type']]> {
  return chrome.runtime.sendMessage(request);
}

export interface OpenedClip {
  entry: LibraryClip;
  file: File;
  source: EditSource;
}

/** The ids in the page's query, each once, in order. */
export function idsFromQuery(search: string): string[] {
  const ids = (new URLSearchParams(search).get('ids') ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
  return [...new Set(ids)];
}

/** Opens every clip, or throws saying which one cannot be edited and why. */
export async function openClips(ids: readonly string[]): Promise<OpenedClip[]> {
  if (ids.length === 0) throw new Error('No clip to edit: open the editor from the library (a clip\'s Edit button).');
  const bad = ids.find((id) => !isClipId(id));
  if (bad !== undefined) throw new Error(`"${bad}" is not a clip id.`);
  const listing = await send({ type: 'library' });
  if (!listing.ok) throw new Error(listing.error);
  const byId = new Map(listing.clips.map((clip) => [clip.id, clip]));
  const opened: OpenedClip[] = [];
  for (const id of ids) {
    const entry = byId.get(id);
    if (!entry) throw new Error(`Clip ${id} is not in the library (deleted?).`);
    if (entry.format !== 'mp4') throw new Error(`"${entry.title}" is a GIF: only MP4 clips can be edited.`);
    const file = await clipFile(entry);
    if (!file) throw new Error(`"${entry.title}" is missing from storage.`);
    opened.push({ entry, file, source: await readEditSource(id, new BlobSource(file)) });
  }
  return opened;
}
