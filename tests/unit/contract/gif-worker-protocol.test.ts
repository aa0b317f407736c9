import { describe, expect, it } from 'vitest';
import { gifRequestId, parseGifRequest, UNKNOWN_GIF_REQUEST_ID } from '../../../src/contract/gif-worker-protocol';
import type { VideoTrackInput } from '../../../src/clip/clip-input';

const video: VideoTrackInput = {
  codec: 'avc',
  decoderConfig: { codec: 'avc1.42001f', codedWidth: 1280, codedHeight: 720 },
  chunks: { bytes: new Uint8Array(4), chunks: [{ timestampUs: 0, durationUs: 33_333, key: true, epoch: 0, offset: 0, byteLength: 4 }] },
};
const encode = { id: 3, type: 'encode', startUs: 1_000_000, endUs: 6_000_000, widthPx: 480, fps: 15, video } as const;

describe('parseGifRequest', () => {
  it('parseGifRequest, accepts the contract', () => {
    expect(parseGifRequest(encode)).toEqual({ ok: true, value: encode });
    expect(parseGifRequest({ id: 3, type: 'cancel' })).toEqual({ ok: true, value: { id: 3, type: 'cancel' } });
  });

  it('parseGifRequest, keeps the chunk bytes, not a copy (they are transferred)', () => {
    const parsed = parseGifRequest(encode);
    expect(parsed.ok && parsed.value.type === 'encode' && parsed.value.video.chunks.bytes).toBe(video.chunks.bytes);
  });

  it.each([
    [null, /numeric id/],
    [{ type: 'cancel' }, /numeric id/],
    [{ id: -2, type: 'cancel' }, /numeric id/],
    [{ id: 1, type: 'explode' }, /unknown type "explode"/],
    [{ ...encode, startUs: '1' }, /startUs must be a finite number/],
    [{ ...encode, endUs: Number.NaN }, /endUs must be a finite number/],
    [{ ...encode, endUs: encode.startUs }, /endUs .* must be after startUs/],
    [{ ...encode, widthPx: 480.5 }, /widthPx must be an integer in \[2, 4096\]/],
    [{ ...encode, widthPx: 1 }, /widthPx/],
    [{ ...encode, widthPx: 5000 }, /widthPx/],
    [{ ...encode, fps: 0 }, /fps must be in \(0, 50\]/],
    [{ ...encode, fps: 120 }, /fps/],
    [{ ...encode, video: undefined }, /video.decoderConfig.codec/],
    [{ ...encode, video: { ...video, chunks: { bytes: [1, 2], chunks: [] } } }, /video.chunks must hold bytes/],
    [{ ...encode, video: { ...video, chunks: { bytes: new Uint8Array(0), chunks: [] } } }, /video.chunks.chunks is empty/],
  ])('parseGifRequest, refuses %j naming the field', (message, error) => {
    const parsed = parseGifRequest(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/^Bad GIF request: /);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe('gifRequestId', () => {
  it('gifRequestId, finds the id of a bad request so its error can be answered', () => {
    expect(gifRequestId({ id: 9, type: 'explode' })).toBe(9);
    expect(gifRequestId({ id: '9' })).toBe(UNKNOWN_GIF_REQUEST_ID);
    expect(gifRequestId(undefined)).toBe(UNKNOWN_GIF_REQUEST_ID);
  });
});
