import { describe, expect, it } from 'vitest';
import { mixComposition, usToSamples, type SegmentPcm } from '../../../src/edit/audio-mix';
import { buildComposition, equalPowerGains, segmentEndUs, type Composition, type EditRange } from '../../../src/edit/composition';
import { gridSource, mulberry32 } from '../support/edit-sources';

const RATE = 48_000;
const clipA = gridSource({ id: 'a', durationUs: 4_000_000, frameUs: 40_000 });
const clipB = gridSource({ id: 'b', durationUs: 4_000_000, frameUs: 40_000 });

const compose = (ranges: EditRange[], transitionUs = 0): Composition => buildComposition([clipA, clipB], { ranges, transitionUs, crop: null });

/** Enough samples of one segment's sound (a few past its end: the mix must not use them). */
const segmentSamples = (composition: Composition, segment: number): number => {
  const { sourceStartUs, sourceEndUs } = composition.segments[segment]!;
  return usToSamples(sourceEndUs - sourceStartUs, RATE) + 3;
};
const constant = (length: number, value: number): SegmentPcm => ({ channels: [new Float32Array(length).fill(value)] });
const noise = (length: number, seed: number): SegmentPcm => {
  const random = mulberry32(seed);
  return { channels: [Float32Array.from({ length }, () => random() * 2 - 1)] };
};
const meanSquare = (samples: Float32Array, from: number, to: number): number => {
  let sum = 0;
  for (let n = from; n < to; n++) sum += samples[n]! ** 2;
  return sum / (to - from);
};
const decibels = (ratio: number): number => 10 * Math.log10(ratio);

describe('mixComposition', () => {
  it('mixComposition, a single segment passes its samples through unchanged, from the first sample to the last', () => {
    const composition = compose([{ source: 0, startUs: 400_000, endUs: 2_000_000 }]);
    const length = segmentSamples(composition, 0);
    const random = mulberry32(1);
    const left = Float32Array.from({ length }, () => random() * 2 - 1);
    const right = Float32Array.from({ length }, () => random() * 2 - 1);
    const [outLeft, outRight] = mixComposition(composition, [{ channels: [left, right] }], RATE, 2);
    expect(outLeft!.length).toBe(usToSamples(1_600_000, RATE));
    expect(outLeft).toEqual(left.subarray(0, outLeft!.length));
    expect(outRight).toEqual(right.subarray(0, outRight!.length));
  });

  it('mixComposition, a cut joins two segments sample-exactly with no gap or overlap', () => {
    // The first segment ends between samples: 1_000_015 us is sample 48_000.72.
    const composition = compose([{ source: 0, startUs: 0, endUs: 1_000_015 }, { source: 1, startUs: 0, endUs: 1_000_000 }]);
    const switchAt = usToSamples(composition.segments[1]!.outputStartUs, RATE);
    expect(switchAt).toBe(Math.round((1_000_015 * RATE) / 1e6));
    expect(switchAt).toBe(48_001);
    const [out] = mixComposition(composition, [constant(segmentSamples(composition, 0), 0.5), constant(segmentSamples(composition, 1), -0.5)], RATE, 1);
    expect(out!.length).toBe(usToSamples(composition.durationUs, RATE));
    const wrong = out!.findIndex((sample, n) => sample !== (n < switchAt ? 0.5 : -0.5));
    expect(wrong).toBe(-1);
  });

  it('mixComposition, places a later segment\'s first sample at its output start', () => {
    const composition = compose([{ source: 0, startUs: 0, endUs: 733_347 }, { source: 1, startUs: 120_000, endUs: 1_120_000 }]);
    const offset = usToSamples(composition.segments[1]!.outputStartUs, RATE);
    const length = segmentSamples(composition, 1);
    const ramp = Float32Array.from({ length }, (_, k) => (k + 1) / length);
    const [out] = mixComposition(composition, [null, { channels: [ramp] }], RATE, 1);
    expect(out!.subarray(0, offset).every((sample) => sample === 0)).toBe(true);
    expect(out!.subarray(offset)).toEqual(ramp.subarray(0, out!.length - offset));
  });

  it('mixComposition, a dissolve of two uncorrelated noises keeps the power within 1 dB throughout', () => {
    const transitionUs = 1_000_000;
    const composition = compose([{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 0, endUs: 2_000_000 }], transitionUs);
    const a = noise(segmentSamples(composition, 0), 11);
    const b = noise(segmentSamples(composition, 1), 12);
    const [out] = mixComposition(composition, [a, b], RATE, 1);
    const reference = meanSquare(a.channels[0]!, 0, RATE);
    const dissolve = composition.instructions[1]!;
    expect(dissolve.layers).toHaveLength(2);
    const from = usToSamples(dissolve.startUs, RATE) - RATE / 10;
    const to = usToSamples(dissolve.endUs, RATE) + RATE / 10;
    const window = RATE / 20;
    const levels: number[] = [];
    for (let n = from; n + window <= to; n += window) levels.push(decibels(meanSquare(out!, n, n + window) / reference));
    expect(levels.length).toBeGreaterThan(20);
    for (const level of levels) expect(Math.abs(level)).toBeLessThan(1);
  });

  it('mixComposition, the outgoing sound starts the dissolve at full gain and ends it near silence, the incoming the reverse', () => {
    const composition = compose([{ source: 0, startUs: 0, endUs: 2_000_000 }, { source: 1, startUs: 0, endUs: 2_000_000 }], 1_000_000);
    const dissolve = composition.instructions[1]!;
    const first = usToSamples(dissolve.startUs, RATE);
    const last = usToSamples(dissolve.endUs, RATE) - 1;
    const middle = Math.round((first + last) / 2);
    const [outgoing] = mixComposition(composition, [constant(segmentSamples(composition, 0), 1), null], RATE, 1);
    expect(outgoing![first]).toBeGreaterThan(0.9999);
    expect(outgoing![last]).toBeLessThan(1e-4);
    expect(outgoing![middle]).toBeCloseTo(equalPowerGains(0.5).outgoing, 4);
    // The silent incoming clip adds nothing after the dissolve.
    expect(outgoing!.subarray(last + 1).every((sample) => sample === 0)).toBe(true);
    const [incoming] = mixComposition(composition, [null, constant(segmentSamples(composition, 1), 1)], RATE, 1);
    expect(incoming![first]).toBeLessThan(1e-4);
    expect(incoming![last]).toBeGreaterThan(0.9999);
    expect(incoming!.subarray(0, first).every((sample) => sample === 0)).toBe(true);
    expect(incoming!.subarray(last + 1).every((sample) => sample === 1)).toBe(true);
    // Outgoing and incoming gains are an equal-power pair at every sample.
    for (let n = first; n <= last; n++) expect(outgoing![n]! ** 2 + incoming![n]! ** 2).toBeCloseTo(1, 6);
  });

  it('mixComposition, silent segments are silence', () => {
    const composition = compose([{ source: 0, startUs: 0, endUs: 1_000_000 }, { source: 1, startUs: 0, endUs: 1_000_000 }], 400_000);
    const outputs = mixComposition(composition, [null, { channels: [] }], RATE, 2);
    expect(outputs).toHaveLength(2);
    for (const out of outputs) {
      expect(out.length).toBe(usToSamples(composition.durationUs, RATE));
      expect(out.every((sample) => sample === 0)).toBe(true);
    }
  });

  it('mixComposition, spreads a mono source to every output channel', () => {
    const composition = compose([{ source: 0, startUs: 0, endUs: 500_000 }]);
    const mono = noise(segmentSamples(composition, 0), 3);
    const [left, right] = mixComposition(composition, [mono], RATE, 2);
    expect(left).toEqual(mono.channels[0]!.subarray(0, left!.length));
    expect(right).toEqual(left);
  });

  it('mixComposition, the output lasts the composition at every common rate', () => {
    const composition = compose([{ source: 0, startUs: 0, endUs: 1_234_567 }, { source: 1, startUs: 0, endUs: 2_000_000 }], 300_000);
    for (const rate of [8_000, 44_100, 48_000]) {
      const outputs = mixComposition(composition, [null, null], rate, 1);
      expect(outputs[0]!.length).toBe(Math.round((segmentEndUs(composition.segments[1]!) * rate) / 1e6));
    }
  });
});
