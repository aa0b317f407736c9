import { describe, expect, it } from 'vitest';
import { parsePublicRequest } from '../../../src/contract/messages';

describe('parsePublicRequest', () => {
  it('parsePublicRequest, accepts the contract', () => {
    expect(parsePublicRequest({ type: 'status' })).toEqual({ ok: true, value: { type: 'status' } });
    expect(parsePublicRequest({ type: 'save', seconds: 5, format: 'mp4' })).toEqual({ ok: true, value: { type: 'save', seconds: 5, format: 'mp4' } });
    expect(parsePublicRequest({ type: 'save', seconds: 2.5 })).toEqual({ ok: true, value: { type: 'save', seconds: 2.5, format: 'mp4' } });
    expect(parsePublicRequest({ type: 'arm', tabId: 7 })).toEqual({ ok: true, value: { type: 'arm', tabId: 7 } });
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
  ])('parsePublicRequest, refuses %j naming the field', (message, error) => {
    const parsed = parsePublicRequest(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});
