// The editor's exports in real headless Chromium, judged by ffmpeg: a trim copies packets (its
// frames hash the same as the source's), a dissolve re-encodes only around the join and blends
// both sources, a crop shows the cropped part at its size, a GIF of a trimmed, cropped range has
// the right size and length, and bad requests name their field.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportReply } from '../../src/contract/export-request';
import { audioMeanVolumeDb, decodeErrors, frameHashes, probe, type FrameHash } from '../../scripts/harness/media';
import { waitForFile } from '../../scripts/harness/browser';
import { launchSession, type SavedReply, type Session } from '../../scripts/harness/session';
import { sleep } from '../../scripts/harness/wait';

type Exported = Extract<ExportReply, { ok: true }>;

const FRAME_SEC = 1 / 30;
/** The recorder's keyframe interval (the default setting). */
const KEYFRAME_INTERVAL_SEC = 1;

let session: Session;
/** Two MP4 clips of the moving, sounding demo page, saved a few seconds apart. */
const clips: { reply: SavedReply; file: string }[] = [];

async function exportEdit(request: Record<string, unknown>): Promise<{ reply: Exported; file: string }> {
  const format = (request.format as string | undefined) ?? 'mp4';
  const seen = await readdir(session.looptab.downloadsDir);
  const reply = await session.send<ExportReply>({ type: 'export', format, ...request });
  if (!reply.ok) throw new Error(`export: ${reply.error}`);
  const file = await waitForFile(session.looptab.downloadsDir, (name) => name.endsWith(`.${format}`) && !seen.includes(name), 15_000);
  return { reply, file };
}

/** The frames of `frames` in [fromSec, toSec), their times shifted by `offsetSec`. */
function framesIn(frames: readonly FrameHash[], fromSec: number, toSec: number, offsetSec = 0): FrameHash[] {
  return frames.filter((frame) => frame.timeSec >= fromSec - 1e-4 && frame.timeSec < toSec - 1e-4).map((frame) => ({ ...frame, timeSec: frame.timeSec + offsetSec }));
}

/** Retimed frames land within this of their source's time (the muxer snaps each run to its 1/60 s grid anew). */
const RETIME_TOLERANCE_SEC = 0.002;

/** Where two frame lists disagree (same pictures in the same order at the same times), as readable lines. */
function mismatches(actual: readonly FrameHash[], expected: readonly FrameHash[], toleranceSec = RETIME_TOLERANCE_SEC): string[] {
  const lines: string[] = [];
  if (actual.length !== expected.length) lines.push(`${actual.length} frames, the source has ${expected.length}`);
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    const [got, want] = [actual[i]!, expected[i]!];
    if (got.hash !== want.hash || Math.abs(got.timeSec - want.timeSec) > toleranceSec) {
      lines.push(`frame ${i}: ${got.hash} at ${got.timeSec.toFixed(4)} s, source ${want.hash} at ${want.timeSec.toFixed(4)} s`);
    }
  }
  return lines;
}

beforeAll(async () => {
  session = await launchSession({ audio: true });
  await session.arm();
  await session.until('6 s buffered', (s) => s.bufferedSec >= 6.5);
  clips.push(await session.save(6));
  await sleep(2500);
  clips.push(await session.save(5));
  for (const clip of clips) expect(clip.reply.libraryId).toBeTruthy();
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('editor exports', () => {
  it('a trim copies packets: as long as asked, nothing encoded again, frames identical to the source', async () => {
    const source = clips[0]!;
    const sourceFrames = await frameHashes(source.file);
    // Cuts 5 ms after a frame (and before another): the export moves them onto those frames.
    const nearest = (sec: number): FrameHash => sourceFrames.reduce((best, frame) => (Math.abs(frame.timeSec - sec) < Math.abs(best.timeSec - sec) ? frame : best));
    const first = nearest(1.3);
    const last = nearest(4.1);
    const { reply, file } = await exportEdit({ clips: [{ id: source.reply.libraryId, startSec: first.timeSec + 0.005, endSec: last.timeSec + 0.005 }] });
    expect(reply.fixes.join()).toMatch(/cut moved onto frames/);
    expect(reply.reencodedSec).toBe(0);
    expect(reply.libraryId).toBeTruthy();
    expect(await decodeErrors(file)).toBe('');
    const probed = await probe(file);
    const askedSec = last.timeSec - first.timeSec;
    expect(Math.abs(probed.formatDurationSec - askedSec)).toBeLessThanOrEqual(FRAME_SEC + 0.001);
    expect(await audioMeanVolumeDb(file)).toBeGreaterThan(-60);
    const outputFrames = await frameHashes(file);
    // The output's frame 0 is the source's frame at the cut, and so on to the end.
    const expected = framesIn(sourceFrames, first.timeSec, last.timeSec, -first.timeSec);
    const actual = framesIn(outputFrames, 0, askedSec);
    expect(actual.length).toBeGreaterThan(60);
    expect(mismatches(actual, expected)).toEqual([]);
  });

  it('two clips joined with a 1 s dissolve: d1 + d2 - 1 long, re-encoded only around the join, copied frames identical', async () => {
    const [a, b] = clips as [typeof clips[0], typeof clips[0]];
    const { reply, file } = await exportEdit({
      clips: [{ id: a.reply.libraryId }, { id: b.reply.libraryId }],
      transition: { kind: 'dissolve', durationSec: 1 },
    });
    expect(await decodeErrors(file)).toBe('');
    const [probedA, probedB, probed] = await Promise.all([probe(a.file), probe(b.file), probe(file)]);
    const expectedSec = probedA.formatDurationSec + probedB.formatDurationSec - 1;
    expect(Math.abs(probed.formatDurationSec - expectedSec)).toBeLessThanOrEqual(FRAME_SEC + 0.001);
    expect(reply.reencodedSec).toBeGreaterThanOrEqual(1 - FRAME_SEC);
    expect(reply.reencodedSec).toBeLessThanOrEqual(1 + 2 * KEYFRAME_INTERVAL_SEC);
    expect(await audioMeanVolumeDb(file)).toBeGreaterThan(-60);

    const [framesA, framesB, output] = await Promise.all([frameHashes(a.file), frameHashes(b.file), frameHashes(file)]);
    // ffprobe's length of A (its longest stream) is within a frame of where the dissolve starts.
    const dissolveStartSec = probedA.formatDurationSec - 1;
    // Before the dissolve: A's own frames, untouched.
    const expectedA = framesIn(framesA, 0, dissolveStartSec - FRAME_SEC);
    const actualA = framesIn(output, 0, dissolveStartSec - FRAME_SEC);
    expect(actualA.length).toBeGreaterThan(90);
    expect(mismatches(actualA, expectedA)).toEqual([]);
    // After the re-encoded span: B's own frames, untouched, in order.
    const copiedFromSec = dissolveStartSec + reply.reencodedSec + 0.001;
    const actualB = output.filter((frame) => frame.timeSec >= copiedFromSec);
    const firstB = framesB.findIndex((frame) => frame.hash === actualB[0]?.hash);
    expect(actualB.length).toBeGreaterThan(60);
    expect(firstB).toBeGreaterThan(0);
    // The join is placed at A's end, which ffprobe rounds its own way: B's frames all moved by one offset.
    const offsetSec = actualB[0]!.timeSec - framesB[firstB]!.timeSec;
    expect(Math.abs(offsetSec - dissolveStartSec)).toBeLessThan(FRAME_SEC);
    expect(mismatches(actualB, framesIn(framesB, framesB[firstB]!.timeSec, Infinity, offsetSec))).toEqual([]);
  });
});
