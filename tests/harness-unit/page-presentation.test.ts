// Judging a clip against what the page presented: each clip flash is matched with the page's
// flash nearest to where the clip's end places it, and the page's own offset is subtracted.
import { describe, expect, it } from 'vitest';
import { clipToPageMs, compareWithPage, type PresentedFlash } from '../../scripts/harness/page-presentation';
import type { SyncPair, SyncReport } from '../../scripts/harness/sync';

function report(pairs: SyncPair[]): SyncReport {
  return {
    flashesSec: pairs.map((p) => p.flashSec),
    clicksSec: pairs.map((p) => p.clickSec),
    pairs,
    medianOffsetMs: NaN,
    worstOffsetMs: NaN,
    unpairedFlashes: 0,
    unpairedClicks: 0,
  };
}

/** The page showed second s's flash at 5000 + 1000 s ms, `lateMs` after its click was heard. */
function presented(seconds: number[], lateMs: (second: number) => number): PresentedFlash[] {
  return seconds.map((second) => ({ second, shownMs: 5000 + second * 1000 + lateMs(second), heardMs: 5000 + second * 1000 }));
}

describe('compareWithPage', () => {
  it('a clip that reproduces the page, has no recorder error even where the page is a refresh late', () => {
    const page = presented([10, 11, 12, 13], (s) => (s >= 12 ? 16.7 : 0));
    // A 4 s clip asked at page time 18 950: it starts at 14 950, so second 10 (15 000) is at 0.05 s.
    const clip = report([
      { flashSec: 0.05, clickSec: 0.05, offsetMs: 0 },
      { flashSec: 1.05, clickSec: 1.05, offsetMs: 0 },
      { flashSec: 2.0667, clickSec: 2.05, offsetMs: -16.7 },
      { flashSec: 3.0667, clickSec: 3.05, offsetMs: -16.7 },
    ]);
    const result = compareWithPage(clip, page, { endPageMs: 18_950, clipSec: 4 });
    expect(result.pairs.map((p) => p.second)).toEqual([10, 11, 12, 13]);
    expect(result.pairs.map((p) => Math.round(p.pageOffsetMs * 10) / 10)).toEqual([0, 0, -16.7, -16.7]);
    for (const pair of result.pairs) expect(pair.recorderErrorMs).toBeCloseTo(0, 6);
    expect(result.unmatchedSec).toEqual([]);
    expect(result.worstRecorderErrorMs).toBeCloseTo(0, 6);
  });

  it('a recorder that delays the audio by 10 ms, shows as that delay on top of the page offset', () => {
    const page = presented([10, 11, 12], () => 5);
    const clip = report([0.05, 1.05, 2.05].map((flashSec) => ({ flashSec, clickSec: flashSec + 0.005, offsetMs: -5 + 10 })));
    const result = compareWithPage(clip, page, { endPageMs: 17_950, clipSec: 3 });
    expect(result.medianPageOffsetMs).toBe(-5);
    expect(result.medianRecorderErrorMs).toBeCloseTo(10, 6);
  });

  it('a flash the page log does not have, counts as unmatched instead of pairing with the next second', () => {
    const page = presented([10, 12], () => 0);
    const clip = report([0.05, 1.05, 2.05].map((flashSec) => ({ flashSec, clickSec: flashSec, offsetMs: 0 })));
    const result = compareWithPage(clip, page, { endPageMs: 17_950, clipSec: 3 });
    expect(result.pairs.map((p) => p.second)).toEqual([10, 12]);
    expect(result.unmatchedSec).toHaveLength(1);
  });

  it('no presented flashes, gives NaN figures and every pair unmatched', () => {
    const clip = report([{ flashSec: 1, clickSec: 1, offsetMs: 3 }]);
    const result = compareWithPage(clip, [], { endPageMs: 10_000, clipSec: 5 });
    expect(result.pairs).toEqual([]);
    expect(result.unmatchedSec).toHaveLength(1);
    expect(result.medianRecorderErrorMs).toBeNaN();
    expect(result.worstRecorderErrorMs).toBeNaN();
  });

  it('a clip across a 3 s pause, matches the flashes before the pause with the seconds they showed', () => {
    // Recording paused from page time 16 500 to 19 500: seconds 12, 13 and 14 are not in the clip.
    const page = presented([10, 11, 15, 16], (s) => (s >= 15 ? -16.7 : 0));
    const placement = { endPageMs: 21_950, clipSec: 4, pausesPageMs: [{ fromMs: 16_500, toMs: 19_500 }] };
    expect(clipToPageMs(placement, 4)).toBe(21_950);
    expect(clipToPageMs(placement, 2)).toBe(19_950);
    expect(clipToPageMs(placement, 1.05)).toBe(16_000);
    const clip = report([
      { flashSec: 0.05, clickSec: 0.05, offsetMs: 0 },
      { flashSec: 1.05, clickSec: 1.05, offsetMs: 0 },
      { flashSec: 2.0333, clickSec: 2.05, offsetMs: 16.7 },
      { flashSec: 3.0333, clickSec: 3.05, offsetMs: 16.7 },
    ]);
    const result = compareWithPage(clip, page, placement);
    expect(result.pairs.map((p) => p.second)).toEqual([10, 11, 15, 16]);
    for (const pair of result.pairs) expect(pair.recorderErrorMs).toBeCloseTo(0, 6);
  });
});
