// The editor's exports in real headless Chromium, judged by ffmpeg: a trim copies packets (its
// frames hash the same as the source's), a dissolve re-encodes only around the join and blends
// both sources, a crop shows the cropped part at its size, a GIF of a trimmed, cropped range has
// the right size and length, and bad requests name their field.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportReply } from '../../src/contract/export-request';
import type { LibraryReply } from '../../src/contract/messages';
import { audioMeanVolumeDb, decodeErrors, frameHashes, probe, tool, type FrameHash } from '../../scripts/harness/media';
import { median } from '../../scripts/harness/median';
import { measureSync } from '../../scripts/harness/sync';
import { waitForFile } from '../../scripts/harness/browser';
import { launchSession, type SavedReply, type Session } from '../../scripts/harness/session';
import { sleep, until } from '../../scripts/harness/wait';
import { expectFailure, expectLocalFailure } from './failure-reply';

const execFileAsync = promisify(execFile);

type Exported = Extract<ExportReply, { ok: true }>;

const FRAME_SEC = 1 / 30;
/** The recorder's keyframe interval (the default setting). */
const KEYFRAME_INTERVAL_SEC = 1;

let session: Session;
/** Two MP4 clips of the moving, sounding demo page, saved a few seconds apart. */
const clips: { reply: SavedReply; file: string }[] = [];
/** A clip of tests/fixtures/quadrants.html: four flat colours, a marker moving between them. */
let quadrants: { reply: SavedReply; file: string };

/** The mean colour of the frame showing at `sec` in `file`, decoded by ffmpeg. */
async function meanRgb(file: string, sec: number, filter = 'null'): Promise<[number, number, number]> {
  const args = ['-nostdin', '-v', 'error', '-ss', String(sec), '-i', file, '-frames:v', '1', '-vf', filter, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  const { stdout } = await execFileAsync(tool('ffmpeg'), args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const sums = [0, 0, 0];
  for (let i = 0; i < stdout.length; i++) sums[i % 3]! += stdout[i]!;
  return sums.map((sum) => sum / (stdout.length / 3)) as [number, number, number];
}

/** ffmpeg's PSNR (dB, average over Y, U, V) of `file` against `reference` over `fromSec` + `durationSec`, both resampled to 60 fps. */
async function psnrDb(file: string, reference: string, filter: string, fromSec: number, durationSec: number): Promise<number> {
  const cut = `fps=60,trim=start=${fromSec}:duration=${durationSec},setpts=PTS-STARTPTS`;
  const graph = `${filter}[ref];[ref]${cut}[r];[2:v]${cut}[o];[o][r]psnr`;
  const args = ['-nostdin', '-hide_banner', '-i', reference.split('|')[0]!, '-i', reference.split('|')[1] ?? reference, '-i', file, '-filter_complex', graph, '-f', 'null', '-'];
  const { stderr } = await execFileAsync(tool('ffmpeg'), args, { maxBuffer: 64 * 1024 * 1024 });
  const match = /PSNR .*average:([\d.]+|inf)/.exec(stderr);
  if (!match) throw new Error(`no PSNR from ffmpeg: ${stderr.slice(-500)}`);
  return match[1] === 'inf' ? Infinity : Number(match[1]);
}

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
  // Capture survives navigation: the same armed tab now shows the quadrants.
  await session.page.goto(`${session.pages.origin}/quadrants.html`);
  await sleep(3500);
  quadrants = await session.save(3);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('editor exports', () => {
  it('a crop exports at the rectangle\'s size and shows the cropped part; its sound passes through', async () => {
    const { width = 0, height = 0 } = (await probe(quadrants.file)).streams.find((s) => s.codecType === 'video') ?? {};
    const crop = { x: 0, y: 0, width: width / 2 - 20, height: height / 2 - 20 };
    const { reply, file } = await exportEdit({ clips: [{ id: quadrants.reply.libraryId }], crop });
    expect(await decodeErrors(file)).toBe('');
    const video = (await probe(file)).streams.find((s) => s.codecType === 'video')!;
    expect([video.width, video.height]).toEqual([2 * Math.floor(crop.width / 2), 2 * Math.floor(crop.height / 2)]);
    // Crop changes every frame: the whole video is encoded again.
    expect(reply.reencodedSec).toBeCloseTo(reply.durationSec, 2);
    // The sound is the source's own packets: the same count of Opus packets over the same span.
    const audio = (await probe(file)).streams.find((s) => s.codecType === 'audio');
    const sourceAudio = (await probe(quadrants.file)).streams.find((s) => s.codecType === 'audio');
    expect(audio?.codecName).toBe(sourceAudio?.codecName);
    expect(Math.abs(audio!.frames - sourceAudio!.frames)).toBeLessThanOrEqual(1);
    const [red, green, blue] = await meanRgb(file, 1);
    expect(red).toBeGreaterThan(180);
    expect(green).toBeLessThan(70);
    expect(blue).toBeLessThan(70);
  });

  it('a GIF of a trimmed, cropped range has the crop\'s shape and the range\'s length', async () => {
    const { width = 0, height = 0 } = (await probe(quadrants.file)).streams.find((s) => s.codecType === 'video') ?? {};
    const crop = { x: width / 2, y: 0, width: width / 2, height: height / 2 };
    const { reply, file } = await exportEdit({ clips: [{ id: quadrants.reply.libraryId, startSec: 0.5, endSec: 2.5 }], crop, format: 'gif' });
    expect(reply.libraryId).toBeTruthy();
    const probed = await probe(file);
    const gif = probed.streams[0]!;
    expect(gif.codecName).toBe('gif');
    // The GIF width setting (480 px by default) scales the crop, keeping its shape.
    expect(gif.width).toBe(Math.min(480, crop.width));
    expect(Math.abs(gif.height! / gif.width! - crop.height / crop.width)).toBeLessThan(0.02);
    expect(Math.abs(probed.formatDurationSec - 2)).toBeLessThanOrEqual(1 / 15 + 0.01);
    const [red, green, blue] = await meanRgb(file, 1);
    expect(green).toBeGreaterThan(150);
    expect(red).toBeLessThan(80);
    expect(blue).toBeLessThan(80);
  });

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
    // The library keeps it under its source's title, marked in the browser's language.
    const library = await session.send<LibraryReply>({ type: 'library' });
    const titleOf = (id: string | undefined) => (library.ok ? library.clips.find((clip) => clip.id === id)?.title : library.error);
    expect(titleOf(reply.libraryId)).toBe(`${titleOf(source.reply.libraryId)} (edited)`);
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
    // The last slot of a clip's grid is where the export ends (a frame starting in B's last few ms is not shown).
    const endSec = actualB.at(-1)!.timeSec - offsetSec + FRAME_SEC / 2;
    expect(mismatches(actualB, framesIn(framesB, framesB[firstB]!.timeSec, endSec, offsetSec))).toEqual([]);
    expect(framesB.filter((frame) => frame.timeSec >= endSec).length).toBeLessThanOrEqual(1);

    // The dissolve's frames are blends of both sources: close to ffmpeg's own cross-fade of the
    // same inputs, and further from either source alone.
    // B starts where its copied frames say (offsetSec): ffmpeg fades in at that same instant.
    const fade = `[0:v]fps=60,settb=1/60[a];[1:v]fps=60,settb=1/60[b];[a][b]xfade=transition=fade:duration=1:offset=${offsetSec}`;
    const onlyA = `[0:v]fps=60,settb=1/60,trim=end=${dissolveStartSec + 1}[a];[a]null`;
    const againstFade = await psnrDb(file, `${a.file}|${b.file}`, fade, offsetSec + 0.1, 0.8);
    const againstA = await psnrDb(file, `${a.file}|${b.file}`, onlyA, offsetSec + 0.1, 0.8);
    expect(againstFade).toBeGreaterThan(32);
    expect(againstFade).toBeGreaterThan(againstA + 3);

    // Sound and picture stay together across the join: each flash/click pair keeps the offset it
    // had in its own source (the demo page flashes and clicks every second).
    const [syncA, syncB, synced] = await Promise.all([measureSync(a.file), measureSync(b.file), measureSync(file)]);
    const before = synced.pairs.filter((pair) => pair.flashSec < dissolveStartSec);
    const after = synced.pairs.filter((pair) => pair.flashSec > dissolveStartSec + 1);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(Math.abs(median(before.map((pair) => pair.offsetMs)) - syncA.medianOffsetMs)).toBeLessThanOrEqual(15);
    expect(Math.abs(median(after.map((pair) => pair.offsetMs)) - syncB.medianOffsetMs)).toBeLessThanOrEqual(15);
  });

  it('an export in progress shows in the status and Cancel leaves nothing behind', async () => {
    const [a, b] = clips as [typeof clips[0], typeof clips[0]];
    const seen = await readdir(session.looptab.downloadsDir);
    const ids = [a, b, a, b, a, b].map((clip) => ({ id: clip.reply.libraryId }));
    const { width = 0 } = (await probe(a.file)).streams.find((s) => s.codecType === 'video') ?? {};
    const exporting = session.send<ExportReply>({ type: 'export', format: 'mp4', clips: ids, crop: { x: 0, y: 0, width: width / 2, height: 200 } });
    const running = await session.until('the export to show in the status', (status) => status.export !== null, { timeoutMs: 20_000, pollMs: 50 });
    expect(running.export).toMatchObject({ format: 'mp4' });
    expect(running.export!.fraction).toBeGreaterThanOrEqual(0);
    expect(await session.send({ type: 'cancel' })).toEqual({ ok: true });
    const reply = await exporting;
    expectLocalFailure(reply, /cancelled/, 'err_export_cancelled');
    expect((await session.status()).export).toBe(null);
    await sleep(500);
    expect((await readdir(session.looptab.downloadsDir)).filter((name) => !seen.includes(name))).toEqual([]);
  });

  it('a clip of another size joins the first one\'s stream: fitted in YUV, encoded again whole, the reply says so', async () => {
    const a = clips[0]!;
    // Re-armed in a smaller window, the demo page is captured at another size.
    expect(await session.send({ type: 'disarm' })).toEqual({ ok: true });
    const cdp = await session.page.createCDPSession();
    const { windowId } = await cdp.send('Browser.getWindowForTarget');
    await cdp.send('Browser.setWindowBounds', { windowId, bounds: { width: 960, height: 700 } });
    await cdp.detach();
    await session.page.goto(`${session.pages.origin}/demo.html`);
    await session.arm();
    await session.until('3 s buffered', (status) => status.armed && status.bufferedSec >= 3.5);
    const other = await session.save(3);
    const [probedA, probedOther] = await Promise.all([probe(a.file), probe(other.file)]);
    const sizeOf = (p: typeof probedA) => p.streams.find((stream) => stream.codecType === 'video')!;
    expect(sizeOf(probedOther).width).not.toBe(sizeOf(probedA).width);

    const { reply, file } = await exportEdit({ clips: [{ id: a.reply.libraryId }, { id: other.reply.libraryId }], transition: { kind: 'dissolve', durationSec: 0.5 } });
    expect(await decodeErrors(file)).toBe('');
    const probed = await probe(file);
    expect([sizeOf(probed).width, sizeOf(probed).height]).toEqual([sizeOf(probedA).width, sizeOf(probedA).height]);
    expect(reply.notes.join()).toMatch(/differs from the first clip/);
    // A copies up to the dissolve; from there on everything is encoded.
    expect(reply.reencodedSec).toBeCloseTo(probedOther.formatDurationSec, 1);
    expect(Math.abs(probed.formatDurationSec - (probedA.formatDurationSec + probedOther.formatDurationSec - 0.5))).toBeLessThanOrEqual(FRAME_SEC + 0.001);
    // The other shape is fitted, not stretched: black bars beside it, the page's picture between.
    const [outWidth = 0, outHeight = 0] = [sizeOf(probed).width, sizeOf(probed).height];
    const fittedWidth = Math.round((sizeOf(probedOther).width! * outHeight) / sizeOf(probedOther).height!);
    const barPx = Math.floor((outWidth - fittedWidth) / 2) - 8;
    expect(barPx).toBeGreaterThan(16);
    const bar = await meanRgb(file, probed.formatDurationSec - 0.5, `crop=${barPx}:ih:0:0`);
    expect(Math.max(...bar)).toBeLessThan(24);
    const middle = await meanRgb(file, probed.formatDurationSec - 0.5, `crop=${fittedWidth - 40}:ih:${(outWidth - fittedWidth) / 2 + 20}:0`);
    expect(Math.max(...middle)).toBeGreaterThan(Math.max(...bar) + 10);
  });

  it('bad requests name their field; a missing clip and a clip too short for its dissolve are refused', async () => {
    const id = clips[0]!.reply.libraryId!;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ clips: [] }, /"clips"/],
      [{ clips: [{ id: 'no such id!' }] }, /"clips"\[0\]\."id"/],
      [{ clips: [{ id, startSec: 3, endSec: 2 }] }, /"endSec"/],
      [{ clips: [{ id }], crop: { x: 0, y: 0, width: 'wide', height: 10 } }, /"crop"\."width"/],
      [{ clips: [{ id }], transition: { kind: 'wipe', durationSec: 1 } }, /"transition"/],
      [{ clips: [{ id }], format: 'avi' }, /"format"/],
      [{ clips: [{ id: '00000000-0000-0000-0000-000000000000' }] }, /not in the library/],
      [{ clips: [{ id, endSec: 99 }] }, /clip 1.*within/],
      [{ clips: [{ id, endSec: 0.5 }, { id }], transition: { kind: 'dissolve', durationSec: 1 } }, /too short/],
      [{ clips: [{ id }], crop: { x: 5000, y: 0, width: 100, height: 100 } }, /outside/],
    ];
    for (const [request, error] of cases) {
      const reply = await session.send<ExportReply>({ type: 'export', format: 'mp4', ...request });
      expectFailure(reply, error, JSON.stringify(request));
    }
    // Still answering, and still exporting.
    const { reply } = await exportEdit({ clips: [{ id, endSec: 1 }] });
    expect(reply.durationSec).toBeGreaterThan(0.9);
  });
});
