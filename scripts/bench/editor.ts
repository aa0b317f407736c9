/**
 * The editor's exports at 1080p, from clips saved on an armed demo page: a trim of a 30 s clip
 * (copied, so it should cost about what a save does), a two-clip 1 s dissolve against encoding
 * the same join whole (a crop 16 px narrower than the frame makes the engine encode every frame;
 * a whole-frame crop is left out), and the crop
 * re-encode's speed against ffmpeg's libx264 ultrafast doing the same crop of the same file.
 * Recording is stopped before the timed exports so capture does not compete with them; the trim
 * is timed with capture running too, as it is cheap.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { Page, Target } from 'puppeteer-core';
import type { ExportReply } from '../../src/contract/export-request';
import type { LibraryReply, SaveReply } from '../../src/contract/messages';
import { sendMessage } from '../harness/browser';
import { probe, tool } from '../harness/media';
import { sleep, until } from '../harness/wait';
import type { BenchSession } from './session';
import { isMain, runStandalone } from './standalone';
import { spread, type Spread } from './stats';
import { table } from './table';

const execFileAsync = promisify(execFile);

const CLIP_SEC = 30;
const TRIM = { startSec: 1, endSec: 29 };
const JOIN_CLIP_SEC = 15;
const DISSOLVE_SEC = 1;
const CROP = { x: 320, y: 180, width: 1280, height: 720 };
const REPEATS = 3;
const GAP_MS = 500;
/** A whole 1080p re-encode on two cores takes a while; the file must still arrive. */
const EXPORT_TIMEOUT_MS = 10 * 60_000;
const SAVE_TIMEOUT_MS = 60_000;
/** The offscreen user-timing measure of one export, without the download and the library's keep. */
const EXPORT_MEASURE = 'looptab.editor.export';
const TARGETS = { reencodedTrimSec: 0, dissolveSpeedUp: 5 };

/** One export, times from the request. */
export interface ExportSample {
  replyMs: number;
  /** chrome.downloads said the file is complete. */
  completeMs: number;
  /** The offscreen document's own measure of the export (NaN when it was not found). */
  offscreenMs: number;
  durationSec: number;
  reencodedSec: number;
  bytes: number;
  fixes: string[];
  notes: string[];
}

export interface ExportRuns {
  samples: ExportSample[];
  replyMs: Spread;
  completeMs: Spread;
  offscreenMs: Spread;
  /** The largest reencodedSec of the runs. */
  reencodedSec: number;
}

export interface EditorBenchResult {
  captured: { width: number | null; height: number | null };
  /** The 30 s clip's saves, request -> reply and -> file complete. */
  save: { replyMs: Spread; completeMs: Spread; bytes: number; durationSec: number };
  trim: {
    /** With capture still running. */
    armed: ExportRuns;
    /** After disarming; the first export of the fresh offscreen document is not among them. */
    disarmed: ExportRuns;
    /** That first export after disarming: it also starts the offscreen document and its workers. */
    cold: ExportSample;
  };
  join: {
    dissolve: ExportSample;
    /** The same join cropped 16 px narrower: every frame encoded again. */
    whole: ExportSample;
    /** whole / dissolve, request -> reply. */
    speedUp: number;
  };
  crop: {
    export: ExportSample;
    outputFrames: number;
    outputSize: string;
    /** Output frames over request -> reply. */
    fps: number;
    /** Output frames over the offscreen measure. */
    offscreenFps: number;
    ffmpeg: { command: string; frames: number; wallMs: number; fps: number };
  };
  targets: typeof TARGETS;
}

async function library(control: Page): Promise<Extract<LibraryReply, { ok: true }>> {
  const reply = await sendMessage<LibraryReply>(control, { type: 'library' });
  if (!reply.ok) throw new Error(`library: ${reply.error}`);
  return reply;
}

/**
 * Thumbnails are made after a save's or an export's reply: wait for them so they do not run
 * inside the next timed export. A recording stopped before they were made leaves some undone
 * for good, so this gives up quietly.
 */
async function settleThumbnails(control: Page): Promise<void> {
  await until('thumbnails made', () => library(control), (listing) => listing.clips.every((c) => c.hasThumbnail), { timeoutMs: 15_000, pollMs: 250 }).catch(() => undefined);
}

/** Reads (and clears) the export measures of the current offscreen document; it is replaced on disarm. */
class OffscreenMeasures {
  #target: Target | null = null;
  #page: Page | null = null;

  constructor(private readonly session: BenchSession) {}

  async take(): Promise<number[]> {
    const target = await this.session.looptab.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'), { timeout: 5_000 });
    if (target !== this.#target || !this.#page) {
      this.#target = target;
      this.#page = await target.asPage();
    }
    return this.#page.evaluate((name) => {
      const durations = performance.getEntriesByName(name, 'measure').map((entry) => entry.duration);
      performance.clearMeasures(name);
      return durations;
    }, EXPORT_MEASURE);
  }
}

interface SavedClip {
  id: string;
  file: string;
  replyMs: number;
  completeMs: number;
  bytes: number;
  durationSec: number;
}

async function timedSave(session: BenchSession, seconds: number): Promise<SavedClip> {
  const watch = await session.looptab.watchNextDownload(SAVE_TIMEOUT_MS);
  const t0 = performance.now();
  const reply = await sendMessage<SaveReply>(session.control, { type: 'save', seconds, format: 'mp4' });
  const replyMs = performance.now() - t0;
  if (!reply.ok) throw new Error(`save ${seconds} s: ${reply.error}`);
  if (!reply.libraryId) throw new Error(`save ${seconds} s was not kept in the library: ${reply.libraryError ?? 'no reason given'}`);
  const download = await watch.completed();
  return { id: reply.libraryId, file: download.file, replyMs, completeMs: download.completedAtMs - t0, bytes: download.bytes, durationSec: reply.durationSec };
}

/** One export; its file is removed unless `keepFile`. */
async function timedExport(session: BenchSession, measures: OffscreenMeasures, request: Record<string, unknown>, keepFile = false): Promise<{ sample: ExportSample; file: string }> {
  await measures.take().catch(() => []); // a clean slate, when the offscreen document is up
  const watch = await session.looptab.watchNextDownload(EXPORT_TIMEOUT_MS);
  const t0 = performance.now();
  const reply = await sendMessage<ExportReply>(session.control, { type: 'export', format: 'mp4', ...request });
  const replyMs = performance.now() - t0;
  if (!reply.ok) throw new Error(`export ${JSON.stringify(request)}: ${reply.error}`);
  const download = await watch.completed();
  if (download.bytes !== reply.bytes) throw new Error(`export: the reply said ${reply.bytes} bytes, the file on disk has ${download.bytes}`);
  const [offscreenMs = NaN] = await measures.take();
  if (!keepFile) await rm(download.file, { force: true });
  return {
    sample: { replyMs, completeMs: download.completedAtMs - t0, offscreenMs, durationSec: reply.durationSec, reencodedSec: reply.reencodedSec, bytes: reply.bytes, fixes: reply.fixes, notes: reply.notes },
    file: download.file,
  };
}

async function exportRuns(session: BenchSession, measures: OffscreenMeasures, request: Record<string, unknown>, repeats: number): Promise<ExportRuns> {
  const samples: ExportSample[] = [];
  for (let i = 0; i < repeats; i++) {
    await settleThumbnails(session.control);
    await sleep(GAP_MS);
    samples.push((await timedExport(session, measures, request)).sample);
  }
  return {
    samples,
    replyMs: spread(samples.map((s) => s.replyMs)),
    completeMs: spread(samples.map((s) => s.completeMs)),
    offscreenMs: spread(samples.map((s) => s.offscreenMs)),
    reencodedSec: Math.max(...samples.map((s) => s.reencodedSec)),
  };
}

/** ffmpeg's libx264 ultrafast doing the crop of `file`, to nowhere; frames from its own count. */
async function ffmpegCrop(file: string): Promise<EditorBenchResult['crop']['ffmpeg']> {
  const args = ['-nostdin', '-hide_banner', '-i', file, '-vf', `crop=${CROP.width}:${CROP.height}:${CROP.x}:${CROP.y}`, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'null', '-'];
  const t0 = performance.now();
  const { stderr } = await execFileAsync(tool('ffmpeg'), args, { maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  const counts = [...stderr.matchAll(/frame=\s*(\d+)/g)];
  const frames = Number(counts.at(-1)?.[1] ?? NaN);
  return { command: `ffmpeg ${args.slice(0, 2).join(' ')} -i clip.mp4 ${args.slice(4).join(' ')}`, frames, wallMs, fps: frames / (wallMs / 1000) };
}

export async function benchEditor(session: BenchSession): Promise<EditorBenchResult> {
  const measures = new OffscreenMeasures(session);
  await session.until(`${JOIN_CLIP_SEC + 1} s buffered`, (s) => s.bufferedSec >= JOIN_CLIP_SEC + 1, 120_000);
  const joinA = await timedSave(session, JOIN_CLIP_SEC);
  await rm(joinA.file, { force: true });
  const { width, height } = await session.until(`${CLIP_SEC + 1} s buffered`, (s) => s.bufferedSec >= CLIP_SEC + 1, 120_000);

  const saves: SavedClip[] = [];
  for (let i = 0; i < REPEATS; i++) {
    if (i > 0) await sleep(GAP_MS);
    saves.push(await timedSave(session, CLIP_SEC));
  }
  const clip = saves[0]!;
  for (const extra of saves.slice(1)) await rm(extra.file, { force: true });
  const joinB = await timedSave(session, JOIN_CLIP_SEC);
  await rm(joinB.file, { force: true });

  const trimRequest = { clips: [{ id: clip.id, ...TRIM }] };
  const armed = await exportRuns(session, measures, trimRequest, REPEATS);

  const disarmed = await sendMessage<{ ok: boolean; error?: string }>(session.control, { type: 'disarm' });
  if (!disarmed.ok) throw new Error(`disarm: ${disarmed.error}`);
  await sleep(2_000);
  const cold = (await timedExport(session, measures, trimRequest)).sample;
  const trimDisarmed = await exportRuns(session, measures, trimRequest, REPEATS);

  const joinClips = [{ id: joinA.id }, { id: joinB.id }];
  const transition = { kind: 'dissolve', durationSec: DISSOLVE_SEC };
  const [dissolve] = (await exportRuns(session, measures, { clips: joinClips, transition }, 1)).samples;
  const [whole] = (await exportRuns(session, measures, { clips: joinClips, transition, crop: { x: 0, y: 0, width: (width ?? 16) - 16, height } }, 1)).samples;
  // The baseline is only one if the engine really encoded every frame of it.
  if (whole!.reencodedSec < whole!.durationSec - DISSOLVE_SEC) throw new Error(`the encode-everything join re-encoded only ${whole!.reencodedSec} of ${whole!.durationSec} s`);

  await settleThumbnails(session.control);
  await sleep(GAP_MS);
  const cropped = await timedExport(session, measures, { clips: [{ id: clip.id }], crop: CROP }, true);
  const video = (await probe(cropped.file)).streams.find((s) => s.codecType === 'video');
  await rm(cropped.file, { force: true });
  const outputFrames = video?.frames ?? NaN;
  const ffmpeg = await ffmpegCrop(clip.file);
  await rm(clip.file, { force: true });

  return {
    captured: { width, height },
    save: { replyMs: spread(saves.map((s) => s.replyMs)), completeMs: spread(saves.map((s) => s.completeMs)), bytes: clip.bytes, durationSec: clip.durationSec },
    trim: { armed, disarmed: trimDisarmed, cold },
    join: { dissolve: dissolve!, whole: whole!, speedUp: whole!.replyMs / dissolve!.replyMs },
    crop: {
      export: cropped.sample,
      outputFrames,
      outputSize: `${video?.width ?? '?'}x${video?.height ?? '?'}`,
      fps: outputFrames / (cropped.sample.replyMs / 1000),
      offscreenFps: outputFrames / (cropped.sample.offscreenMs / 1000),
      ffmpeg,
    },
    targets: TARGETS,
  };
}

const ms = (value: number): string => (Number.isFinite(value) ? `${Math.round(value)}` : '-');
const sec = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : '-');

export function renderEditorSection(result: EditorBenchResult | null | undefined): string[] {
  if (!result) return ['Editor: not measured (see problems)'];
  const { save, trim, join: joined, crop, targets } = result;
  const runs = (label: string, r: ExportRuns, note: string): string[] => [label, ms(r.replyMs.median), ms(r.completeMs.median), ms(r.offscreenMs.median), sec(r.reencodedSec), `${ms(r.replyMs.min)}-${ms(r.replyMs.max)}`, note];
  const one = (label: string, s: ExportSample, note: string): string[] => [label, ms(s.replyMs), ms(s.completeMs), ms(s.offscreenMs), sec(s.reencodedSec), '', note];
  const trimVerdict = Math.max(trim.armed.reencodedSec, trim.disarmed.reencodedSec, trim.cold.reencodedSec) === targets.reencodedTrimSec ? 'PASS' : 'MISS';
  const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)}x` : '-');
  return [
    `Editor exports, demo page captured at ${result.captured.width}x${result.captured.height}; a ${sec(save.durationSec)} s clip of ${(save.bytes / 1_048_576).toFixed(1)} MB and two ${JOIN_CLIP_SEC} s clips.`,
    `Recording stopped (disarm) before all but the "armed" rows. ms from the request; offscreen = its ${EXPORT_MEASURE} measure (no download, no library keep).`,
    ...table(
      ['export', 'reply', 'file done', 'offscreen', 're-enc s', 'reply min-max', 'note'],
      [
        [`save ${CLIP_SEC} s (median of ${REPEATS}, armed)`, ms(save.replyMs.median), ms(save.completeMs.median), '', '', `${ms(save.replyMs.min)}-${ms(save.replyMs.max)}`, 'for "trim vs save"'],
        runs(`trim ${TRIM.startSec}-${TRIM.endSec} s, armed (median of ${REPEATS})`, trim.armed, ''),
        one('trim, first export after disarm', trim.cold, 'starts the offscreen document'),
        runs(`trim ${TRIM.startSec}-${TRIM.endSec} s, disarmed (median of ${REPEATS})`, trim.disarmed, `re-encoded 0: ${trimVerdict}`),
        one(`2 x ${JOIN_CLIP_SEC} s, ${DISSOLVE_SEC} s dissolve`, joined.dissolve, `${sec(joined.dissolve.durationSec)} s out`),
        one('same join, cropped 16 px (all encoded)', joined.whole, `${sec(joined.whole.durationSec)} s out`),
        one(`crop ${CROP.width}x${CROP.height} at (${CROP.x},${CROP.y}) of the ${CLIP_SEC} s clip`, crop.export, `${crop.outputFrames} frames ${crop.outputSize}`),
      ],
    ),
    '',
    ...table(
      ['figure', 'value', 'target', 'verdict'],
      [
        ['trim / save, request -> reply', ratio(trim.disarmed.replyMs.median / save.replyMs.median), '', ''],
        ['dissolve speed-up over whole re-encode (reply)', ratio(joined.speedUp), `>= ${targets.dissolveSpeedUp}x`, Number.isFinite(joined.speedUp) ? (joined.speedUp >= targets.dissolveSpeedUp ? 'PASS' : 'MISS') : ''],
        ['crop re-encode, ours (fps, request -> reply)', crop.fps.toFixed(1), '', ''],
        ['crop re-encode, ours (fps, offscreen measure)', crop.offscreenFps.toFixed(1), '', ''],
        [`crop, ffmpeg libx264 ultrafast (fps, ${crop.ffmpeg.frames} frames in ${ms(crop.ffmpeg.wallMs)} ms)`, crop.ffmpeg.fps.toFixed(1), '', ''],
        ['ours / ffmpeg', ratio(crop.fps / crop.ffmpeg.fps), '', ''],
      ],
    ),
  ];
}

/** Standalone: `npx tsx scripts/bench/editor.ts [--size 1920x1080]` (after `node build.mjs`) measures this section only. */
if (isMain(import.meta.url)) await runStandalone('editor', benchEditor, renderEditorSection);
