/** The library's modal dialogs: a clip playing, and the confirmation before a delete. */
import type { LibraryClip } from '../../src/library/library-clip';
import { describeClip } from '../../src/library/library-view';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { useObjectUrl } from './hooks';
import { clipUrl } from './library-files';
import { t, uiLanguage } from '../i18n';

export function Player({ clip, onClose }: { clip: LibraryClip; onClose(): void }) {
  const url = useObjectUrl(() => clipUrl(clip), clip.id);
  return (
    <Dialog class="player" title={clip.title} onClose={onClose} actions={<Button onClick={onClose}>{t('lib_close')}</Button>}>
      {url ? clip.format === 'gif' ? <img src={url} alt={clip.title} /> : <video src={url} controls autoplay /> : <p class="muted">{t('lib_loading_clip')}</p>}
      <span class="muted">{describeClip(clip, t, uiLanguage())}</span>
    </Dialog>
  );
}

export function ConfirmDelete({ clips, onConfirm, onClose }: { clips: LibraryClip[]; onConfirm(): void; onClose(): void }) {
  const question = clips.length === 1 ? t('lib_confirm_one', clips[0]!.title) : t('lib_confirm_many', clips.length);
  return (
    <Dialog class="confirm" title={question} onClose={onClose} actions={<>
      <Button variant="primary" onClick={() => { onConfirm(); onClose(); }}>{t('lib_delete')}</Button>
      <Button onClick={onClose}>{t('lib_cancel')}</Button>
    </>} />
  );
}
