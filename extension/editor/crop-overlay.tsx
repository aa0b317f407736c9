/**
 * The crop rectangle over the preview: drawn by dragging on the picture, moved by dragging it
 * (or the arrow keys once focused: 2 px, 20 with Shift), resized by its corners, kept to the
 * chosen aspect. Positions are in the first clip's pixels; the reducer snaps them.
 */
import { useRef } from 'preact/hooks';
import type { CropRect } from '../../src/edit/composition';
import { aspectRatio, ASPECTS, type Aspect } from '../../src/edit/edit-state';
import type { Dispatch } from './timeline';
import { t } from '../i18n';
import { Button } from '../ui/button';
import { SegmentedControl } from '../ui/segmented-control';

const CORNERS = ['nw', 'ne', 'sw', 'se'] as const;
type Corner = (typeof CORNERS)[number];

type Drag =
  | { kind: 'move'; fromX: number; fromY: number; rect: CropRect }
  | { kind: 'resize'; anchorX: number; anchorY: number };

let gestures = 0;

/** The rectangle from a fixed corner to the pointer, grown to the aspect's shape. */
function spanRect(anchorX: number, anchorY: number, x: number, y: number, ratio: number | null): CropRect {
  let width = Math.abs(x - anchorX);
  let height = Math.abs(y - anchorY);
  if (ratio !== null) {
    width = Math.max(width, height * ratio);
    height = width / ratio;
  }
  return { x: x < anchorX ? anchorX - width : anchorX, y: y < anchorY ? anchorY - height : anchorY, width, height };
}

export function CropOverlay(props: { crop: CropRect | null; aspect: Aspect; frameWidth: number; frameHeight: number; dispatch: Dispatch }) {
  const { crop, frameWidth, frameHeight, dispatch } = props;
  const area = useRef<HTMLDivElement>(null);
  const drag = useRef<{ gesture: string; drag: Drag } | null>(null);
  const ratio = aspectRatio(props.aspect);

  const toFrame = (event: PointerEvent): { x: number; y: number } => {
    const rect = area.current!.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) / rect.width) * frameWidth, y: ((event.clientY - rect.top) / rect.height) * frameHeight };
  };
  const begin = (event: PointerEvent, next: Drag) => {
    event.preventDefault();
    event.stopPropagation();
    area.current!.setPointerCapture(event.pointerId);
    drag.current = { gesture: `crop-${++gestures}`, drag: next };
  };
  const onPointerMove = (event: PointerEvent) => {
    const current = drag.current;
    if (!current) return;
    const { x, y } = toFrame(event);
    const next = current.drag.kind === 'move'
      ? { ...current.drag.rect, x: current.drag.rect.x + x - current.drag.fromX, y: current.drag.rect.y + y - current.drag.fromY }
      : spanRect(current.drag.anchorX, current.drag.anchorY, x, y, ratio);
    dispatch({ type: 'set-crop', crop: next }, current.gesture);
  };
  const startCorner = (event: PointerEvent, corner: Corner) => {
    if (!crop) return;
    begin(event, { kind: 'resize', anchorX: corner.endsWith('w') ? crop.x + crop.width : crop.x, anchorY: corner.startsWith('n') ? crop.y + crop.height : crop.y });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (!crop) return;
    const step = event.shiftKey ? 20 : 2;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    dispatch({ type: 'set-crop', crop: { ...crop, x: crop.x + move[0], y: crop.y + move[1] } });
  };
  const pct = (value: number, of: number) => `${(value / of) * 100}%`;

  return (
    <div
      ref={area}
      class="crop-area"
      onPointerDown={(event) => {
        const { x, y } = toFrame(event);
        begin(event, { kind: 'resize', anchorX: x, anchorY: y });
      }}
      onPointerMove={onPointerMove}
      onPointerUp={() => { drag.current = null; }}
      onPointerCancel={() => { drag.current = null; }}
    >
      {crop && (
        <div
          class="crop-rect"
          tabIndex={0}
          role="group"
          aria-label={t('editor_crop_rect', crop.width, crop.height, crop.x, crop.y)}
          style={{ left: pct(crop.x, frameWidth), top: pct(crop.y, frameHeight), width: pct(crop.width, frameWidth), height: pct(crop.height, frameHeight) }}
          onPointerDown={(event) => {
            const { x, y } = toFrame(event);
            (event.currentTarget as HTMLElement).focus();
            begin(event, { kind: 'move', fromX: x, fromY: y, rect: crop });
          }}
          onKeyDown={onKeyDown}
        >
          {CORNERS.map((corner) => <span key={corner} class={`crop-corner ${corner}`} onPointerDown={(event) => startCorner(event, corner)} />)}
          <span class="crop-size">{crop.width}×{crop.height}</span>
        </div>
      )}
    </div>
  );
}

export function CropControls({ crop, aspect, dispatch }: { crop: CropRect | null; aspect: Aspect; dispatch: Dispatch }) {
  const options = ASPECTS.map((value) => ({ value, label: value === 'free' ? t('editor_aspect_free') : value }));
  return (
    <div class="actions crop-controls">
      <span class="muted" aria-hidden="true">{t('editor_crop')}</span>
      <SegmentedControl label={t('editor_crop')} options={options} value={aspect} onChange={(value) => dispatch({ type: 'set-aspect', aspect: value })} />
      <Button class="remove-crop" disabled={crop === null} onClick={() => dispatch({ type: 'set-crop', crop: null })}>{t('editor_remove_crop')}</Button>
      <span class="muted">{crop ? t('editor_crop_at', crop.width, crop.height, crop.x, crop.y) : t('editor_crop_whole')}</span>
    </div>
  );
}
