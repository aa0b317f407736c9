/**
 * Dissolves in the decoder's own format: two I420 pictures of one size mixed plane by plane,
 * `weight` of the second over the first, so no colour conversion is paid per frame.
 */

/** Bytes of an I420 picture of even `width` x `height`: Y, then U and V at a quarter each. */
export const i420Bytes = (width: number, height: number): number => (width * height * 3) / 2;

/** Writes `(1 - weight) * a + weight * b` into `out` (all the same length), rounded. */
export function blendI420(a: Uint8Array, b: Uint8Array, weight: number, out: Uint8Array): void {
  if (a.length !== b.length || out.length !== a.length) throw new Error('blendI420: the pictures differ in size.');
  // Integer weights (0-256) keep the inner loop in small integers.
  const wb = Math.round(Math.min(1, Math.max(0, weight)) * 256);
  const wa = 256 - wb;
  for (let i = 0; i < a.length; i++) out[i] = (a[i]! * wa + b[i]! * wb + 128) >> 8;
}
