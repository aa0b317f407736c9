/** The library's modal dialogs: a clip playing, and the confirmation before a delete. */
import { useEffect, useRef } from 'preact/hooks';
import type { LibraryClip } from '../../src/library/library-clip';
import { describeClip } from '../../src/library/library-view';
import { useObjectUrl } from './hooks';
import { clipUrl } from './library-files';
import { t, uiLanguage } from '../i18n';

export function Player({ clip, onClose }: { clip: LibraryClip; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const url = useObjectUrl(() => clipUrl(clip), clip.id);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} onClose={onClose} aria-label={clip.title}>
      {url ? clip.format === 'gif' ? <img src={url} alt={clip.title} /> : <video src={url} controls autoplay /> : <p class="muted">{t('lib_loading_clip')}</p>}
      <div class="actions">
        <strong>{clip.title}</strong>
        <span class="muted">{describeClip(clip, t, uiLanguage())}</span>
        <button onClick={() => dialog.current?.close()}>{t('lib_close')}</button>
      </div>
    </dialog>
  );
}

export function ConfirmDelete({ clips, onConfirm, onClose }: { clips: LibraryClip[]; onConfirm(): void; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  const question = clips.length === 1 ? t('lib_confirm_one', clips[0]!.title) : t('lib_confirm_many', clips.length);
  return (
    <dialog ref={dialog} onClose={onClose} class="confirm" aria-labelledby="confirm-delete-question">
      <p id="confirm-delete-question">{question}</p>
      <div class="actions">
        <button class="primary" onClick={() => { onConfirm(); dialog.current?.close(); }}>{t('lib_delete')}</button>
        <button onClick={() => dialog.current?.close()}>{t('lib_cancel')}</button>
      </div>
    </dialog>
  );
}
