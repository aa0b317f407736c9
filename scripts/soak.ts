// Long-session soak: arm a busy 1080p30 page and watch memory and drops for N minutes.
// Samples every 10 s: the ring buffer's arena and payload bytes, the offscreen document's JS
// heap, encoded and dropped frames. With --record it also records the tab to disk all along
// (then the disk worker's heap and the recording's bytes are sampled too, and it is stopped and
// kept at the end). Prints a line per sample and a verdict, writes bench-results/soak.json (or
// soak-record.json). It measures; it asserts nothing (exit 1 only if something broke).
//
// Usage: npm run soak -- --minutes 30 [--record]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import type { OkReply, RecordStopReply, Status } from '../src/contract/messages';
import { liveHeapBytes } from './bench/offscreen-probe';
import { spreadPct } from './bench/stats';
import { repoRoot as root } from './harness/paths';
import { launchSession } from './harness/session';
import { sleep, until } from './harness/wait';

const SAMPLE_MS = 10_000;
const MB = 1024 * 1024;

interface Sample {
  elapsedSec: number;
  bufferedSec: number;
  payloadBytes: number;
  arenaBytes: number;
  heapUsedBytes: number | null;
  /** The disk worker's JS heap (with --record). */
  diskWorkerHeapBytes: number | null;
  /** The recording's segment bytes on disk (with --record). */
  recordedBytes: number | null;
  encodedFrames: number;
  droppedFrames: number;
  /** Drops in this interval as a share of the frames offered in it. */
  intervalDropPct: number;
}

function argMinutes(): number {
  const at = process.argv.indexOf('--minutes');
  const value = at >= 0 ? Number(process.argv[at + 1]) : 30;
  if (!Number.isFinite(value) || value <= 0) throw new Error('--minutes must be a positive number');
  return value;
}

async function main(): Promise<void> {
  const minutes = argMinutes();
  const record = process.argv.includes('--record');
  const session = await launchSession({ audio: true, page: 'demo.html?busy=1', pageSize: { width: 1920, height: 1080 } });
  const samples: Sample[] = [];
  try {
    await session.arm();
    const offscreenTarget = await session.looptab.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'), { timeout: 10_000 });
    const offscreen = await offscreenTarget.createCDPSession();
    // The first status must come from the running recorder (it carries the window and the cap).
    const running = await until(
      'the tab to arm',
      () => session.status().catch(() => null),
      (status) => status !== null && status.armed && status.maxBytes > 0,
      { timeoutMs: 10_000, pollMs: 100 },
    );
    const first: Status = running!;
    let diskWorker: CDPSession | null = null;
    if (record) {
      await session.until('2 s buffered', (s) => s.bufferedSec >= 2, { timeoutMs: 30_000 });
      const started = await session.send<OkReply>({ type: 'record-start', includeBufferedSec: 0 });
      if (!started.ok) throw new Error(`record-start: ${started.error}`);
      const target = await session.looptab.browser.waitForTarget((t) => t.url().endsWith('/disk-worker.js'), { timeout: 10_000 });
      diskWorker = await target.createCDPSession();
    }
    console.log(`soak: ${minutes} min at ${first.width}x${first.height}, window ${first.windowSec} s, cap ${(first.maxBytes / MB).toFixed(0)} MB${record ? ', recording to disk' : ''}`);
    console.log(`  t(s)  buffered  payload MB  arena MB  heap MB  encoded  dropped  drop%${record ? '  disk heap MB  recorded MB' : ''}`);
    const started = Date.now();
    let previous: Status = first;
    while (Date.now() - started < minutes * 60_000) {
      await sleep(SAMPLE_MS);
      const status = await session.status();
      if (status.lastError && status.state === 'error') throw new Error(status.lastError);
      if (record && !status.recording) throw new Error(`the recording stopped by itself: ${status.lastError ?? 'no reason given'}`);
      const heapUsedBytes = await liveHeapBytes(offscreen);
      const offered = status.encodedFrames - previous.encodedFrames + status.droppedFrames - previous.droppedFrames;
      const sample: Sample = {
        elapsedSec: Math.round((Date.now() - started) / 1000),
        bufferedSec: status.bufferedSec,
        payloadBytes: status.bytes,
        arenaBytes: status.arenaBytes,
        heapUsedBytes,
        diskWorkerHeapBytes: await liveHeapBytes(diskWorker),
        recordedBytes: status.recording?.bytes ?? null,
        encodedFrames: status.encodedFrames,
        droppedFrames: status.droppedFrames,
        intervalDropPct: offered > 0 ? ((status.droppedFrames - previous.droppedFrames) / offered) * 100 : 0,
      };
      samples.push(sample);
      previous = status;
      console.log(
        `${String(sample.elapsedSec).padStart(6)}  ${sample.bufferedSec.toFixed(1).padStart(8)}  ${(sample.payloadBytes / MB).toFixed(1).padStart(10)}` +
          `  ${(sample.arenaBytes / MB).toFixed(1).padStart(8)}  ${sample.heapUsedBytes === null ? '     n/a' : (sample.heapUsedBytes / MB).toFixed(1).padStart(7)}` +
          `  ${String(sample.encodedFrames).padStart(7)}  ${String(sample.droppedFrames).padStart(7)}  ${sample.intervalDropPct.toFixed(2).padStart(5)}` +
          (record ? `  ${((sample.diskWorkerHeapBytes ?? NaN) / MB).toFixed(1).padStart(12)}  ${((sample.recordedBytes ?? NaN) / MB).toFixed(1).padStart(11)}` : ''),
      );
    }

    // Verdict: after the first window has filled, memory should be flat and drops not creep.
    const steady = samples.filter((s) => s.elapsedSec > first.windowSec + 10);
    const memory = steady.map((s) => s.arenaBytes + (s.heapUsedBytes ?? 0) + (s.diskWorkerHeapBytes ?? 0));
    const half = Math.floor(steady.length / 2);
    const meanDrop = (list: Sample[]) => list.reduce((a, s) => a + s.intervalDropPct, 0) / Math.max(1, list.length);
    // The JS heaps alone (the arena dwarfs them): GC makes a saw, so compare the halves' means.
    const heaps = (list: Sample[]) => list.reduce((a, s) => a + (s.heapUsedBytes ?? 0) + (s.diskWorkerHeapBytes ?? 0), 0) / Math.max(1, list.length);
    const verdict = {
      capHeld: samples.every((s) => s.payloadBytes <= first.maxBytes),
      steadySamples: steady.length,
      memorySpreadPct: steady.length > 1 ? spreadPct(memory) : null,
      payloadSpreadPct: steady.length > 1 ? spreadPct(steady.map((s) => s.payloadBytes)) : null,
      heapsFirstHalfBytes: heaps(steady.slice(0, half)),
      heapsSecondHalfBytes: heaps(steady.slice(half)),
      dropPctFirstHalf: meanDrop(steady.slice(0, half)),
      dropPctSecondHalf: meanDrop(steady.slice(half)),
      totalDropPct: (previous.droppedFrames / Math.max(1, previous.encodedFrames + previous.droppedFrames)) * 100,
    };
    const stopped = record ? await session.send<RecordStopReply>({ type: 'record-stop' }) : null;
    if (stopped && !stopped.ok) throw new Error(`record-stop: ${stopped.error}`);
    if (stopped?.ok) console.log(`recording kept: ${stopped.durationSec.toFixed(1)} s, ${(stopped.bytes / MB).toFixed(0)} MB, ${stopped.segments} segments, ${stopped.frames} frames`);
    console.log(`cap held: ${verdict.capHeld ? 'yes' : 'NO'}; memory (arena + heap${record ? 's' : ''}) after the first window: ±${verdict.memorySpreadPct?.toFixed(1) ?? 'n/a'} % ` +
      `(target ±5 %); JS heaps ${(verdict.heapsFirstHalfBytes / MB).toFixed(1)} -> ${(verdict.heapsSecondHalfBytes / MB).toFixed(1)} MB (first -> second half); drops ${verdict.dropPctFirstHalf.toFixed(2)} % -> ${verdict.dropPctSecondHalf.toFixed(2)} % (first -> second half), ${verdict.totalDropPct.toFixed(2)} % overall`);
    await mkdir(join(root, 'bench-results'), { recursive: true });
    const name = record ? 'soak-record.json' : 'soak.json';
    await writeFile(join(root, 'bench-results', name), JSON.stringify({ minutes, record, date: new Date().toISOString(), first, samples, verdict, stopped }, null, 2));
    console.log(`figures written to bench-results/${name}`);
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(`soak failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
