import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../src/contract/dispatch';
import { parseMuxRequest } from '../../../src/contract/mux-worker-protocol';
import { isAddressedTo, parseLocalText, parseOffscreenRequest, parseServiceWorkerEvent } from '../../../src/contract/offscreen-messages';
import { DEFAULT_SETTINGS } from '../../../src/settings/settings';

const start = { target: 'offscreen', type: 'start', streamId: 'abc', tabId: 3, tabTitle: 'A tab', settings: DEFAULT_SETTINGS, captureSize: { width: 1280, height: 720 }, region: null };
const library = { title: 'A tab', sourceOrigin: 'https://example.com', capBytes: 1 << 30 };
const save = { target: 'offscreen', type: 'save', seconds: 10, format: 'gif', postRollSec: 0, gif: { widthPx: 480, fps: 15 }, library };
const spec = { clips: [{ id: 'a1-b2' }], transition: null, crop: null, format: 'mp4' };
const exportRequest = { target: 'offscreen', type: 'export', spec, gif: { widthPx: 480, fps: 15 }, capBytes: 1 << 30, editedWord: 'bearbeitet' };

describe('parseOffscreenRequest', () => {
  it('parseOffscreenRequest, accepts the contract and drops the envelope', () => {
    expect(parseOffscreenRequest(start)).toEqual({ ok: true, value: { type: 'start', streamId: 'abc', tabId: 3, tabTitle: 'A tab', settings: DEFAULT_SETTINGS, captureSize: { width: 1280, height: 720 }, region: null } });
    const region = { rect: { x: 10, y: 20.5, width: 300, height: 200 }, viewportCss: { width: 1280, height: 720 } };
    expect(parseOffscreenRequest({ ...start, region })).toMatchObject({ ok: true, value: { region } });
    expect(parseOffscreenRequest({ target: 'offscreen', type: 'region', ...region })).toEqual({ ok: true, value: { type: 'region', ...region } });
    expect(parseOffscreenRequest({ target: 'offscreen', type: 'region', rect: null, viewportCss: region.viewportCss })).toEqual({ ok: true, value: { type: 'region', rect: null, viewportCss: region.viewportCss } });
    expect(parseOffscreenRequest({ target: 'offscreen', type: 'region-frame', viewportCss: region.viewportCss })).toEqual({ ok: true, value: { type: 'region-frame', viewportCss: region.viewportCss } });
    expect(parseOffscreenRequest(save)).toEqual({ ok: true, value: { type: 'save', seconds: 10, format: 'gif', postRollSec: 0, gif: { widthPx: 480, fps: 15 }, library } });
    expect(parseOffscreenRequest({ target: 'offscreen', type: 'revoke', url: 'blob:chrome-extension://x/1' })).toEqual({ ok: true, value: { type: 'revoke', url: 'blob:chrome-extension://x/1' } });
    expect(parseOffscreenRequest(exportRequest)).toEqual({ ok: true, value: { type: 'export', spec, gif: { widthPx: 480, fps: 15 }, capBytes: 1 << 30, editedWord: 'bearbeitet' } });
    expect(parseOffscreenRequest({ target: 'offscreen', type: 'status' })).toEqual({ ok: true, value: { type: 'status' } });
    expect(parseOffscreenRequest({ target: 'offscreen', type: 'thumbnail', id: 'a1-b2' })).toEqual({ ok: true, value: { type: 'thumbnail', id: 'a1-b2' } });
  });

  it.each([
    [{ target: 'offscreen', type: 'inject-fault' }, /unknown message type "inject-fault"/],
    [{ ...start, streamId: 7 }, /"streamId"/],
    [{ ...start, tabId: -1 }, /"tabId"/],
    [{ ...start, settings: { ...DEFAULT_SETTINGS, windowSec: 'long' } }, /"settings": windowSec/],
    [{ ...start, captureSize: { width: 0, height: 720 } }, /"captureSize"."width"/],
    [{ ...start, region: undefined }, /"region"/],
    [{ ...start, region: { rect: { x: 0, y: 0, width: -1, height: 5 }, viewportCss: { width: 100, height: 100 } } }, /"region".rect.width/],
    [{ target: 'offscreen', type: 'region', rect: null }, /"viewportCss"/],
    [{ target: 'offscreen', type: 'region', rect: { x: 0, y: 0, width: 5 }, viewportCss: { width: 100, height: 100 } }, /rect.height/],
    [{ target: 'offscreen', type: 'region-frame', viewportCss: { width: 0, height: 100 } }, /"viewportCss"."width"/],
    [{ ...save, seconds: 0 }, /"seconds"/],
    [{ ...save, format: 'webm' }, /"format"/],
    [{ ...save, postRollSec: -1 }, /"postRollSec"/],
    [{ ...save, gif: { widthPx: 480 } }, /"fps"/],
    [{ ...save, library: undefined }, /"library" must be an object/],
    [{ ...save, library: { ...library, capBytes: -1 } }, /"library"."capBytes"/],
    [{ ...save, library: { ...library, sourceOrigin: 5 } }, /"library"."sourceOrigin"/],
    [{ ...exportRequest, spec: { ...spec, clips: [] } }, /"spec"."clips"/],
    [{ ...exportRequest, capBytes: 1.5 }, /"capBytes"/],
    [{ ...exportRequest, editedWord: undefined }, /"editedWord"/],
    [{ ...exportRequest, editedWord: 'x'.repeat(101) }, /"editedWord"/],
    [{ target: 'offscreen', type: 'library-file', id: '../x' }, /"id" must be a clip id/],
    [{ target: 'offscreen', type: 'thumbnail', id: 7 }, /"id" must be a clip id/],
    [{ target: 'offscreen', type: 'library-delete', ids: [] }, /"ids"/],
    [{ target: 'offscreen', type: 'revoke', url: 'https://example.com/' }, /"url" must be a blob: URL/],
  ])('parseOffscreenRequest, refuses %j naming the field', (message, error) => {
    const parsed = parseOffscreenRequest(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it('isAddressedTo, tells the internal envelopes apart', () => {
    expect(isAddressedTo(start, 'offscreen')).toBe(true);
    expect(isAddressedTo(start, 'service-worker')).toBe(false);
    expect(isAddressedTo({ type: 'status' }, 'offscreen')).toBe(false);
    expect(isAddressedTo(null, 'offscreen')).toBe(false);
  });
});

describe('parseServiceWorkerEvent', () => {
  it('parseServiceWorkerEvent, accepts state and progress events and refuses nonsense', () => {
    expect(parseServiceWorkerEvent({ target: 'service-worker', type: 'state', state: 'ended', error: 'gone' })).toEqual({ ok: true, value: { type: 'state', state: 'ended', error: 'gone' } });
    expect(parseServiceWorkerEvent({ type: 'progress', fraction: null })).toEqual({ ok: true, value: { type: 'progress', fraction: null } });
    expect(parseServiceWorkerEvent({ type: 'state', state: 'exploded', error: null })).toMatchObject({ ok: false, error: expect.stringMatching(/"state"/) });
    expect(parseServiceWorkerEvent({ type: 'progress', fraction: 2 })).toMatchObject({ ok: false, error: expect.stringMatching(/"fraction"/) });
  });
});

describe('parseLocalText', () => {
  it('parseLocalText, accepts a catalogue key with string substitutions and refuses anything else', () => {
    expect(parseLocalText({ key: 'err_capture_ended' })).toEqual({ ok: true, value: { key: 'err_capture_ended' } });
    expect(parseLocalText({ key: 'err_video_encoder', substitutions: ['boom'] })).toEqual({ ok: true, value: { key: 'err_video_encoder', substitutions: ['boom'] } });
    expect(parseLocalText({ key: 'no_such_message' }).ok).toBe(false);
    expect(parseLocalText({ key: 'toString' }).ok).toBe(false);
    expect(parseLocalText({ key: 'err_video_encoder', substitutions: [1] })).toMatchObject({ ok: false, error: expect.stringMatching(/"substitutions"/) });
    expect(parseLocalText('err_capture_ended').ok).toBe(false);
  });

  it('parseServiceWorkerEvent, carries a state or recording event\'s errorText and names it when bad', () => {
    const errorText = { key: 'err_audio_encoder', substitutions: ['gone'] };
    expect(parseServiceWorkerEvent({ type: 'state', state: 'error', error: 'Audio encoder error: gone', errorText })).toEqual({ ok: true, value: { type: 'state', state: 'error', error: 'Audio encoder error: gone', errorText } });
    expect(parseServiceWorkerEvent({ type: 'state', state: 'error', error: 'x', errorText: { key: 42 } })).toMatchObject({ ok: false, error: expect.stringMatching(/"errorText"/) });
    const ended = { key: 'err_storage_stopped' };
    expect(parseServiceWorkerEvent({ type: 'recording', active: false, elapsedSec: 0, error: 'Storage is almost full', errorText: ended })).toEqual({ ok: true, value: { type: 'recording', active: false, elapsedSec: 0, error: 'Storage is almost full', errorText: ended } });
    expect(parseServiceWorkerEvent({ type: 'recording', active: true, elapsedSec: 60, error: null })).toEqual({ ok: true, value: { type: 'recording', active: true, elapsedSec: 60, error: null } });
    expect(parseServiceWorkerEvent({ type: 'recording', active: false, elapsedSec: 0, error: 'x', errorText: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/"errorText"/) });
  });
});

describe('parseMuxRequest', () => {
  const track = { codec: 'avc', decoderConfig: { codec: 'avc1.42E01F' }, chunks: { bytes: new Uint8Array(4), chunks: [] } };
  it('parseMuxRequest, accepts a clip and names the bad field, keeping the id to answer', () => {
    expect(parseMuxRequest({ id: 1, clip: { startUs: 0, endUs: 1, video: track, audio: null } }).ok).toBe(true);
    expect(parseMuxRequest({ id: 2, clip: { startUs: 0, endUs: 1, video: { ...track, chunks: {} }, audio: null } })).toMatchObject({ ok: false, id: 2, error: expect.stringMatching(/"clip.video"/) });
    expect(parseMuxRequest({ clip: {} })).toMatchObject({ ok: false, error: expect.stringMatching(/"id"/) });
  });
});

describe('dispatch', () => {
  type Request = { type: 'double'; n: number } | { type: 'hello' };
  const handlers: Handlers<Request, { double: number; hello: string }> = {
    double: ({ n }) => n * 2,
    hello: async () => 'hi',
  };
  it('dispatch, calls the handler named by the type', async () => {
    expect(await dispatch(handlers, { type: 'double', n: 21 })).toBe(42);
    expect(await dispatch(handlers, { type: 'hello' })).toBe('hi');
  });
});
