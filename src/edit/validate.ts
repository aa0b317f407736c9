/**
 * Composition validation: what an export refuses (a range outside its clip, a crop outside the
 * frame, a dissolve longer than a clip) and what it fixes on the way (a cut between two frames
 * moves onto a frame, an odd crop snaps to even pixels), each said in a sentence the editor and
 * the export reply show. `validateComposition` checks a built composition's invariants: the
 * instructions tile the output, the segments line up, ramps run exactly 0 to 1.
 */
import { inEnglish, localize, type LocalText } from '../i18n/english';
import { VIDEO_GRID_US } from '../mp4/mp4-mux';
import { seconds, nearestFrameUs, segmentEndUs, type Composition, type CropRect, type EditSource, type EditSpec } from './composition';

/** The smallest side a crop may have (encoders refuse tinier frames, and nobody wants one). */
export const MIN_CROP_PX = 16;

export interface Checked {
  /** The spec with every fix applied; null when something was refused. */
  spec: EditSpec | null;
  /** What was changed to make the spec exportable. */
  fixes: string[];
  /** Why it cannot be exported (each names the clip or field). */
  refusals: string[];
}

/** A Checked whose fixes and refusals are LocalText, for a page to show in the user's language. */
export interface CheckedTexts {
  spec: EditSpec | null;
  fixes: LocalText[];
  refusals: LocalText[];
}

/** Pixels as the messages write a size: `640x360`. */
const size = (width: number, height: number): string => `${width}x${height}`;

/** Clips keep their frames on a 1/60 s grid; closer than this is on it (times are whole microseconds). */
const GRID_SLACK_US = 1;

/** The longest span of whole grid slots within `spanUs`, in whole microseconds. */
const gridFloorUs = (spanUs: number): number => Math.round(Math.floor((spanUs + GRID_SLACK_US) / VIDEO_GRID_US) * VIDEO_GRID_US);

/** Snaps a crop to even pixels (4:2:0 chroma) inside the frame; refusals when it does not fit. */
export function snapCrop(crop: CropRect, width: number, height: number): { crop: CropRect; fixes: LocalText[]; refusals: LocalText[] } {
  const refusals: LocalText[] = [];
  const values = [crop.x, crop.y, crop.width, crop.height];
  if (!values.every((value) => Number.isFinite(value))) return { crop, fixes: [], refusals: [localize('editor_err_crop_not_finite')] };
  if (crop.x < 0 || crop.y < 0 || crop.x + crop.width > width || crop.y + crop.height > height) {
    refusals.push(localize('editor_err_crop_outside', size(crop.width, crop.height), crop.x, crop.y, size(width, height)));
  }
  const even = (value: number): number => 2 * Math.floor(value / 2);
  const snapped = { x: even(crop.x), y: even(crop.y), width: even(crop.width), height: even(crop.height) };
  if (snapped.width < MIN_CROP_PX || snapped.height < MIN_CROP_PX) refusals.push(localize('editor_err_crop_too_small', size(MIN_CROP_PX, MIN_CROP_PX)));
  const changed = values.some((value, i) => value !== [snapped.x, snapped.y, snapped.width, snapped.height][i]);
  const fixes = changed ? [localize('editor_err_crop_snapped', size(snapped.width, snapped.height), snapped.x, snapped.y)] : [];
  return { crop: snapped, fixes, refusals };
}

/** Fixes what can be fixed in `spec` and refuses the rest, saying both in English. */
export function checkSpec(sources: readonly EditSource[], spec: EditSpec): Checked {
  const checked = checkSpecTexts(sources, spec);
  return { spec: checked.spec, fixes: checked.fixes.map(inEnglish), refusals: checked.refusals.map(inEnglish) };
}

/** checkSpec, its fixes and refusals as LocalText. */
export function checkSpecTexts(sources: readonly EditSource[], spec: EditSpec): CheckedTexts {
  const fixTexts: LocalText[] = [];
  const refusalTexts: LocalText[] = [];
  const checked = (result: EditSpec | null): CheckedTexts => ({ spec: result, fixes: fixTexts, refusals: refusalTexts });
  if (spec.ranges.length === 0) {
    refusalTexts.push(localize('editor_err_no_clips'));
    return checked(null);
  }
  let { transitionUs } = spec;
  if (transitionUs < 0 || !Number.isFinite(transitionUs)) refusalTexts.push(localize('editor_err_transition_negative'));
  if (transitionUs > 0 && spec.ranges.length === 1) {
    fixTexts.push(localize('editor_err_dissolve_left_out'));
    transitionUs = 0;
  }
  const onGridUs = Math.round(Math.round(transitionUs / VIDEO_GRID_US) * VIDEO_GRID_US);
  if (Math.abs(onGridUs - transitionUs) > GRID_SLACK_US) fixTexts.push(localize('editor_err_dissolve_rounded', seconds(onGridUs)));
  transitionUs = onGridUs;
  const ranges = spec.ranges.map((range, index) => {
    const clip = index + 1;
    const source = sources[range.source];
    if (!source) {
      refusalTexts.push(localize('editor_err_unknown_clip', clip));
      return range;
    }
    if (!(range.startUs >= 0) || !(range.endUs <= source.durationUs) || !(range.endUs > range.startUs)) {
      refusalTexts.push(localize('editor_err_range_outside', clip, seconds(range.startUs), seconds(range.endUs), seconds(source.durationUs)));
      return range;
    }
    const startUs = nearestFrameUs(source, range.startUs);
    // The end is where the frame after the last one kept begins; at the clip's end (where its
    // sound ends), the last whole grid slot: the next clip's frames then land on the output's
    // 1/60 s grid too, instead of a few ms off it, where the muxer would move them by a slot.
    // An end within a slot of the clip's end is the clip's end (so a checked spec checks the same).
    const toTheEnd = range.endUs > source.durationUs - VIDEO_GRID_US;
    const endUs = toTheEnd ? startUs + gridFloorUs(source.durationUs - startUs) : nearestFrameUs(source, range.endUs);
    if (endUs <= startUs) {
      refusalTexts.push(localize('editor_err_range_no_frame', clip, seconds(range.startUs), seconds(range.endUs)));
      return range;
    }
    if (startUs !== range.startUs || (!toTheEnd && endUs !== range.endUs)) {
      fixTexts.push(localize('editor_err_cut_moved', clip, seconds(startUs), seconds(endUs)));
    }
    // Each span of a clip shown alone must be positive: a dissolve on both ends takes twice.
    const transitions = (index > 0 ? 1 : 0) + (index < spec.ranges.length - 1 ? 1 : 0);
    if (transitions > 0 && endUs - startUs <= transitions * transitionUs) {
      refusalTexts.push(localize(transitions === 2 ? 'editor_err_too_short_two' : 'editor_err_too_short_one', clip, seconds(endUs - startUs), seconds(transitionUs)));
    }
    return { source: range.source, startUs, endUs };
  });
  let crop = spec.crop;
  const first = sources[spec.ranges[0]!.source];
  if (crop && first) {
    const snapped = snapCrop(crop, first.width, first.height);
    fixTexts.push(...snapped.fixes);
    refusalTexts.push(...snapped.refusals);
    crop = snapped.crop;
    // A crop of the whole frame changes nothing, and would encode every frame again.
    if (crop.x === 0 && crop.y === 0 && crop.width === first.width && crop.height === first.height) {
      fixTexts.push(localize('editor_err_crop_whole'));
      crop = null;
    }
  }
  return checked(refusalTexts.length > 0 ? null : { ranges, transitionUs, crop });
}

/** Every way `composition` breaks the model's invariants, in English; empty when it is sound. */
export function validateComposition(composition: Composition): string[] {
  return compositionProblems(composition).map(inEnglish);
}

/** The same problems as LocalText, for a page to show in the user's language. */
export function compositionProblems(composition: Composition): LocalText[] {
  const problems: LocalText[] = [];
  const { instructions, segments, durationUs } = composition;
  let expectedUs = 0;
  for (const [index, instruction] of instructions.entries()) {
    // Every problem of an instruction names it: its number ($1) and its span ($2-$3).
    const where = [index + 1, seconds(instruction.startUs), seconds(instruction.endUs)] as const;
    if (!Number.isInteger(instruction.startUs) || !Number.isInteger(instruction.endUs)) problems.push(localize('editor_err_not_whole_us', ...where));
    if (instruction.startUs > expectedUs) problems.push(localize('editor_err_gap_before', ...where, seconds(instruction.startUs - expectedUs)));
    if (instruction.startUs < expectedUs) problems.push(localize('editor_err_overlap', ...where, seconds(expectedUs - instruction.startUs)));
    if (instruction.endUs <= instruction.startUs) problems.push(localize('editor_err_empty', ...where));
    expectedUs = Math.max(expectedUs, instruction.endUs);
    for (const layer of instruction.layers) {
      const segment = segments[layer.segment];
      if (!segment) {
        problems.push(localize('editor_err_missing_segment', ...where));
        continue;
      }
      if (instruction.startUs < segment.outputStartUs || instruction.endUs > segmentEndUs(segment)) {
        problems.push(localize('editor_err_outside_segment', ...where, layer.segment + 1, seconds(segment.outputStartUs), seconds(segmentEndUs(segment))));
      }
      const { fromValue, toValue } = layer.opacity;
      const ends = [fromValue, toValue];
      if (fromValue !== toValue && !(ends.includes(0) && ends.includes(1))) {
        problems.push(localize('editor_err_bad_ramp', ...where, fromValue, toValue));
      }
    }
    const [only] = instruction.layers;
    if (instruction.layers.length === 1 && only && (only.opacity.fromValue !== 1 || only.opacity.toValue !== 1)) {
      problems.push(localize('editor_err_not_opaque', ...where));
    }
    if (instruction.passthrough !== null && instruction.layers.length === 1 && only?.segment !== instruction.passthrough) {
      problems.push(localize('editor_err_passthrough_mismatch', ...where, instruction.passthrough + 1, (only?.segment ?? -1) + 1));
    }
    if (instruction.layers.length > 1) {
      const sums = [0, 1].map((end) => instruction.layers.reduce((sum, layer) => sum + (end === 0 ? layer.opacity.fromValue : layer.opacity.toValue), 0));
      if (sums.some((sum) => Math.abs(sum - 1) > 1e-9)) problems.push(localize('editor_err_opacity_sum', ...where));
    }
    if (instruction.passthrough !== null && (instruction.layers.length !== 1 || composition.crop)) {
      problems.push(localize(composition.crop ? 'editor_err_passthrough_cropped' : 'editor_err_passthrough_blends', ...where));
    }
  }
  if (expectedUs !== durationUs) problems.push(localize('editor_err_end_mismatch', seconds(expectedUs), seconds(durationUs)));
  for (let i = 1; i < segments.length; i++) {
    const previousEndUs = segmentEndUs(segments[i - 1]!);
    if (segments[i]!.outputStartUs > previousEndUs) problems.push(localize('editor_err_segment_gap', seconds(segments[i]!.outputStartUs - previousEndUs), i, i + 1));
  }
  for (const [index, segment] of segments.entries()) {
    const source = composition.sources[segment.source];
    if (!source) continue;
    if (!source.frameTimesUs.includes(segment.sourceStartUs)) problems.push(localize('editor_err_between_frames', index + 1, seconds(segment.sourceStartUs)));
  }
  const { crop } = composition;
  const first = segments[0] && composition.sources[segments[0].source];
  if (crop && first) {
    const snapped = snapCrop(crop, first.width, first.height);
    problems.push(...snapped.refusals, ...(snapped.fixes.length > 0 ? [localize('editor_err_crop_odd')] : []));
  }
  return problems;
}
