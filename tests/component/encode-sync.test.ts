// The recorder's timeline from encoder to file, on a signal whose timing is known exactly:
// Chromium's own VideoEncoder and AudioEncoder (the ones Looptab records with) encode a white
// frame and a click at every whole second, on the same instant; the chunks go through the real
// ring buffer, clip planner and muxer; ffmpeg reads the file back. Any skew it finds was added
// between the encoder's output and the file (capture's own timing is sync.test.ts's job).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/buffer/ring-buffer';
import { cutLastClip } from '../../src/clip/clip-cut';
import { DecoderConfigs } from '../../src/clip/decoder-configs';
import { muxMp4ToBytes } from '../../src/mp4/mp4-mux';
import { secondsToUs, usToSeconds } from '../../src/units';
import type { EncodedChunkJson, KnownSignal } from '../fixtures/known-signal-page';
import { decodeErrors, probe } from '../../scripts/harness/media';
import { fixturesDir } from '../../scripts/harness/paths';
import { bundlePageScript, openServedPage, type ServedPage } from '../../scripts/harness/plain-chromium';
import { measureSync } from '../../scripts/harness/sync';

/** Capture stamps count from boot: far from 0, like the real ones. */
const BASE_US = 9_204_932_200;
const SIGNAL_SEC = 8;
const FPS = 30;

let dir: string;
let chromium: ServedPage;
let signal: KnownSignal;

function bytesOf(base64: string | null): Uint8Array | undefined {
  return base64 === null ? undefined : new Uint8Array(Buffer.from(base64, 'base64'));
}

function append(ring: RingBuffer, track: 'video' | 'audio', chunks: readonly EncodedChunkJson[]): void {
  for (const chunk of chunks) {
    ring.append(track, new Uint8Array(Buffer.from(chunk.base64, 'base64')), { timestampUs: chunk.timestampUs, durationUs: chunk.durationUs, key: chunk.key, epoch: 0 });
  }
}

/** Cuts and muxes the last `seconds` of the signal through the recorder's own cutter; returns the file. */
async function saveLast(seconds: number): Promise<{ file: string; durationSec: number }> {
  const ring = new RingBuffer({ windowUs: 60_000_000, maxBytes: 64 * 1024 * 1024 });
  append(ring, 'video', signal.video.chunks);
  append(ring, 'audio', signal.audio.chunks);
  const { video, audio } = signal;
  const configs = new DecoderConfigs();
  configs.observeVideo({ codec: video.codec, codedWidth: video.codedWidth, codedHeight: video.codedHeight, description: bytesOf(video.descriptionBase64) });
  configs.observeAudio({ codec: audio.codec, sampleRate: audio.sampleRate, numberOfChannels: audio.numberOfChannels, description: bytesOf(audio.descriptionBase64) });
  const cut = cutLastClip(ring, configs, { requestedUs: secondsToUs(seconds) });
  if (!cut.ok) throw new Error(cut.error);
  const file = join(dir, `last-${seconds}.mp4`);
  await writeFile(file, await muxMp4ToBytes(cut.clip));
  return { file, durationSec: usToSeconds(cut.clip.endUs - cut.clip.startUs) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looptab-encode-sync-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>known signal</title><script src="page.js"></script>');
  await bundlePageScript(join(fixturesDir, 'known-signal-page.ts'), join(dir, 'page.js'));
  chromium = await openServedPage(dir);
  signal = await chromium.page.evaluate((params) => window.encodeKnownSignal(params), { seconds: SIGNAL_SEC, baseUs: BASE_US, fps: FPS });
});

afterAll(async () => {
  await chromium?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('encoder to file, on a known signal', () => {
  // Lengths whose start falls on a frame, a third into one, and just before one.
  it.each([5, 4.51, 5.013])('save the last %s s: ffmpeg hears each click within 1 ms of its flash, and the clip is that long', async (seconds) => {
    const { file, durationSec } = await saveLast(seconds);
    const report = await measureSync(file);
    const offsets = report.pairs.map((pair) => pair.offsetMs.toFixed(2)).join(', ');
    console.log(`known signal, last ${seconds} s (clip ${durationSec.toFixed(4)} s): click - flash [${offsets}] ms`);
    // A clip of 4.5-5 s holds 4 whole seconds at least.
    expect(report.pairs.length).toBeGreaterThanOrEqual(4);
    expect(report.unpairedFlashes).toBe(0);
    // Opus smears a click's onset by well under a millisecond; a frame is 33 ms. Before the
    // encoder delay was accounted for every click came 6.5 ms late.
    for (const pair of report.pairs) expect(Math.abs(pair.offsetMs)).toBeLessThanOrEqual(1);
    const result = await probe(file);
    expect(Math.abs(result.formatDurationSec - seconds)).toBeLessThanOrEqual(1 / FPS);
    for (const stream of result.streams) expect(Math.abs(stream.durationSec - seconds)).toBeLessThanOrEqual(1 / FPS);
    expect(await decodeErrors(file)).toBe('');
  });
});
