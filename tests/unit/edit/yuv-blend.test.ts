import { describe, expect, it } from 'vitest';
import { blendI420, i420Bytes } from '../../../src/edit/yuv-blend';
import { mulberry32 } from '../support/edit-sources';

const picture = (seed: number, length = i420Bytes(16, 8)): Uint8Array => {
  const random = mulberry32(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
};

describe('blendI420', () => {
  it('i420Bytes, is a luma plane and two quarter-size chroma planes', () => {
    expect(i420Bytes(16, 8)).toBe(16 * 8 + 2 * 8 * 4);
    expect(i420Bytes(1280, 720)).toBe(1_382_400);
  });

  it('blendI420, weight 0 is the first picture and weight 1 the second, byte for byte', () => {
    const a = picture(1);
    const b = picture(2);
    const out = new Uint8Array(a.length);
    blendI420(a, b, 0, out);
    expect(out).toEqual(a);
    blendI420(a, b, 1, out);
    expect(out).toEqual(b);
    // Out-of-range weights clamp.
    blendI420(a, b, -2, out);
    expect(out).toEqual(a);
    blendI420(a, b, 3, out);
    expect(out).toEqual(b);
  });

  it('blendI420, weight 0.5 is the rounded mean of every byte pair', () => {
    // Every pair of byte values, extremes included.
    const a = Uint8Array.from({ length: 256 * 256 }, (_, i) => i >> 8);
    const b = Uint8Array.from({ length: 256 * 256 }, (_, i) => i & 255);
    const out = new Uint8Array(a.length);
    blendI420(a, b, 0.5, out);
    const wrong = out.findIndex((value, i) => value !== Math.round((a[i]! + b[i]!) / 2));
    expect(wrong).toBe(-1);
  });

  it('blendI420, moves every byte monotonically from the first picture to the second as the weight rises', () => {
    const a = picture(3);
    const b = picture(4);
    let previous = Uint8Array.from(a);
    for (let step = 1; step <= 16; step++) {
      const out = new Uint8Array(a.length);
      blendI420(a, b, step / 16, out);
      for (let i = 0; i < a.length; i++) {
        const towards = Math.sign(b[i]! - a[i]!);
        expect(Math.sign(out[i]! - previous[i]!) * towards).toBeGreaterThanOrEqual(0);
        expect(Math.abs(out[i]! - ((1 - step / 16) * a[i]! + (step / 16) * b[i]!))).toBeLessThanOrEqual(1);
      }
      previous = out;
    }
  });

  it('blendI420, throws when the pictures or the output differ in size', () => {
    const a = picture(5);
    expect(() => blendI420(a, picture(6, a.length - 1), 0.5, new Uint8Array(a.length))).toThrow(/differ in size/);
    expect(() => blendI420(a, picture(6), 0.5, new Uint8Array(a.length + 1))).toThrow(/differ in size/);
  });
});
