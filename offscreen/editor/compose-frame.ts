/**
 * One output picture from the layers an instruction shows: a frame passed on with its new time
 * (and a visible rect for a crop) where one layer shows, the I420 planes mixed where two do, a
 * clip of another size scaled and fitted inside the output in YUV (src/edit/yuv-fit.ts), and an
 * OffscreenCanvas only for frames that are not YUV: it changes the colour description the
 * encoder writes, so copied and encoded packets could no longer share a track.
 */
import type { CropRect } from '../../src/edit/composition';
import { yuvMatrixFor, type YuvImage } from '../../src/gif/gif-yuv-scale';
import { blendI420, i420Bytes } from '../../src/edit/yuv-blend';
import { YuvFitter } from '../../src/edit/yuv-fit';

export interface LayerFrame {
  frame: VideoFrame;
  /** 0-1 over the layers below. */
  opacity: number;
  /** The part of the frame to show, in its visible pixels; null = all of it. */
  crop: CropRect | null;
}

function sourceRect(layer: LayerFrame): CropRect {
  const visible = layer.frame.visibleRect!;
  const crop = layer.crop ?? { x: 0, y: 0, width: visible.width, height: visible.height };
  return { x: visible.x + crop.x, y: visible.y + crop.y, width: crop.width, height: crop.height };
}

/** One fitter per source size: the two layers of a dissolve may differ. */
const fitters = new Map<string, YuvFitter>();

/** The layer's picture as I420 bytes of the output size (fitted inside it when its size differs), or null when it is not YUV. */
async function planes(layer: LayerFrame, width: number, height: number): Promise<Uint8Array | null> {
  const rect = sourceRect(layer);
  const { format } = layer.frame;
  if ((format !== 'I420' && format !== 'NV12') || rect.x % 2 || rect.y % 2) return null;
  if (format === 'I420' && rect.width === width && rect.height === height) {
    const buffer = new Uint8Array(i420Bytes(width, height));
    const luma = width * height;
    await layer.frame.copyTo(buffer, {
      rect,
      layout: [
        { offset: 0, stride: width },
        { offset: luma, stride: width / 2 },
        { offset: luma + luma / 4, stride: width / 2 },
      ],
    });
    return buffer;
  }
  const data = new Uint8Array(layer.frame.allocationSize({ rect }));
  const layout = await layer.frame.copyTo(data, { rect });
  const matrix = yuvMatrixFor(layer.frame.colorSpace.matrix, rect.height) ?? 'bt709';
  const image: YuvImage = { format, width: rect.width, height: rect.height, data, planes: layout, matrix, fullRange: layer.frame.colorSpace.fullRange ?? false };
  const key = `${rect.width}x${rect.height}>${width}x${height}`;
  let fitter = fitters.get(key);
  if (!fitter) fitters.set(key, (fitter = new YuvFitter()));
  return fitter.fit(image, width, height);
}

const i420Frame = (data: Uint8Array, width: number, height: number, timestampUs: number): VideoFrame =>
  new VideoFrame(data, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: timestampUs });

let canvas: OffscreenCanvas | null = null;

/** The last resort, for frames that are not YUV: drawn fitted inside the output. */
function onCanvas(layers: readonly LayerFrame[], width: number, height: number, timestampUs: number): VideoFrame {
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  context.globalAlpha = 1;
  context.fillStyle = '#000';
  context.fillRect(0, 0, width, height);
  for (const layer of layers) {
    const rect = sourceRect(layer);
    const scale = Math.min(width / rect.width, height / rect.height);
    const drawWidth = rect.width * scale;
    const drawHeight = rect.height * scale;
    context.globalAlpha = layer.opacity;
    context.drawImage(layer.frame, rect.x, rect.y, rect.width, rect.height, (width - drawWidth) / 2, (height - drawHeight) / 2, drawWidth, drawHeight);
  }
  return new VideoFrame(canvas, { timestamp: timestampUs });
}

/** Composes `layers` (bottom first) into a new frame at `timestampUs`; the caller closes it and the layers. */
export async function composeFrame(layers: readonly LayerFrame[], width: number, height: number, timestampUs: number): Promise<VideoFrame> {
  const visible = layers.filter((layer) => layer.opacity > 0);
  const [bottom, top] = visible.length > 0 ? visible : layers;
  if (!bottom) throw new Error('composeFrame: no layers.');
  if (!top || top.opacity >= 1) {
    const only = top ?? bottom;
    const rect = sourceRect(only);
    const whole = rect.x === only.frame.visibleRect!.x && rect.y === only.frame.visibleRect!.y && rect.width === only.frame.displayWidth && rect.height === only.frame.displayHeight;
    if (whole && rect.width === width && rect.height === height) return new VideoFrame(only.frame, { timestamp: timestampUs });
    // Chromium's encoders encode a frame's visible rect: a crop without copying a pixel.
    if (only.frame.format === 'I420' && rect.width === width && rect.height === height && rect.x % 2 === 0 && rect.y % 2 === 0) {
      return new VideoFrame(only.frame, { visibleRect: rect, timestamp: timestampUs });
    }
    const data = await planes(only, width, height);
    return data ? i420Frame(data, width, height, timestampUs) : onCanvas([only], width, height, timestampUs);
  }
  if (visible.length === 2) {
    const [a, b] = await Promise.all([planes(bottom, width, height), planes(top, width, height)]);
    if (a && b) {
      blendI420(a, b, top.opacity, a);
      return i420Frame(a, width, height, timestampUs);
    }
  }
  return onCanvas(visible, width, height, timestampUs);
}
