/**
 * The editor page's state and every change a user can make to it, as named actions of one pure
 * reducer, with an undo history over it. Each action keeps the state exportable where it can:
 * in and out points stay inside their clip and apart, a crop stays on even pixels inside the
 * first clip's frame and keeps the chosen aspect (a crop of the whole frame is no crop). What checkSpec still refuses (a dissolve longer
 * than a clip) is shown by the page, not hidden here.
 */
import type { ClipFormat } from '../clip/clip-formats';
import type { ExportSpec } from '../contract/export-request';
import { MAX_TRANSITION_SEC } from '../contract/export-request';
import { US_PER_S, usToSeconds } from '../units';
import type { CropRect } from './composition';
import { MIN_CROP_PX } from './validate';

export const ASPECTS = ['free', '16:9', '9:16', '1:1', '4:5'] as const;
export type Aspect = (typeof ASPECTS)[number];

/** Width over height of each fixed aspect. */
const ASPECT_RATIO: Record<Exclude<Aspect, 'free'>, number> = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1, '4:5': 4 / 5 };

/** Width over height of `aspect`; null for free. */
export const aspectRatio = (aspect: Aspect): number | null => (aspect === 'free' ? null : ASPECT_RATIO[aspect]);

export const DEFAULT_TRANSITION_US = 500_000;
const MAX_TRANSITION_US = MAX_TRANSITION_SEC * US_PER_S;
/** The shortest range a trim keeps (a few frames): an empty clip is never one drag away. */
export const MIN_TRIM_US = 100_000;
/** Undo steps kept; older ones are dropped. */
export const HISTORY_LIMIT = 100;

export interface EditClip {
  id: string;
  durationUs: number;
  /** The clip's frame size: a crop is kept inside the first clip's. */
  width: number;
  height: number;
  /** The trimmed range, in the clip's own time. */
  startUs: number;
  endUs: number;
}

export interface EditState {
  /** In output order; never empty. */
  clips: EditClip[];
  /** Dissolve between every two clips (0: a cut). */
  transitionUs: number;
  /** In the first clip's pixels; null keeps the whole frame. */
  crop: CropRect | null;
  aspect: Aspect;
  format: ClipFormat;
}

export type Edge = 'in' | 'out';

export type EditAction =
  /** Moves an edge to `timeUs`, clamped to the clip and to the other edge. */
  | { type: 'set-edge'; clip: number; edge: Edge; timeUs: number }
  /** Moves an edge by whole frames (negative: earlier) along the clip's frame start times. */
  | { type: 'step-edge'; clip: number; edge: Edge; frames: number; frameTimesUs: readonly number[] }
  | { type: 'move-clip'; from: number; to: number }
  | { type: 'remove-clip'; clip: number }
  | { type: 'set-crop'; crop: CropRect | null }
  | { type: 'set-aspect'; aspect: Aspect }
  | { type: 'set-transition'; transitionUs: number }
  | { type: 'set-format'; format: ClipFormat };

/** A new editor's state: each clip whole, a 0.5 s dissolve, no crop, MP4. */
export function initialEditState(clips: readonly Omit<EditClip, 'startUs' | 'endUs'>[]): EditState {
  if (clips.length === 0) throw new Error('the editor needs at least one clip');
  return {
    clips: clips.map((clip) => ({ ...clip, startUs: 0, endUs: clip.durationUs })),
    transitionUs: DEFAULT_TRANSITION_US,
    crop: null,
    aspect: 'free',
    format: 'mp4',
  };
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
const even = (value: number): number => 2 * Math.floor(value / 2);

/** Where each edge may go: an in point is a frame start, an out point a frame start after 0 or the clip's end. */
function edgeStops(clip: EditClip, edge: Edge, frameTimesUs: readonly number[]): number[] {
  const starts = frameTimesUs.filter((timeUs) => timeUs >= 0 && timeUs < clip.durationUs);
  return edge === 'in' ? starts : [...starts.filter((timeUs) => timeUs > 0), clip.durationUs];
}

/** The stop nearest `timeUs` for `edge` (a drag lands on a frame, as the export would cut). */
export function snapEdgeUs(clip: EditClip, edge: Edge, frameTimesUs: readonly number[], timeUs: number): number {
  let best = Math.round(timeUs);
  let bestDistance = Infinity;
  for (const stopUs of edgeStops(clip, edge, frameTimesUs)) {
    const distance = Math.abs(stopUs - timeUs);
    if (distance < bestDistance) [best, bestDistance] = [stopUs, distance];
  }
  return best;
}

function withEdge(clip: EditClip, edge: Edge, timeUs: number): EditClip {
  const rounded = Math.round(timeUs);
  if (edge === 'in') return { ...clip, startUs: clamp(rounded, 0, Math.max(0, clip.endUs - MIN_TRIM_US)) };
  return { ...clip, endUs: clamp(rounded, Math.min(clip.durationUs, clip.startUs + MIN_TRIM_US), clip.durationUs) };
}

function stepEdge(clip: EditClip, edge: Edge, frames: number, frameTimesUs: readonly number[]): EditClip {
  const stops = edgeStops(clip, edge, frameTimesUs);
  const currentUs = edge === 'in' ? clip.startUs : clip.endUs;
  // From between two stops, one step reaches the neighbour in that direction.
  let index = frames > 0 ? stops.findLastIndex((timeUs) => timeUs <= currentUs) : stops.findIndex((timeUs) => timeUs >= currentUs);
  if (index < 0) index = frames > 0 ? -1 : stops.length;
  const targetUs = stops[clamp(index + frames, 0, stops.length - 1)];
  if (targetUs === undefined) return clip;
  const next = withEdge(clip, edge, targetUs);
  // A step the other edge would clamp is not taken: the edge stays on its frame.
  return (edge === 'in' ? next.startUs : next.endUs) === targetUs ? next : clip;
}

/**
 * `crop` made valid for a `width` x `height` frame: at least MIN_CROP_PX, inside the frame, on
 * even pixels, and of the aspect's shape (its top-left corner stays; it shrinks to fit).
 */
export function fitCrop(crop: CropRect, width: number, height: number, aspect: Aspect): CropRect {
  const maxWidth = even(width);
  const maxHeight = even(height);
  let cropWidth = even(clamp(crop.width, MIN_CROP_PX, maxWidth));
  let cropHeight = even(clamp(crop.height, MIN_CROP_PX, maxHeight));
  if (aspect !== 'free') {
    // The height follows the even width, so fitting a fitted crop changes nothing.
    const ratio = ASPECT_RATIO[aspect];
    if (cropWidth / ratio > maxHeight) cropWidth = even(maxHeight * ratio);
    cropWidth = Math.max(cropWidth, MIN_CROP_PX, 2 * Math.ceil((MIN_CROP_PX * ratio) / 2));
    cropHeight = Math.min(maxHeight, 2 * Math.round(cropWidth / ratio / 2));
  }
  const x = even(clamp(crop.x, 0, maxWidth - cropWidth));
  const y = even(clamp(crop.y, 0, maxHeight - cropHeight));
  return { x, y, width: cropWidth, height: cropHeight };
}

/** The largest rectangle of `aspect` centred in the frame, on even pixels. */
export function centeredCrop(width: number, height: number, aspect: Exclude<Aspect, 'free'>): CropRect {
  const largest = fitCrop({ x: 0, y: 0, width, height }, width, height, aspect);
  return fitCrop({ ...largest, x: (width - largest.width) / 2, y: (height - largest.height) / 2 }, width, height, aspect);
}

/**
 * `crop` fitted to the first clip; null when it keeps the whole frame, so a crop that changes
 * nothing does not make the export encode every frame again.
 */
function cropFor(first: EditClip, crop: CropRect, aspect: Aspect): CropRect | null {
  const fitted = fitCrop(crop, first.width, first.height, aspect);
  return fitted.x === 0 && fitted.y === 0 && fitted.width === first.width && fitted.height === first.height ? null : fitted;
}

/** The crop kept inside whichever clip is first now. */
function refitCrop(state: EditState): EditState {
  return state.crop ? { ...state, crop: cropFor(state.clips[0]!, state.crop, state.aspect) } : state;
}

const replaceClip = (state: EditState, index: number, clip: EditClip): EditState => ({ ...state, clips: state.clips.map((c, i) => (i === index ? clip : c)) });

/** Applies `action`; returns `state` itself when nothing changes (the history then records nothing). */
export function editReducer(state: EditState, action: EditAction): EditState {
  switch (action.type) {
    case 'set-edge':
    case 'step-edge': {
      const clip = state.clips[action.clip];
      if (!clip || !Number.isFinite(action.type === 'set-edge' ? action.timeUs : action.frames)) return state;
      const next = action.type === 'set-edge' ? withEdge(clip, action.edge, action.timeUs) : stepEdge(clip, action.edge, action.frames, action.frameTimesUs);
      return next.startUs === clip.startUs && next.endUs === clip.endUs ? state : replaceClip(state, action.clip, next);
    }
    case 'move-clip': {
      const { from } = action;
      const to = clamp(Math.round(action.to), 0, state.clips.length - 1);
      if (!state.clips[from] || from === to) return state;
      const clips = [...state.clips];
      clips.splice(to, 0, ...clips.splice(from, 1));
      return refitCrop({ ...state, clips });
    }
    case 'remove-clip':
      if (state.clips.length <= 1 || !state.clips[action.clip]) return state;
      return refitCrop({ ...state, clips: state.clips.filter((_, i) => i !== action.clip) });
    case 'set-crop': {
      const first = state.clips[0]!;
      if (action.crop === null) return state.crop === null && state.aspect === 'free' ? state : { ...state, crop: null, aspect: 'free' };
      if (![action.crop.x, action.crop.y, action.crop.width, action.crop.height].every(Number.isFinite)) return state;
      const crop = cropFor(first, action.crop, state.aspect);
      return crop === state.crop || (crop && state.crop && sameRect(state.crop, crop)) ? state : { ...state, crop };
    }
    case 'set-aspect': {
      const first = state.clips[0]!;
      if (action.aspect === 'free') return state.aspect === 'free' ? state : { ...state, aspect: 'free' };
      return { ...state, aspect: action.aspect, crop: cropFor(first, centeredCrop(first.width, first.height, action.aspect), action.aspect) };
    }
    case 'set-transition': {
      if (!Number.isFinite(action.transitionUs)) return state;
      const transitionUs = clamp(Math.round(action.transitionUs), 0, MAX_TRANSITION_US);
      return transitionUs === state.transitionUs ? state : { ...state, transitionUs };
    }
    case 'set-format':
      return action.format === state.format ? state : { ...state, format: action.format };
  }
}

const sameRect = (a: CropRect, b: CropRect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** Whether the output has a dissolve: two clips or more and a length above 0. */
export const hasDissolve = (state: EditState): boolean => state.clips.length > 1 && state.transitionUs > 0;

/**
 * The public `export` request for what the editor shows; a whole clip's edges are left out. The
 * page previews it through the engine's own from-request.ts, so what it shows is what exports.
 */
export function toExportRequest(state: EditState): { type: 'export' } & ExportSpec {
  return {
    type: 'export',
    clips: state.clips.map((clip) => ({
      id: clip.id,
      ...(clip.startUs > 0 ? { startSec: usToSeconds(clip.startUs) } : {}),
      ...(clip.endUs < clip.durationUs ? { endSec: usToSeconds(clip.endUs) } : {}),
    })),
    transition: hasDissolve(state) ? { kind: 'dissolve', durationSec: usToSeconds(state.transitionUs) } : null,
    crop: state.crop ? { ...state.crop } : null,
    format: state.format,
  };
}

/**
 * Undo history. Actions of one gesture (a drag's many moves) are one step: each replaces the
 * step its gesture began, so one undo takes the whole drag back.
 */
export interface EditHistory {
  past: EditState[];
  present: EditState;
  future: EditState[];
  /** The gesture the newest step belongs to, if any. */
  gesture: string | null;
}

export const startHistory = (state: EditState): EditHistory => ({ past: [], present: state, future: [], gesture: null });

export function applyAction(history: EditHistory, action: EditAction, gesture: string | null = null): EditHistory {
  const next = editReducer(history.present, action);
  if (next === history.present) return history;
  if (gesture !== null && gesture === history.gesture) return { ...history, present: next, future: [] };
  const past = [...history.past, history.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], gesture };
}

export function undo(history: EditHistory): EditHistory {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], gesture: null };
}

export function redo(history: EditHistory): EditHistory {
  const next = history.future[0];
  if (!next) return history;
  return { past: [...history.past, history.present].slice(-HISTORY_LIMIT), present: next, future: history.future.slice(1), gesture: null };
}
