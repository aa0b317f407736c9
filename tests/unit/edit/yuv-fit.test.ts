import { describe, expect, it } from 'vitest';
import type { YuvImage } from '../../../src/gif/gif-yuv-scale';
import { YuvFitter } from '../../../src/edit/yuv-fit';

/** A flat I420 picture: every luma sample `y`, every chroma sample `u` / `v`. */
function flat(width: number, height: number, y: number, u: number, v: number): YuvImage {
  const luma = width * height;
  const data = new Uint8Array(luma * 1.5);
  data.fill(y, 0, luma).fill(u, luma, luma * 1.25).fill(v, luma * 1.25);
  return {
    format: 'I420', width, height, data, matrix: 'bt709', fullRange: false,
    planes: [{ offset: 0, stride: width }, { offset: luma, stride: width / 2 }, { offset: luma * 1.25, stride: width / 2 }],
  };
}

describe('YuvFitter', () => {
  it('YuvFitter, fits a wider picture with black bars above and below, its colour kept', () => {
    const out = new YuvFitter().fit(flat(640, 180, 200, 90, 160), 320, 180);
    const luma = 320 * 180;
    expect(out.length).toBe(luma * 1.5);
    // 640x180 into 320x180: 320x90 centred, 44 rows of bar above (even), black is Y 16.
    const rowY = (row: number) => out.subarray(row * 320, (row + 1) * 320);
    expect([...new Set(rowY(0))]).toEqual([16]);
    expect([...new Set(rowY(90))]).toEqual([200]);
    expect([...new Set(rowY(179))]).toEqual([16]);
    const bright = Array.from({ length: 180 }, (_, row) => rowY(row)[160] === 200).filter(Boolean).length;
    expect(bright).toBe(90);
    const u = out.subarray(luma, luma * 1.25);
    const v = out.subarray(luma * 1.25);
    expect(u[45 * 160 + 80]).toBe(90);
    expect(v[45 * 160 + 80]).toBe(160);
    expect(u[0]).toBe(128);
  });

  it('YuvFitter, a picture of the output size comes back unchanged', () => {
    const image = flat(64, 32, 50, 100, 150);
    expect([...new YuvFitter().fit(image, 64, 32)]).toEqual([...image.data]);
  });
});
