/**
 * The timeline: one track per clip, in output order, each with its thumbnail strip, its audio
 * waveform and its in and out handles. A handle is dragged with the pointer or, once focused,
 * moved by the arrow keys: one frame a press, one second with Shift.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { EditSource } from '../../src/edit/composition';
import { snapEdgeUs, type Edge, type EditAction, type EditClip } from '../../src/edit/edit-state';
import { US_PER_S } from '../../src/units';
import { t } from '../i18n';
import { secondsText } from './format';
import { audioPeaks, thumbnailStrip } from './clip-media';

/** The canvases' own resolution; CSS stretches them to the track's width. */
const LANE_WIDTH_PX = 960;
const STRIP_HEIGHT_PX = 54;
const WAVE_HEIGHT_PX = 40;

export type Dispatch = (action: EditAction, gesture?: string) => void;

let gestures = 0;
const seconds = (us: number): string => secondsText(us);

function ThumbnailStrip({ clipKey, file, aspect }: { clipKey: string; file: File; aspect: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let live = true;
    const count = Math.max(1, Math.round(LANE_WIDTH_PX / (STRIP_HEIGHT_PX * aspect)));
    thumbnailStrip(clipKey, file, count, STRIP_HEIGHT_PX).then((strip) => {
      const target = canvas.current;
      if (!live || !target) return;
      target.getContext('2d')!.drawImage(strip, 0, 0, target.width, target.height);
      target.dataset.drawn = 'true';
    }, (error: unknown) => {
      if (live && canvas.current) canvas.current.title = t('editor_no_thumbnails', error instanceof Error ? error.message : String(error));
    });
    return () => { live = false; };
  }, [clipKey]);
  return <canvas ref={canvas} class="thumbnails" width={LANE_WIDTH_PX} height={STRIP_HEIGHT_PX} aria-hidden="true" />;
}

function Waveform({ clipKey, file }: { clipKey: string; file: File }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let live = true;
    audioPeaks(clipKey, file, LANE_WIDTH_PX / 2).then((peaks) => {
      const target = canvas.current;
      if (!live || !target) return;
      const context = target.getContext('2d')!;
      context.clearRect(0, 0, target.width, target.height);
      if (!peaks) {
        target.title = t('editor_no_sound');
        return;
      }
      context.fillStyle = getComputedStyle(target).color;
      const middle = target.height / 2;
      peaks.forEach((peak, i) => {
        const half = Math.max(0.5, peak * middle);
        context.fillRect(i * 2, middle - half, 1.5, 2 * half);
      });
      target.dataset.drawn = 'true';
    }, (error: unknown) => {
      if (live && canvas.current) canvas.current.title = t('editor_no_waveform', error instanceof Error ? error.message : String(error));
    });
    return () => { live = false; };
  }, [clipKey]);
  return <canvas ref={canvas} class="waveform" width={LANE_WIDTH_PX} height={WAVE_HEIGHT_PX} aria-hidden="true" />;
}

function Handle(props: { index: number; clip: EditClip; edge: Edge; frameTimesUs: readonly number[]; lane: { current: HTMLDivElement | null }; dispatch: Dispatch; onMoved(edge: Edge): void }) {
  const { index, clip, edge, frameTimesUs, dispatch } = props;
  const timeUs = edge === 'in' ? clip.startUs : clip.endUs;
  const drag = useRef<string | null>(null);
  const moveTo = (clientX: number) => {
    const rect = props.lane.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return;
    const atUs = ((clientX - rect.left) / rect.width) * clip.durationUs;
    dispatch({ type: 'set-edge', clip: index, edge, timeUs: snapEdgeUs(clip, edge, frameTimesUs, atUs) }, drag.current ?? undefined);
    props.onMoved(edge);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const direction = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (direction === 0) return;
    event.preventDefault();
    if (event.shiftKey) {
      dispatch({ type: 'set-edge', clip: index, edge, timeUs: snapEdgeUs(clip, edge, frameTimesUs, timeUs + direction * US_PER_S) });
    } else {
      dispatch({ type: 'step-edge', clip: index, edge, frames: direction, frameTimesUs });
    }
    props.onMoved(edge);
  };
  return (
    <div
      class={`handle ${edge}`}
      role="slider"
      tabIndex={0}
      aria-label={t(edge === 'in' ? 'editor_in_point' : 'editor_out_point', index + 1)}
      aria-valuemin={0}
      aria-valuemax={clip.durationUs / US_PER_S}
      aria-valuenow={timeUs / US_PER_S}
      aria-valuetext={seconds(timeUs)}
      data-time-us={timeUs}
      style={{ left: `${(timeUs / clip.durationUs) * 100}%` }}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => {
        event.preventDefault();
        event.currentTarget.focus();
        event.currentTarget.setPointerCapture(event.pointerId);
        drag.current = `drag-${++gestures}`;
      }}
      onPointerMove={(event) => drag.current && moveTo(event.clientX)}
      onPointerUp={() => { drag.current = null; }}
      onPointerCancel={() => { drag.current = null; }}
    />
  );
}

function Track(props: { index: number; clip: EditClip; title: string; file: File; source: EditSource; selected: boolean; dispatch: Dispatch; onSelect(): void; onEdgeMoved(edge: Edge): void }) {
  const { index, clip, source } = props;
  const lane = useRef<HTMLDivElement>(null);
  const startPct = (clip.startUs / clip.durationUs) * 100;
  const endPct = (clip.endUs / clip.durationUs) * 100;
  return (
    <li class={`track${props.selected ? ' selected' : ''}`} data-clip-id={clip.id} onPointerDown={props.onSelect}>
      <div class="track-head">
        <strong>{index + 1}. {props.title}</strong>
        <span class="muted range">{t('editor_track_range', seconds(clip.startUs), seconds(clip.endUs), seconds(clip.endUs - clip.startUs), seconds(clip.durationUs))}</span>
      </div>
      <div class="lane" ref={lane}>
        <ThumbnailStrip clipKey={clip.id} file={props.file} aspect={source.width / source.height} />
        <Waveform clipKey={clip.id} file={props.file} />
        <div class="shade" style={{ left: 0, width: `${startPct}%` }} />
        <div class="shade" style={{ left: `${endPct}%`, right: 0 }} />
        {(['in', 'out'] as const).map((edge) => (
          <Handle key={edge} index={index} clip={clip} edge={edge} frameTimesUs={source.frameTimesUs} lane={lane} dispatch={props.dispatch} onMoved={props.onEdgeMoved} />
        ))}
      </div>
    </li>
  );
}

export function Timeline(props: {
  clips: readonly EditClip[];
  titles: ReadonlyMap<string, string>;
  files: ReadonlyMap<string, File>;
  sources: ReadonlyMap<string, EditSource>;
  selectedId: string;
  dispatch: Dispatch;
  onSelect(id: string): void;
  onEdgeMoved(id: string, edge: Edge): void;
}) {
  return (
    <ol class="timeline" aria-label={t('editor_timeline')}>
      {props.clips.map((clip, index) => (
        <Track
          key={clip.id}
          index={index}
          clip={clip}
          title={props.titles.get(clip.id) ?? clip.id}
          file={props.files.get(clip.id)!}
          source={props.sources.get(clip.id)!}
          selected={clip.id === props.selectedId}
          dispatch={props.dispatch}
          onSelect={() => props.onSelect(clip.id)}
          onEdgeMoved={(edge) => props.onEdgeMoved(clip.id, edge)}
        />
      ))}
    </ol>
  );
}
