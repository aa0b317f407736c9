import { describe, expect, it } from 'vitest';
import {
  buildComposition, equalPowerGains, instructionAt, nearestFrameUs, rampAt, segmentEndUs, sourceTimeUs,
  type Composition, type EditSpec,
} from '../../../src/edit/composition';
import { checkSpec } from '../../../src/edit/validate';
import { gridSource, mulberry32, randomCase } from '../support/edit-sources';

const clipA = gridSource({ id: 'a', durationUs: 4_000_000, frameUs: 40_000 });
const clipB = gridSource({ id: 'b', durationUs: 3_000_000, frameUs: 40_000 });
const clipC = gridSource({ id: 'c', durationUs: 2_000_000, frameUs: 40_000 });
const sources = [clipA, clipB, clipC];

const threeClips = (transitionUs: number, crop: EditSpec['crop'] = null): Composition => buildComposition(sources, {
  ranges: [
    { source: 0, startUs: 400_000, endUs: 3_600_000 },
    { source: 1, startUs: 0, endUs: 3_000_000 },
    { source: 2, startUs: 200_000, endUs: 1_800_000 },
  ],
  transitionUs,
  crop,
});

/** The instructions run from 0 to the composition's end, each starting where the previous ended. */
function expectTiled(composition: Composition): void {
  let cursorUs = 0;
  for (const instruction of composition.instructions) {
    expect(instruction.startUs).toBe(cursorUs);
    expect(instruction.endUs).toBeGreaterThan(instruction.startUs);
    cursorUs = instruction.endUs;
  }
  expect(cursorUs).toBe(composition.durationUs);
}

describe('buildComposition', () => {
  it('buildComposition, places segments one after another overlapping by the transition', () => {
    for (const transitionUs of [0, 500_000]) {
      const { segments, durationUs } = threeClips(transitionUs);
      expect(segments[0]!.outputStartUs).toBe(0);
      for (let i = 1; i < segments.length; i++) expect(segments[i]!.outputStartUs).toBe(segmentEndUs(segments[i - 1]!) - transitionUs);
      expect(durationUs).toBe(3_200_000 + 3_000_000 + 1_600_000 - 2 * transitionUs);
      expect(durationUs).toBe(segmentEndUs(segments.at(-1)!));
    }
  });

  it('buildComposition, a cut tiles the output with one passthrough instruction per segment', () => {
    const composition = threeClips(0);
    expectTiled(composition);
    expect(composition.instructions.map((i) => i.passthrough)).toEqual([0, 1, 2]);
    expect(composition.instructions.map((i) => i.layers)).toEqual([0, 1, 2].map((segment) => [{ segment, opacity: { fromValue: 1, toValue: 1 } }]));
    expect(composition.instructions.map((i) => [i.startUs, i.endUs])).toEqual(composition.segments.map((s) => [s.outputStartUs, segmentEndUs(s)]));
  });

  it('buildComposition, a dissolve is a two-layer span ramping 1 to 0 and 0 to 1 where the segments overlap', () => {
    const transitionUs = 500_000;
    const composition = threeClips(transitionUs);
    expectTiled(composition);
    const dissolves = composition.instructions.filter((i) => i.layers.length === 2);
    expect(dissolves).toHaveLength(2);
    dissolves.forEach((dissolve, index) => {
      const incoming = composition.segments[index + 1]!;
      expect([dissolve.startUs, dissolve.endUs]).toEqual([incoming.outputStartUs, segmentEndUs(composition.segments[index]!)]);
      expect(dissolve.endUs - dissolve.startUs).toBe(transitionUs);
      expect(dissolve.passthrough).toBeNull();
      expect(dissolve.layers).toEqual([
        { segment: index, opacity: { fromValue: 1, toValue: 0 } },
        { segment: index + 1, opacity: { fromValue: 0, toValue: 1 } },
      ]);
    });
    // Between the dissolves each segment shows alone and passes through.
    const singles = composition.instructions.filter((i) => i.layers.length === 1);
    expect(singles.map((i) => i.passthrough)).toEqual([0, 1, 2]);
    expect(composition.instructions.map((i) => i.layers.length)).toEqual([1, 2, 1, 2, 1]);
  });

  it('buildComposition, a crop makes every span non-passthrough and sets the output size', () => {
    const crop = { x: 10, y: 20, width: 320, height: 180 };
    for (const transitionUs of [0, 500_000]) {
      const composition = threeClips(transitionUs, crop);
      expectTiled(composition);
      expect(composition.instructions.every((i) => i.passthrough === null)).toBe(true);
      expect([composition.width, composition.height, composition.crop]).toEqual([320, 180, crop]);
    }
    expect([threeClips(0).width, threeClips(0).height]).toEqual([640, 360]);
  });

  it('buildComposition, every instruction of an accepted random spec shows segments that cover it', () => {
    const random = mulberry32(0xc0ffee);
    let built = 0;
    for (let n = 0; n < 400; n++) {
      const { sources: randomSources, spec } = randomCase(random);
      const checked = checkSpec(randomSources, spec);
      if (!checked.spec) continue;
      built++;
      const composition = buildComposition(randomSources, checked.spec);
      expectTiled(composition);
      for (const instruction of composition.instructions) {
        for (const layer of instruction.layers) {
          const segment = composition.segments[layer.segment]!;
          expect(instruction.startUs).toBeGreaterThanOrEqual(segment.outputStartUs);
          expect(instruction.endUs).toBeLessThanOrEqual(segmentEndUs(segment));
          // Source time maps back to the range picked.
          expect(sourceTimeUs(segment, segment.outputStartUs)).toBe(segment.sourceStartUs);
          expect(sourceTimeUs(segment, segmentEndUs(segment))).toBe(segment.sourceEndUs);
        }
      }
    }
    expect(built).toBeGreaterThan(50);
  });
});

describe('nearestFrameUs', () => {
  const source = gridSource({ durationUs: 1_000_000, frameUs: 40_000, preRollFrames: 2 });

  it('nearestFrameUs, moves a time onto the nearest frame start and keeps one already on a frame', () => {
    expect(nearestFrameUs(source, 40_000)).toBe(40_000);
    expect(nearestFrameUs(source, 59_999)).toBe(40_000);
    expect(nearestFrameUs(source, 60_001)).toBe(80_000);
    expect(nearestFrameUs(source, 5_000_000)).toBe(960_000);
  });

  it('nearestFrameUs, never picks a pre-roll frame before t = 0', () => {
    expect(source.frameTimesUs[0]).toBe(-80_000);
    expect(nearestFrameUs(source, -70_000)).toBe(0);
    expect(nearestFrameUs(source, 0)).toBe(0);
  });
});

describe('rampAt', () => {
  const instruction = { startUs: 1_000_000, endUs: 2_000_000, layers: [], passthrough: null };

  it('rampAt, runs linearly from its first to its last value over the span and clamps outside it', () => {
    const down = { fromValue: 1, toValue: 0 };
    const up = { fromValue: 0, toValue: 1 };
    expect(rampAt(down, instruction, 1_000_000)).toBe(1);
    expect(rampAt(down, instruction, 2_000_000)).toBe(0);
    expect(rampAt(up, instruction, 1_250_000)).toBe(0.25);
    expect(rampAt(up, instruction, 0)).toBe(0);
    expect(rampAt(up, instruction, 9_000_000)).toBe(1);
    expect(rampAt({ fromValue: 1, toValue: 1 }, instruction, 1_500_000)).toBe(1);
  });

  it('rampAt, two opposite ramps sum to 1 everywhere in a dissolve', () => {
    for (let t = 1_000_000; t <= 2_000_000; t += 12_345) {
      expect(rampAt({ fromValue: 1, toValue: 0 }, instruction, t) + rampAt({ fromValue: 0, toValue: 1 }, instruction, t)).toBeCloseTo(1, 12);
    }
  });
});

describe('instructionAt', () => {
  it('instructionAt, finds the instruction containing an instant and the last one for the end', () => {
    const composition = threeClips(500_000);
    for (const instruction of composition.instructions) {
      expect(instructionAt(composition, instruction.startUs)).toBe(instruction);
      expect(instructionAt(composition, instruction.endUs - 1)).toBe(instruction);
    }
    expect(instructionAt(composition, composition.durationUs)).toBe(composition.instructions.at(-1));
    const random = mulberry32(5);
    for (let n = 0; n < 200; n++) {
      const timeUs = Math.floor(random() * composition.durationUs);
      const found = instructionAt(composition, timeUs);
      expect(timeUs).toBeGreaterThanOrEqual(found.startUs);
      expect(timeUs).toBeLessThan(found.endUs);
    }
  });
});

describe('equalPowerGains', () => {
  it('equalPowerGains, the squares of the two gains sum to 1 at every progress', () => {
    for (let i = 0; i <= 1000; i++) {
      const { outgoing, incoming } = equalPowerGains(i / 1000);
      expect(outgoing ** 2 + incoming ** 2).toBeCloseTo(1, 14);
      expect(outgoing).toBeGreaterThanOrEqual(0);
      expect(incoming).toBeGreaterThanOrEqual(0);
    }
  });

  it('equalPowerGains, the outgoing sound falls and the incoming rises monotonically, meeting at -3 dB', () => {
    let previous = equalPowerGains(0);
    for (let i = 1; i <= 100; i++) {
      const gains = equalPowerGains(i / 100);
      expect(gains.outgoing).toBeLessThan(previous.outgoing);
      expect(gains.incoming).toBeGreaterThan(previous.incoming);
      previous = gains;
    }
    const middle = equalPowerGains(0.5);
    expect(middle.outgoing).toBeCloseTo(Math.SQRT1_2, 15);
    expect(middle.incoming).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('equalPowerGains, starts exactly at full outgoing, ends at full incoming and clamps outside 0-1', () => {
    expect(equalPowerGains(0)).toEqual({ outgoing: 1, incoming: 0 });
    expect(equalPowerGains(1).incoming).toBe(1);
    expect(equalPowerGains(1).outgoing).toBeLessThan(1e-15);
    expect(equalPowerGains(-3)).toEqual(equalPowerGains(0));
    expect(equalPowerGains(7)).toEqual(equalPowerGains(1));
  });

  it('equalPowerGains, the outgoing gain is exactly 0 at progress 1', () => {
    expect(equalPowerGains(1)).toEqual({ outgoing: 0, incoming: 1 });
  });
});
