// The real GIF worker (dist/gif-worker.js) driven through GifClient by the fixture page
// gif-worker.html + gif-worker-page.ts, in a plain headless Chromium, on packets demuxed from an
// H.264 file: how the component test and the bench reach it.
import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { demuxTrack } from './demux';
import type { ClipIndex, EncodeParams, EncodeRun } from './gif-worker-page';
import { distDir } from './paths';
import { bundlePageScript, openServedPage } from './plain-chromium';

export type { EncodeParams, EncodeRun } from './gif-worker-page';

export interface GifWorkerPage {
  page: Page;
  encode(params: EncodeParams): Promise<EncodeRun>;
  close(): Promise<void>;
}

/**
 * Demuxes the H.264 track of `source` into `dir` as clip.bin + clip.json (the shape the ring
 * buffer copies out), timestamps moved by `timelineUs`.
 */
export async function writeGifWorkerClip(source: string, dir: string, timelineUs: number): Promise<void> {
  const { chunks, decoderConfig } = await demuxTrack(source, 'video', timelineUs);
  if (!decoderConfig.description) throw new Error(`no H.264 track with a description in ${source}`);
  const { codec, codedWidth = 0, codedHeight = 0, description } = decoderConfig;
  const index: ClipIndex = { decoderConfig: { codec, codedWidth, codedHeight, description: Array.from(description) }, chunks: chunks.chunks };
  await writeFile(join(dir, 'clip.bin'), chunks.bytes);
  await writeFile(join(dir, 'clip.json'), JSON.stringify(index));
}

/** Puts the page, its script and the worker next to the clip in `dir` and opens it, worker started. */
export async function openGifWorkerPage(dir: string): Promise<GifWorkerPage> {
  const workerJs = join(distDir, 'gif-worker.js');
  if (!existsSync(workerJs)) throw new Error('dist/gif-worker.js is missing: run `node build.mjs` first');
  await copyFile(workerJs, join(dir, 'gif-worker.js'));
  await copyFile(join(import.meta.dirname, 'gif-worker.html'), join(dir, 'index.html'));
  await bundlePageScript(join(import.meta.dirname, 'gif-worker-page.ts'), join(dir, 'gif-worker-page.js'));
  const { page, close } = await openServedPage(dir);
  try {
    await page.evaluate(() => window.gifTest.ready);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { page, encode: (params) => page.evaluate((p) => window.gifTest.encode(p), params), close };
}
