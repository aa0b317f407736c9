/**
 * The region as the automation contract sends it: CSS pixels of the tab's viewport, fractions
 * allowed, or null for the whole tab. Whether it fits the tab is `snapRegion`'s call, once the
 * frame size is known; here only its shape is checked, with an error that names the bad field.
 */
import { isRecord } from '../contract/parse';
import type { RegionRect } from './region-rect';

export type ParsedRegion = { ok: true; rect: RegionRect | null } | { ok: false; error: string };

/** Numbers as they are (NaN, Infinity), anything else as JSON, so the sender sees what it sent. */
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value)));

/** Parses `value` as a region rect in CSS pixels; `field` is its path in the request, for errors. */
export function parseRegionRect(value: unknown, field = 'region.rect'): ParsedRegion {
  if (value === null) return { ok: true, rect: null };
  if (!isRecord(value)) return { ok: false, error: `${field} must be an object with x, y, width and height, or null for the whole tab, got ${shown(value)}` };
  const rect: RegionRect = { x: 0, y: 0, width: 0, height: 0 };
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    const number = value[key];
    // An edge may sit at 0; a side of 0 would record nothing.
    const positive = key === 'width' || key === 'height';
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || (positive && number === 0)) {
      return { ok: false, error: `${field}.${key} must be a ${positive ? 'positive' : 'non-negative'} number, got ${shown(number)}` };
    }
    rect[key] = number;
  }
  return { ok: true, rect };
}
