// Round trip: a real H.264 + Opus file made by ffmpeg is demuxed, cut mid-GOP by our muxer
// (no re-encode) and judged by ffprobe/ffmpeg, decoders we did not write.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamTarget, type StreamTargetChunk } from 'mediabunny';
import { afterAll, beforeAll, describe, expect, it, vi, onTestFinished } from 'vitest';
import type { ClipInput } from '../../../src/clip/clip-input';
import { gridTimestampsUs, muxMp4, muxMp4ToBytes, VIDEO_GRID_US } from '../../../src/mp4/mp4-mux';
import type { CopiedChunks } from '../../../src/buffer/ring-buffer';
import { demuxTrack, type DemuxedTrack } from '../../../scripts/harness/demux';
import { decodeErrors, frameMeans, probe } from '../../../scripts/harness/media';

const dir = mkdtempSync(join(tmpdir(), 'looptab-mux-'));

type Demuxed = DemuxedTrack;

function slice(source: CopiedChunks, keep: (chunk: CopiedChunks['chunks'][number]) => boolean): CopiedChunks {
  return { bytes: source.bytes, chunks: source.chunks.filter(keep) };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `[startUs, endUs)` of the video, its chunks taken from `fromUs` on. */
function videoOnly(startUs: number, endUs: number, fromUs: number): ClipInput {
  const decoderConfig = video.decoderConfig as ClipInput['video']['decoderConfig'];
  const chunks = slice(video.chunks, (c) => c.timestampUs >= fromUs && c.timestampUs < endUs);
  return { startUs, endUs, video: { codec: 'avc', decoderConfig, chunks }, audio: null };
}

let video: Demuxed;
let audio: Demuxed;

beforeAll(async () => {
  const source = join(dir, 'source.mp4');
  // 6 s, 30 fps, a keyframe every second, no B-frames (like a realtime WebCodecs encoder).
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', '6', '-c:v', 'libx264', '-g', '30', '-bf', '0', '-pix_fmt', 'yuv420p',
    '-c:a', 'libopus', '-b:a', '64k', source,
  ]);
  video = await demuxTrack(source, 'video');
  audio = await demuxTrack(source, 'audio');
}, 60_000);

describe('muxMp4', () => {
  it('muxMp4, cuts mid-GOP to the exact requested length without re-encoding', async () => {
    // Ask for [1.5 s, 4.0 s): the keyframe before the start is at 1.0 s.
    const startUs = 1_500_000;
    const endUs = 4_000_000;
    const clip: ClipInput = {
      startUs,
      endUs,
      video: {
        codec: 'avc',
        decoderConfig: video.decoderConfig as ClipInput['video']['decoderConfig'],
        chunks: slice(video.chunks, (c) => c.timestampUs >= 1_000_000 && c.timestampUs < endUs),
      },
      audio: {
        codec: 'opus',
        decoderConfig: audio.decoderConfig as NonNullable<ClipInput['audio']>['decoderConfig'],
        chunks: slice(audio.chunks, (c) => c.timestampUs + c.durationUs / 2 > startUs && c.timestampUs + c.durationUs / 2 <= endUs),
      },
    };
    const file = join(dir, 'clip.mp4');
    writeFileSync(file, await muxMp4ToBytes(clip));

    const result = await probe(file);
    const v = result.streams.find((s) => s.codecType === 'video');
    const a = result.streams.find((s) => s.codecType === 'audio');
    // 2.5 s, ending where the sound ends: the audio packets sit their Opus pre-skip (6.5 ms)
    // earlier than stamped, and the last one is the last mostly inside: within one packet.
    expect(Math.abs(result.formatDurationSec - 2.5)).toBeLessThanOrEqual(0.021);
    expect(v?.codecName).toBe('h264');
    expect(a?.codecName).toBe('opus');
    expect(Math.abs((v?.durationSec ?? 0) - (a?.durationSec ?? 0))).toBeLessThanOrEqual(0.001);
    // 30 fps; the 15 pre-roll frames from the keyframe are hidden by the edit list.
    expect(v?.frames).toBe(Math.ceil((v?.durationSec ?? 0) * 30));
    expect(await decodeErrors(file)).toBe('');
  });

  it('muxMp4, writes the same file through a StreamTarget as through memory', async () => {
    const clip = (): ClipInput => videoOnly(1_500_000, 3_000_000, 1_000_000);
    // The moov carries the wall-clock second it was written: both files are made in the same one.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    onTestFinished(() => void vi.useRealTimers());
    const inMemory = await muxMp4ToBytes(clip());
    const file = join(dir, 'streamed.mp4');
    const handle = await open(file, 'w');
    const writes: Promise<unknown>[] = [];
    const stream = new WritableStream<StreamTargetChunk>({
      write: (chunk) => {
        writes.push(handle.write(chunk.data, 0, chunk.data.byteLength, chunk.position));
      },
    });
    await muxMp4(clip(), new StreamTarget(stream));
    await Promise.all(writes);
    await handle.close();
    expect(Buffer.compare(readFileSync(file), Buffer.from(inMemory))).toBe(0);
    expect(await decodeErrors(file)).toBe('');
  });

  it('muxMp4, starts a clip that begins inside a long-held frame (a still page) with that frame, and ffmpeg keeps every frame at its time', async () => {
    // Only the keyframes: a frame a second (0, 1, ... 5 s), like a page that paints once a second.
    const decoderConfig = video.decoderConfig as ClipInput['video']['decoderConfig'];
    const chunks = slice(video.chunks, (c) => c.key && c.timestampUs < 5_000_000);
    const clip: ClipInput = { startUs: 1_400_000, endUs: 4_400_000, video: { codec: 'avc', decoderConfig, chunks }, audio: null };
    const file = join(dir, 'held.mp4');
    writeFileSync(file, await muxMp4ToBytes(clip));
    // The frame painted at 1 s shows from the start; the one painted at 2 s 0.6 s later, and so on.
    const shown = (await frameMeans(file)).map((frame) => frame.timeSec);
    expect(shown).toEqual([0, 0.6, 1.6, 2.6]);
    expect(Math.abs((await probe(file)).formatDurationSec - 3)).toBeLessThanOrEqual(0.001);
    expect(await decodeErrors(file)).toBe('');
  });

  it('muxMp4, refuses a clip that does not start on a keyframe', async () => {
    await expect(muxMp4ToBytes(videoOnly(1_500_000, 2_000_000, 1_400_000))).rejects.toThrow(/keyframe/);
  });
});

describe('gridTimestampsUs', () => {
  it('gridTimestampsUs, keeps the frame at the start exact and the others on its 1/60 s grid', () => {
    const startUs = 1_000_000;
    const times = [startUs - 2 * VIDEO_GRID_US - 1_000, startUs, startUs + 2 * VIDEO_GRID_US + 1_000, startUs + 5 * VIDEO_GRID_US - 1_500];
    const result = gridTimestampsUs(times, startUs);
    expect(result[1]).toBe(0);
    expect(result.map((t) => t / VIDEO_GRID_US).map((slots) => Math.abs(slots - Math.round(slots)) < 1e-9)).toEqual([true, true, true, true]);
    expect(result.map((t) => Math.round(t / VIDEO_GRID_US))).toEqual([-2, 0, 2, 5]);
  });

  it('gridTimestampsUs, anchors on the frame nearest the start when none is on it', () => {
    const result = gridTimestampsUs([0, 33_000, 67_000], 30_000);
    expect(result[1]).toBe(3_000);
    expect(result[0]).toBeCloseTo(3_000 - 2 * VIDEO_GRID_US, 6);
  });

  it('gridTimestampsUs, pushes two frames in one slot apart, away from the anchor, so times strictly increase', () => {
    const result = gridTimestampsUs([-1_000, 0, 1_000, 2_000, 40_000], 0);
    for (let i = 1; i < result.length; i++) expect(result[i]!).toBeGreaterThan(result[i - 1]!);
    expect(result.map((t) => Math.round(t / VIDEO_GRID_US))).toEqual([-1, 0, 1, 2, 3]);
  });

  it('gridTimestampsUs, follows the frames when their phase moves (a pause), instead of moving them', () => {
    const slot = VIDEO_GRID_US;
    // On the grid, then 7 ms off it from the fourth frame on (the paused span was 7 ms off a slot).
    const times = [0, slot, 2 * slot, 3 * slot + 7_000, 4 * slot + 7_000 + 500];
    const result = gridTimestampsUs(times, 0);
    expect(result.slice(0, 3)).toEqual([0, slot, 2 * slot]);
    expect(result[3]).toBe(3 * slot + 7_000);
    // ... and keeps snapping jitter to the moved grid.
    expect(result[4]).toBeCloseTo(4 * slot + 7_000, 6);
  });

  it('gridTimestampsUs, returns nothing for no frames', () => {
    expect(gridTimestampsUs([], 0)).toEqual([]);
  });
});
