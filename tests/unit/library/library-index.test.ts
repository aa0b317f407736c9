import { describe, expect, it } from 'vitest';
import { english } from '../../../src/i18n/english';
import { clipFileName, parseLibraryClip, thumbnailFileName, type LibraryClip } from '../../../src/library/library-clip';
import {
  addClip,
  emptyIndex,
  enforceCap,
  markThumbnail,
  MAX_EVICTION_RECORDS,
  newestFirst,
  parseLibraryIndex,
  reconcile,
  removeClips,
  renameClip,
  serializeIndex,
  usedBytes,
  type LibraryIndex,
} from '../../../src/library/library-index';

let next = 0;
function clip(bytes: number, extra: Partial<LibraryClip> = {}): LibraryClip {
  next++;
  return {
    id: `clip-${next}`,
    kind: 'clip',
    format: 'mp4',
    title: `Tab ${next}`,
    createdAt: 1_700_000_000_000 + next * 1000,
    durationSec: 10,
    bytes,
    width: 1280,
    height: 720,
    hasAudio: true,
    videoCodec: 'avc1.64001f',
    audioCodec: 'opus',
    sourceOrigin: 'https://example.com',
    hasThumbnail: false,
    ...extra,
  };
}

function added(index: LibraryIndex, c: LibraryClip, capBytes = Infinity): LibraryIndex {
  const result = addClip(index, c, capBytes, 0);
  if (!result.ok) throw new Error(result.error);
  return result.value.index;
}

describe('library index', () => {
  it('addClip, lists newest first and counts the bytes', () => {
    const a = clip(100);
    const b = clip(200);
    const index = added(added(emptyIndex(), a), b);
    expect(newestFirst(index).map((c) => c.id)).toEqual([b.id, a.id]);
    expect(usedBytes(index)).toBe(300);
  });

  it('addClip, evicts the oldest first to stay under the cap, and records each eviction', () => {
    const [a, b, c] = [clip(400), clip(400), clip(400)];
    let index = added(added(emptyIndex(), a, 1000), b, 1000);
    const result = addClip(index, c, 1000, 42);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    index = result.value.index;
    expect(result.value.evicted.map((e) => e.id)).toEqual([a.id]);
    expect(index.clips.map((e) => e.id)).toEqual([b.id, c.id]);
    expect(index.evictions).toEqual([{ id: a.id, title: a.title, bytes: 400, createdAt: a.createdAt, evictedAt: 42 }]);
  });

  it('addClip, refuses a clip larger than the cap and keeps the library as it was', () => {
    const index = added(emptyIndex(), clip(10));
    const result = addClip(index, clip(2000), 1000, 0);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/larger than the library's cap/);
  });

  it('addClip, refuses an id already there', () => {
    const a = clip(10);
    const result = addClip(added(emptyIndex(), a), { ...a }, Infinity, 0);
    expect(result.ok).toBe(false);
  });

  it('enforceCap, after the cap is lowered, removes the oldest until it fits', () => {
    const clips = [clip(300), clip(300), clip(300)];
    const index = clips.reduce((i, c) => added(i, c), emptyIndex());
    const { index: fitted, evicted } = enforceCap(index, 350, 7);
    expect(evicted.map((c) => c.id)).toEqual([clips[0]!.id, clips[1]!.id]);
    expect(fitted.clips.map((c) => c.id)).toEqual([clips[2]!.id]);
    expect(enforceCap(fitted, 350, 8).index).toBe(fitted);
  });

  it('renameClip, trims the title and refuses empty titles and unknown ids', () => {
    const a = clip(1);
    const index = added(emptyIndex(), a);
    const renamed = renameClip(index, a.id, '  Goal!  ');
    expect(renamed.ok && renamed.value.clips[0]!.title).toBe('Goal!');
    const empty = renameClip(index, a.id, '   ');
    expect(!empty.ok && empty.error).toMatch(/"title"/);
    const unknown = renameClip(index, 'nope', 'x');
    expect(!unknown.ok && unknown.error).toMatch(/"id" "nope" is not in the library/);
  });

  it('removeClips, removes several, and removes nothing when one id is unknown', () => {
    const [a, b, c] = [clip(1), clip(2), clip(3)];
    const index = [a, b, c].reduce((i, x) => added(i, x), emptyIndex());
    const removed = removeClips(index, [a.id, c.id]);
    expect(removed.ok && removed.value.index.clips.map((x) => x.id)).toEqual([b.id]);
    const bad = removeClips(index, [a.id, 'ghost']);
    expect(!bad.ok && bad.error).toMatch(/"ids": "ghost" is not in the library/);
  });

  it('reconcile, deletes a half-written file and drops an entry whose file is gone', () => {
    const [a, b, c] = [clip(1, { hasThumbnail: true }), clip(2, { format: 'gif', hasThumbnail: true }), clip(3, { hasThumbnail: true })];
    const index = [a, b, c].reduce((i, x) => added(i, x), emptyIndex());
    const result = reconcile(index, {
      clips: [clipFileName(b), clipFileName(c), 'clip-999.mp4'],
      thumbnails: [thumbnailFileName(a), thumbnailFileName(b), 'clip-999.webp'],
    });
    expect(result.orphanClips).toEqual(['clip-999.mp4']);
    // a's clip is gone, so its thumbnail is an orphan too; c lost its thumbnail and shows none.
    expect(result.orphanThumbnails).toEqual([thumbnailFileName(a), 'clip-999.webp']);
    expect(result.missing.map((x) => x.id)).toEqual([a.id]);
    expect(result.index.clips.map((x) => [x.id, x.hasThumbnail])).toEqual([[b.id, true], [c.id, false]]);
  });

  it('markThumbnail, marks a known clip and refuses an unknown one', () => {
    const a = clip(1);
    const index = added(emptyIndex(), a);
    const marked = markThumbnail(index, a.id);
    expect(marked.ok && marked.value.clips[0]!.hasThumbnail).toBe(true);
    expect(markThumbnail(index, 'ghost').ok).toBe(false);
  });

  it('parseLibraryIndex, round-trips and drops corrupt or duplicate entries, saying so', () => {
    const [a, b] = [clip(1), clip(2)];
    const index = added(added(emptyIndex(), a), b);
    expect(parseLibraryIndex(JSON.parse(serializeIndex(index)))).toEqual({ index, problems: [] });
    const raw = JSON.parse(serializeIndex(index));
    raw.clips.push({ ...a }, { id: '../etc', format: 'mp4' }, 'junk');
    const parsed = parseLibraryIndex(raw);
    expect(parsed.index.clips.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(parsed.problems.map((problem) => english(problem.key, ...(problem.substitutions ?? [])))).toEqual([
      'library entry 2 was a duplicate and was dropped',
      'library entry 3 was corrupt and was dropped',
      'library entry 4 was corrupt and was dropped',
    ]);
    expect(parseLibraryIndex('garbage').problems).toEqual([{ key: 'err_library_index_unreadable' }]);
    expect(english('err_library_index_unreadable')).toMatch(/unreadable/);
    expect(parseLibraryIndex(undefined)).toEqual({ index: emptyIndex(), problems: [] });
  });

  it('parseLibraryClip, refuses ids that are not safe file names', () => {
    expect(parseLibraryClip({ ...clip(1), id: '../../x' })).toBeNull();
    expect(parseLibraryClip({ ...clip(1), bytes: -1 })).toBeNull();
    expect(parseLibraryClip({ ...clip(1), format: 'webm' })).toBeNull();
  });

  it('random adds and removals, keep the invariants against a brute-force model', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cap = 5000;
    let index = emptyIndex();
    let model: LibraryClip[] = [];
    let evictedTotal = 0;
    for (let step = 0; step < 2000; step++) {
      if (random() < 0.7 || model.length === 0) {
        const c = clip(Math.floor(random() * 3000) + 1);
        const result = addClip(index, c, cap, step);
        if (!result.ok) throw new Error(result.error);
        index = result.value.index;
        model.push(c);
        while (model.reduce((s, x) => s + x.bytes, 0) > cap) model.shift();
        evictedTotal += result.value.evicted.length;
      } else {
        const victim = model[Math.floor(random() * model.length)]!;
        const result = removeClips(index, [victim.id]);
        if (!result.ok) throw new Error(result.error);
        index = result.value.index;
        model = model.filter((x) => x.id !== victim.id);
      }
      expect(index.clips.map((c) => c.id)).toEqual(model.map((c) => c.id));
      expect(usedBytes(index)).toBeLessThanOrEqual(cap);
      expect(new Set(index.clips.map((c) => c.id)).size).toBe(index.clips.length);
      expect(index.evictions.length).toBe(Math.min(evictedTotal, MAX_EVICTION_RECORDS));
    }
  });
});
