import { describe, expect, it } from 'vitest';
import { sourceIds, toEditSpec } from '../../../src/edit/from-request';
import { gridSource } from '../support/edit-sources';

const clipA = gridSource({ id: 'clip-a', durationUs: 4_000_000 });
const clipB = gridSource({ id: 'clip-b', durationUs: 3_250_000 });

describe('from-request', () => {
  it('sourceIds, lists each clip once in the order first used', () => {
    const clips = [{ id: 'clip-b' }, { id: 'clip-a' }, { id: 'clip-b' }, { id: 'clip-c' }, { id: 'clip-a' }];
    expect(sourceIds({ clips })).toEqual(['clip-b', 'clip-a', 'clip-c']);
    expect(sourceIds({ clips: [] })).toEqual([]);
  });

  it('toEditSpec, names sources by their place in sourceIds and defaults a range to the whole clip', () => {
    const spec = { clips: [{ id: 'clip-b', endSec: 1 }, { id: 'clip-a' }, { id: 'clip-b', startSec: 2 }], transition: null, crop: null };
    expect(sourceIds(spec)).toEqual(['clip-b', 'clip-a']);
    expect(toEditSpec(spec, [clipB, clipA])).toEqual({
      ranges: [
        { source: 0, startUs: 0, endUs: 1_000_000 },
        { source: 1, startUs: 0, endUs: 4_000_000 },
        { source: 0, startUs: 2_000_000, endUs: 3_250_000 },
      ],
      transitionUs: 0,
      crop: null,
    });
  });

  it('toEditSpec, turns seconds into whole microseconds and keeps the transition and crop', () => {
    const crop = { x: 2, y: 4, width: 100, height: 50 };
    const spec = { clips: [{ id: 'clip-a', startSec: 0.1234567, endSec: 1 / 3 }, { id: 'clip-b' }], transition: { kind: 'dissolve' as const, durationSec: 0.0333334 }, crop };
    const edit = toEditSpec(spec, [clipA, clipB]);
    expect(edit.ranges[0]).toEqual({ source: 0, startUs: 123_457, endUs: 333_333 });
    expect(edit.transitionUs).toBe(33_333);
    expect(edit.crop).toEqual(crop);
    for (const range of edit.ranges) expect([range.startUs, range.endUs].every(Number.isInteger)).toBe(true);
  });
});
