// The main job, end to end: build (done by `npm run demo`), launch Chromium with Looptab on the
// bundled demo page, arm it with a real toolbar click, save the last seconds as an MP4 into
// ./out/clips, and print where it is and what ffprobe sees in it; then trim it in the editor
// (packets copied, nothing encoded again) and say what came out.
//
// Usage: npm run demo [-- --seconds 10]
import { mkdir, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ExportReply } from '../src/contract/export-request';
import type { LibraryReply } from '../src/contract/messages';
import { waitForFile } from './harness/browser';
import { audioMeanVolumeDb, decodeErrors, probe } from './harness/media';
import { repoRoot } from './harness/paths';
import { launchSession } from './harness/session';

function argSeconds(): number {
  const at = process.argv.indexOf('--seconds');
  const value = at >= 0 ? Number(process.argv[at + 1]) : 10;
  if (!Number.isFinite(value) || value <= 0 || value > 55) {
    throw new Error('--seconds must be a number of seconds between 0 and 55');
  }
  return value;
}

async function main(): Promise<void> {
  const seconds = argSeconds();
  const clipsDir = join(repoRoot, 'out', 'clips');
  await mkdir(clipsDir, { recursive: true });
  const session = await launchSession({
    audio: true,
    downloadsDir: clipsDir,
    keepDownloadNames: true,
    pageSize: { width: 1280, height: 720 },
  });
  try {
    console.log(`demo page: ${session.pages.origin}/demo.html`);
    console.log('arming the tab with a toolbar click…');
    await session.arm();
    const status = await session.until(
      `${seconds + 0.5} s buffered`,
      (s) => {
        if (s.lastError) throw new Error(s.lastError);
        if (process.stdout.isTTY) process.stdout.write(`\rbuffered ${s.bufferedSec.toFixed(1)} s (${s.width ?? '?'}x${s.height ?? '?'}, ${s.videoCodec ?? '…'} + ${s.audioCodec ?? '…'})   `);
        return s.bufferedSec >= seconds + 0.5;
      },
      { timeoutMs: (seconds + 20) * 1000, pollMs: 500 },
    );
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(`buffered ${status.bufferedSec.toFixed(1)} s at ${status.width}x${status.height}, ${status.videoCodec} + ${status.audioCodec}`);

    const requestedAt = performance.now();
    const { reply, file } = await session.save(seconds);
    const savedMs = performance.now() - requestedAt;

    const media = await probe(file);
    const video = media.streams.find((s) => s.codecType === 'video');
    const audio = media.streams.find((s) => s.codecType === 'audio');
    const errors = await decodeErrors(file);
    const volumeDb = audio ? await audioMeanVolumeDb(file) : null;
    // savedMs includes waitForFile's 200 ms stability wait; `npm run bench` measures precisely.
    console.log(`saved the last ${seconds} s (file on disk within ${savedMs.toFixed(0)} ms)`);
    console.log(`file:   ${relative(process.cwd(), file)} (${(reply.bytes / 1024).toFixed(0)} KiB)`);
    console.log(`length: ${media.formatDurationSec.toFixed(3)} s`);
    if (video) console.log(`video:  ${video.codecName} ${video.width}x${video.height}, ${video.frames} frames`);
    if (audio) console.log(`audio:  ${audio.codecName} ${audio.sampleRate} Hz x${audio.channels}, mean volume ${volumeDb?.toFixed(1)} dB`);
    console.log(`decode: ${errors === '' ? 'clean (ffmpeg found no errors)' : errors}`);
    const library = await session.send<LibraryReply>({ type: 'library' });
    const kept = library.ok ? library.clips.find((clip) => clip.id === reply.libraryId) : undefined;
    console.log(kept ? `library: kept as ${kept.id} (${(kept.bytes / 1024).toFixed(0)} KiB, open library.html to see it)` : `library: not kept (${reply.libraryError ?? (library.ok ? 'not listed' : library.error)})`);
    if (kept) {
      const seen = await readdir(clipsDir);
      const trim = { startSec: 1, endSec: Math.max(1.5, seconds - 1) };
      const edited = await session.send<ExportReply>({ type: 'export', format: 'mp4', clips: [{ id: kept.id, ...trim }] });
      if (edited.ok) {
        const trimmed = await waitForFile(clipsDir, (name) => name.endsWith('.mp4') && !seen.includes(name), 15_000);
        const trimmedMedia = await probe(trimmed);
        console.log(`editor: trimmed ${trim.startSec}-${trim.endSec} s to ${relative(process.cwd(), trimmed)}: ${trimmedMedia.formatDurationSec.toFixed(3)} s, ${edited.reencodedSec} s encoded again, decode ${(await decodeErrors(trimmed)) === '' ? 'clean' : 'with errors'}`);
      } else {
        console.log(`editor: the trim failed: ${edited.error}`);
      }
    }
    const after = await session.status();
    console.log(`recording goes on: ${after.armed ? 'yes' : 'no'}, ${after.encodedFrames} frames encoded, ${after.droppedFrames} dropped`);
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
