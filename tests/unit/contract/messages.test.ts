import { describe, expect, it } from 'vitest';
import { parsePublicRequest } from '../../../src/contract/messages';

describe('parsePublicRequest', () => {
  it('parsePublicRequest, accepts the contract', () => {
    expect(parsePublicRequest({ type: 'status' })).toEqual({ ok: true, value: { type: 'status' } });
    expect(parsePublicRequest({ type: 'save', seconds: 5, format: 'mp4' })).toEqual({ ok: true, value: { type: 'save', seconds: 5, format: 'mp4' } });
    expect(parsePublicRequest({ type: 'save', seconds: 2.5 })).toEqual({ ok: true, value: { type: 'save', seconds: 2.5, format: 'mp4' } });
    expect(parsePublicRequest({ type: 'arm', tabId: 7 })).toEqual({ ok: true, value: { type: 'arm', tabId: 7 } });
    expect(parsePublicRequest({ type: 'region', rect: { x: 0, y: 0.5, width: 640, height: 360 } })).toEqual({ ok: true, value: { type: 'region', rect: { x: 0, y: 0.5, width: 640, height: 360 } } });
    expect(parsePublicRequest({ type: 'region', rect: null })).toEqual({ ok: true, value: { type: 'region', rect: null } });
    expect(parsePublicRequest({ type: 'region-frame' })).toEqual({ ok: true, value: { type: 'region-frame' } });
  });

  it('parsePublicRequest, accepts the library requests', () => {
    const id = '0b6a6f1e-5a1c-4a43-9d8e-3f1d2c7b9a10';
    expect(parsePublicRequest({ type: 'library' })).toEqual({ ok: true, value: { type: 'library' } });
    expect(parsePublicRequest({ type: 'library-download', id })).toEqual({ ok: true, value: { type: 'library-download', id } });
    expect(parsePublicRequest({ type: 'library-rename', id, title: ' Goal ' })).toEqual({ ok: true, value: { type: 'library-rename', id, title: 'Goal' } });
    expect(parsePublicRequest({ type: 'library-delete', ids: [id, id] })).toEqual({ ok: true, value: { type: 'library-delete', ids: [id] } });
  });

  it.each([
    [null, /object/],
    ['save', /object/],
    [[1], /object/],
    [{}, /unknown message type/],
    [{ type: 'explode' }, /unknown message type "explode"/],
    [{ type: 'save', seconds: 0 }, /"seconds" must be a positive number/],
    [{ type: 'save', seconds: -3 }, /"seconds"/],
    [{ type: 'save', seconds: '30' }, /"seconds"/],
    [{ type: 'save', seconds: Number.POSITIVE_INFINITY }, /"seconds"/],
    [{ type: 'save', seconds: 99999 }, /"seconds" must be at most/],
    [{ type: 'save', seconds: 5, format: 'avi' }, /"format" must be one of mp4, gif/],
    [{ type: 'arm' }, /"tabId"/],
    [{ type: 'arm', tabId: 1.5 }, /"tabId"/],
    [{ type: 'region' }, /"rect" must be given/],
    [{ type: 'region', rect: 'all' }, /rect must be an object/],
    [{ type: 'region', rect: { x: 0, y: 0, width: 0, height: 10 } }, /rect.width must be a positive number, got 0/],
    [{ type: 'region', rect: { x: -1, y: 0, width: 10, height: 10 } }, /rect.x must be a non-negative number, got -1/],
    [{ type: 'region', rect: { x: 0, y: 0, width: 10, height: Number.NaN } }, /rect.height/],
    [{ type: 'library-download' }, /"id" must be a clip id/],
    [{ type: 'library-download', id: '../../etc/passwd' }, /"id" must be a clip id/],
    [{ type: 'library-rename', id: 'abc', title: '   ' }, /"title" must be a non-empty string/],
    [{ type: 'library-rename', id: 'abc', title: 'x'.repeat(201) }, /"title"/],
    [{ type: 'library-rename', id: 'abc' }, /"title"/],
    [{ type: 'library-delete', ids: 'abc' }, /"ids" must be a list/],
    [{ type: 'library-delete', ids: [] }, /"ids" must be a list/],
    [{ type: 'library-delete', ids: ['abc', 7] }, /"ids"\[1\] must be a clip id/],
  ])('parsePublicRequest, refuses %j naming the field', (message, error) => {
    const parsed = parsePublicRequest(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});
