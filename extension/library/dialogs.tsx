/** The library's modal dialogs: a clip playing, and the confirmation before a delete. */
import { useEffect, useRef } from 'preact/hooks';
import type { LibraryClip } from '../../src/library/library-clip';
import { describeClip } from '../../src/library/library-view';
import { useObjectUrl } from './hooks';
import { clipUrl } from './library-files';

export function Player({ clip, onClose }: { clip: LibraryClip; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const url = useObjectUrl(() => clipUrl(clip), clip.id);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} onClose={onClose} aria-label={clip.title}>
      {url ? clip.format === 'gif' ? <img src={url} alt={clip.title} /> : <video src={url} controls autoplay /> : <p class="muted">Loading…</p>}
      <div class="actions">
        <strong>{clip.title}</strong>
        <span class="muted">{describeClip(clip)}</span>
        <button onClick={() => dialog.current?.close()}>Close</button>
      </div>
    </dialog>
  );
}

export function ConfirmDelete({ clips, onConfirm, onClose }: { clips: LibraryClip[]; onConfirm(): void; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  const what = clips.length === 1 ? `"${clips[0]!.title}"` : `${clips.length} clips`;
  return (
    <dialog ref={dialog} onClose={onClose} class="confirm" aria-labelledby="confirm-delete-question">
      <p id="confirm-delete-question">Delete {what} from the library? Files already in your Downloads folder stay there.</p>
      <div class="actions">
        <button class="primary" onClick={() => { onConfirm(); dialog.current?.close(); }}>Delete</button>
        <button onClick={() => dialog.current?.close()}>Cancel</button>
      </div>
    </dialog>
  );
}
