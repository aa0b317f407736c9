// The main job, end to end: build (done by `npm run demo`), launch Chromium with Looptab on the
// bundled demo page, arm it with a real toolbar click, save the last seconds as an MP4 into
// ./out/clips, and print where it is and what ffprobe sees in it.
//
// Usage: npm run demo [-- --seconds 10]
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SaveReply, Status } from '../src/contract/messages';
import { armByToolbarClick, launchLooptab, sendMessage, waitForFile } from './harness/browser';
import { audioMeanVolumeDb, decodeErrors, probe } from './harness/media';
import { serveStatic } from './harness/server';

const root = join(import.meta.dirname, '..');

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
  const clipsDir = join(root, 'out', 'clips');
  await mkdir(clipsDir, { recursive: true });
  const server = await serveStatic(join(root, 'tests', 'fixtures'));
  const looptab = await launchLooptab({
    distDir: join(root, 'dist'),
    audio: true,
    downloadsDir: clipsDir,
    keepDownloadNames: true,
    windowSize: { width: 1280, height: 720 + 87 },
  });
  try {
    const page = await looptab.browser.newPage();
    await page.goto(`${server.origin}/demo.html`);
    console.log(`demo page: ${server.origin}/demo.html`);
    console.log('arming the tab with a toolbar click…');
    const before = Date.now();
    await armByToolbarClick(looptab, page);
    const control = await looptab.extensionPage('options.html');
    let status = await sendMessage<Status>(control, { type: 'status' });
    while (status.bufferedSec < seconds + 0.5) {
      if (Date.now() - before > (seconds + 20) * 1000) throw new Error(`the buffer did not fill: ${JSON.stringify(status)}`);
      if (status.lastError) throw new Error(status.lastError);
      if (process.stdout.isTTY) process.stdout.write(`\rbuffered ${status.bufferedSec.toFixed(1)} s (${status.width ?? '?'}x${status.height ?? '?'}, ${status.videoCodec ?? '…'} + ${status.audioCodec ?? '…'})   `);
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await sendMessage<Status>(control, { type: 'status' });
    }
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(`buffered ${status.bufferedSec.toFixed(1)} s at ${status.width}x${status.height}, ${status.videoCodec} + ${status.audioCodec}`);

    const requestedAt = performance.now();
    const reply = await sendMessage<SaveReply>(control, { type: 'save', seconds, format: 'mp4' });
    if (!reply.ok) throw new Error(reply.error);
    const file = await waitForFile(clipsDir, (name) => name === reply.filename || name.startsWith(reply.filename.replace(/\.mp4$/, '')), 15_000);
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
    const after = await sendMessage<Status>(control, { type: 'status' });
    console.log(`recording goes on: ${after.armed ? 'yes' : 'no'}, ${after.encodedFrames} frames encoded, ${after.droppedFrames} dropped`);
  } finally {
    await looptab.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
