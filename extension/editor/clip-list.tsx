/** The clips being joined, in output order: select one for the preview, reorder (drag or buttons), remove. */
import { useState } from 'preact/hooks';
import type { EditClip } from '../../src/edit/edit-state';
import { t } from '../i18n';
import { Button } from '../ui/button';
import { secondsText } from './format';
import type { Dispatch } from './timeline';

export function ClipList(props: { clips: readonly EditClip[]; titles: ReadonlyMap<string, string>; selectedId: string; dispatch: Dispatch; onSelect(id: string): void }) {
  const { clips, dispatch } = props;
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  return (
    <ol class="clip-list" aria-label={t('editor_clip_list')}>
      {clips.map((clip, index) => (
        <li
          key={clip.id}
          class={`${clip.id === props.selectedId ? 'selected' : ''}${over === index && dragged !== index ? ' drop-target' : ''}`}
          data-clip-id={clip.id}
          draggable
          onDragStart={(event) => {
            setDragged(index);
            event.dataTransfer?.setData('text/plain', clip.id);
          }}
          onDragOver={(event) => {
            event.preventDefault();
            setOver(index);
          }}
          onDragLeave={() => setOver((current) => (current === index ? null : current))}
          onDrop={(event) => {
            event.preventDefault();
            if (dragged !== null) dispatch({ type: 'move-clip', from: dragged, to: index });
            setDragged(null);
            setOver(null);
          }}
          onDragEnd={() => {
            setDragged(null);
            setOver(null);
          }}
        >
          <span class="grip" aria-hidden="true">⠿</span>
          <Button variant="quiet" class="name" onClick={() => props.onSelect(clip.id)} aria-pressed={clip.id === props.selectedId}>
            {index + 1}. {props.titles.get(clip.id) ?? clip.id}
          </Button>
          <span class="muted">{secondsText(clip.endUs - clip.startUs, 2)}</span>
          <span class="actions">
            <Button class="move-up" aria-label={t('editor_move_earlier', index + 1)} disabled={index === 0} onClick={() => dispatch({ type: 'move-clip', from: index, to: index - 1 })}>↑</Button>
            <Button class="move-down" aria-label={t('editor_move_later', index + 1)} disabled={index === clips.length - 1} onClick={() => dispatch({ type: 'move-clip', from: index, to: index + 1 })}>↓</Button>
            <Button variant="danger" class="remove" disabled={clips.length === 1} title={clips.length === 1 ? t('editor_last_clip_stays') : undefined} onClick={() => dispatch({ type: 'remove-clip', clip: index })}>{t('editor_remove')}</Button>
          </span>
        </li>
      ))}
    </ol>
  );
}
