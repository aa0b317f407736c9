import { describe, expect, it } from 'vitest';
import type { LibraryClip } from '../../../src/library/library-clip';
import { describeClip, formatBytes, formatDuration, sourcesOf, viewClips } from '../../../src/library/library-view';

const base: LibraryClip = {
  id: 'a', kind: 'clip', format: 'mp4', title: 'Match', createdAt: 3, durationSec: 30, bytes: 3_000_000, width: 1280, height: 720,
  hasAudio: true, videoCodec: 'avc1.64001f', audioCodec: 'opus', sourceOrigin: 'https://tv.example', hasThumbnail: true,
};
const clips: LibraryClip[] = [
  base,
  { ...base, id: 'b', format: 'gif', createdAt: 2, durationSec: 10, bytes: 9_000_000, sourceOrigin: 'https://game.example' },
  { ...base, id: 'c', createdAt: 1, durationSec: 60, bytes: 1_000, sourceOrigin: null, title: 'Local file' },
];

describe('library view', () => {
  it('viewClips, filters by format and source and sorts as asked', () => {
    const ids = (list: LibraryClip[]) => list.map((c) => c.id);
    expect(ids(viewClips(clips, { format: 'all', source: 'all', sort: 'newest' }))).toEqual(['a', 'b', 'c']);
    expect(ids(viewClips(clips, { format: 'all', source: 'all', sort: 'oldest' }))).toEqual(['c', 'b', 'a']);
    expect(ids(viewClips(clips, { format: 'all', source: 'all', sort: 'largest' }))).toEqual(['b', 'a', 'c']);
    expect(ids(viewClips(clips, { format: 'all', source: 'all', sort: 'longest' }))).toEqual(['c', 'a', 'b']);
    expect(ids(viewClips(clips, { format: 'gif', source: 'all', sort: 'newest' }))).toEqual(['b']);
    expect(ids(viewClips(clips, { format: 'all', source: 'Local file', sort: 'newest' }))).toEqual(['c']);
  });

  it('sourcesOf, lists each origin (or title when there is none) once', () => {
    expect(sourcesOf([...clips, { ...base, id: 'd' }])).toEqual(['https://tv.example', 'https://game.example', 'Local file']);
  });

  it('describeClip, says length, size, format and resolution', () => {
    expect(describeClip(base)).toBe('30.0 s · 2.9 MB · MP4 · 1280×720');
    expect(describeClip({ ...base, kind: 'recording' })).toBe('Recording · 30.0 s · 2.9 MB · MP4 · 1280×720');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatBytes(500)).toBe('1 KB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.00 GB');
  });
});
