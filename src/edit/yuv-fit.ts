/**
 * Fits a 4:2:0 picture of one size inside an I420 picture of another, centred, aspect kept, the
 * bars black: how a joined clip of another size is shown without leaving YUV (a canvas would
 * change the colour description the encoder writes, and costs far more without a GPU).
 */
import { YuvScaler, type YuvImage } from '../gif/gif-yuv-scale';
import { i420Bytes } from './yuv-blend';

const even = (value: number): number => Math.max(2, 2 * Math.round(value / 2));

/** Studio-range black. */
const BLACK_Y = 16;
const NEUTRAL_CHROMA = 128;

/** Reuses its scalers while the sizes stay the same (a clip's frames all have one). */
export class YuvFitter {
  #key = '';
  #luma: YuvScaler | null = null;
  #chroma: YuvScaler | null = null;

  /** `image` scaled into a new `outWidth` x `outHeight` I420 buffer (both even). */
  fit(image: YuvImage, outWidth: number, outHeight: number): Uint8Array {
    const scale = Math.min(outWidth / image.width, outHeight / image.height);
    const width = Math.min(outWidth, even(image.width * scale));
    const height = Math.min(outHeight, even(image.height * scale));
    const key = `${image.width}x${image.height}>${width}x${height}`;
    if (key !== this.#key) {
      this.#key = key;
      this.#luma = new YuvScaler(image.width, image.height, width, height);
      this.#chroma = new YuvScaler(image.width, image.height, width / 2, height / 2);
    }
    const { y } = this.#luma!.scalePlanes(image, 'luma');
    const { u, v } = this.#chroma!.scalePlanes(image, 'chroma');
    const out = new Uint8Array(i420Bytes(outWidth, outHeight));
    const luma = outWidth * outHeight;
    out.fill(BLACK_Y, 0, luma).fill(NEUTRAL_CHROMA, luma);
    const left = 2 * Math.floor((outWidth - width) / 4);
    const top = 2 * Math.floor((outHeight - height) / 4);
    for (let row = 0; row < height; row++) out.set(y.subarray(row * width, (row + 1) * width), (top + row) * outWidth + left);
    const chromaWidth = outWidth / 2;
    for (let row = 0; row < height / 2; row++) {
      const at = (top / 2 + row) * chromaWidth + left / 2;
      out.set(u.subarray((row * width) / 2, ((row + 1) * width) / 2), luma + at);
      out.set(v.subarray((row * width) / 2, ((row + 1) * width) / 2), luma + luma / 4 + at);
    }
    return out;
  }
}
