// Recording the whole session to disk beside the replay buffer, in real headless Chromium: 25 s in
// 5 s segments while two replay clips are saved; the stopped recording is one library item whose
// export lasts what was recorded, has every frame written, decodes clean, keeps sound and picture
// together from start to end; each finished segment plays on its own; a recorder closed
// mid-recording leaves finished fragments that the next start recovers.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryDownloadReply, LibraryReply, OkReply, RecordStopReply } from '../../src/contract/messages';
import type { LibraryClip } from '../../src/library/library-clip';
import { decodeErrors, probe, audioMeanVolumeDb } from '../../scripts/harness/media';
import { armByToolbarClick, waitForFile } from '../../scripts/harness/browser';
import { launchArmedDemo, type ArmedDemo } from '../../scripts/harness/session';
import { measureSync, sameMoments } from '../../scripts/harness/sync';
import { until } from '../../scripts/harness/wait';

const FRAME_SEC = 1 / 30;

let session: ArmedDemo;

type Stopped = Extract<RecordStopReply, { ok: true }>;


async function recordings(): Promise<LibraryClip[]> {
  const reply = await session.send<LibraryReply>({ type: 'library' });
  if (!reply.ok) throw new Error(reply.error);
  return reply.clips.filter((clip) => clip.kind === 'recording');
}

/** Downloads a library item and waits for its file. */
async function download(id: string): Promise<string> {
  const seen = await readdir(session.looptab.downloadsDir);
  const reply = await session.send<LibraryDownloadReply>({ type: 'library-download', id });
  if (!reply.ok) throw new Error(reply.error);
  return waitForFile(session.looptab.downloadsDir, (name) => name.endsWith('.mp4') && !seen.includes(name), 30_000);
}

/**
 * The segment files of the recordings in progress, as the extension's storage holds them: name
 * and, for the first `withBytes`, its bytes. The bytes come as a data URL, which FileReader
 * encodes off the thread: every extension page shares one renderer main thread with the
 * offscreen document, and copying megabytes there as a JS array stalls the capture for seconds.
 */
async function segmentFiles(withBytes = 0): Promise<{ name: string; dataUrl: string | null }[]> {
  return session.control.evaluate(async (wanted) => {
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('recordings');
    const found: { name: string; handle: FileSystemFileHandle }[] = [];
    for await (const [, dir] of root.entries()) {
      for await (const [name, handle] of (dir as FileSystemDirectoryHandle).entries()) {
        if (name.endsWith('.mp4')) found.push({ name, handle: handle as FileSystemFileHandle });
      }
    }
    found.sort((a, b) => a.name.localeCompare(b.name));
    return Promise.all(found.map(async ({ name, handle }, index) => {
      if (index >= wanted) return { name, dataUrl: null };
      const file = await handle.getFile();
      const dataUrl = await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result as string);
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(file);
      });
      return { name, dataUrl };
    }));
  }, withBytes);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  session = await launchArmedDemo(6);
  await session.setSettings({ recordSegmentSec: 5 });
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('recording to disk', () => {
  it('records 25 s in 5 s segments beside the buffer, and keeps it as one MP4 that is all there and in sync', async () => {
    const before = await session.status();
    expect(before.recording).toBeNull();
    const startedAt = Date.now();
    expect(await session.send<OkReply>({ type: 'record-start', includeBufferedSec: 3 })).toEqual({ ok: true });
    // A replay save right as the recording starts: both consumers of the encoders at once.
    const clipStart = await session.save(5);
    expect(await decodeErrors(clipStart.file)).toBe('');
    const running = await session.until('the recording to show in the status', (s) => s.recording !== null && s.recording.durationSec > 1);
    expect(running.recording!.freeBytes).toBeGreaterThan(0);

    // Replay saves go on as before while recording.
    await sleep(7_000);
    const clipA = await session.save(5);
    expect((await probe(clipA.file)).formatDurationSec).toBeCloseTo(5, 0);
    await sleep(6_000);
    const clipB = await session.save(8);
    expect(await decodeErrors(clipB.file)).toBe('');
    expect((await probe(clipB.file)).formatDurationSec).toBeCloseTo(8, 0);

    // A finished segment is a playable file on its own.
    const middle = await session.until('two segments', (s) => (s.recording?.segments ?? 0) >= 3);
    expect(middle.recording!.bytes).toBeGreaterThan(0);
    const [first] = await segmentFiles(1);
    const segmentPath = join(session.looptab.downloadsDir, 'segment-check.mp4');
    await writeFile(segmentPath, Buffer.from(first!.dataUrl!.slice(first!.dataUrl!.indexOf(',') + 1), 'base64'));
    const segment = await probe(segmentPath);
    const segmentVideo = segment.streams.find((s) => s.codecType === 'video')!;
    expect(segment.streams.some((s) => s.codecType === 'audio')).toBe(true);
    expect(segmentVideo.durationSec).toBeGreaterThan(4.5);
    expect(segmentVideo.durationSec).toBeLessThan(7.5);
    expect(await decodeErrors(segmentPath)).toBe('');

    await sleep(Math.max(0, 24_000 - (Date.now() - startedAt)));
    // And for its end.
    const clipEnd = await session.save(6);
    const reply = await session.send<RecordStopReply>({ type: 'record-stop' });
    const wallSec = (Date.now() - startedAt) / 1000;
    if (!reply.ok) throw new Error(reply.error);
    const stopped: Stopped = reply;
    expect((await session.status()).recording).toBeNull();
    // 3 s included from the buffer, from the keyframe before them (1 s apart), plus the wall time.
    expect(stopped.durationSec).toBeGreaterThan(wallSec + 3 - 1);
    expect(stopped.durationSec).toBeLessThan(wallSec + 3 + 1.5);
    expect(stopped.segments).toBeGreaterThanOrEqual(5);

    const kept = await recordings();
    expect(kept.map((clip) => clip.id)).toContain(stopped.libraryId);
    const entry = kept.find((clip) => clip.id === stopped.libraryId)!;
    expect(entry).toMatchObject({ kind: 'recording', format: 'mp4', hasAudio: true, width: 1280, height: 720 });

    const file = await download(stopped.libraryId);
    const probed = await probe(file);
    const video = probed.streams.find((s) => s.codecType === 'video')!;
    const audio = probed.streams.find((s) => s.codecType === 'audio')!;
    expect(video.frames).toBe(stopped.frames);
    expect(Math.abs(video.durationSec - stopped.durationSec)).toBeLessThanOrEqual(FRAME_SEC + 0.001);
    expect(Math.abs(audio.durationSec - video.durationSec)).toBeLessThan(0.1);
    expect(await decodeErrors(file)).toBe('');
    expect(await audioMeanVolumeDb(file)).toBeGreaterThan(-40);

    // Sound and picture: each flash/click pair the replay clip saved at the end holds keeps its
    // offset in the recording (moment by moment: under load the page's own timers jitter from
    // one second to the next, so different moments may differ). The start is the todo below.
    const [sync, atEnd] = await Promise.all([measureSync(file), measureSync(clipEnd.file)]);
    expect(sync.pairs.length, `flashes at ${sync.flashesSec.map((t) => t.toFixed(2)).join(' ')} s; clicks at ${sync.clicksSec.map((t) => t.toFixed(2)).join(' ')} s`).toBeGreaterThanOrEqual(Math.floor(stopped.durationSec) - 3);
    const differencesMs = sameMoments(sync.pairs, atEnd.pairs).map(({ a, b }) => a.offsetMs - b.offsetMs);
    const report = `${differencesMs.map((ms) => ms.toFixed(1)).join(', ')} ms`;
    expect(differencesMs.length, `moments in both: ${report}`).toBeGreaterThanOrEqual(Math.min(3, atEnd.pairs.length - 1));
    expect(Math.abs(median(differencesMs)), `offset differences, recording - replay clip: ${report}`).toBeLessThanOrEqual(15);

    // The segments are gone once the recording is kept.
    expect(await segmentFiles()).toEqual([]);
  }, 120_000);

  // Open: the recording's start (the buffered seconds it took in) and a replay clip of the same
  // moments, compared flash by flash, were 20-34 ms apart in some runs (end: 0-1 ms in all).
  it.todo('the buffered start of a recording keeps the A/V offsets a replay clip of the same moments has');

  it('a recorder closed mid-recording leaves finished fragments, recovered at the next start', async () => {
    expect(await session.send<OkReply>({ type: 'record-start', includeBufferedSec: 0 })).toEqual({ ok: true });
    await session.until('8 s recorded', (s) => (s.recording?.durationSec ?? 0) >= 8, { timeoutMs: 20_000 });
    const worker = await session.looptab.serviceWorker();
    await worker.evaluate(() => chrome.offscreen.closeDocument());
    await session.page.bringToFront();
    await armByToolbarClick(session.looptab, session.page);
    const recovered = await until('the recovered recording in the library', recordings, (clips) => clips.some((c) => c.title.endsWith('(recovered)')), { timeoutMs: 30_000 });
    const entry = recovered.find((c) => c.title.endsWith('(recovered)'))!;
    // Fragments close every second: at most the one in progress (and the encoder's lag) is lost.
    expect(entry.durationSec).toBeGreaterThan(5);
    const listing = await session.send<LibraryReply>({ type: 'library' });
    expect(listing.ok && listing.problems.some((p) => /stopped unexpectedly; \d+ s were recovered/.test(p)), JSON.stringify(listing.ok && listing.problems)).toBe(true);
    const file = await download(entry.id);
    expect(await decodeErrors(file)).toBe('');
    expect((await probe(file)).streams.find((s) => s.codecType === 'video')!.durationSec).toBeCloseTo(entry.durationSec, 1);
    await session.until('armed again', (s) => s.state === 'armed');
  }, 90_000);

  it('refuses nonsense and a second start, naming the field', async () => {
    expect(await session.send<OkReply>({ type: 'record-start', includeBufferedSec: -1 })).toMatchObject({ ok: false, error: expect.stringMatching(/"includeBufferedSec"/) });
    expect(await session.send<OkReply>({ type: 'record-start', includeBufferedSec: 0 })).toEqual({ ok: true });
    expect(await session.send<OkReply>({ type: 'record-start' })).toMatchObject({ ok: false, error: expect.stringMatching(/Already recording/) });
    await session.until('a frame recorded', (s) => (s.recording?.frames ?? 0) > 0);
    expect(await session.send<RecordStopReply>({ type: 'record-stop' })).toMatchObject({ ok: true });
    expect(await session.send<RecordStopReply>({ type: 'record-stop' })).toMatchObject({ ok: false, error: expect.stringMatching(/Nothing is being recorded/) });
  }, 60_000);
});
