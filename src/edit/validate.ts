/**
 * Composition validation: what an export refuses (a range outside its clip, a crop outside the
 * frame, a dissolve longer than a clip) and what it fixes on the way (a cut between two frames
 * moves onto a frame, an odd crop snaps to even pixels), each said in a sentence the editor and
 * the export reply show. `validateComposition` checks a built composition's invariants: the
 * instructions tile the output, the segments line up, ramps run exactly 0 to 1.
 */
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

const clipName = (index: number): string => `clip ${index + 1}`;

/** Clips keep their frames on a 1/60 s grid; closer than this is on it (times are whole microseconds). */
const GRID_SLACK_US = 1;

/** The longest span of whole grid slots within `spanUs`, in whole microseconds. */
const gridFloorUs = (spanUs: number): number => Math.round(Math.floor((spanUs + GRID_SLACK_US) / VIDEO_GRID_US) * VIDEO_GRID_US);

/** Snaps a crop to even pixels (4:2:0 chroma) inside the frame; refusals when it does not fit. */
export function snapCrop(crop: CropRect, width: number, height: number): { crop: CropRect; fixes: string[]; refusals: string[] } {
  const refusals: string[] = [];
  const values = [crop.x, crop.y, crop.width, crop.height];
  if (!values.every((value) => Number.isFinite(value))) return { crop, fixes: [], refusals: ['"crop" must have finite x, y, width and height'] };
  if (crop.x < 0 || crop.y < 0 || crop.x + crop.width > width || crop.y + crop.height > height) {
    refusals.push(`"crop" ${crop.width}x${crop.height} at ${crop.x},${crop.y} is outside the ${width}x${height} frame`);
  }
  const even = (value: number): number => 2 * Math.floor(value / 2);
  const snapped = { x: even(crop.x), y: even(crop.y), width: even(crop.width), height: even(crop.height) };
  if (snapped.width < MIN_CROP_PX || snapped.height < MIN_CROP_PX) refusals.push(`"crop" must be at least ${MIN_CROP_PX}x${MIN_CROP_PX} pixels`);
  const changed = values.some((value, i) => value !== [snapped.x, snapped.y, snapped.width, snapped.height][i]);
  const fixes = changed ? [`crop snapped to even pixels: ${snapped.width}x${snapped.height} at ${snapped.x},${snapped.y}`] : [];
  return { crop: snapped, fixes, refusals };
}

/** Fixes what can be fixed in `spec` and refuses the rest. */
export function checkSpec(sources: readonly EditSource[], spec: EditSpec): Checked {
  const fixes: string[] = [];
  const refusals: string[] = [];
  if (spec.ranges.length === 0) return { spec: null, fixes, refusals: ['"clips" must name at least one clip'] };
  let { transitionUs } = spec;
  if (transitionUs < 0 || !Number.isFinite(transitionUs)) refusals.push('"transition" must last 0 s or more');
  if (transitionUs > 0 && spec.ranges.length === 1) {
    fixes.push('the dissolve was left out: it needs two clips');
    transitionUs = 0;
  }
  const onGridUs = Math.round(Math.round(transitionUs / VIDEO_GRID_US) * VIDEO_GRID_US);
  if (Math.abs(onGridUs - transitionUs) > GRID_SLACK_US) fixes.push(`the dissolve was rounded to whole 1/60 s steps: ${seconds(onGridUs)}`);
  transitionUs = onGridUs;
  const ranges = spec.ranges.map((range, index) => {
    const source = sources[range.source];
    if (!source) {
      refusals.push(`${clipName(index)} is not a known clip`);
      return range;
    }
    if (!(range.startUs >= 0) || !(range.endUs <= source.durationUs) || !(range.endUs > range.startUs)) {
      refusals.push(`${clipName(index)}: the range ${seconds(range.startUs)}-${seconds(range.endUs)} must lie within 0-${seconds(source.durationUs)} and not be empty`);
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
      refusals.push(`${clipName(index)}: the range ${seconds(range.startUs)}-${seconds(range.endUs)} holds no whole frame`);
      return range;
    }
    if (startUs !== range.startUs || (!toTheEnd && endUs !== range.endUs)) {
      fixes.push(`${clipName(index)}: cut moved onto frames, ${seconds(startUs)}-${seconds(endUs)}`);
    }
    // Each span of a clip shown alone must be positive: a dissolve on both ends takes twice.
    const transitions = (index > 0 ? 1 : 0) + (index < spec.ranges.length - 1 ? 1 : 0);
    if (transitions > 0 && endUs - startUs <= transitions * transitionUs) {
      refusals.push(`${clipName(index)} (${seconds(endUs - startUs)}) is too short for ${transitions === 2 ? 'two dissolves' : 'a dissolve'} of ${seconds(transitionUs)}`);
    }
    return { source: range.source, startUs, endUs };
  });
  let crop = spec.crop;
  const first = sources[spec.ranges[0]!.source];
  if (crop && first) {
    const snapped = snapCrop(crop, first.width, first.height);
    fixes.push(...snapped.fixes);
    refusals.push(...snapped.refusals);
    crop = snapped.crop;
    // A crop of the whole frame changes nothing, and would encode every frame again.
    if (crop.x === 0 && crop.y === 0 && crop.width === first.width && crop.height === first.height) {
      fixes.push('the crop is the whole frame: left out, so untouched spans are copied');
      crop = null;
    }
  }
  if (refusals.length > 0) return { spec: null, fixes, refusals };
  return { spec: { ranges, transitionUs, crop }, fixes, refusals };
}

/** Every way `composition` breaks the model's invariants; empty when it is sound. */
export function validateComposition(composition: Composition): string[] {
  const problems: string[] = [];
  const { instructions, segments, durationUs } = composition;
  let expectedUs = 0;
  for (const [index, instruction] of instructions.entries()) {
    const where = `instruction ${index + 1} (${seconds(instruction.startUs)}-${seconds(instruction.endUs)})`;
    if (!Number.isInteger(instruction.startUs) || !Number.isInteger(instruction.endUs)) problems.push(`${where} is not on whole microseconds`);
    if (instruction.startUs > expectedUs) problems.push(`gap of ${seconds(instruction.startUs - expectedUs)} before ${where}`);
    if (instruction.startUs < expectedUs) problems.push(`${where} overlaps the previous one by ${seconds(expectedUs - instruction.startUs)}`);
    if (instruction.endUs <= instruction.startUs) problems.push(`${where} is empty`);
    expectedUs = Math.max(expectedUs, instruction.endUs);
    for (const layer of instruction.layers) {
      const segment = segments[layer.segment];
      if (!segment) {
        problems.push(`${where} names a missing segment`);
        continue;
      }
      if (instruction.startUs < segment.outputStartUs || instruction.endUs > segmentEndUs(segment)) {
        problems.push(`${where} needs segment ${layer.segment + 1} outside ${seconds(segment.outputStartUs)}-${seconds(segmentEndUs(segment))}`);
      }
      const { fromValue, toValue } = layer.opacity;
      const ends = [fromValue, toValue];
      if (fromValue !== toValue && !(ends.includes(0) && ends.includes(1))) {
        problems.push(`${where}: a ramp must run exactly between 0 and 1 (got ${fromValue} to ${toValue})`);
      }
    }
    const [only] = instruction.layers;
    if (instruction.layers.length === 1 && only && (only.opacity.fromValue !== 1 || only.opacity.toValue !== 1)) {
      problems.push(`${where}: a layer shown alone must be fully opaque`);
    }
    if (instruction.passthrough !== null && instruction.layers.length === 1 && only?.segment !== instruction.passthrough) {
      problems.push(`${where} passes through segment ${instruction.passthrough + 1} but shows segment ${(only?.segment ?? -1) + 1}`);
    }
    if (instruction.layers.length > 1) {
      const sums = [0, 1].map((end) => instruction.layers.reduce((sum, layer) => sum + (end === 0 ? layer.opacity.fromValue : layer.opacity.toValue), 0));
      if (sums.some((sum) => Math.abs(sum - 1) > 1e-9)) problems.push(`${where}: the layers' opacities must sum to 1 at both ends`);
    }
    if (instruction.passthrough !== null && (instruction.layers.length !== 1 || composition.crop)) {
      problems.push(`${where} cannot pass packets through: it ${composition.crop ? 'is cropped' : 'blends layers'}`);
    }
  }
  if (expectedUs !== durationUs) problems.push(`the instructions end at ${seconds(expectedUs)}, the composition at ${seconds(durationUs)}`);
  for (let i = 1; i < segments.length; i++) {
    const previousEndUs = segmentEndUs(segments[i - 1]!);
    if (segments[i]!.outputStartUs > previousEndUs) problems.push(`gap of ${seconds(segments[i]!.outputStartUs - previousEndUs)} between segments ${i} and ${i + 1}`);
  }
  for (const [index, segment] of segments.entries()) {
    const source = composition.sources[segment.source];
    if (!source) continue;
    if (!source.frameTimesUs.includes(segment.sourceStartUs)) problems.push(`segment ${index + 1} starts between frames (${seconds(segment.sourceStartUs)})`);
  }
  const { crop } = composition;
  const first = segments[0] && composition.sources[segments[0].source];
  if (crop && first) {
    const snapped = snapCrop(crop, first.width, first.height);
    problems.push(...snapped.refusals, ...(snapped.fixes.length > 0 ? ['"crop" is odd-sized or at an odd position'] : []));
  }
  return problems;
}
