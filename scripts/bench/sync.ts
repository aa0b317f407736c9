/**
 * Timeline truth over a long recording: A/V offset and clip-length error of clips saved right
 * after arming, after 1 min, across a pause, and after 10 min (no drift between the audio
 * sample clock and the video clock), from a tab whose <video> plays an MP4 made in sync by
 * ffmpeg (a white flash and a click at every whole second; scripts/harness/sync.ts analyses it).
 * Part of `npm run bench`; `npx tsx scripts/bench/sync.ts [--minutes M]` runs this section
 * alone (needs `node build.mjs` first). M (default 10) is when the last clip is taken.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../../src/contract/errors';
import type { Status } from '../../src/contract/messages';
import { chromiumDurationSec, probe } from '../harness/media';
import { repoRoot } from '../harness/paths';
import { compareWithPage, describeComparison, pageNowMs, readPresentedFlashes, type PausePageMs } from '../harness/page-presentation';
import { launchSession, type Session } from '../harness/session';
import { measureSync, writeSyncVideoPage } from '../harness/sync';
import { sleep } from '../harness/wait';
import { table, type Row } from './table';

const CLIP_SEC = 10;
const TARGETS = { medianOffsetMs: 15, worstOffsetMs: 40, lengthErrorMs: 1000 / 30 } as const;
const PAGE_TITLE = 'Looptab sync bench';

export interface SyncClipResult {
  label: string;
  /** Seconds since arming when the save was requested. */
  atSec: number;
  requestedSec: number;
  /** What the reply said the clip lasts. */
  replySec: number;
  /** ffprobe's format duration. */
  fileSec: number;
  /** Chromium's <video>.duration. */
  chromiumSec: number;
  /** Largest |file or Chromium duration - requested|, in ms. */
  lengthErrorMs: number;
  pairs: number;
  medianOffsetMs: number;
  worstOffsetMs: number;
  offsetsMs: number[];
  /** The page's own offset (heard - shown, per flash it presented): what a faithful recording holds. */
  pageMedianOffsetMs: number;
  /** File offset - page offset per flash: what the recorder itself added. */
  recorderMedianErrorMs: number;
  recorderWorstErrorMs: number;
  recorderErrorsMs: number[];
  /** The file against the MP4's intent (the issue's measure), and against what the tab presented. */
  verdict: 'PASS' | 'MISS';
  recorderVerdict: 'PASS' | 'MISS';
}

export interface SyncBenchResult {
  source: string;
  clipSec: number;
  targets: typeof TARGETS;
  clips: SyncClipResult[];
  /** Status when the last clip was taken: drops and audio lag over the whole session. */
  finalStatus: Pick<Status, 'bufferedSec' | 'droppedFrames' | 'encodedFrames' | 'audioLagMs'> | null;
  durationSec: number;
}

/** Measures sync clips at the given minutes after arming (plus right after arming and across a pause). */
export async function benchSync(lastMinute = 10, settings: Record<string, unknown> = {}): Promise<SyncBenchResult> {
  const startedAt = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'looptab-sync-bench-'));
  // Longer than the session: a <video> loop restart is not in sync.
  const videoSec = Math.ceil(lastMinute * 60 + 120);
  await writeSyncVideoPage(dir, PAGE_TITLE, videoSec);
  let opened: Session | null = null;
  try {
    const session = (opened = await launchSession({ audio: true, pagesDir: dir, page: 'index.html' }));
    const { page } = session;
    await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 0.5, { timeout: 15_000 });
    if (Object.keys(settings).length > 0) await session.setSettings(settings);
    await session.arm();
    const armedAt = performance.now();
    // Opened now, so no save waits for it between noting the page's clock and the request.
    await session.controlPage();
    const { send, status } = session;
    const sinceArmingSec = (): number => (performance.now() - armedAt) / 1000;
    const waitUntil = async (sec: number): Promise<void> => {
      while (sinceArmingSec() < sec) await sleep(Math.min(1000, (sec - sinceArmingSec()) * 1000));
    };

    const clips: SyncClipResult[] = [];
    const pausesPageMs: PausePageMs[] = [];
    const save = async (label: string): Promise<void> => {
      const atSec = sinceArmingSec();
      const clipEndPageMs = await pageNowMs(page);
      const { reply, file } = await session.save(CLIP_SEC, { timeoutMs: 30_000 }).catch((error: unknown) => {
        throw new Error(`${label}: ${errorMessage(error)}`);
      });
      const report = await measureSync(file);
      const versusPage = compareWithPage(report, await readPresentedFlashes(page), { endPageMs: clipEndPageMs, clipSec: CLIP_SEC, pausesPageMs });
      const fileSec = (await probe(file)).formatDurationSec;
      const chromiumSec = await chromiumDurationSec(page, session.downloadUrl(file));
      const lengthErrorMs = 1000 * Math.max(Math.abs(fileSec - CLIP_SEC), Math.abs(chromiumSec - CLIP_SEC));
      const inSync = report.pairs.length >= 4 && Math.abs(report.medianOffsetMs) <= TARGETS.medianOffsetMs && report.worstOffsetMs <= TARGETS.worstOffsetMs;
      const recorderInSync = versusPage.pairs.length >= 4 &&
        Math.abs(versusPage.medianRecorderErrorMs) <= TARGETS.medianOffsetMs && versusPage.worstRecorderErrorMs <= TARGETS.worstOffsetMs;
      clips.push({
        label,
        atSec,
        requestedSec: CLIP_SEC,
        replySec: reply.durationSec,
        fileSec,
        chromiumSec,
        lengthErrorMs,
        pairs: report.pairs.length,
        medianOffsetMs: report.medianOffsetMs,
        worstOffsetMs: report.worstOffsetMs,
        offsetsMs: report.pairs.map((pair) => pair.offsetMs),
        pageMedianOffsetMs: versusPage.medianPageOffsetMs,
        recorderMedianErrorMs: versusPage.medianRecorderErrorMs,
        recorderWorstErrorMs: versusPage.worstRecorderErrorMs,
        recorderErrorsMs: versusPage.pairs.map((pair) => pair.recorderErrorMs),
        verdict: inSync && lengthErrorMs <= TARGETS.lengthErrorMs ? 'PASS' : 'MISS',
        recorderVerdict: recorderInSync ? 'PASS' : 'MISS',
      });
      console.error(
        `bench sync: ${label} at ${atSec.toFixed(0)} s: file median ${report.medianOffsetMs.toFixed(1)} ms, worst ${report.worstOffsetMs.toFixed(1)} ms; ` +
          `${describeComparison(versusPage)}; length error ${lengthErrorMs.toFixed(1)} ms`,
      );
    };

    await waitUntil(CLIP_SEC + 2);
    await save('right after arming');
    if (lastMinute >= 1) {
      await waitUntil(60);
      await save('after 1 min');
      // Paused for 3 s, then 6 s more: the next 10 s clip spans the pause.
      const fromMs = await pageNowMs(page);
      expectOk(await send({ type: 'pause' }), 'pause');
      await sleep(3000);
      const toMs = await pageNowMs(page);
      expectOk(await send({ type: 'resume' }), 'resume');
      pausesPageMs.push({ fromMs, toMs });
      await sleep(6000);
      await save('across a pause');
    }
    if (lastMinute > 1) {
      await waitUntil(lastMinute * 60);
      await save(`after ${lastMinute} min`);
    }
    const last = await status();
    return {
      source: `<video> of an ffmpeg-made MP4 (320x180, 30 fps, flash + click every second) in a 1280x720 tab; ${CLIP_SEC} s clips`,
      clipSec: CLIP_SEC,
      targets: TARGETS,
      clips,
      finalStatus: { bufferedSec: last.bufferedSec, droppedFrames: last.droppedFrames, encodedFrames: last.encodedFrames, audioLagMs: last.audioLagMs },
      durationSec: (performance.now() - startedAt) / 1000,
    };
  } finally {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function expectOk(reply: unknown, what: string): void {
  if ((reply as { ok?: boolean } | null)?.ok !== true) throw new Error(`${what} failed: ${JSON.stringify(reply)}`);
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '-');

export function renderSyncSection(sync: SyncBenchResult | null | undefined): string[] {
  if (!sync) return ['A/V sync and clip length: not measured (see problems)'];
  const rows: Row[] = sync.clips.map((clip) => [
    clip.label,
    `${Math.round(clip.atSec)}`,
    ms(clip.medianOffsetMs),
    ms(clip.worstOffsetMs),
    `${clip.pairs}`,
    clip.verdict,
    ms(clip.pageMedianOffsetMs),
    ms(clip.recorderMedianErrorMs),
    ms(clip.recorderWorstErrorMs),
    clip.recorderVerdict,
    clip.fileSec.toFixed(3),
    clip.chromiumSec.toFixed(3),
    ms(clip.lengthErrorMs),
  ]);
  return [
    `A/V sync and clip length: ${sync.source}.`,
    `file = click - flash as ffmpeg presents them (+ = audio late), against the MP4's intent (the issue's measure);`,
    `page = heard - shown as the tab presented each flash (its player lands a frame on a display refresh, 16.7 ms steps);`,
    `recorder = file - page per flash: what Looptab itself added. Targets: median <= ${sync.targets.medianOffsetMs} ms, worst <= ${sync.targets.worstOffsetMs} ms;`,
    `length error = worst of ffprobe and Chromium <video> against the ${sync.clipSec} s asked, target <= 1 frame (${sync.targets.lengthErrorMs.toFixed(1)} ms; file verdict).`,
    ...table(
      ['clip', 'at s', 'file median', 'file worst', 'pairs', 'file', 'page median', 'rec. median', 'rec. worst', 'recorder', 'ffprobe s', 'Chromium s', 'length err ms'],
      rows,
    ),
    ...(sync.finalStatus
      ? [`session: ${sync.finalStatus.encodedFrames} frames encoded, ${sync.finalStatus.droppedFrames} dropped, audio lag ${sync.finalStatus.audioLagMs ?? '-'} ms at the end`]
      : []),
  ];
}

/** Standalone: `npx tsx scripts/bench/sync.ts [--minutes M] [--constant]` measures this section only (`--constant`: constant frame timing). */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = process.argv.indexOf('--minutes');
  const minutes = flag >= 0 ? Number(process.argv[flag + 1]) : 10;
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`--minutes must be a number >= 0, got ${process.argv[flag + 1]}`);
  const result = await benchSync(minutes, process.argv.includes('--constant') ? { frameRateMode: 'constant' } : {});
  const outDir = join(repoRoot, 'bench-results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'sync.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderSyncSection(result).join('\n'));
  console.log(`\nTook ${result.durationSec.toFixed(0)} s. All figures: ${join('bench-results', 'sync.json')}`);
}
