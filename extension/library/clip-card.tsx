/** One clip in the library's grid: its thumbnail (a preview on hover or focus), what it is, its actions. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LibraryClip } from '../../src/library/library-clip';
import { describeClip } from '../../src/library/library-view';
import { Button } from '../ui/button';
import { useNearViewport, useObjectUrl } from './hooks';
import { clipUrl, thumbnailUrl } from './library-files';
import { t, uiLanguage } from '../i18n';

function Preview({ clip }: { clip: LibraryClip }) {
  const url = useObjectUrl(() => clipUrl(clip), clip.id);
  if (!url) return null;
  return clip.format === 'gif' ? <img src={url} alt="" /> : <video src={url} muted autoplay loop playsInline />;
}

export function Card(props: {
  clip: LibraryClip;
  /** The clip the page was opened on (`library.html#<id>`): outlined, and focusable to be focused. */
  marked: boolean;
  /** On the first screen: its thumbnail loads at once, without waiting for a layout. */
  eager: boolean;
  /** Its thumbnail has loaded, or it has none to load. */
  onThumbnailSettled(): void;
  selected: boolean;
  onSelect(selected: boolean): void;
  onOpen(): void;
  onDownload(): void;
  /** Opens the clip in the editor; absent for clips the editor cannot read (GIFs). */
  onEdit?: () => void;
  onRename(title: string): Promise<boolean>;
  onDelete(): void;
}) {
  const { clip } = props;
  const card = useRef<HTMLLIElement>(null);
  const near = useNearViewport(card, props.eager);
  const thumbnail = useObjectUrl(() => thumbnailUrl(clip), near && clip.hasThumbnail ? clip.id : null);
  useEffect(() => {
    if (!clip.hasThumbnail) props.onThumbnailSettled();
  }, []);
  const [previewing, setPreviewing] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(clip.title);
  const saved = new Date(clip.createdAt);

  const submitRename = async (event: Event) => {
    event.preventDefault();
    if (await props.onRename(title)) setRenaming(false);
  };

  return (
    <li ref={card} class={`card${props.selected ? ' selected' : ''}${props.marked ? ' marked' : ''}`} data-clip-id={clip.id} tabIndex={props.marked ? -1 : undefined}>
      <button
        class="thumb"
        // The name holds the visible text too, so what a voice user reads out is the button's name.
        aria-label={previewing || thumbnail ? t('lib_play', clip.title) : t('lib_play_no_preview', clip.title)}
        onClick={props.onOpen}
        onMouseEnter={() => setPreviewing(true)}
        onMouseLeave={() => setPreviewing(false)}
        onFocus={() => setPreviewing(true)}
        onBlur={() => setPreviewing(false)}
      >
        {previewing ? <Preview clip={clip} /> : thumbnail ? <img class="thumbnail" src={thumbnail} alt="" onLoad={props.onThumbnailSettled} onError={props.onThumbnailSettled} /> : <span class="muted">{t('lib_no_preview')}</span>}
      </button>
      <div class="body">
        {renaming ? (
          <form onSubmit={submitRename}>
            <input type="text" aria-label={t('lib_new_title')} value={title} onInput={(e) => setTitle(e.currentTarget.value)} autoFocus maxLength={200} />
          </form>
        ) : (
          <div class="title">{clip.title}</div>
        )}
        <div class="muted row">
          <time dateTime={saved.toISOString()}>{saved.toLocaleString(uiLanguage())}</time>
          <label>
            <input type="checkbox" checked={props.selected} onChange={(e) => props.onSelect(e.currentTarget.checked)} /> {t('lib_select')}
          </label>
        </div>
        <div class="muted meta">{describeClip(clip, t, uiLanguage())}{clip.hasAudio ? '' : ` · ${t('lib_no_sound')}`}</div>
        <div class="actions">
          <Button onClick={props.onDownload}>{t('lib_download')}</Button>
          {props.onEdit && <Button class="edit" onClick={props.onEdit}>{t('lib_edit')}</Button>}
          {renaming ? (
            <Button onClick={submitRename}>{t('lib_save_title')}</Button>
          ) : (
            <Button onClick={() => { setTitle(clip.title); setRenaming(true); }}>{t('lib_rename')}</Button>
          )}
          <Button variant="danger" onClick={props.onDelete}>{t('lib_delete')}</Button>
        </div>
      </div>
    </li>
  );
}
