import { describe, expect, it } from 'vitest';
import { parseRegionRect } from '../../../src/region/region-parse';

const valid = { x: 10.5, y: 0, width: 320.25, height: 180 };

describe('parseRegionRect', () => {
  it('parseRegionRect, null means the whole tab', () => {
    expect(parseRegionRect(null)).toEqual({ ok: true, rect: null });
  });

  it('parseRegionRect, keeps fractional CSS pixels as they are and only the four fields', () => {
    expect(parseRegionRect(valid)).toEqual({ ok: true, rect: valid });
    expect(parseRegionRect({ ...valid, extra: 'ignored', z: 3 })).toEqual({ ok: true, rect: valid });
  });

  it('parseRegionRect, an edge at 0 is fine, and a rect past the viewport is left for snapRegion to judge', () => {
    expect(parseRegionRect({ x: 0, y: 0, width: 1, height: 1 }).ok).toBe(true);
    expect(parseRegionRect({ x: 1e6, y: 1e6, width: 1e6, height: 1e6 }).ok).toBe(true);
  });

  it('parseRegionRect, refuses what is not an object, naming the field and what came', () => {
    for (const value of [undefined, 'rect', 3, true, [], [0, 0, 10, 10]]) {
      const parsed = parseRegionRect(value);
      expect(parsed.ok, JSON.stringify(value)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^region\.rect must be an object with x, y, width and height, or null for the whole tab, got /);
    }
    expect(parseRegionRect('rect')).toEqual({ ok: false, error: 'region.rect must be an object with x, y, width and height, or null for the whole tab, got "rect"' });
    expect(parseRegionRect(undefined)).toEqual({ ok: false, error: 'region.rect must be an object with x, y, width and height, or null for the whole tab, got undefined' });
  });

  it('parseRegionRect, a negative width is refused in a sentence that names the field', () => {
    expect(parseRegionRect({ ...valid, width: -3 })).toEqual({ ok: false, error: 'region.rect.width must be a positive number, got -3' });
  });

  it('parseRegionRect, each field missing, not a number, not finite or negative is refused by name', () => {
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      const kind = key === 'x' || key === 'y' ? 'non-negative' : 'positive';
      const cases: [unknown, string][] = [[undefined, 'undefined'], ['10', '"10"'], [null, 'null'], [Number.NaN, 'NaN'], [Infinity, 'Infinity'], [-0.5, '-0.5'], [{}, '{}']];
      for (const [bad, shown] of cases) {
        const parsed = parseRegionRect({ ...valid, [key]: bad });
        expect(parsed, `${key} = ${shown}`).toEqual({ ok: false, error: `region.rect.${key} must be a ${kind} number, got ${shown}` });
      }
    }
  });

  it('parseRegionRect, a width or height of 0 is refused; an x or y of 0 is not', () => {
    expect(parseRegionRect({ ...valid, width: 0 })).toEqual({ ok: false, error: 'region.rect.width must be a positive number, got 0' });
    expect(parseRegionRect({ ...valid, height: 0 })).toEqual({ ok: false, error: 'region.rect.height must be a positive number, got 0' });
    expect(parseRegionRect({ ...valid, x: 0, y: 0 }).ok).toBe(true);
  });

  it('parseRegionRect, reports the first bad field in x, y, width, height order', () => {
    const parsed = parseRegionRect({ x: 1, y: -1, width: -1 });
    expect(parsed).toEqual({ ok: false, error: 'region.rect.y must be a non-negative number, got -1' });
  });

  it('parseRegionRect, errors name the field path the caller gives', () => {
    expect(parseRegionRect({ ...valid, height: 'tall' }, 'start.region')).toEqual({ ok: false, error: 'start.region.height must be a positive number, got "tall"' });
    const parsed = parseRegionRect(7, 'start.region');
    expect(!parsed.ok && parsed.error).toMatch(/^start\.region must be an object/);
  });
});
