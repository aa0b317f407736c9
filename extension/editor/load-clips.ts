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
import { LocalError } from '../../src/contract/errors';
import { failureText } from '../i18n';

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
  if (ids.length === 0) throw new LocalError('editor_open_no_ids');
  const bad = ids.find((id) => !isClipId(id));
  if (bad !== undefined) throw new LocalError('editor_open_bad_id', bad);
  const listing = await send({ type: 'library' });
  if (!listing.ok) throw new Error(failureText(listing));
  const byId = new Map(listing.clips.map((clip) => [clip.id, clip]));
  const opened: OpenedClip[] = [];
  for (const id of ids) {
    const entry = byId.get(id);
    if (!entry) throw new LocalError('editor_open_not_in_library', id);
    if (entry.format !== 'mp4') throw new LocalError('editor_open_gif', entry.title);
    const file = await clipFile(entry);
    if (!file) throw new LocalError('editor_open_missing', entry.title);
    opened.push({ entry, file, source: await readEditSource(id, new BlobSource(file)) });
  }
  return opened;
}
