import { describe, expect, it } from 'vitest';
import { buildComposition, type EditSource } from '../../../src/edit/composition';
import {
  ASPECTS, applyAction, centeredCrop, editReducer, fitCrop, HISTORY_LIMIT, initialEditState, MIN_TRIM_US, redo, snapEdgeUs,
  startHistory, toExportRequest, undo, type EditAction, type EditState,
} from '../../../src/edit/edit-state';
import { sourceIds, toEditSpec } from '../../../src/edit/from-request';
import { checkSpec, MIN_CROP_PX, validateComposition } from '../../../src/edit/validate';
import { parsePublicRequest } from '../../../src/contract/messages';

const FRAME_US = 33_333;
/** Frames every 1/30 s from one frame of pre-roll before 0 to the clip's end. */
const frameTimes = (durationUs: number): number[] => {
  const times: number[] = [];
  for (let t = -FRAME_US; t < durationUs; t += FRAME_US) times.push(t);
  return times;
};
const clipA = { id: 'clip-a', durationUs: 4_000_000, width: 1280, height: 720 };
const clipB = { id: 'clip-b', durationUs: 3_000_000, width: 1280, height: 720 };
const clipC = { id: 'clip-c', durationUs: 2_000_000, width: 640, height: 480 };
const framesA = frameTimes(clipA.durationUs);

const run = (state: EditState, ...actions: EditAction[]): EditState => actions.reduce(editReducer, state);
const isEven = (n: number) => n % 2 === 0;

describe('edit state', () => {
  it('initialEditState, keeps each clip whole with a 0.5 s dissolve, no crop, MP4', () => {
    const state = initialEditState([clipA, clipB]);
    expect(state.clips.map((c) => [c.startUs, c.endUs])).toEqual([[0, 4_000_000], [0, 3_000_000]]);
    expect(state).toMatchObject({ transitionUs: 500_000, crop: null, aspect: 'free', format: 'mp4' });
    expect(() => initialEditState([])).toThrow(/at least one clip/);
  });

  it('set-edge, clamps to the clip and keeps in before out by the shortest trim', () => {
    const state = initialEditState([clipA]);
    expect(run(state, { type: 'set-edge', clip: 0, edge: 'in', timeUs: -5 }).clips[0]!.startUs).toBe(0);
    expect(run(state, { type: 'set-edge', clip: 0, edge: 'out', timeUs: 9e9 }).clips[0]!.endUs).toBe(4_000_000);
    const trimmed = run(state, { type: 'set-edge', clip: 0, edge: 'out', timeUs: 2_000_000.4 }, { type: 'set-edge', clip: 0, edge: 'in', timeUs: 3_000_000 });
    expect(trimmed.clips[0]).toMatchObject({ startUs: 2_000_000 - MIN_TRIM_US, endUs: 2_000_000 });
    expect(run(trimmed, { type: 'set-edge', clip: 0, edge: 'out', timeUs: 0 }).clips[0]!.endUs).toBe(2_000_000);
    // Nothing changes: the same object comes back (the history records nothing).
    expect(editReducer(state, { type: 'set-edge', clip: 0, edge: 'in', timeUs: 0 })).toBe(state);
    expect(editReducer(state, { type: 'set-edge', clip: 3, edge: 'in', timeUs: 10 })).toBe(state);
    expect(editReducer(state, { type: 'set-edge', clip: 0, edge: 'in', timeUs: NaN })).toBe(state);
  });

  it('step-edge, moves onto the next or previous frame start, never before 0 or past the end', () => {
    const state = initialEditState([clipA]);
    const step = (s: EditState, edge: 'in' | 'out', frames: number) => editReducer(s, { type: 'step-edge', clip: 0, edge, frames, frameTimesUs: framesA });
    expect(step(state, 'in', 1).clips[0]!.startUs).toBe(FRAME_US);
    expect(step(step(state, 'in', 1), 'in', 1).clips[0]!.startUs).toBe(2 * FRAME_US);
    expect(step(state, 'in', -1)).toBe(state);
    expect(step(state, 'out', 1)).toBe(state);
    expect(step(state, 'out', -1).clips[0]!.endUs).toBe(framesA.at(-1));
    // From between two frames, a step lands on the neighbouring frame in that direction.
    const between = run(state, { type: 'set-edge', clip: 0, edge: 'in', timeUs: 50_000 });
    expect(step(between, 'in', 1).clips[0]!.startUs).toBe(2 * FRAME_US);
    expect(step(between, 'in', -1).clips[0]!.startUs).toBe(FRAME_US);
    // A 1 s step is 30 frames.
    expect(step(state, 'in', 30).clips[0]!.startUs).toBe(30 * FRAME_US);
    // The in point does not step into the out point's shortest trim.
    const short = run(state, { type: 'set-edge', clip: 0, edge: 'out', timeUs: 10 * FRAME_US }, { type: 'set-edge', clip: 0, edge: 'in', timeUs: 7 * FRAME_US });
    expect(step(short, 'in', 1)).toBe(short);
  });

  it('snapEdgeUs, lands an in point on a frame start and an out point on a frame start or the end', () => {
    const clip = initialEditState([clipA]).clips[0]!;
    expect(snapEdgeUs(clip, 'in', framesA, 1_010_000)).toBe(30 * FRAME_US);
    expect(snapEdgeUs(clip, 'in', framesA, -40_000)).toBe(0);
    expect(snapEdgeUs(clip, 'out', framesA, 3_999_990)).toBe(4_000_000);
    expect(snapEdgeUs(clip, 'out', framesA, 0)).toBe(FRAME_US);
  });

  it('move-clip and remove-clip, reorder, never remove the last clip, and keep the crop inside the new first clip', () => {
    let state = initialEditState([clipA, clipB, clipC]);
    state = run(state, { type: 'move-clip', from: 0, to: 2 });
    expect(state.clips.map((c) => c.id)).toEqual(['clip-b', 'clip-c', 'clip-a']);
    expect(run(state, { type: 'move-clip', from: 2, to: -4 }).clips.map((c) => c.id)).toEqual(['clip-a', 'clip-b', 'clip-c']);
    expect(editReducer(state, { type: 'move-clip', from: 1, to: 1 })).toBe(state);
    state = run(state, { type: 'set-crop', crop: { x: 900, y: 500, width: 300, height: 200 } });
    state = run(state, { type: 'move-clip', from: 1, to: 0 });
    expect(state.crop).toEqual({ x: 340, y: 280, width: 300, height: 200 });
    state = run(state, { type: 'remove-clip', clip: 0 }, { type: 'remove-clip', clip: 0 });
    expect(state.clips.map((c) => c.id)).toEqual(['clip-a']);
    expect(editReducer(state, { type: 'remove-clip', clip: 0 })).toBe(state);
  });

  it('set-crop, snaps to even pixels inside the first frame, at least the smallest crop, and keeps a chosen aspect', () => {
    const state = initialEditState([clipA]);
    expect(run(state, { type: 'set-crop', crop: { x: 11, y: 7, width: 301, height: 99 } }).crop).toEqual({ x: 10, y: 6, width: 300, height: 98 });
    expect(run(state, { type: 'set-crop', crop: { x: -50, y: 700, width: 5000, height: 3 } }).crop).toEqual({ x: 0, y: 700, width: 1280, height: MIN_CROP_PX });
    const square = run(state, { type: 'set-aspect', aspect: '1:1' }, { type: 'set-crop', crop: { x: 100, y: 100, width: 400, height: 50 } });
    expect(square.crop).toEqual({ x: 100, y: 100, width: 400, height: 400 });
    const tall = run(state, { type: 'set-aspect', aspect: '9:16' }, { type: 'set-crop', crop: { x: 0, y: 0, width: 1000, height: 10 } });
    expect(tall.crop).toEqual({ x: 0, y: 0, width: 404, height: 718 });
    expect(run(square, { type: 'set-crop', crop: null })).toMatchObject({ crop: null, aspect: 'free' });
    // The whole frame is no crop: the export can still copy packets.
    expect(run(state, { type: 'set-crop', crop: { x: -4, y: 0, width: 1400, height: 720 } }).crop).toBeNull();
    expect(run(state, { type: 'set-aspect', aspect: '16:9' })).toMatchObject({ crop: null, aspect: '16:9' });
    expect(run(state, { type: 'set-aspect', aspect: '16:9' }, { type: 'set-crop', crop: { x: 0, y: 0, width: 640, height: 10 } }).crop).toEqual({ x: 0, y: 0, width: 640, height: 360 });
  });

  it('set-aspect, fits the largest centred rectangle of that aspect; free keeps the crop', () => {
    expect(centeredCrop(1280, 720, '16:9')).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
    expect(centeredCrop(1280, 720, '1:1')).toEqual({ x: 280, y: 0, width: 720, height: 720 });
    expect(centeredCrop(1280, 720, '9:16')).toEqual({ x: 438, y: 0, width: 404, height: 718 });
    expect(centeredCrop(1280, 720, '4:5')).toEqual({ x: 352, y: 0, width: 576, height: 720 });
    expect(centeredCrop(640, 1138, '16:9')).toEqual({ x: 0, y: 388, width: 640, height: 360 });
    const state = run(initialEditState([clipA]), { type: 'set-aspect', aspect: '1:1' }, { type: 'set-aspect', aspect: 'free' });
    expect(state).toMatchObject({ aspect: 'free', crop: { x: 280, y: 0, width: 720, height: 720 } });
  });

  it('set-transition and set-format, clamp to whole microseconds within the longest dissolve', () => {
    const state = initialEditState([clipA, clipB]);
    expect(run(state, { type: 'set-transition', transitionUs: 1_234_567.6 }).transitionUs).toBe(1_234_568);
    expect(run(state, { type: 'set-transition', transitionUs: -1 }).transitionUs).toBe(0);
    expect(run(state, { type: 'set-transition', transitionUs: 1e12 }).transitionUs).toBe(10_000_000);
    expect(run(state, { type: 'set-format', format: 'gif' }).format).toBe('gif');
  });

  it('toExportRequest, is a valid public export request naming only the edges that moved', () => {
    let state = initialEditState([clipA, clipB]);
    state = run(state,
      { type: 'set-edge', clip: 0, edge: 'in', timeUs: 1_000_000 },
      { type: 'set-edge', clip: 1, edge: 'out', timeUs: 2_500_000 },
      { type: 'set-transition', transitionUs: 1_000_000 },
      { type: 'set-crop', crop: { x: 0, y: 0, width: 640, height: 360 } },
      { type: 'set-format', format: 'gif' });
    const request = toExportRequest(state);
    expect(request).toEqual({
      type: 'export',
      clips: [{ id: 'clip-a', startSec: 1 }, { id: 'clip-b', endSec: 2.5 }],
      transition: { kind: 'dissolve', durationSec: 1 },
      crop: { x: 0, y: 0, width: 640, height: 360 },
      format: 'gif',
    });
    expect(parsePublicRequest(JSON.parse(JSON.stringify(request)))).toEqual({ ok: true, value: request });
    // One clip: no dissolve, whatever its length says.
    expect(toExportRequest(initialEditState([clipA]))).toEqual({ type: 'export', clips: [{ id: 'clip-a' }], transition: null, crop: null, format: 'mp4' });
  });

  it('history, undoes and redoes, one step per gesture, at most the limit, and records no-ops as nothing', () => {
    let history = startHistory(initialEditState([clipA]));
    const drag = (timeUs: number) => ({ type: 'set-edge', clip: 0, edge: 'in', timeUs }) as const;
    history = applyAction(history, drag(100_000), 'drag-1');
    history = applyAction(history, drag(200_000), 'drag-1');
    history = applyAction(history, drag(300_000), 'drag-2');
    expect(history.past).toHaveLength(2);
    expect(applyAction(history, drag(300_000))).toBe(history);
    history = undo(history);
    expect(history.present.clips[0]!.startUs).toBe(200_000);
    history = undo(history);
    expect(history.present.clips[0]!.startUs).toBe(0);
    expect(undo(history)).toBe(history);
    history = redo(redo(history));
    expect(history.present.clips[0]!.startUs).toBe(300_000);
    expect(redo(history)).toBe(history);
    history = applyAction(undo(history), drag(50_000));
    expect(history.future).toEqual([]);
    for (let i = 1; i <= HISTORY_LIMIT + 20; i++) history = applyAction(history, { type: 'set-transition', transitionUs: i });
    expect(history.past).toHaveLength(HISTORY_LIMIT);
  });

  it('after every random action, the state keeps its invariants and checkSpec accepts its spec', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const all = [clipA, clipB, clipC];
    const sourceOf = (id: string): EditSource => {
      const clip = all.find((c) => c.id === id)!;
      const times = frameTimes(clip.durationUs);
      return { ...clip, hasAudio: true, frameTimesUs: times, keyframes: times.map((_, i) => i % 30 === 0), configKey: `${clip.width}` };
    };
    let history = startHistory(initialEditState(all));
    for (let step = 0; step < 3000; step++) {
      const state = history.present;
      const clip = Math.floor(random() * state.clips.length);
      const action: EditAction = pick<() => EditAction>([
        () => ({ type: 'set-edge', clip, edge: pick(['in', 'out'] as const), timeUs: random() * 5e6 - 5e5 }),
        () => ({ type: 'step-edge', clip, edge: pick(['in', 'out'] as const), frames: pick([-30, -1, 1, 30]), frameTimesUs: sourceOf(state.clips[clip]!.id).frameTimesUs }),
        () => ({ type: 'move-clip', from: clip, to: Math.floor(random() * 4) }),
        () => ({ type: 'remove-clip', clip }),
        () => ({ type: 'set-crop', crop: random() < 0.1 ? null : { x: random() * 1400 - 50, y: random() * 800 - 50, width: random() * 1400, height: random() * 800 } }),
        () => ({ type: 'set-aspect', aspect: pick(ASPECTS) }),
        () => ({ type: 'set-transition', transitionUs: random() * 600_000 }),
      ])();
      history = random() < 0.1 ? undo(history) : random() < 0.05 ? redo(history) : applyAction(history, action);
      const next = history.present;
      expect(next.clips.length).toBeGreaterThan(0);
      for (const c of next.clips) {
        expect(Number.isInteger(c.startUs) && Number.isInteger(c.endUs)).toBe(true);
        expect(c.startUs).toBeGreaterThanOrEqual(0);
        expect(c.endUs).toBeLessThanOrEqual(c.durationUs);
        expect(c.endUs - c.startUs).toBeGreaterThanOrEqual(MIN_TRIM_US);
      }
      const first = next.clips[0]!;
      if (next.crop) {
        const { x, y, width, height } = next.crop;
        expect([x, y, width, height].every(isEven)).toBe(true);
        expect(x >= 0 && y >= 0 && x + width <= first.width && y + height <= first.height).toBe(true);
        expect(Math.min(width, height)).toBeGreaterThanOrEqual(MIN_CROP_PX);
        expect(fitCrop(next.crop, first.width, first.height, next.aspect)).toEqual(next.crop);
        expect(width === first.width && height === first.height).toBe(false);
      }
      // Short clips may be refused for a dissolve; what the state guarantees is everything else.
      // The request, read back as the export engine reads it, names the state's ranges exactly.
      const request = toExportRequest(next);
      const sources = sourceIds(request).map(sourceOf);
      const spec = toEditSpec(request, sources);
      expect(spec.ranges.map((r) => [sources[r.source]!.id, r.startUs, r.endUs])).toEqual(next.clips.map((c) => [c.id, c.startUs, c.endUs]));
      const checked = checkSpec(sources, { ...spec, transitionUs: 0 });
      expect(checked.refusals).toEqual([]);
      expect(validateComposition(buildComposition(sources, checked.spec!))).toEqual([]);
    }
  });
});
