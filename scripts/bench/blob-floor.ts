/**
 * What downloading a Blob costs by how it was made, in the offscreen document of an armed tab:
 * one made long before (the bench's pre-made floor), one made just now from views of a buffer
 * (as the fast MP4 writer makes a save's: header + ~4 views a second), and one made just now
 * from slices of Blobs made long before (what a ring kept as Blobs would give). Each is timed
 * from its blob URL to the file complete, through the service worker's chrome.downloads.
 * `npx tsx scripts/bench/blob-floor.ts [--size WxH]` (after `node build.mjs`); not part of
 * `npm run bench`.
 */
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Page } from 'puppeteer-core';
import { sleep } from '../harness/wait';
import type { BenchSession } from './session';
import { spread, type Spread } from './stats';
import { isMain, runStandalone } from './standalone';
import { table } from './table';

const SIZES_MB = [8, 17, 34];
const REPEATS = 7;
const GAP_MS = 400;
/** A save's Blob: a header and about four views a second of a 60 s, 34 MB clip. */
const VIEWS_PER_MB = 7;
const KEPT_PIECE_BYTES = 500_000;

const WAYS = ['made before', 'made now from views', 'made now from kept Blobs'] as const;
type Way = (typeof WAYS)[number];

export interface BlobFloorRow {
  megabytes: number;
  completeMs: Record<Way, Spread>;
  /** The Blob constructor alone, made now from views (the copy a save makes on the offscreen thread). */
  constructViewsMs: Spread;
}

/** Runs in the offscreen document: the buffer, one Blob of it, and Blobs of its pieces, kept. */
const prepare = (bytes: number, pieceBytes: number): string => `(() => {
  const data = new Uint8Array(${bytes});
  for (let i = 0; i < data.length; i += 4096) data[i] = i & 255;
  const pieces = [];
  for (let i = 0; i < data.length; i += ${pieceBytes}) pieces.push(new Blob([data.subarray(i, i + ${pieceBytes})]));
  globalThis.blobFloor = { data, whole: new Blob([data]), pieces };
})()`;

/** Runs in the offscreen document: a blob URL of a Blob made the given way, and how long making the Blob took. */
const urlOf = (way: Way, views: number): string => `(() => {
  const { data, whole, pieces } = globalThis.blobFloor;
  if (${JSON.stringify(way)} === 'made before') return [URL.createObjectURL(whole), 0];
  const header = new Uint8Array(300000);
  const t0 = performance.now();
  if (${JSON.stringify(way)} === 'made now from kept Blobs') {
    const blob = new Blob([header, ...pieces.map((piece) => piece.slice(0))]);
    return [URL.createObjectURL(blob), performance.now() - t0];
  }
  const step = Math.ceil(data.length / ${views});
  const parts = [header];
  for (let i = 0; i < data.length; i += step) parts.push(data.subarray(i, Math.min(data.length, i + step)));
  const blob = new Blob(parts);
  return [URL.createObjectURL(blob), performance.now() - t0];
})()`;

async function timeDownload(session: BenchSession, offscreen: Page, way: Way, views: number): Promise<{ completeMs: number; constructMs: number }> {
  const watch = await session.looptab.watchNextDownload(60_000);
  const worker = await session.looptab.serviceWorker();
  const t0 = performance.now();
  const [url, constructMs] = (await offscreen.evaluate(urlOf(way, views))) as [string, number];
  await worker.evaluate((blobUrl: string) => chrome.downloads.download({ url: blobUrl, filename: 'blob-floor.bin', conflictAction: 'uniquify', saveAs: false }), url);
  const done = await watch.completed();
  await rm(done.file, { force: true });
  await offscreen.evaluate((u: string) => URL.revokeObjectURL(u), url);
  return { completeMs: done.completedAtMs - t0, constructMs };
}

export async function benchBlobFloor(session: BenchSession): Promise<BlobFloorRow[]> {
  const origin = `chrome-extension://${session.looptab.extensionId}/offscreen.html`;
  const offscreen = await (await session.looptab.browser.waitForTarget((t) => t.url() === origin)).asPage();
  const rows: BlobFloorRow[] = [];
  for (const megabytes of SIZES_MB) {
    await offscreen.evaluate(prepare(megabytes * 1_000_000, KEPT_PIECE_BYTES));
    await sleep(1_000);
    const samples: Record<Way, number[]> = { 'made before': [], 'made now from views': [], 'made now from kept Blobs': [] };
    const constructMs: number[] = [];
    // Interleaved, so a busy spell on the shared machine hits every way alike.
    for (let i = 0; i < REPEATS; i++) {
      for (const way of WAYS) {
        const timed = await timeDownload(session, offscreen, way, megabytes * VIEWS_PER_MB);
        samples[way].push(timed.completeMs);
        if (way === 'made now from views') constructMs.push(timed.constructMs);
        await sleep(GAP_MS);
      }
    }
    rows.push({ megabytes, completeMs: { 'made before': spread(samples['made before']), 'made now from views': spread(samples['made now from views']), 'made now from kept Blobs': spread(samples['made now from kept Blobs']) }, constructViewsMs: spread(constructMs) });
  }
  await offscreen.evaluate(() => delete (globalThis as unknown as { blobFloor?: unknown }).blobFloor);
  return rows;
}

export function renderBlobFloor(rows: BlobFloorRow[]): string[] {
  const cell = (s: Spread): string => `${Math.round(s.median)} (${Math.round(s.min)}-${Math.round(s.max)})`;
  return [
    `Blob download, blob URL -> file complete (ms, median (min-max) of ${REPEATS})`,
    ...table(['MB', ...WAYS, 'views/before', 'kept/before', 'new Blob(views)'], rows.map((row) => [
      `${row.megabytes}`,
      ...WAYS.map((way) => cell(row.completeMs[way])),
      (row.completeMs['made now from views'].median / row.completeMs['made before'].median).toFixed(2),
      (row.completeMs['made now from kept Blobs'].median / row.completeMs['made before'].median).toFixed(2),
      cell(row.constructViewsMs),
    ])),
  ];
}

if (isMain(import.meta.url)) await runStandalone('blob-floor', benchBlobFloor, renderBlobFloor);
