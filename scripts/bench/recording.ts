/**
 * Recording to disk beside the replay buffer, on the 1280x720 demo page (it moves, sounds, and
 * flashes at each click on its audio clock): the capture's CPU with recording on against off (before and
 * after), the bytes reaching the disk against the bytes the encoders make, memory while it runs,
 * how long stopping (the final MP4 copied from the segments) and exporting it to Downloads take
 * against ffmpeg copying the same file, and A/V offset at its start and end (the page's own timers
 * add a few ms to both; the drift between them is the recording's). Part of
 * `npm run bench`; `npx tsx scripts/bench/recording.ts [--minutes M]` (after `node build.mjs`)
 * runs it alone. M (default 10) is how long it records.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { CDPSession } from 'puppeteer-core';
import type { LibraryDownloadReply, OkReply, RecordStopReply, Status } from '../../src/contract/messages';
import { probe, tool } from '../harness/media';
import { repoRoot } from '../harness/paths';
import { launchSession, type Session } from '../harness/session';
import { measureSync } from '../harness/sync';
import { sleep } from '../harness/wait';
import { cpuBetween, snapshotCpu, type CpuSnapshot, type CpuUse } from './cpu';
import { liveHeapBytes } from './offscreen-probe';
import { isMain } from './standalone';
import { spreadPct } from './stats';
import { table } from './table';

const execFileAsync = promisify(execFile);

const WARMUP_SEC = 10;
const CPU_SPAN_MS = 30_000;
const SAMPLE_MS = 10_000;
/** Length of the pieces of the export whose A/V offset is measured, at its start and end. */
const SYNC_PIECE_SEC = 20;
const TARGETS = { cpuRatio: 1.1, diskOverEncoded: 1.05, memorySpreadPct: 5, medianOffsetMs: 15 } as const;
const MB = 1024 * 1024;
const PAGE = 'demo.html';
const PAGE_SIZE = { width: 1280, height: 720 };

export interface CpuSpan {
  label: string;
  elapsedMs: number;
  cpu: CpuUse;
  encodedFrames: number;
  droppedFrames: number;
}

export interface RecordingSample {
  elapsedSec: number;
  recordedSec: number;
  /** Segment bytes the disk worker reports written. */
  diskBytes: number;
  /** The profile's File System folder, as the OS sees it (du). */
  onDiskBytes: number;
  freeBytes: number | null;
  offscreenHeapBytes: number | null;
  diskWorkerHeapBytes: number | null;
  arenaBytes: number;
  droppedFrames: number;
}

export interface RecordingBenchResult {
  page: string;
  captured: { width: number | null; height: number | null };
  minutes: number;
  cpu: { offBefore: CpuSpan; on: CpuSpan; offAfter: CpuSpan; ratio: number };
  rates: {
    /** Segment bytes per recorded second over the whole recording. */
    diskBytesPerSec: number;
    /** The same from the folder's size on disk. */
    onDiskBytesPerSec: number;
    /** The ring's payload over its window just before stopping: what the encoders make. */
    encodedBytesPerSec: number;
    diskOverEncoded: number;
  };
  memory: { samples: RecordingSample[]; spreadPct: number };
  stop: { replyMs: number; durationSec: number; bytes: number; segments: number; frames: number };
  export: { replyMs: number; completeMs: number; bytes: number; ffprobeSec: number; ffprobeFrames: number | null };
  ffmpegCopy: { command: string; wallMs: number };
  sync: { start: SyncPiece; end: SyncPiece };
  targets: typeof TARGETS;
}

export interface SyncPiece {
  atSec: number;
  pairs: number;
  medianOffsetMs: number;
  worstOffsetMs: number;
}

async function send<T>(session: Session, message: unknown): Promise<T> {
  return session.send<T>(message);
}

function expectOk(reply: OkReply | { ok: boolean; error?: string }, what: string): void {
  if (!reply.ok) throw new Error(`${what}: ${'error' in reply ? reply.error : 'failed'}`);
}

async function duBytes(dir: string): Promise<number> {
  const { stdout } = await execFileAsync('du', ['-sb', dir]).catch(() => ({ stdout: 'NaN' }));
  return Number(stdout.split(/\s/)[0]);
}

async function cpuSpan(session: Session, browserPid: number | undefined, label: string): Promise<CpuSpan> {
  const from: { status: Status; cpu: CpuSnapshot } = { status: await session.status(), cpu: snapshotCpu() };
  await sleep(CPU_SPAN_MS);
  const to = { status: await session.status(), cpu: snapshotCpu() };
  return {
    label,
    elapsedMs: to.cpu.atMs - from.cpu.atMs,
    cpu: cpuBetween(from.cpu, to.cpu, browserPid),
    encodedFrames: to.status.encodedFrames - from.status.encodedFrames,
    droppedFrames: to.status.droppedFrames - from.status.droppedFrames,
  };
}

/** A/V offset of `SYNC_PIECE_SEC` of `file` from `atSec`, cut by ffmpeg with a decoding seek. */
async function syncPiece(file: string, atSec: number, dir: string): Promise<SyncPiece> {
  const piece = join(dir, `piece-${Math.round(atSec)}.mkv`);
  await execFileAsync(tool('ffmpeg'), ['-nostdin', '-v', 'error', '-y', '-ss', String(atSec), '-i', file, '-t', String(SYNC_PIECE_SEC),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-c:a', 'pcm_s16le', piece]);
  const report = await measureSync(piece);
  await rm(piece, { force: true });
  return { atSec, pairs: report.pairs.length, medianOffsetMs: report.medianOffsetMs, worstOffsetMs: report.worstOffsetMs };
}

export async function benchRecording(minutes = 10): Promise<RecordingBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'looptab-recording-bench-'));
  const profileDir = join(dir, 'profile');
  const fileSystemDir = join(profileDir, 'Default', 'File System');
  let session: Session | null = null;
  try {
    session = await launchSession({ audio: true, page: PAGE, pageSize: PAGE_SIZE, profileDir });
    const browserPid = session.looptab.browser.process()?.pid;
    await session.arm();
    await session.controlPage();
    const armed = await session.until('the buffer to fill a little', (s) => s.bufferedSec >= WARMUP_SEC, { timeoutMs: 60_000 });
    const offBefore = await cpuSpan(session, browserPid, 'armed, not recording (before)');

    expectOk(await send<OkReply>(session, { type: 'record-start', includeBufferedSec: 0 }), 'record-start');
    const startedAt = performance.now();
    const offscreen = await (await session.looptab.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'), { timeout: 10_000 })).createCDPSession();
    const diskWorkerTarget = await session.looptab.browser.waitForTarget((t) => t.url().endsWith('/disk-worker.js'), { timeout: 10_000 }).catch(() => null);
    const diskWorker = diskWorkerTarget ? await diskWorkerTarget.createCDPSession() : null;
    const onDiskAtStart = await duBytes(fileSystemDir);
    await sleep(2_000);
    const on = await cpuSpan(session, browserPid, 'armed and recording');

    const samples: RecordingSample[] = [];
    let last: Status = await session.status();
    while (performance.now() - startedAt < minutes * 60_000) {
      await sleep(Math.min(SAMPLE_MS, minutes * 60_000 - (performance.now() - startedAt)));
      last = await session.status();
      if (!last.recording) throw new Error(`the recording stopped by itself: ${last.lastError ?? 'no reason given'}`);
      samples.push({
        elapsedSec: (performance.now() - startedAt) / 1000,
        recordedSec: last.recording.durationSec,
        diskBytes: last.recording.bytes,
        onDiskBytes: (await duBytes(fileSystemDir)) - onDiskAtStart,
        freeBytes: last.recording.freeBytes,
        offscreenHeapBytes: await liveHeapBytes(offscreen),
        diskWorkerHeapBytes: await liveHeapBytes(diskWorker),
        arenaBytes: last.arenaBytes,
        droppedFrames: last.droppedFrames,
      });
      console.error(`bench recording: ${Math.round(last.recording.durationSec)} s, ${(last.recording.bytes / MB).toFixed(1)} MB, heap ${((samples.at(-1)!.offscreenHeapBytes ?? NaN) / MB).toFixed(1)} MB`);
    }
    const lastSample = samples.at(-1);
    if (!lastSample || !last.recording) throw new Error('no recording sample was taken');

    let t0 = performance.now();
    const stopped = await send<RecordStopReply>(session, { type: 'record-stop' });
    const stopMs = performance.now() - t0;
    if (!stopped.ok) throw new Error(`record-stop: ${stopped.error}`);

    const watch = await session.looptab.watchNextDownload(5 * 60_000);
    t0 = performance.now();
    const downloaded = await send<LibraryDownloadReply>(session, { type: 'library-download', id: stopped.libraryId });
    const exportReplyMs = performance.now() - t0;
    if (!downloaded.ok) throw new Error(`library-download: ${downloaded.error}`);
    const file = await watch.completed();
    const exportCompleteMs = file.completedAtMs - t0;
    // The downloads folder goes with the browser.
    const exported = join(dir, 'recording.mp4');
    await copyFile(file.file, exported);

    const offAfter = await cpuSpan(session, browserPid, 'armed, not recording (after)');
    await session.close();
    session = null;

    const probed = await probe(exported);
    const video = probed.streams.find((s) => s.codecType === 'video');
    const copied = join(dir, 'ffmpeg-copy.mp4');
    const copyArgs = ['-nostdin', '-v', 'error', '-y', '-i', exported, '-c', 'copy', '-movflags', '+faststart', copied];
    t0 = performance.now();
    await execFileAsync(tool('ffmpeg'), copyArgs);
    const ffmpegMs = performance.now() - t0;
    await rm(copied, { force: true });
    const start = await syncPiece(exported, 1, dir);
    const end = await syncPiece(exported, Math.max(1, probed.formatDurationSec - SYNC_PIECE_SEC - 1), dir);

    const offMeanPct = (offBefore.cpu.ours + offAfter.cpu.ours) / 2;
    const encodedBytesPerSec = last.bufferedSec > 0 ? last.bytes / last.bufferedSec : NaN;
    const diskBytesPerSec = lastSample.diskBytes / lastSample.recordedSec;
    // The heaps after the first minute: the ring's window is full by then.
    const steady = samples.filter((s) => s.elapsedSec > 60);
    const memory = steady.map((s) => (s.offscreenHeapBytes ?? 0) + (s.diskWorkerHeapBytes ?? 0) + s.arenaBytes);
    return {
      page: `${PAGE} at ${PAGE_SIZE.width}x${PAGE_SIZE.height}`,
      captured: { width: armed.width, height: armed.height },
      minutes,
      cpu: { offBefore, on, offAfter, ratio: on.cpu.ours / offMeanPct },
      rates: {
        diskBytesPerSec,
        onDiskBytesPerSec: lastSample.onDiskBytes / lastSample.recordedSec,
        encodedBytesPerSec,
        diskOverEncoded: diskBytesPerSec / encodedBytesPerSec,
      },
      memory: { samples, spreadPct: memory.length > 1 ? spreadPct(memory) : NaN },
      stop: { replyMs: stopMs, durationSec: stopped.durationSec, bytes: stopped.bytes, segments: stopped.segments, frames: stopped.frames },
      export: { replyMs: exportReplyMs, completeMs: exportCompleteMs, bytes: file.bytes, ffprobeSec: probed.formatDurationSec, ffprobeFrames: video?.frames ?? null },
      ffmpegCopy: { command: `ffmpeg ${copyArgs.slice(4, 5).join(' ')} -i recording.mp4 -c copy -movflags +faststart out.mp4`, wallMs: ffmpegMs },
      sync: { start, end },
      targets: TARGETS,
    };
  } finally {
    await session?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const pct = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(0)} %` : '-');
const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const verdict = (pass: boolean | null): string => (pass === null ? '' : pass ? 'PASS' : 'MISS');

export function renderRecordingSection(result: RecordingBenchResult | null | undefined): string[] {
  if (!result) return ['Recording to disk: not measured (see problems)'];
  const { cpu, rates, memory, stop, targets, sync } = result;
  const span = (s: CpuSpan): string[] => [s.label, pct(s.cpu.ours), pct(s.cpu.others), `${s.encodedFrames}`, `${s.droppedFrames}`,
    Object.entries(s.cpu.byKind).filter(([, v]) => v >= 1).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')];
  const mbps = (bytesPerSec: number): string => `${fixed((bytesPerSec * 8) / 1e6, 2)} Mbit/s`;
  return [
    `Recording to disk: ${result.page}, captured at ${result.captured.width}x${result.captured.height}, recorded for ${result.minutes} min.`,
    `CPU in % of one core over ${CPU_SPAN_MS / 1000} s spans (ours = every process of our browser).`,
    ...table(['span', 'ours', 'others', 'encoded', 'dropped', 'by process'], [span(cpu.offBefore), span(cpu.on), span(cpu.offAfter)]),
    '',
    ...table(
      ['figure', 'value', 'target', 'verdict'],
      [
        ['CPU recording / not (mean of before and after)', `${fixed(cpu.ratio)}x`, `<= ${targets.cpuRatio}x`, verdict(Number.isFinite(cpu.ratio) ? cpu.ratio <= targets.cpuRatio : null)],
        ['written to disk (segments)', mbps(rates.diskBytesPerSec), '', ''],
        ['grown on disk (du of the File System folder)', mbps(rates.onDiskBytesPerSec), '', ''],
        ['made by the encoders (ring payload / window)', mbps(rates.encodedBytesPerSec), '', ''],
        ['disk / encoded', `${fixed(rates.diskOverEncoded, 3)}x`, `~1.0 (<= ${targets.diskOverEncoded})`, verdict(Number.isFinite(rates.diskOverEncoded) ? rates.diskOverEncoded <= targets.diskOverEncoded : null)],
        ['memory after 1 min (live heaps + ring arena), spread', `±${fixed(memory.spreadPct, 1)} %`, `±${targets.memorySpreadPct} %`, verdict(Number.isFinite(memory.spreadPct) ? memory.spreadPct <= targets.memorySpreadPct : null)],
        [`stop: final MP4 of ${fixed(stop.durationSec, 1)} s, ${(stop.bytes / MB).toFixed(0)} MB, ${stop.segments} segments`, `${Math.round(stop.replyMs)} ms`, '', ''],
        ['export to Downloads, request -> file complete', `${Math.round(result.export.completeMs)} ms`, 'seconds, not minutes', verdict(result.export.completeMs < 60_000)],
        ['ffmpeg -c copy +faststart of the same file (peer)', `${Math.round(result.ffmpegCopy.wallMs)} ms`, '', ''],
        ['frames: reply / ffprobe', `${stop.frames} / ${result.export.ffprobeFrames ?? '-'}`, 'equal', verdict(result.export.ffprobeFrames === null ? null : stop.frames === result.export.ffprobeFrames)],
        [`A/V at the start (${SYNC_PIECE_SEC} s from ${fixed(sync.start.atSec, 0)} s): median / worst ms`, `${fixed(sync.start.medianOffsetMs, 1)} / ${fixed(sync.start.worstOffsetMs, 1)} (${sync.start.pairs} pairs)`, 'the page\'s own', ''],
        [`A/V at the end (from ${fixed(sync.end.atSec, 0)} s)`, `${fixed(sync.end.medianOffsetMs, 1)} / ${fixed(sync.end.worstOffsetMs, 1)} (${sync.end.pairs} pairs)`, 'offset + drift', ''],
        ['A/V drift, end - start median', `${fixed(sync.end.medianOffsetMs - sync.start.medianOffsetMs, 1)} ms`, `|drift| <= ${targets.medianOffsetMs}`, verdict(Math.abs(sync.end.medianOffsetMs - sync.start.medianOffsetMs) <= targets.medianOffsetMs)],
      ],
    ),
  ];
}

/** Standalone: `npx tsx scripts/bench/recording.ts [--minutes M]` measures this section only. */
if (isMain(import.meta.url)) {
  const flag = process.argv.indexOf('--minutes');
  const minutes = flag >= 0 ? Number(process.argv[flag + 1]) : 10;
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`--minutes must be a number > 0, got ${process.argv[flag + 1]}`);
  const result = await benchRecording(minutes);
  const outDir = join(repoRoot, 'bench-results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'recording.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderRecordingSection(result).join('\n'));
}
