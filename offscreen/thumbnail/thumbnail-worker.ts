/// <reference lib="webworker" />
/**
 * Makes library thumbnails off the capture thread: decodes the keyframe at the middle of a
 * saved clip (mediabunny reads the MP4, WebCodecs' ImageDecoder the GIF), scales it and
 * encodes it as WebP.
 */
import { ALL_FORMATS, BlobSource, CanvasSink, EncodedPacketSink, Input } from 'mediabunny';
import { errorMessage } from '../../src/contract/errors';
import { parseThumbnailRequest, type ThumbnailRequest, type ThumbnailResponse } from '../../src/contract/thumbnail-worker-protocol';
import { THUMBNAIL_QUALITY, THUMBNAIL_TYPE, thumbnailSize } from '../../src/library/thumbnail-size';

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function mp4Thumbnail(file: Blob): Promise<OffscreenCanvas> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error('the clip has no video track');
    const size = thumbnailSize(track.displayWidth, track.displayHeight);
    const sink = new CanvasSink(track, { ...size, fit: 'fill', poolSize: 1 });
    // computeDuration() is where the track ends, on the same clock as its first timestamp.
    const middleSec = ((await track.getFirstTimestamp()) + (await track.computeDuration())) / 2;
    // The keyframe nearest before the middle decodes on its own: one frame instead of a GOP's worth.
    const key = await new EncodedPacketSink(track).getKeyPacket(middleSec, { metadataOnly: true });
    const wrapped = await sink.getCanvas(key?.timestamp ?? middleSec);
    if (!wrapped) throw new Error('no frame decodes at the middle of the clip');
    return wrapped.canvas as OffscreenCanvas;
  } finally {
    input.dispose();
  }
}

async function gifThumbnail(file: Blob): Promise<OffscreenCanvas> {
  const decoder = new ImageDecoder({ data: file.stream(), type: 'image/gif' });
  try {
    await decoder.tracks.ready;
    await decoder.completed;
    const frameCount = decoder.tracks.selectedTrack?.frameCount ?? 1;
    const { image } = await decoder.decode({ frameIndex: Math.floor(frameCount / 2) });
    try {
      const size = thumbnailSize(image.displayWidth, image.displayHeight);
      const canvas = new OffscreenCanvas(size.width, size.height);
      canvas.getContext('2d')!.drawImage(image, 0, 0, size.width, size.height);
      return canvas;
    } finally {
      image.close();
    }
  } finally {
    decoder.close();
  }
}

async function thumbnail({ format, file }: ThumbnailRequest): Promise<Blob> {
  const canvas = format === 'gif' ? await gifThumbnail(file) : await mp4Thumbnail(file);
  return canvas.convertToBlob({ type: THUMBNAIL_TYPE, quality: THUMBNAIL_QUALITY });
}

scope.onmessage = async (event: MessageEvent<unknown>) => {
  const parsed = parseThumbnailRequest(event.data);
  if (!parsed.ok) {
    scope.postMessage({ id: parsed.id ?? -1, ok: false, error: `Bad thumbnail request: ${parsed.error}` } satisfies ThumbnailResponse);
    return;
  }
  const { id } = parsed.value;
  try {
    scope.postMessage({ id, ok: true, image: await thumbnail(parsed.value) } satisfies ThumbnailResponse);
  } catch (error) {
    scope.postMessage({ id, ok: false, error: `The thumbnail could not be made: ${errorMessage(error)}` } satisfies ThumbnailResponse);
  }
};
