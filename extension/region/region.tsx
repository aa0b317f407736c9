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
import { failureText, t, uiLanguage } from '../i18n';

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

const describe = (rect: RegionRect): string => t('region_rect', Math.round(rect.width), Math.round(rect.height), Math.round(rect.x), Math.round(rect.y));

function RegionPage() {
  const [picture, setPicture] = useState<Picture | null>(null);
  const [rect, setRect] = useState<CropRect | null>(null);
  const [aspect, setAspect] = useState<AspectPreset>('free');
  const [message, setMessage] = useState<Message>({ kind: 'info', text: t('region_taking_picture') });

  const load = async (): Promise<void> => {
    const reply = await send({ type: 'region-frame' });
    if (!reply.ok) {
      setMessage({ kind: 'error', text: failureText(reply) });
      return;
    }
    setPicture(reply);
    setRect(reply.region ? clampToFrame(cssToFrameRect(reply.region, reply.viewportCss, reply.frame), reply.frame) : null);
    setMessage(reply.region ? { kind: 'info', text: t('region_recording_region', describe(reply.region)) } : { kind: 'info', text: t('region_recording_whole_drag') });
  };
  useEffect(() => void load(), []);

  if (!picture) return <><h1>{t('region_heading')}</h1>{message && <div class={`banner ${message.kind}`} role="status">{message.text}</div>}</>;
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
    setMessage({ kind: 'info', text: chosen ? t('region_setting') : t('region_back_to_whole') });
    const reply = await send({ type: 'region', rect: chosen ? frameToCssRect(chosen, picture.viewportCss, frame) : null });
    if (!reply.ok) {
      setMessage({ kind: 'error', text: failureText(reply) });
      return;
    }
    setRect(reply.rect ? clampToFrame(cssToFrameRect(reply.rect, picture.viewportCss, frame), frame) : null);
    setMessage({ kind: 'ok', text: reply.rect ? t('region_recording_only', describe(reply.rect)) : t('region_recording_whole') });
  };

  return (
    <>
      <h1>{t('region_heading')}</h1>
      <p class="muted">{t('region_intro')}</p>
      <div class="region-actions" role="group" aria-label={t('region_shape')}>
        {ASPECT_PRESETS.map((value) => (
          <button key={value} aria-pressed={aspect === value} onClick={() => chooseAspect(value)} title={value === 'free' ? t('region_any_shape') : t('region_keep_aspect', value)}>
            {value === 'free' ? t('region_free') : value}
          </button>
        ))}
      </div>
      <div class="region-picture">
        <img src={picture.url} alt={t('region_picture_alt')} width={frame.width} height={frame.height} />
        <CropOverlay crop={rect} aspect={aspect} frameWidth={frame.width} frameHeight={frame.height} dispatch={dispatch} />
      </div>
      <div class="region-actions">
        <button class="primary" disabled={!rect} onClick={() => void apply(rect)}>{t('region_record_this')}</button>
        <button onClick={() => void apply(null)}>{t('region_whole_tab')}</button>
        <button onClick={() => void load()}>{t('region_new_picture')}</button>
        <span class="muted">{rect ? t('region_size_of_capture', rect.width, rect.height, frame.width, frame.height) : t('region_none')}</span>
      </div>
      {message && <div class={`banner ${message.kind}`} role="status" aria-live="polite">{message.text}</div>}
    </>
  );
}

document.documentElement.lang = uiLanguage();
document.title = t('region_page_title');
render(<RegionPage />, document.getElementById('app')!);
