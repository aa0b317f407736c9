import { describe, expect, it } from 'vitest';
import { MAX_EXPORT_CLIPS, MAX_TRANSITION_SEC } from '../../../src/contract/export-request';
import { parsePublicRequest } from '../../../src/contract/messages';

const id = '0b6a6f1e-5a1c-4a43-9d8e-3f1d2c7b9a10';
const other = 'clip-2';
const exportOf = (fields: Record<string, unknown>): unknown => ({ type: 'export', clips: [{ id }], ...fields });

describe('export request', () => {
  it('parsePublicRequest, accepts a bare export of one clip with the defaults', () => {
    expect(parsePublicRequest({ type: 'export', clips: [{ id }] })).toEqual({
      ok: true,
      value: { type: 'export', clips: [{ id }], transition: null, crop: null, format: 'mp4' },
    });
  });

  it('parsePublicRequest, accepts trims, a dissolve, a crop and a format, keeping only known fields', () => {
    const parsed = parsePublicRequest({
      type: 'export',
      clips: [{ id, startSec: 0.5, endSec: 2.25, extra: 1 }, { id: other, startSec: 0 }, { id, endSec: 1 }],
      transition: { kind: 'dissolve', durationSec: 0.5 },
      crop: { x: 0, y: 10.5, width: 320, height: 180 },
      format: 'gif',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        type: 'export',
        clips: [{ id, startSec: 0.5, endSec: 2.25 }, { id: other, startSec: 0 }, { id, endSec: 1 }],
        transition: { kind: 'dissolve', durationSec: 0.5 },
        crop: { x: 0, y: 10.5, width: 320, height: 180 },
        format: 'gif',
      },
    });
  });

  it('parsePublicRequest, accepts the limits themselves', () => {
    const clips = Array.from({ length: MAX_EXPORT_CLIPS }, () => ({ id }));
    expect(parsePublicRequest({ type: 'export', clips }).ok).toBe(true);
    expect(parsePublicRequest(exportOf({ transition: { kind: 'dissolve', durationSec: MAX_TRANSITION_SEC } })).ok).toBe(true);
    expect(parsePublicRequest(exportOf({ transition: { kind: 'dissolve', durationSec: 0 } })).ok).toBe(true);
    expect(parsePublicRequest(exportOf({ transition: null, crop: null })).ok).toBe(true);
    expect(parsePublicRequest(exportOf({ crop: { x: 0, y: 0, width: 16_384, height: 16_384 } })).ok).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    ['no clips', { type: 'export' }, /^"clips" must be a list of 1-20 clips/],
    ['clips not a list', { type: 'export', clips: { id } }, /^"clips" must be a list/],
    ['an empty clip list', { type: 'export', clips: [] }, /^"clips" must be a list/],
    ['too many clips', { type: 'export', clips: Array.from({ length: MAX_EXPORT_CLIPS + 1 }, () => ({ id })) }, /^"clips" must be a list of 1-20/],
    ['a clip that is not an object', { type: 'export', clips: [{ id }, id] }, /^"clips"\[1\] must be an object with an "id"/],
    ['a clip without an id', { type: 'export', clips: [{ startSec: 1 }] }, /^"clips"\[0\]\."id" must be a clip id \(got undefined\)/],
    ['a bad id', { type: 'export', clips: [{ id }, { id: '../x' }] }, /^"clips"\[1\]\."id" must be a clip id \(got "\.\.\/x"\)/],
    ['a numeric id', { type: 'export', clips: [{ id: 7 }] }, /^"clips"\[0\]\."id"/],
    ['a negative startSec', { type: 'export', clips: [{ id, startSec: -1 }] }, /^"clips"\[0\]\."startSec" must be a number of seconds, 0 or more \(got -1\)/],
    ['a NaN startSec', { type: 'export', clips: [{ id, startSec: Number.NaN }] }, /^"clips"\[0\]\."startSec" must be a number of seconds/],
    ['a string endSec', { type: 'export', clips: [{ id }, { id, endSec: '2' }] }, /^"clips"\[1\]\."endSec" must be a number of seconds/],
    ['an infinite endSec', { type: 'export', clips: [{ id, endSec: Number.POSITIVE_INFINITY }] }, /^"clips"\[0\]\."endSec"/],
    ['endSec equal to startSec', { type: 'export', clips: [{ id, startSec: 2, endSec: 2 }] }, /^"clips"\[0\]\."endSec" must be after "startSec" \(2 to 2\)/],
    ['endSec before startSec', { type: 'export', clips: [{ id }, { id, startSec: 3, endSec: 1 }] }, /^"clips"\[1\]\."endSec" must be after "startSec"/],
    ['a transition of an unknown kind', exportOf({ transition: { kind: 'wipe', durationSec: 1 } }), /^"transition"\."kind" must be "dissolve"/],
    ['a transition that is not an object', exportOf({ transition: 'dissolve' }), /^"transition"\."kind" must be "dissolve"/],
    ['a transition without a duration', exportOf({ transition: { kind: 'dissolve' } }), /^"transition"\."durationSec" must be a number of seconds in 0-10/],
    ['a negative transition', exportOf({ transition: { kind: 'dissolve', durationSec: -0.1 } }), /^"transition"\."durationSec" .*\(got -0\.1\)/],
    ['too long a transition', exportOf({ transition: { kind: 'dissolve', durationSec: MAX_TRANSITION_SEC + 0.001 } }), /^"transition"\."durationSec"/],
    ['a NaN transition', exportOf({ transition: { kind: 'dissolve', durationSec: Number.NaN } }), /^"transition"\."durationSec"/],
    ['a crop that is not an object', exportOf({ crop: [0, 0, 10, 10] }), /^"crop" must be an object with "x", "y", "width" and "height"/],
    ['a crop with a string field', exportOf({ crop: { x: '0', y: 0, width: 100, height: 100 } }), /^"crop"\."x" must be a number of pixels in 0-16384 \(got "0"\)/],
    ['a crop missing a field', exportOf({ crop: { x: 0, y: 0, width: 100 } }), /^"crop"\."height" must be a number of pixels/],
    ['a negative crop field', exportOf({ crop: { x: 0, y: -2, width: 100, height: 100 } }), /^"crop"\."y" must be a number of pixels .*\(got -2\)/],
    ['a NaN crop field', exportOf({ crop: { x: 0, y: 0, width: Number.NaN, height: 100 } }), /^"crop"\."width"/],
    ['a huge crop field', exportOf({ crop: { x: 0, y: 0, width: 100, height: 16_385 } }), /^"crop"\."height"/],
    ['a bad format', exportOf({ format: 'webm' }), /^"format" must be one of mp4, gif \(got "webm"\)/],
    ['a non-string format', exportOf({ format: 1 }), /^"format" must be one of/],
  ])('parsePublicRequest, refuses an export with %s, naming the field', (_name, message, error) => {
    const parsed = parsePublicRequest(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});
