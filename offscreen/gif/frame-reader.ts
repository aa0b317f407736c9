/**
 * Reads decoded frames at the GIF's size, as RGBA (palette samples) or straight as palette
 * indices. 8-bit 4:2:0 frames (what software decoders give) are copied out, resampled by
 * {@link YuvScaler} and mapped by {@link YuvPaletteMap}, far less work than a canvas without a GPU
 * plus an RGBA palette lookup. Anything else (GPU-backed frames, other formats or matrices) is
 * drawn on a 2D canvas.
 */
import type { GifWriter } from '../../src/gif/gif-encode';
import { YuvPaletteMap, YuvScaler, yuvMatrixFor, type YuvImage } from '../../src/gif/gif-yuv-scale';
import { yieldToEventLoop } from './decode-scheduler';

export class FrameReader {
  readonly #rgba: Uint8ClampedArray;
  readonly #indices: Uint8Array;
  #yuv: YuvScaler | null = null;
  #buffer = new Uint8Array(0);
  #canvas: OffscreenCanvasRenderingContext2D | null = null;
  #paletteMap: YuvPaletteMap | null = null;
  /** Set when copying out failed once: the canvas is used from then on. */
  #copyFailed = false;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.#rgba = new Uint8ClampedArray(width * height * 4);
    this.#indices = new Uint8Array(width * height);
  }

  /** The frame's pixels as RGBA; the array is reused by the next call. */
  async rgba(frame: VideoFrame): Promise<Uint8ClampedArray> {
    const planes = await this.#planes(frame);
    if (!planes) return this.#draw(frame);
    this.#yuv!.scale(planes, this.#rgba);
    return this.#rgba;
  }

  /**
   * The frame as indices into `writer`'s palette; the array is reused by the next call. Works in
   * steps with yields between them, so the decoder keeps being fed (see {@link yieldToEventLoop}).
   */
  async indices(frame: VideoFrame, writer: GifWriter): Promise<Uint8Array> {
    const planes = await this.#planes(frame);
    if (!planes) {
      const rgba = this.#draw(frame);
      await yieldToEventLoop();
      return writer.mapToPalette(rgba, this.#indices);
    }
    this.#yuv!.scalePlanes(planes, 'luma');
    await yieldToEventLoop();
    const scaled = this.#yuv!.scalePlanes(planes, 'chroma');
    this.#paletteMap ??= new YuvPaletteMap((r, g, b) => writer.nearestIndex(r, g, b));
    this.#paletteMap.map(scaled, this.#indices);
    return this.#indices;
  }

  /** The frame's YUV copied out, with a scaler ready for it; null if it must be drawn instead. */
  async #planes(frame: VideoFrame): Promise<YuvImage | null> {
    const rect = frame.visibleRect;
    const format = frame.format === 'I420A' ? 'I420' : frame.format;
    const matrix = rect ? yuvMatrixFor(frame.colorSpace.matrix, rect.height) : null;
    if (this.#copyFailed || !rect || !matrix || (format !== 'I420' && format !== 'NV12')) return null;
    try {
      const size = frame.allocationSize();
      if (this.#buffer.length < size) this.#buffer = new Uint8Array(size);
      const planes = await frame.copyTo(this.#buffer);
      if (this.#yuv?.width !== rect.width || this.#yuv.height !== rect.height) {
        this.#yuv = new YuvScaler(rect.width, rect.height, this.width, this.height);
      }
      return { format, width: rect.width, height: rect.height, data: this.#buffer, planes, matrix, fullRange: frame.colorSpace.fullRange ?? false };
    } catch {
      this.#copyFailed = true;
      return null;
    }
  }

  #draw(frame: VideoFrame): Uint8ClampedArray {
    if (!this.#canvas) {
      this.#canvas = new OffscreenCanvas(this.width, this.height).getContext('2d', { alpha: false, willReadFrequently: true });
      if (!this.#canvas) throw new Error('No 2D canvas in this worker');
      this.#canvas.imageSmoothingQuality = 'medium';
    }
    this.#canvas.drawImage(frame, 0, 0, this.width, this.height);
    return this.#canvas.getImageData(0, 0, this.width, this.height).data;
  }
}
