/** What the library page shows: the clips filtered and sorted as asked, and how each is described. */
import type { ClipFormat } from '../clip/clip-formats';
import type { LibraryClip } from './library-clip';
import { english, type Say } from '../i18n/english';

export const SORTS = ['newest', 'oldest', 'largest', 'longest'] as const;
export type Sort = (typeof SORTS)[number];

export interface ViewOptions {
  format: ClipFormat | 'all';
  /** A source tab's title, or 'all'. */
  source: string;
  sort: Sort;
}

export const DEFAULT_VIEW: ViewOptions = { format: 'all', source: 'all', sort: 'newest' };

const COMPARE: Record<Sort, (a: LibraryClip, b: LibraryClip) => number> = {
  newest: (a, b) => b.createdAt - a.createdAt,
  oldest: (a, b) => a.createdAt - b.createdAt,
  largest: (a, b) => b.bytes - a.bytes,
  longest: (a, b) => b.durationSec - a.durationSec,
};

/** `clips` newest first, as the library lists them; ties keep that order. */
export function viewClips(clips: readonly LibraryClip[], options: ViewOptions): LibraryClip[] {
  return clips
    .filter((clip) => (options.format === 'all' || clip.format === options.format) && (options.source === 'all' || sourceOf(clip) === options.source))
    .sort(COMPARE[options.sort]);
}

/** The source a clip is filed under: its tab's origin, else its title. */
export function sourceOf(clip: LibraryClip): string {
  return clip.sourceOrigin ?? clip.title;
}

/** Every source once, most clips first. */
export function sourcesOf(clips: readonly LibraryClip[]): string[] {
  const counts = new Map<string, number>();
  for (const clip of clips) counts.set(sourceOf(clip), (counts.get(sourceOf(clip)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([source]) => source);
}

/** `value` with `digits` decimals: in `language`'s notation when given (a page's UI language), else as toFixed. */
function decimals(value: number, digits: number, language?: string): string {
  if (language === undefined) return value.toFixed(digits);
  return new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}

export function formatBytes(bytes: number, language?: string): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${decimals(bytes / 1024 ** 2, 1, language)} MB`;
  return `${decimals(bytes / 1024 ** 3, 2, language)} GB`;
}

export function formatDuration(durationSec: number, language?: string): string {
  if (durationSec < 60) return `${decimals(durationSec, 1, language)} s`;
  const minutes = Math.floor(durationSec / 60);
  return `${minutes}:${String(Math.round(durationSec - minutes * 60)).padStart(2, '0')}`;
}

/** One line under a clip's thumbnail: length, size, format, resolution. */
export function describeClip(clip: LibraryClip, say: Say = english, language?: string): string {
  const kind = clip.kind === 'recording' ? `${say('lib_kind_recording')} · ` : '';
  return `${kind}${formatDuration(clip.durationSec, language)} · ${formatBytes(clip.bytes, language)} · ${clip.format.toUpperCase()} · ${clip.width}×${clip.height}`;
}
