/**
 * The region page: the armed tab's latest picture, a rectangle dragged on it, and the buttons
 * that record only that part of the tab or the whole tab again. The rectangle is kept in the
 * picture's frame pixels; the request speaks CSS pixels of the tab's viewport.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PublicReplies, PublicRequest, RegionFrameReply } from '../../src/contract/messages';
import type { CropRect } from '../../src/edit/composition';
import { applyAspect, ASPECT_PRESETS, cssToFrameRect, frameToCssRect, type AspectPreset, type RegionRect } from '../../src/region/region-rect';
import { CropOverlay } from '../editor/crop-overlay';
import type { Dispatch } from '../editor/timeline';

type Picture = Extract<RegionFrameReply, { ok: true }>;
type Message = { kind: 'ok' | 'error' | 'info'; text: string } | null;

function send<T extends PublicRequest>(request: T): Promise<PublicReplies[T['type']]> {
  return chrome.runtime.sendMessage(request);
}

/** Whole pixels inside the frame, as the overlay shows them. */
function clampToFrame(rect: RegionRect, frame: { width: number; height: number }): RegionRect {
  const x = Math.min(Math.max(0, Math.round(rect.x)), frame.width - 1);
  const y = Math.min(Math.max(0, Math.round(rect.y)), frame.height - 1);
  return { x, y, width: Math.max(1, Math.min(Math.round(rect.width), frame.width - x)), height: Math.max(1, Math.min(Math.round(rect.height), frame.height - y)) };
}

const describe = (rect: RegionRect): string => `${Math.round(rect.width)}×${Math.round(rect.height)} at ${Math.round(rect.x)},${Math.round(rect.y)}`;

function RegionPage() {
  const [picture, setPicture] = useState<Picture | null>(null);
  const [rect, setRect] = useState<CropRect | null>(null);
  const [aspect, setAspect] = useState<AspectPreset>('free');
  const [message, setMessage] = useState<Message>({ kind: 'info', text: 'Taking a picture of the tab…' });

  const load = async (): Promise<void> => {
    const reply = await send({ type: 'region-frame' });
    if (!reply.ok) {
      setMessage({ kind: 'error', text: reply.error });
      return;
    }
    setPicture(reply);
    setRect(reply.region ? clampToFrame(cssToFrameRect(reply.region, reply.viewportCss, reply.frame), reply.frame) : null);
    setMessage(reply.region ? { kind: 'info', text: `Recording the region ${describe(reply.region)} (CSS px).` } : { kind: 'info', text: 'Recording the whole tab. Drag on the picture to choose a region.' });
  };
  useEffect(() => void load(), []);

  if (!picture) return <><h1>Region</h1>{message && <div class={`banner ${message.kind}`} role="status">{message.text}</div>}</>;
  const { frame } = picture;
  // The overlay sends the editor's crop actions; only these two mean anything here.
  const dispatch: Dispatch = (action) => {
    if (action.type === 'set-crop') setRect(action.crop ? clampToFrame(action.crop, frame) : null);
  };
  const chooseAspect = (next: AspectPreset) => {
    setAspect(next);
    if (rect && next !== 'free') setRect(clampToFrame(applyAspect(rect, next, frame), frame));
  };
  const apply = async (chosen: CropRect | null) => {
    setMessage({ kind: 'info', text: chosen ? 'Setting the region…' : 'Back to the whole tab…' });
    const reply = await send({ type: 'region', rect: chosen ? frameToCssRect(chosen, picture.viewportCss, frame) : null });
    if (!reply.ok) {
      setMessage({ kind: 'error', text: reply.error });
      return;
    }
    setRect(reply.rect ? clampToFrame(cssToFrameRect(reply.rect, picture.viewportCss, frame), frame) : null);
    setMessage({ kind: 'ok', text: reply.rect ? `Recording only ${describe(reply.rect)} (CSS px) from now on. Clips from before keep the whole tab.` : 'Recording the whole tab.' });
  };

  return (
    <>
      <h1>Region</h1>
      <p class="muted">Drag on the picture to record only that part of the tab: smaller files, a sharper picture. The region stays for this tab until you clear it.</p>
      <div class="region-actions" role="group" aria-label="Shape">
        {ASPECT_PRESETS.map((value) => (
          <button key={value} aria-pressed={aspect === value} onClick={() => chooseAspect(value)} title={value === 'free' ? 'Any shape' : `Keep ${value}`}>
            {value === 'free' ? 'Free' : value}
          </button>
        ))}
      </div>
      <div class="region-picture">
        <img src={picture.url} alt="The recorded tab's latest picture" width={frame.width} height={frame.height} />
        <CropOverlay crop={rect} aspect={aspect} frameWidth={frame.width} frameHeight={frame.height} dispatch={dispatch} />
      </div>
      <div class="region-actions">
        <button class="primary" disabled={!rect} onClick={() => void apply(rect)}>Record this region</button>
        <button onClick={() => void apply(null)}>Whole tab</button>
        <button onClick={() => void load()}>New picture</button>
        <span class="muted">{rect ? `${rect.width}×${rect.height} px of the ${frame.width}×${frame.height} capture` : 'No region: the whole tab'}</span>
      </div>
      {message && <div class={`banner ${message.kind}`} role="status" aria-live="polite">{message.text}</div>}
    </>
  );
}

render(<RegionPage />, document.getElementById('app')!);
