/**
 * The clip library's costs, on an armed 1080p session: keeping 30 s clips (inside each save,
 * before its reply) and making their thumbnails (after it), the frames capture dropped during
 * those saves, and the library page opened on 200 clips: when the first screen of thumbnails
 * and when all of them have decoded.
 */
import type { Page } from 'puppeteer-core';
import type { LibraryReply, SaveReply } from '../../src/contract/messages';
import { sendMessage } from '../harness/browser';
import { until } from '../harness/wait';
import { captureSpan, measureSaves, stampedStatus } from './measure';
import { OffscreenProbe } from './offscreen-probe';
import type { CaptureSpan, SaveLengthResult } from './results';
import type { BenchSession } from './session';
import { isMain, runStandalone } from './standalone';
import { spread, type Spread } from './stats';
import { table } from './table';

const SAVE_SEC = 30;
const REPEATS = 5;
const GAP_MS = 500;
const PAGE_CLIPS = 200;
/** The 1 s clips that fill the library up to PAGE_CLIPS. */
const FILL_CLIP_SEC = 1;
/** Capture is watched this long with nothing saving, to compare its drops with those during the saves. */
const IDLE_SPAN_MS = 6_000;
/** Saving may drop no more than idle capture does (percentage points). */
const TARGETS = { firstThumbnailsMs: 300, extraDropPct: 0 };

export interface LibraryBenchResult {
  captured: { width: number | null; height: number | null };
  /** Keeping each 30 s 1080p clip in the library (bytes, then index), beside its download. */
  keepMs: Spread;
  /** Making and storing its thumbnail, after the reply. */
  thumbnailMs: Spread;
  saves: SaveLengthResult;
  /** Capture with nothing saving, right before the saves. */
  idle: CaptureSpan;
  page: { clips: number; listedMs: number; firstScreenThumbnails: number; firstScreenMs: number; lastScreenAfterScrollMs: number };
  targets: typeof TARGETS;
}

/** User-timing measures of one name in the offscreen document, taken and cleared. */
async function takeMeasures(offscreen: Page, name: string): Promise<number[]> {
  return offscreen.evaluate((measure) => {
    const durations = performance.getEntriesByName(measure, 'measure').map((entry) => entry.duration);
    performance.clearMeasures(measure);
    return durations;
  }, name);
}

async function library(control: Page): Promise<Extract<LibraryReply, { ok: true }>> {
  const reply = await sendMessage<LibraryReply>(control, { type: 'library' });
  if (!reply.ok) throw new Error(`library: ${reply.error}`);
  return reply;
}

/** Waits until every clip in the library has its thumbnail (they are made one at a time). */
async function untilThumbnails(control: Page, timeoutMs: number): Promise<void> {
  await until('every thumbnail made', () => library(control), (listing) => listing.clips.every((c) => c.hasThumbnail), { timeoutMs, pollMs: 250 });
}

/** Opens the library page; times from navigation until the first screen's and all thumbnails decode. */
async function timeLibraryPage(session: BenchSession): Promise<LibraryBenchResult['page']> {
  const page = await session.looptab.extensionPage('library.html');
  try {
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    const firstScreen = await page.waitForFunction(() => {
      const visible = [...document.querySelectorAll('li.card')].filter((card) => card.getBoundingClientRect().top < innerHeight);
      const decoded = visible.filter((card) => ((card.querySelector('img.thumbnail') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
      return visible.length > 0 && decoded.length === visible.length ? { count: visible.length, atMs: performance.now() } : null;
    }, { polling: 10, timeout: 30_000 });
    const { count, atMs } = (await firstScreen.jsonValue()) as { count: number; atMs: number };
    // Thumbnails load as their cards come near the viewport: the last screen, after a jump to the end.
    const scrolledAtMs = await page.evaluate(() => {
      scrollTo(0, document.body.scrollHeight);
      return performance.now();
    });
    const lastScreen = await page.waitForFunction(() => {
      const visible = [...document.querySelectorAll('li.card')].filter((card) => {
        const box = card.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
      });
      const decoded = visible.filter((card) => ((card.querySelector('img.thumbnail') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
      return visible.length > 0 && decoded.length === visible.length ? performance.now() : null;
    }, { polling: 10, timeout: 30_000 });

    const listedMs = await page.evaluate(() => performance.getEntriesByName('looptab.library.listed')[0]?.startTime ?? NaN);
    return { clips: (await library(session.control)).clips.length, listedMs, firstScreenThumbnails: count, firstScreenMs: atMs, lastScreenAfterScrollMs: ((await lastScreen.jsonValue()) as number) - scrolledAtMs };
  } catch (error) {
    const seen = await page.evaluate(() => {
      const images = [...document.querySelectorAll('li.card img.thumbnail')] as HTMLImageElement[];
      return `${document.querySelectorAll('li.card').length} cards, ${images.filter((i) => i.naturalWidth > 0).length} of ${images.length} thumbnails decoded; page says: ${document.body.innerText.slice(0, 200)}`;
    });
    throw new Error(`the library page did not show its thumbnails (${seen}): ${String(error)}`);
  } finally {
    await page.close();
  }
}

export async function benchLibrary(session: BenchSession): Promise<LibraryBenchResult> {
  const { width, height } = await session.until(`${SAVE_SEC + 1} s buffered`, (s) => s.bufferedSec >= SAVE_SEC + 1, 120_000);
  const probe = await OffscreenProbe.attach(session.looptab);
  const offscreen = (await (await session.looptab.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'))).asPage())!;
  await takeMeasures(offscreen, 'looptab.library.keep');
  const idleFrom = await stampedStatus(session);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SPAN_MS));
  const idle = captureSpan(idleFrom, await stampedStatus(session), session.browserPid);
  const saves = await measureSaves(session, probe, SAVE_SEC, REPEATS, GAP_MS);
  const keepMs = spread(await takeMeasures(offscreen, 'looptab.library.keep'));
  await untilThumbnails(session.control, 60_000);
  const thumbnailMs = spread(await takeMeasures(offscreen, 'looptab.library.thumbnail'));

  for (let kept = (await library(session.control)).clips.length; kept < PAGE_CLIPS; kept++) {
    const reply = await sendMessage<SaveReply>(session.control, { type: 'save', seconds: FILL_CLIP_SEC, format: 'mp4' });
    if (!reply.ok || !reply.libraryId) throw new Error(`filling the library: ${reply.ok ? reply.libraryError : reply.error}`);
  }
  await untilThumbnails(session.control, 240_000);
  return { captured: { width, height }, keepMs, thumbnailMs, saves, idle, page: await timeLibraryPage(session), targets: TARGETS };
}

const ms = (value: number): string => (Number.isFinite(value) ? `${Math.round(value)}` : '-');

export function renderLibrarySection(result: LibraryBenchResult | null | undefined): string[] {
  if (!result) return ['Library: not measured (see problems)'];
  const { keepMs, thumbnailMs, saves, idle, page, targets } = result;
  const drops = (span: CaptureSpan): string => `${span.droppedFrames} of ${span.droppedFrames + span.encodedFrames} (${span.dropPct.toFixed(2)} %)`;
  const extraDropPct = saves.frames.dropPct - idle.dropPct;
  return [
    `Library, demo page captured at ${result.captured.width}x${result.captured.height}: ${REPEATS} saves of ${SAVE_SEC} s (${(saves.bytes.median / 1_048_576).toFixed(1)} MB each), then the page on ${page.clips} clips.`,
    ...table(
      ['figure', 'median', 'min', 'max', 'target', 'verdict'],
      [
        ['keep in library, beside the download (ms)', ms(keepMs.median), ms(keepMs.min), ms(keepMs.max), '', ''],
        ['save complete, library included (ms)', ms(saves.completeMs.median), ms(saves.completeMs.min), ms(saves.completeMs.max), '', ''],
        ['thumbnail, after the reply (ms)', ms(thumbnailMs.median), ms(thumbnailMs.min), ms(thumbnailMs.max), '', ''],
        ['capture drops with nothing saving', drops(idle), '', '', '', ''],
        ['capture drops during the saves', drops(saves.frames), '', '', `+${targets.extraDropPct} pt`, extraDropPct <= targets.extraDropPct ? 'PASS' : 'MISS'],
        ['page: the list arrived (ms from navigation)', ms(page.listedMs), '', '', '', ''],
        [`page: first screen of thumbnails (${page.firstScreenThumbnails}) decoded (ms)`, ms(page.firstScreenMs), '', '', `<= ${targets.firstThumbnailsMs}`, page.firstScreenMs <= targets.firstThumbnailsMs ? 'PASS' : 'MISS'],
        ['page: last screen decoded, after a jump to the end (ms)', ms(page.lastScreenAfterScrollMs), '', '', '', ''],
      ],
    ),
  ];
}

/** Standalone: `npx tsx scripts/bench/library.ts [--size 1280x720]` (after `node build.mjs`) measures this section only. */
if (isMain(import.meta.url)) await runStandalone('library', benchLibrary, renderLibrarySection);
