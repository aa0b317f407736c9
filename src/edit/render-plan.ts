/**
 * Smart rendering: which spans of the output copy their source's packets as they are and which
 * are decoded, composed and encoded again. A span an effect changes is encoded; so is the start
 * of every copied span that does not begin on a source keyframe (its frames need references the
 * copy would not have), up to that keyframe. Only the very first span may start before a
 * keyframe's time instead: its pre-roll frames get negative times, hidden by the edit list.
 * The source has no B-frames (capture encoders do not reorder), so a copy may end on any frame.
 */
import { localize, type LocalText } from '../i18n/english';
import { sourceTimeUs, type Composition, type Instruction } from './composition';

/** Copies source frames [fromFrame, toFrame) of `segment`. */
export interface CopyRun {
  kind: 'copy';
  segment: number;
  fromFrame: number;
  toFrame: number;
}

/** Encodes the output's frames in [startUs, endUs). */
export interface EncodeRun {
  kind: 'encode';
  startUs: number;
  endUs: number;
}

export type VideoRun = CopyRun | EncodeRun;

export interface RenderPlan {
  video: VideoRun[];
  /** How much of the output's video is encoded again. */
  reencodedUs: number;
  /** 'copy': one clip's packets pass through; 'mix': the sound is decoded, mixed and encoded. */
  audio: 'copy' | 'mix' | 'none';
  /** Why spans that could pass through are encoded (differing decoder configs). */
  notes: LocalText[];
}

/** Output frames closer than this to the previous one are not encoded (two sources' phases). */
const MIN_FRAME_GAP_US = 8_000;

/** Index of the frame showing at source time `timeUs` (the last one starting at or before it). */
function frameShowingAt(times: readonly number[], timeUs: number): number {
  let showing = 0;
  for (let i = 0; i < times.length; i++) if (times[i]! <= timeUs) showing = i;
  return showing;
}

function passthroughRuns(composition: Composition, instruction: Instruction, segmentIndex: number): VideoRun[] {
  const segment = composition.segments[segmentIndex]!;
  const source = composition.sources[segment.source]!;
  const { frameTimesUs: times, keyframes } = source;
  const startUs = sourceTimeUs(segment, instruction.startUs);
  // A frame starting just before the next span would show for a few ms, and the muxer's grid
  // would push the next span's first frame a slot later (and every frame after it).
  const endUs = sourceTimeUs(segment, instruction.endUs) - (instruction.endUs < composition.durationUs ? MIN_FRAME_GAP_US : 0);
  let end = times.findIndex((timeUs) => timeUs >= endUs);
  if (end < 0) end = times.length;
  const showing = frameShowingAt(times, startUs);
  if (instruction.startUs === 0) {
    let key = showing;
    while (key > 0 && !keyframes[key]) key--;
    if (keyframes[key]) return [{ kind: 'copy', segment: segmentIndex, fromFrame: key, toFrame: end }];
  }
  let key = -1;
  for (let i = showing; i < end; i++) {
    if (keyframes[i] && times[i]! >= startUs) {
      key = i;
      break;
    }
  }
  if (key < 0) return [{ kind: 'encode', startUs: instruction.startUs, endUs: instruction.endUs }];
  const keyOutputUs = instruction.startUs + times[key]! - startUs;
  const runs: VideoRun[] = keyOutputUs > instruction.startUs ? [{ kind: 'encode', startUs: instruction.startUs, endUs: keyOutputUs }] : [];
  runs.push({ kind: 'copy', segment: segmentIndex, fromFrame: key, toFrame: end });
  return runs;
}

/**
 * Plans `composition`'s export: copy where possible, encode the rest. `allowCopy: false` encodes
 * everything (the encoder's stream parameters differ from the sources', so they cannot mix).
 */
export function planRender(composition: Composition, { allowCopy = true }: { allowCopy?: boolean } = {}): RenderPlan {
  const { segments, sources } = composition;
  const streamSource = sources[segments[0]!.source]!;
  const notes = new Map<string, LocalText>();
  const runs: VideoRun[] = [];
  for (const instruction of allowCopy ? composition.instructions : []) {
    const segmentIndex = instruction.passthrough;
    const source = segmentIndex === null ? null : sources[segments[segmentIndex]!.source]!;
    const compatible = source !== null && source.configKey === streamSource.configKey && source.width === composition.width && source.height === composition.height;
    if (source && !compatible) notes.set(source.id, localize('editor_note_encoded_again', source.id, `${source.width}x${source.height}`));
    const next: VideoRun[] = segmentIndex !== null && compatible
      ? passthroughRuns(composition, instruction, segmentIndex)
      : [{ kind: 'encode', startUs: instruction.startUs, endUs: instruction.endUs }];
    for (const run of next) {
      const previous = runs.at(-1);
      if (run.kind === 'encode' && previous?.kind === 'encode' && previous.endUs === run.startUs) previous.endUs = run.endUs;
      else if (run.kind !== 'copy' || run.toFrame > run.fromFrame) runs.push(run);
    }
  }
  if (!allowCopy) runs.push({ kind: 'encode', startUs: 0, endUs: composition.durationUs });
  const reencodedUs = runs.reduce((sum, run) => sum + (run.kind === 'encode' ? run.endUs - run.startUs : 0), 0);
  const withAudio = segments.some((segment) => sources[segment.source]!.hasAudio);
  const audio = !withAudio ? 'none' : segments.length === 1 ? 'copy' : 'mix';
  return { video: runs, reencodedUs, audio, notes: [...notes.values()] };
}

/**
 * The output instants at which an encoded span has a frame: every frame of every layer it
 * shows (so a dissolve updates whenever either source does), starting exactly at `startUs`.
 */
export function encodeFrameTimesUs(composition: Composition, run: EncodeRun): number[] {
  const times = new Set<number>([run.startUs]);
  for (const instruction of composition.instructions) {
    if (instruction.endUs <= run.startUs || instruction.startUs >= run.endUs) continue;
    const fromUs = Math.max(run.startUs, instruction.startUs);
    const toUs = Math.min(run.endUs, instruction.endUs);
    for (const layer of instruction.layers) {
      const segment = composition.segments[layer.segment]!;
      for (const frameUs of composition.sources[segment.source]!.frameTimesUs) {
        const outputUs = segment.outputStartUs + frameUs - segment.sourceStartUs;
        if (outputUs >= fromUs && outputUs < toUs) times.add(outputUs);
      }
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const kept: number[] = [];
  for (const timeUs of sorted) if (kept.length === 0 || timeUs - kept.at(-1)! >= MIN_FRAME_GAP_US) kept.push(timeUs);
  return kept;
}
