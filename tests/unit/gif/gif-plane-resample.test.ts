// The triangle resampler's weights, checked against the filter's definition, and planes it
// scales checked against sums done by hand.
import { describe, expect, it } from 'vitest';
import { halve2x2, resampleAxis, resampleChroma, resamplePlane } from '../../../src/gif/gif-plane-resample';

const ONE = 4096;

function weightsOf(axis: ReturnType<typeof resampleAxis>, i: number): number[] {
  return Array.from(axis.weights.subarray(i * axis.taps, (i + 1) * axis.taps));
}

describe('resampleAxis', () => {
  it('resampleAxis, gives non-negative weights summing to one for shrinking, enlarging and odd sizes', () => {
    for (const [inSize, outSize] of [[640, 480], [1280, 480], [360, 270], [17, 10], [480, 640], [5, 1], [1, 4], [960, 480]] as const) {
      const axis = resampleAxis(inSize, outSize, inSize / outSize);
      expect(axis.start).toHaveLength(outSize);
      for (let i = 0; i < outSize; i++) {
        const w = weightsOf(axis, i);
        expect(w.every((v) => v >= 0), `${inSize}->${outSize} #${i}`).toBe(true);
        expect(w.reduce((a, b) => a + b, 0), `${inSize}->${outSize} #${i}`).toBe(ONE);
        expect(axis.start[i]! >= 0 && axis.start[i]! + axis.taps <= inSize).toBe(true);
      }
    }
  });

  it('resampleAxis, weighs samples by a triangle one output pixel wide each side (4/3 shrink)', () => {
    // Output 0 is centred on source 1/6: samples -1 (the edge, folded onto 0), 0, 1 at distances
    // 7/6, 1/6, 5/6 of a 4/3 radius: 1/8, 7/8, 3/8 before normalising. Output 1 on 3/2: 1 and 2.
    const axis = resampleAxis(640, 480, 4 / 3);
    expect(axis.taps).toBe(3);
    expect(axis.start[0]).toBe(0);
    const first = weightsOf(axis, 0);
    expect(first[0]! / ONE).toBeCloseTo((1 / 8 + 7 / 8) / (11 / 8), 3);
    expect(first[1]! / ONE).toBeCloseTo(3 / 8 / (11 / 8), 3);
    expect(first[2]).toBe(0);
    const second = weightsOf(axis, 1);
    const used = second.filter((w) => w > 0);
    expect(used).toEqual([ONE / 2, ONE / 2]);
    expect(axis.start[1]! + second.indexOf(ONE / 2)).toBe(1);
    // Output 2 (centre 2 + 5/6: samples 2, 3, 4) mirrors output 3 (centre 4 + 1/6: samples 3, 4, 5).
    const nonZero = (i: number) => weightsOf(axis, i).filter((w) => w > 0);
    expect(nonZero(2).reverse()).toEqual(nonZero(3));
    expect(nonZero(3)).toHaveLength(3);
  });

  it('resampleAxis, interpolates linearly when enlarging and refuses bad sizes', () => {
    const axis = resampleAxis(2, 4, 0.5);
    // Centres at -0.25, 0.25, 0.75, 1.25: the edges repeat, the middle two mix 3:1.
    expect([0, 1, 2, 3].map((i) => weightsOf(axis, i))).toEqual([[ONE, 0], [3 * ONE / 4, ONE / 4], [ONE / 4, 3 * ONE / 4], [0, ONE]]);
    expect(() => resampleAxis(0, 4, 1)).toThrow(/inSize/);
    expect(() => resampleAxis(4, 2, 0)).toThrow(/scale/);
  });
});

describe('resamplePlane', () => {
  it('resamplePlane, keeps a flat plane flat and averages a ramp to its centres', () => {
    const [w, h, ow, oh] = [64, 36, 48, 27];
    const flat = new Uint8Array(w * h).fill(201);
    const out = new Uint8Array(ow * oh);
    const x = resampleAxis(w, ow, w / ow);
    const y = resampleAxis(h, oh, h / oh);
    resamplePlane(flat, 0, w, w, x, y, new Int32Array(w), out);
    expect(new Set(out)).toEqual(new Set([201]));
    // A horizontal ramp 2 levels a sample: away from the edges, the mean at each output centre.
    const ramp = Uint8Array.from({ length: w * h }, (_, i) => 2 * (i % w));
    resamplePlane(ramp, 0, w, w, x, y, new Int32Array(w), out);
    for (let ox = 2; ox < ow - 2; ox++) expect(Math.abs(out[5 * ow + ox]! - 2 * ((ox + 0.5) * (w / ow) - 0.5))).toBeLessThanOrEqual(0.5);
  });

  it('halve2x2, averages blocks (rounded) on the word path and the byte path alike', () => {
    const [w, h] = [16, 6];
    const plane = Uint8Array.from({ length: w * h }, (_, i) => (i * 37 + 11) & 255);
    const expected = new Uint8Array(8 * 3);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 8; x++) {
      const p = 2 * y * w + 2 * x;
      expected[y * 8 + x] = Math.floor((plane[p]! + plane[p + 1]! + plane[p + w]! + plane[p + w + 1]! + 2) / 4);
    }
    const aligned = new Uint8Array(24);
    halve2x2(plane, 0, w, 8, 3, aligned);
    expect(aligned).toEqual(expected);
    const shifted = new Uint8Array(w * h + 1);
    shifted.set(plane, 1);
    const unaligned = new Uint8Array(24);
    halve2x2(shifted, 1, w, 8, 3, unaligned);
    expect(unaligned).toEqual(expected);
  });

  it('resamplePlane, gives the same result from rows on a word boundary and off it', () => {
    const [w, h, ow, oh] = [64, 40, 24, 15];
    const plane = Uint8Array.from({ length: w * h }, (_, i) => (i * 29 + (i >> 6) * 7) & 255);
    const x = resampleAxis(w, ow, w / ow);
    const y = resampleAxis(h, oh, h / oh);
    const aligned = new Uint8Array(ow * oh);
    resamplePlane(plane, 0, w, w, x, y, new Int32Array(w), aligned);
    const shifted = new Uint8Array(w * h + 3);
    shifted.set(plane, 3);
    const unaligned = new Uint8Array(ow * oh);
    resamplePlane(shifted, 3, w, w, x, y, new Int32Array(w), unaligned);
    expect(unaligned).toEqual(aligned);
  });

  it('resampleChroma, gives interleaved (NV12) and planar (I420) chroma the same result', () => {
    const [cw, ch, ow, oh] = [40, 30, 30, 20];
    const u = Uint8Array.from({ length: cw * ch }, (_, i) => (i * 7) & 255);
    const v = Uint8Array.from({ length: cw * ch }, (_, i) => (i * 13 + 5) & 255);
    const planar = new Uint8Array(2 * cw * ch);
    planar.set(u);
    planar.set(v, cw * ch);
    const interleaved = new Uint8Array(2 * cw * ch);
    for (let i = 0; i < cw * ch; i++) {
      interleaved[2 * i] = u[i]!;
      interleaved[2 * i + 1] = v[i]!;
    }
    const x = resampleAxis(cw, ow, cw / ow);
    const y = resampleAxis(ch, oh, ch / oh);
    const outs = [0, 1, 2, 3].map(() => new Uint8Array(ow * oh));
    resampleChroma(planar, false, 0, cw * ch, cw, cw, x, y, new Int32Array(2 * cw), outs[0]!, outs[1]!);
    resampleChroma(interleaved, true, 0, 1, 2 * cw, cw, x, y, new Int32Array(2 * cw), outs[2]!, outs[3]!);
    expect(outs[2]).toEqual(outs[0]);
    expect(outs[3]).toEqual(outs[1]);
    const single = new Uint8Array(ow * oh);
    resamplePlane(u, 0, cw, cw, x, y, new Int32Array(cw), single);
    expect(outs[0]).toEqual(single);
  });
});
