/**
 * The selected clip's preview: a <video> of its stored file that plays the trimmed range over
 * and over, with the crop drawn on it. Moving an edge shows that edge: the in point from itself,
 * the out point from a second before it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CropRect } from '../../src/edit/composition';
import type { Aspect, Edge, EditClip } from '../../src/edit/edit-state';
import { usToSeconds } from '../../src/units';
import { t } from '../i18n';
import { secondsOf } from './format';
import { useObjectUrl } from '../library/hooks';
import { CropOverlay } from './crop-overlay';
import { Button } from '../ui/button';
import type { Dispatch } from './timeline';

/** How far before the out point the preview restarts when the out point moves. */
const OUT_LEAD_SEC = 1;

export function Preview(props: {
  clip: EditClip;
  file: File;
  /** The last edge moved, with a counter so moving it again seeks again. */
  moved: { edge: Edge; count: number } | null;
  crop: CropRect | null;
  aspect: Aspect;
  /** The first clip's frame: the crop's pixels. */
  frame: { width: number; height: number };
  dispatch: Dispatch;
}) {
  const { clip } = props;
  const url = useObjectUrl(async () => URL.createObjectURL(props.file), clip.id);
  const video = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(true);
  const [paused, setPaused] = useState(false);
  const startSec = usToSeconds(clip.startUs);
  const endSec = usToSeconds(clip.endUs);

  // Loops in..out: checked at every frame shown (and at timeupdate, which also catches seeks).
  useEffect(() => {
    const element = video.current;
    if (!element) return undefined;
    let handle = 0;
    const keepInRange = (timeSec: number) => {
      if (timeSec >= endSec - 0.001 || timeSec < startSec - 0.05) element.currentTime = startSec;
    };
    const onFrame = (_now: number, metadata: VideoFrameCallbackMetadata) => {
      keepInRange(metadata.mediaTime);
      handle = element.requestVideoFrameCallback(onFrame);
    };
    handle = element.requestVideoFrameCallback(onFrame);
    const onTime = () => keepInRange(element.currentTime);
    const onEnded = () => {
      element.currentTime = startSec;
      void element.play().catch(() => {});
    };
    element.addEventListener('timeupdate', onTime);
    element.addEventListener('ended', onEnded);
    return () => {
      element.cancelVideoFrameCallback(handle);
      element.removeEventListener('timeupdate', onTime);
      element.removeEventListener('ended', onEnded);
    };
  }, [url, startSec, endSec]);

  useEffect(() => {
    const element = video.current;
    if (!element || !props.moved) return;
    element.currentTime = props.moved.edge === 'in' ? startSec : Math.max(startSec, endSec - OUT_LEAD_SEC);
  }, [props.moved]);

  const toggle = () => {
    const element = video.current;
    if (!element) return;
    if (element.paused) void element.play().catch(() => {});
    else element.pause();
  };

  return (
    <div class="preview">
      <div class="stage" style={{ aspectRatio: `${props.frame.width} / ${props.frame.height}` }}>
        {url && (
          <video
            ref={video}
            src={url}
            muted={muted}
            autoplay
            playsInline
            onPlay={() => setPaused(false)}
            onPause={() => setPaused(true)}
            onLoadedMetadata={(event) => { event.currentTarget.currentTime = startSec; }}
          />
        )}
        <CropOverlay crop={props.crop} aspect={props.aspect} frameWidth={props.frame.width} frameHeight={props.frame.height} dispatch={props.dispatch} />
      </div>
      <div class="actions">
        <Button class="play" onClick={toggle}>{paused ? t('editor_play') : t('editor_pause')}</Button>
        <label><input type="checkbox" checked={!muted} onChange={(event) => setMuted(!event.currentTarget.checked)} /> {t('editor_sound')}</label>
        <span class="muted">{t('editor_plays', secondsOf(clip.startUs), secondsOf(clip.endUs))}</span>
      </div>
    </div>
  );
}
