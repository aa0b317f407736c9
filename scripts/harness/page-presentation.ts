// What the reference <video> page itself presents, so a clip can be judged against what the tab
// really showed and played rather than against the MP4's intent.
//
// Chromium's player picks, for each display refresh, the frame whose time matches the audio
// being heard, so a frame can only be shown on a refresh boundary: a flash reaches the screen up
// to a refresh early or late, and which refresh it lands on depends on the phase between the audio
// clock and the display, which is set when playback starts and can shift while it runs. Measured
// on these machines: the page's own offset sat at -20.5, +2 or -17 ms in different runs, and
// stepped by 16.7 ms within a run. A recorder that captures the screen faithfully records exactly
// that, so the page's own offset is reported per flash and subtracted.
//
// In the page, requestVideoFrameCallback reports each presented frame's `expectedDisplayTime`
// (when it reaches the screen) and `mediaTime`; `video.currentTime` is the player's audio clock
// (the media time being heard now), sampled on every frame. Both are on the page's
// performance.now() clock, so for the flash frame of whole second s:
//   heardMs = s * 1000 + median(performance.now() - currentTime * 1000)
//   page offset = heardMs - shownMs          (+ = audio late, as in the clip's measure)
import type { Page } from 'puppeteer-core';
import { median } from './median';
import type { SyncReport } from './sync';

/** One flash as the page presented it, on the page's performance.now() clock. */
export interface PresentedFlash {
  /** The whole media second whose first 3 frames are the flash (its click is at the same media time). */
  second: number;
  /** When the first flash frame the player presented was expected on screen (requestVideoFrameCallback). */
  shownMs: number;
  /** When the click at that media time was heard (the player's audio clock). */
  heardMs: number;
}

/** The page's global the script below fills. */
export const PRESENTED_GLOBAL = '__looptabPresented';

/**
 * The script writeSyncVideoPage puts in the reference page. The flash is the first 3 frames of
 * each second; the first of them the player presented is where the page's flash began (the
 * player sometimes drops a frame, and then the flash starts a frame or two late on screen, as it
 * does in a faithful recording). rVFC can coalesce callbacks when the page is busy: a second whose
 * first reported flash frame came after a gap in `presentedFrames` is left out, as its true first
 * frame may have gone unreported.
 */
export const PRESENTATION_SCRIPT = `
const video = document.querySelector('video');
const flashes = [];
window.${PRESENTED_GLOBAL} = flashes;
let audioOriginsMs = [];
let lastPresentedFrames = -1;
let lastSecond = -1;
function onFrame(_now, frame) {
  audioOriginsMs.push(performance.now() - video.currentTime * 1000);
  const contiguous = frame.presentedFrames === lastPresentedFrames + 1;
  lastPresentedFrames = frame.presentedFrames;
  const second = Math.floor(frame.mediaTime + 1e-4);
  if (frame.mediaTime - second < 0.09 && second !== lastSecond) {
    lastSecond = second;
    audioOriginsMs.sort((a, b) => a - b);
    const originMs = audioOriginsMs[audioOriginsMs.length >> 1];
    if (contiguous) flashes.push({ second, shownMs: frame.expectedDisplayTime, heardMs: second * 1000 + originMs });
    audioOriginsMs = [];
  }
  video.requestVideoFrameCallback(onFrame);
}
video.requestVideoFrameCallback(onFrame);
`;

export async function readPresentedFlashes(page: Page): Promise<PresentedFlash[]> {
  return page.evaluate((name) => (window as unknown as Record<string, PresentedFlash[]>)[name] ?? [], PRESENTED_GLOBAL);
}

/** The page's performance.now(), in ms: call just before a save to place the clip. */
export async function pageNowMs(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

export interface RecorderPair {
  second: number;
  /** When the page showed this flash (page clock). */
  shownPageMs: number;
  /** click - flash in the saved file. */
  fileOffsetMs: number;
  /** heard - shown on the page. */
  pageOffsetMs: number;
  /** file - page: what the recorder itself added. */
  recorderErrorMs: number;
}

export interface RecorderComparison {
  pairs: RecorderPair[];
  /** Clip flashes (s into the clip) with no logged page flash near them: the page's log left that second out. */
  unmatchedSec: number[];
  /** NaN without pairs. */
  medianPageOffsetMs: number;
  medianRecorderErrorMs: number;
  /** Largest |recorder error|; NaN without pairs. */
  worstRecorderErrorMs: number;
}

/** How far a clip flash may sit from where the page showed it, once the clip is placed on the page clock. */
const MATCH_WINDOW_MS = 450;

/** A pause while recording, as page times of the pause and resume requests. */
export interface PausePageMs {
  fromMs: number;
  toMs: number;
}

/** Where a clip sits on the page's clock: its end, its length, and the pauses it spans. */
export interface ClipPlacement {
  /** The page's performance.now() when the save was asked (the clip ends there). */
  endPageMs: number;
  clipSec: number;
  /** Pauses while recording (page times of the pause and resume requests); their spans are not in the clip. */
  pausesPageMs?: readonly PausePageMs[];
}

/** The page time of clip time `clipSec`-seconds-in, counting back from the end and skipping paused spans. */
export function clipToPageMs(placement: ClipPlacement, atSec: number): number {
  let backMs = (placement.clipSec - atSec) * 1000;
  let cursorMs = placement.endPageMs;
  const pauses = [...(placement.pausesPageMs ?? [])].sort((a, b) => b.toMs - a.toMs);
  for (const pause of pauses) {
    if (pause.toMs > cursorMs) continue;
    if (backMs <= cursorMs - pause.toMs) break;
    backMs -= cursorMs - pause.toMs;
    cursorMs = pause.fromMs;
  }
  return cursorMs - backMs;
}

/**
 * Matches each flash/click pair of a clip with the flash the page presented, and says how much
 * of the clip's offset the recorder added. The placement is off by the message and audio
 * latencies (tens of ms), far less than the second between flashes.
 */
export function compareWithPage(report: SyncReport, presented: readonly PresentedFlash[], placement: ClipPlacement): RecorderComparison {
  const pairs: RecorderPair[] = [];
  const unmatchedSec: number[] = [];
  for (const pair of report.pairs) {
    const expectedMs = clipToPageMs(placement, pair.flashSec);
    let best: PresentedFlash | null = null;
    for (const flash of presented) {
      const gap = Math.abs(flash.shownMs - expectedMs);
      if (gap <= MATCH_WINDOW_MS && (best === null || gap < Math.abs(best.shownMs - expectedMs))) best = flash;
    }
    if (best === null) {
      unmatchedSec.push(pair.flashSec);
      continue;
    }
    const pageOffsetMs = best.heardMs - best.shownMs;
    pairs.push({ second: best.second, shownPageMs: best.shownMs, fileOffsetMs: pair.offsetMs, pageOffsetMs, recorderErrorMs: pair.offsetMs - pageOffsetMs });
  }
  const errors = pairs.map((p) => p.recorderErrorMs);
  return {
    pairs,
    unmatchedSec,
    medianPageOffsetMs: median(pairs.map((p) => p.pageOffsetMs)),
    medianRecorderErrorMs: median(errors),
    worstRecorderErrorMs: errors.length === 0 ? NaN : Math.max(...errors.map(Math.abs)),
  };
}

/** One line for logs: the page's own offset, and what the recorder added, per flash. */
export function describeComparison(versusPage: RecorderComparison): string {
  const ms = (value: number): string => value.toFixed(1);
  return `page presented ${ms(versusPage.medianPageOffsetMs)} ms (median), so the recorder added ` +
    `${ms(versusPage.medianRecorderErrorMs)} ms (median), worst ${ms(versusPage.worstRecorderErrorMs)} ms ` +
    `[${versusPage.pairs.map((p) => ms(p.recorderErrorMs)).join(', ')}], ` +
    `unmatched at [${versusPage.unmatchedSec.map((t) => t.toFixed(2)).join(', ')}] s`;
}
