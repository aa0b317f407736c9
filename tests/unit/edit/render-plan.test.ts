import { describe, expect, it } from 'vitest';
import { buildComposition, instructionAt, type Composition, type EditSource, type EditSpec } from '../../../src/edit/composition';
import { encodeFrameTimesUs, planRender, type EncodeRun, type RenderPlan } from '../../../src/edit/render-plan';
import { checkSpec } from '../../../src/edit/validate';
import { frameIndex, gridSource, keyframeAtOrAfter, mulberry32, randomCase } from '../support/edit-sources';
import { inEnglish } from '../../../src/i18n/english';

// 25 fps, a keyframe every second: frame i starts at i * 40 ms.
const clipA = gridSource({ id: 'a', durationUs: 2_000_000, frameUs: 40_000 });
const clipB = gridSource({ id: 'b', durationUs: 3_000_000, frameUs: 40_000 });
const long = gridSource({ id: 'long', durationUs: 10_000_000, frameUs: 40_000 });

/** Builds through checkSpec, as the export does, insisting the spec needs no fix. */
function compose(sources: readonly EditSource[], spec: EditSpec): Composition {
  const checked = checkSpec(sources, spec);
  expect(checked).toEqual({ spec, fixes: [], refusals: [] });
  return buildComposition(sources, spec);
}

/** render-plan.ts's MIN_FRAME_GAP_US: closer output frames are one instant. */
const MIN_FRAME_GAP_US = 8_000;

const copyRuns = (plan: RenderPlan) => plan.video.filter((run) => run.kind === 'copy');
const encodeRuns = (plan: RenderPlan) => plan.video.filter((run): run is EncodeRun => run.kind === 'encode');

/** Where a copy run's frame `index` lands on the output. */
function copiedOutputUs(composition: Composition, segmentIndex: number, index: number): number {
  const segment = composition.segments[segmentIndex]!;
  const source = composition.sources[segment.source]!;
  return segment.outputStartUs + (source.frameTimesUs[index] ?? source.durationUs) - segment.sourceStartUs;
}

/**
 * Every way `plan` fails to tile `composition`'s output: runs in order from 0 to the end, an
 * encode run ending where the next run starts, a copy run's frames starting before the next run
 * and its first uncopied frame not before it (so nothing is missing); copies only of passthrough
 * spans from a keyframe at or after the span's start (the very first may start before 0), encodes
 * of everything else, and reencodedUs the total encoded.
 */
function planProblems(composition: Composition, plan: RenderPlan): string[] {
  const problems: string[] = [];
  const { video } = plan;
  const starts = video.map((run, index) => {
    if (run.kind === 'encode') return run.startUs;
    const startUs = copiedOutputUs(composition, run.segment, run.fromFrame);
    return index === 0 ? Math.max(0, startUs) : startUs;
  });
  if (video.length === 0) problems.push('no runs');
  if (starts[0] !== 0) problems.push(`the first run starts at ${starts[0]}`);
  let encodedUs = 0;
  for (const [index, run] of video.entries()) {
    const nextStartUs = starts[index + 1] ?? composition.durationUs;
    if (run.kind === 'encode') {
      encodedUs += run.endUs - run.startUs;
      if (run.endUs <= run.startUs) problems.push(`run ${index} is empty`);
      if (run.endUs !== nextStartUs) problems.push(`run ${index} ends at ${run.endUs}, the next starts at ${nextStartUs}`);
      const previous = video[index - 1];
      if (previous?.kind === 'encode') problems.push(`runs ${index - 1} and ${index} are both encodes (not merged)`);
      continue;
    }
    const source = composition.sources[composition.segments[run.segment]!.source]!;
    if (run.toFrame <= run.fromFrame) problems.push(`copy run ${index} is empty`);
    if (!source.keyframes[run.fromFrame]) problems.push(`copy run ${index} starts on a non-keyframe`);
    const firstUs = copiedOutputUs(composition, run.segment, run.fromFrame);
    const lastUs = copiedOutputUs(composition, run.segment, run.toFrame - 1);
    const afterUs = copiedOutputUs(composition, run.segment, run.toFrame);
    if (lastUs >= nextStartUs) problems.push(`copy run ${index}'s last frame (${lastUs}) is not before the next run (${nextStartUs})`);
    // A frame starting just before the next run may be left to the previous one (render-plan's 8 ms).
    if (afterUs < nextStartUs - MIN_FRAME_GAP_US) problems.push(`copy run ${index} stops at ${afterUs}, short of the next run (${nextStartUs})`);
    if (firstUs < 0 && index !== 0) problems.push(`copy run ${index} starts before the output`);
    const instruction = instructionAt(composition, Math.max(0, firstUs));
    if (instruction.passthrough !== run.segment) problems.push(`copy run ${index} copies segment ${run.segment} where it does not pass through`);
    if (firstUs > 0 && firstUs < instruction.startUs) problems.push(`copy run ${index} starts before its instruction`);
    if (firstUs <= 0 && instruction.startUs !== 0) problems.push(`copy run ${index} starts before its instruction`);
    if (lastUs >= instruction.endUs) problems.push(`copy run ${index} runs past its instruction`);
  }
  if (encodedUs !== plan.reencodedUs) problems.push(`reencodedUs is ${plan.reencodedUs}, the encode runs total ${encodedUs}`);
  // Spans that cannot be copied are encoded: no copy run starts inside one.
  for (const instruction of composition.instructions) {
    if (instruction.passthrough !== null) continue;
    video.forEach((run, index) => {
      if (run.kind === 'copy' && starts[index]! < instruction.endUs && (starts[index + 1] ?? composition.durationUs) > instruction.startUs) {
        problems.push(`copy run ${index} covers a span that must be encoded`);
      }
    });
  }
  return problems;
}

describe('planRender', () => {
  it('planRender, a plain trim copies everything from the keyframe before the cut', () => {
    const composition = compose([long], { ranges: [{ source: 0, startUs: 2_520_000, endUs: 6_480_000 }], transitionUs: 0, crop: null });
    const plan = planRender(composition);
    expect(plan.video).toEqual([{ kind: 'copy', segment: 0, fromFrame: frameIndex(long, 2_000_000), toFrame: frameIndex(long, 6_480_000) }]);
    expect(plan.reencodedUs).toBe(0);
    expect(plan.notes).toEqual([]);
    expect(plan.audio).toBe('copy');
    expect(planProblems(composition, plan)).toEqual([]);
  });

  it('planRender, a plain trim may start at a pre-roll keyframe before t = 0', () => {
    const source = gridSource({ id: 'pre', durationUs: 3_000_000, frameUs: 40_000, preRollFrames: 3 });
    expect(source.frameTimesUs[0]).toBe(-120_000);
    expect(source.keyframes.slice(0, 5)).toEqual([true, false, false, false, false]);
    const composition = compose([source], { ranges: [{ source: 0, startUs: 200_000, endUs: 3_000_000 }], transitionUs: 0, crop: null });
    const plan = planRender(composition);
    expect(plan.video).toEqual([{ kind: 'copy', segment: 0, fromFrame: 0, toFrame: source.frameTimesUs.length }]);
    expect(plan.reencodedUs).toBe(0);
  });

  it('planRender, a cut join copies the first clip and encodes the second only up to its first keyframe', () => {
    const composition = compose([clipA, clipB], {
      ranges: [{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 1_600_000, endUs: 3_000_000 }],
      transitionUs: 0,
      crop: null,
    });
    const plan = planRender(composition);
    expect(plan.video).toEqual([
      { kind: 'copy', segment: 0, fromFrame: 0, toFrame: clipA.frameTimesUs.length },
      { kind: 'encode', startUs: 2_000_000, endUs: 2_400_000 },
      { kind: 'copy', segment: 1, fromFrame: frameIndex(clipB, 2_000_000), toFrame: clipB.frameTimesUs.length },
    ]);
    expect(plan.reencodedUs).toBe(400_000);
    expect(plan.audio).toBe('mix');
    expect(planProblems(composition, plan)).toEqual([]);
  });

  it('planRender, a cut onto a keyframe copies both clips whole', () => {
    const composition = compose([clipA, clipB], {
      ranges: [{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 1_000_000, endUs: 3_000_000 }],
      transitionUs: 0,
      crop: null,
    });
    const plan = planRender(composition);
    expect(plan.video.map((run) => run.kind)).toEqual(['copy', 'copy']);
    expect(plan.reencodedUs).toBe(0);
  });

  it('planRender, a dissolve encodes the dissolve and the incoming clip up to its next keyframe, and copies the rest', () => {
    const transitionUs = 400_000;
    const composition = compose([clipA, clipB], {
      ranges: [{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 0, endUs: 3_000_000 }],
      transitionUs,
      crop: null,
    });
    const plan = planRender(composition);
    // The dissolve is 1.6-2.0 s; clip B's first keyframe after it (1.0 s in B) is at 2.6 s.
    const keyUs = composition.segments[1]!.outputStartUs + clipB.frameTimesUs[keyframeAtOrAfter(clipB, transitionUs)]!;
    expect(keyUs).toBe(2_600_000);
    expect(plan.video).toEqual([
      { kind: 'copy', segment: 0, fromFrame: 0, toFrame: frameIndex(clipA, 1_600_000) },
      { kind: 'encode', startUs: 1_600_000, endUs: keyUs },
      { kind: 'copy', segment: 1, fromFrame: frameIndex(clipB, 1_000_000), toFrame: clipB.frameTimesUs.length },
    ]);
    expect(plan.reencodedUs).toBe(1_000_000);
    expect(planProblems(composition, plan)).toEqual([]);
  });

  it('planRender, a crop encodes everything', () => {
    const composition = compose([clipA, clipB], {
      ranges: [{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 0, endUs: 3_000_000 }],
      transitionUs: 400_000,
      crop: { x: 0, y: 0, width: 320, height: 180 },
    });
    const plan = planRender(composition);
    expect(plan.video).toEqual([{ kind: 'encode', startUs: 0, endUs: composition.durationUs }]);
    expect(plan.reencodedUs).toBe(composition.durationUs);
  });

  it.each([
    ['a different decoder config', gridSource({ id: 'other', durationUs: 3_000_000, frameUs: 40_000, configKey: 'vp09.00.10.08' })],
    ['a different size', gridSource({ id: 'other', durationUs: 3_000_000, frameUs: 40_000, width: 1280, height: 720 })],
  ])('planRender, encodes a source with %s whole and says why', (_name, other) => {
    const composition = compose([clipA, other], {
      ranges: [{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 0, endUs: 3_000_000 }],
      transitionUs: 0,
      crop: null,
    });
    const plan = planRender(composition);
    expect(plan.video).toEqual([
      { kind: 'copy', segment: 0, fromFrame: 0, toFrame: clipA.frameTimesUs.length },
      { kind: 'encode', startUs: 2_000_000, endUs: 5_000_000 },
    ]);
    expect(plan.notes.map(inEnglish)).toEqual([expect.stringMatching(/^other is encoded again/)]);
    expect(planProblems(composition, plan)).toEqual([]);
  });

  it('planRender, allowCopy false encodes everything', () => {
    const composition = compose([long], { ranges: [{ source: 0, startUs: 2_520_000, endUs: 6_480_000 }], transitionUs: 0, crop: null });
    const plan = planRender(composition, { allowCopy: false });
    expect(plan.video).toEqual([{ kind: 'encode', startUs: 0, endUs: 3_960_000 }]);
    expect(plan.reencodedUs).toBe(3_960_000);
  });

  it('planRender, plans no audio when no source has any, and mixes when several segments do', () => {
    const silentA = { ...clipA, hasAudio: false };
    const silentB = { ...clipB, hasAudio: false };
    const ranges = [{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 0, endUs: 3_000_000 }];
    expect(planRender(compose([silentA, silentB], { ranges, transitionUs: 0, crop: null })).audio).toBe('none');
    expect(planRender(compose([silentA, clipB], { ranges, transitionUs: 0, crop: null })).audio).toBe('mix');
    expect(planRender(compose([silentA], { ranges: ranges.slice(0, 1), transitionUs: 0, crop: null })).audio).toBe('none');
  });

  it('planRender, the runs of any accepted random composition tile the output', () => {
    // PLAN_SEED=<seed> replays one failing case.
    const seeds = process.env.PLAN_SEED ? [Number(process.env.PLAN_SEED)] : Array.from({ length: 800 }, (_, i) => 1000 + i);
    let planned = 0;
    let copied = 0;
    for (const seed of seeds) {
      const random = mulberry32(seed);
      const { sources, spec } = randomCase(random);
      const checked = checkSpec(sources, spec);
      if (!checked.spec) continue;
      const composition = buildComposition(sources, checked.spec);
      const allowCopy = random() < 0.9;
      const plan = planRender(composition, { allowCopy });
      planned++;
      if (copyRuns(plan).length > 0) copied++;
      expect(planProblems(composition, plan), `seed ${seed}`).toEqual([]);
      if (!allowCopy) expect(plan.video, `seed ${seed}`).toEqual([{ kind: 'encode', startUs: 0, endUs: composition.durationUs }]);
      for (const run of encodeRuns(plan)) expect(encodeProblems(composition, run), `seed ${seed}`).toEqual([]);
    }
    expect(planned).toBeGreaterThan(150);
    expect(copied).toBeGreaterThan(50);
  });
});

/** Every way encodeFrameTimesUs(run) breaks its promises. */
function encodeProblems(composition: Composition, run: EncodeRun): string[] {
  const times = encodeFrameTimesUs(composition, run);
  const problems: string[] = [];
  if (times[0] !== run.startUs) problems.push(`first frame at ${times[0]}, the run starts at ${run.startUs}`);
  for (const [i, timeUs] of times.entries()) {
    if (timeUs < run.startUs || timeUs >= run.endUs) problems.push(`frame at ${timeUs} outside ${run.startUs}-${run.endUs}`);
    if (i > 0 && timeUs - times[i - 1]! < MIN_FRAME_GAP_US) problems.push(`frames at ${times[i - 1]} and ${timeUs} are closer than 8 ms`);
    if (!Number.isInteger(timeUs)) problems.push(`frame at ${timeUs} is not on whole microseconds`);
  }
  return problems;
}

describe('encodeFrameTimesUs', () => {
  const ranges = [{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 0, endUs: 3_000_000 }];

  it('encodeFrameTimesUs, starts exactly at the run start even between frames and stays in the run', () => {
    const composition = compose([clipA, clipB], { ranges, transitionUs: 0, crop: null });
    const run: EncodeRun = { kind: 'encode', startUs: 1_010_000, endUs: 1_500_000 };
    const times = encodeFrameTimesUs(composition, run);
    expect(times[0]).toBe(1_010_000);
    // Then every frame of clip A in the run: 1.04 s, 1.08 s, ..., 1.48 s.
    expect(times.slice(1)).toEqual(Array.from({ length: 12 }, (_, i) => 1_040_000 + i * 40_000));
    expect(encodeProblems(composition, run)).toEqual([]);
  });

  /** Clip B with its frames after the first `offsetUs` late (a phase that differs from clip A's). */
  const offsetB = (offsetUs: number): EditSource => {
    const frameTimesUs = clipB.frameTimesUs.map((t) => (t === 0 ? 0 : t + offsetUs));
    return { ...clipB, frameTimesUs };
  };
  const dissolveOf = (incoming: EditSource): Composition => compose([clipA, incoming], { ranges, transitionUs: 400_000, crop: null });
  const outputTimes = (composition: Composition, segment: number, from: number, to: number): number[] => {
    const { outputStartUs, sourceStartUs, source } = composition.segments[segment]!;
    return composition.sources[source]!.frameTimesUs.map((t) => outputStartUs + t - sourceStartUs).filter((t) => t >= from && t < to);
  };

  it('encodeFrameTimesUs, a dissolve has a frame whenever either source has one', () => {
    // Clip B's frames fall 20 ms after clip A's: the dissolve updates every 20 ms.
    const composition = dissolveOf(offsetB(20_000));
    const dissolve = composition.instructions[1]!;
    expect(dissolve.layers).toHaveLength(2);
    const run: EncodeRun = { kind: 'encode', startUs: dissolve.startUs, endUs: dissolve.endUs };
    const outgoing = outputTimes(composition, 0, dissolve.startUs, dissolve.endUs);
    const incoming = outputTimes(composition, 1, dissolve.startUs, dissolve.endUs);
    expect(incoming.filter((t) => !outgoing.includes(t)).length).toBeGreaterThan(5);
    expect(encodeFrameTimesUs(composition, run)).toEqual([...new Set([dissolve.startUs, ...outgoing, ...incoming])].sort((a, b) => a - b));
    expect(encodeProblems(composition, run)).toEqual([]);
  });

  it('encodeFrameTimesUs, drops a frame closer than 8 ms to the previous one', () => {
    // Clip B's frames fall 3 ms after clip A's: only clip A's instants (and the dissolve's start) are kept.
    const composition = dissolveOf(offsetB(3_000));
    const dissolve = composition.instructions[1]!;
    const run: EncodeRun = { kind: 'encode', startUs: dissolve.startUs, endUs: dissolve.endUs };
    const outgoing = outputTimes(composition, 0, dissolve.startUs, dissolve.endUs);
    expect(outgoing[0]).toBe(dissolve.startUs);
    expect(encodeFrameTimesUs(composition, run)).toEqual(outgoing);
    expect(encodeProblems(composition, run)).toEqual([]);
  });
});
