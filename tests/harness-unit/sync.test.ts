// The sync analyser judged on files whose skew is known: makeSyncClip has ffmpeg draw white
// flashes on exact frame boundaries (whole seconds at 30 fps) and 3 kHz clicks at whole seconds
// + a chosen delay, over a triangle tone like the demo page's, then libx264 + libopus into MP4.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectClickOnsetSamples,
  detectFlashOnsets,
  highPass,
  makeSyncClip,
  measureSync,
  pairOnsets,
  sameMoments,
  sampleTimeSec,
  type SyncReport,
} from '../../scripts/harness/sync';

const DURATION_SEC = 6;
/**
 * A flash onset is quantised to frames (33 ms at 30 fps), but these flashes start exactly on
 * frame boundaries, so what is left is the click's first-sample resolution and the codec.
 */
const TOLERANCE_MS = 2;

const CASES = [
  { name: 'clicks 25 ms late', clickDelayMs: 25 },
  { name: 'clicks 10 ms early', clickDelayMs: -10 },
  { name: 'clicks on the flashes', clickDelayMs: 0 },
  { name: 'clicks 25 ms late, audio track starting 0.5 s after the video', clickDelayMs: 25, audioStartSec: 0.5 },
] as const;

let dir: string;
const reports = new Map<string, SyncReport>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looptab-sync-'));
  await Promise.all(
    CASES.map(async (c, i) => {
      const file = join(dir, `case-${i}.mp4`);
      await makeSyncClip(file, { durationSec: DURATION_SEC, ...c });
      reports.set(c.name, await measureSync(file));
    }),
  );
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('measureSync on ffmpeg-made clips with known skew', () => {
  it.each(CASES)('$name, recovers the delay within 2 ms', (c) => {
    const report = reports.get(c.name);
    if (!report) throw new Error(`no report for ${c.name}`);
    // The flash at t = 0 is never an onset (no earlier frame), so whole seconds 1..5 remain.
    expect(report.flashesSec).toEqual([1, 2, 3, 4, 5]);
    expect(report.pairs).toHaveLength(5);
    for (const pair of report.pairs) expect(Math.abs(pair.offsetMs - c.clickDelayMs)).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs(report.medianOffsetMs - c.clickDelayMs)).toBeLessThan(TOLERANCE_MS);
    expect(report.worstOffsetMs).toBeLessThan(Math.abs(c.clickDelayMs) + TOLERANCE_MS);
    expect(report.unpairedFlashes).toBe(0);
  });

  it('clicks 10 ms early, counts the click at 5.99 s (no flash follows it) as unpaired', () => {
    const report = reports.get('clicks 10 ms early');
    expect(report?.clicksSec).toHaveLength(6);
    expect(report?.unpairedClicks).toBe(1);
  });
});

describe('detectFlashOnsets', () => {
  it('a frame turning white after a dark one, is an onset at its own timestamp', () => {
    const frames = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((ptsSec, i) => ({ ptsSec, luma: i === 3 || i === 4 ? 240 : 60 }));
    expect(detectFlashOnsets(frames)).toEqual([0.3]);
  });

  it('a clip starting white, does not count its first frame', () => {
    const frames = [0, 0.1, 0.2, 0.3].map((ptsSec, i) => ({ ptsSec, luma: i === 0 ? 250 : 70 }));
    expect(detectFlashOnsets(frames)).toEqual([]);
  });

  it('a bright but not white change, is no flash', () => {
    const frames = [0, 0.1, 0.2, 0.3].map((ptsSec, i) => ({ ptsSec, luma: i === 2 ? 140 : 60 }));
    expect(detectFlashOnsets(frames)).toEqual([]);
  });
});

describe('detectClickOnsetSamples', () => {
  const RATE = 48_000;
  function signal(clickAt: readonly number[], lengthSec: number): Float32Array {
    const out = new Float32Array(Math.round(lengthSec * RATE));
    for (let i = 0; i < out.length; i++) out[i] = 0.25 * Math.sin((2 * Math.PI * 440 * i) / RATE);
    for (const start of clickAt) {
      for (let i = 0; i < 0.02 * RATE; i++) {
        const t = i / RATE;
        out[start + i]! += 0.8 * Math.sin(2 * Math.PI * 3000 * t) * Math.exp(-t / 0.005);
      }
    }
    return out;
  }

  it('clicks over a low tone, found within one sample of their start', () => {
    const starts = [20_000, 70_001, 120_002];
    const onsets = detectClickOnsetSamples(highPass(signal(starts, 3), RATE, 2_000), 0.3 * RATE);
    expect(onsets).toHaveLength(3);
    onsets.forEach((onset, i) => expect(Math.abs(onset - starts[i]!)).toBeLessThanOrEqual(1));
  });

  it('a click less than 300 ms after the start or after another click, is not an onset', () => {
    const onsets = detectClickOnsetSamples(highPass(signal([4_800, 30_000, 40_000], 2), RATE, 2_000), 0.3 * RATE);
    expect(onsets.map((s) => Math.round(s / 100) * 100)).toEqual([30_000]);
  });

  it('a tone alone, has no clicks', () => {
    expect(detectClickOnsetSamples(highPass(signal([], 2), RATE, 2_000), 0.3 * RATE)).toEqual([]);
  });
});

describe('sampleTimeSec', () => {
  it('a sample after a gap in the audio, takes its time from its own frame', () => {
    const spans = [
      { ptsSec: 0, firstSample: 0, samples: 960 },
      { ptsSec: 0.5, firstSample: 960, samples: 960 },
    ];
    expect(sampleTimeSec(spans, 959, 48_000)).toBeCloseTo(959 / 48_000, 9);
    expect(sampleTimeSec(spans, 960 + 48, 48_000)).toBeCloseTo(0.501, 9);
  });
});

describe('pairOnsets', () => {
  it('flashes and clicks, pairs nearest within 300 ms one to one and counts the rest', () => {
    const result = pairOnsets([1, 2, 3, 4], [1.02, 2.5, 2.97, 3.05, 9]);
    expect(result.pairs.map((p) => [p.flashSec, p.clickSec])).toEqual([[1, 1.02], [3, 2.97]]);
    expect(result.pairs[0]?.offsetMs).toBeCloseTo(20, 6);
    expect(result.pairs[1]?.offsetMs).toBeCloseTo(-30, 6);
    expect(result.unpairedFlashes).toBe(2);
    expect(result.unpairedClicks).toBe(3);
  });
});

describe('sameMoments', () => {
  const pair = (flashSec: number, offsetMs: number) => ({ flashSec, clickSec: flashSec + offsetMs / 1000, offsetMs });
  // A jittery page's flashes, each with its own offset.
  const recording = [pair(1.0, -30), pair(2.06, -60), pair(2.98, -25), pair(4.03, -45), pair(5.01, -33)];

  it('lines up the moments both files hold (here 5.5 s apart), not the neighbours a second off', () => {
    const clip = [pair(2.06 - 5.5 + 0.01, -61), pair(2.98 - 5.5, -26), pair(4.03 - 5.5 + 0.005, -44)];
    const matched = sameMoments(recording, clip);
    expect(matched.map(({ a, b }) => [a.offsetMs, b.offsetMs])).toEqual([[-60, -61], [-25, -26], [-45, -44]]);
  });

  it('nothing to line up, matches nothing', () => {
    expect(sameMoments([], recording)).toEqual([]);
    expect(sameMoments(recording, [])).toEqual([]);
  });
});
