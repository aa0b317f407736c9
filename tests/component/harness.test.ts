// Tests of the test harness itself, with a throwaway extension: no Looptab code involved.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, truncate, writeFile, copyFile, appendFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armByToolbarClick, launchLooptab, sendMessage, waitForFile, type Looptab } from '../../scripts/harness/browser';
import { audioMeanVolumeDb, decodeErrors, probe, tool } from '../../scripts/harness/media';
import { fixturesDir } from '../../scripts/harness/paths';
import { serveStatic, type StaticServer } from '../../scripts/harness/server';
import { sleep } from '../../scripts/harness/wait';

/** An MV3 extension with an action and a service worker that records clicks and answers messages. */
const THROWAWAY_EXTENSION: Record<string, string> = {
  'manifest.json': JSON.stringify({
    manifest_version: 3,
    name: 'Harness probe',
    version: '1.0.0',
    action: { default_title: 'Harness probe' },
    background: { service_worker: 'sw.js' },
    permissions: ['tabCapture', 'downloads'],
  }),
  'sw.js': `
    globalThis.clicks = [];
    chrome.action.onClicked.addListener(async (tab) => {
      const click = { tabId: tab.id, windowId: tab.windowId };
      try { click.streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tab.id }); }
      catch (error) { click.error = String(error); }
      globalThis.clicks.push(click);
    });
    chrome.runtime.onMessage.addListener((msg, sender, reply) => {
      if (msg.type === 'ping') reply({ pong: true, from: sender.url });
      if (msg.type === 'download') {
        chrome.downloads.download({ url: msg.url, filename: msg.filename })
          .then((id) => reply({ id }), (error) => reply({ error: String(error) }));
        return true;
      }
    });`,
  'page.html': '<!doctype html><title>Harness probe page</title>',
};

interface Click {
  tabId: number;
  windowId: number;
  streamId?: string;
  error?: string;
}

async function writeThrowawayExtension(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'looptab-harness-ext-'));
  for (const [name, text] of Object.entries(THROWAWAY_EXTENSION)) await writeFile(join(dir, name), text);
  return dir;
}

describe('harness', () => {
  let extensionDir: string;
  let server: StaticServer;
  let looptab: Looptab;
  let demo: Page;

  beforeAll(async () => {
    extensionDir = await writeThrowawayExtension();
    server = await serveStatic(fixturesDir);
    looptab = await launchLooptab({ distDir: extensionDir });
    demo = (await looptab.browser.pages())[0] ?? (await looptab.browser.newPage());
    await demo.goto(`${server.origin}/demo.html`);
  });

  afterAll(async () => {
    await looptab?.close();
    await server?.close();
    if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
  });

  it('launchLooptab, installs the extension and reaches its service worker', async () => {
    expect(looptab.extensionId).toMatch(/^[a-p]{32}$/);
    expect(looptab.extension.name).toBe('Harness probe');
    const worker = await looptab.serviceWorker();
    expect(await worker.evaluate(() => location.href)).toBe(`chrome-extension://${looptab.extensionId}/sw.js`);
  });

  it('demo page, repaints every frame and plays sound', async () => {
    expect(await demo.title()).toBe('Looptab demo');
    const frame = () => demo.evaluate(() => (window as unknown as { looptabDemo: { frame: number } }).looptabDemo.frame);
    await demo.waitForFunction(() => (window as unknown as { looptabDemo: { frame: number } }).looptabDemo.frame > 5);
    const before = await demo.screenshot();
    const frameBefore = await frame();
    await sleep(500);
    const after = await demo.screenshot();
    // requestAnimationFrame runs at ~60 Hz here; 15 frames in 500 ms leaves room for a slow machine.
    expect((await frame()) - frameBefore).toBeGreaterThan(15);
    expect(Buffer.from(before).equals(Buffer.from(after))).toBe(false);
    // --autoplay-policy=no-user-gesture-required lets the AudioContext start without a click.
    expect(await demo.evaluate(() => (window as unknown as { looptabDemo: { audioState: string } }).looptabDemo.audioState)).toBe('running');
  });

  it('armByToolbarClick, grants tabCapture on the clicked tab', async () => {
    await armByToolbarClick(looptab, demo);
    const worker = await looptab.serviceWorker();
    await worker.evaluate(() => new Promise<void>((resolve) => {
      const poll = () => ((globalThis as unknown as { clicks: unknown[] }).clicks.length > 0 ? resolve() : setTimeout(poll, 20));
      poll();
    }));
    const clicks = await worker.evaluate(() => (globalThis as unknown as { clicks: Click[] }).clicks);
    expect(clicks).toHaveLength(1);
    expect(clicks[0]?.error).toBeUndefined();
    expect(clicks[0]?.streamId).toMatch(/\S/);
  });

  it('extensionPage, opens in a new window and leaves the demo tab active', async () => {
    const page = await looptab.extensionPage('/page.html');
    try {
      expect(page.url()).toBe(`chrome-extension://${looptab.extensionId}/page.html`);
      const reply = await sendMessage<{ pong: boolean; from: string }>(page, { type: 'ping' });
      expect(reply).toEqual({ pong: true, from: page.url() });

      // One active tab per window: the demo tab in the first, the extension page in the new one.
      const activeTabWindows = await (await looptab.serviceWorker()).evaluate(async () =>
        (await chrome.tabs.query({ active: true })).map((t) => t.windowId),
      );
      expect(new Set(activeTabWindows).size).toBe(2);
      expect(await demo.evaluate(() => document.visibilityState)).toBe('visible');
    } finally {
      await page.close();
    }
  });

  it('downloads, land in downloadsDir', async () => {
    const page = await looptab.extensionPage('page.html');
    try {
      const bytes = 123_456;
      const url = await page.evaluate((n) => URL.createObjectURL(new Blob([new Uint8Array(n)], { type: 'video/mp4' })), bytes);
      const reply = await sendMessage<{ id?: number; error?: string }>(page, { type: 'download', url, filename: 'clip.mp4' });
      expect(reply.error).toBeUndefined();
      // Browser.setDownloadBehavior names files itself (blob URL -> <uuid>.mp4): match on the extension.
      const file = await waitForFile(looptab.downloadsDir, (name) => name.endsWith('.mp4'), 10_000);
      expect((await stat(file)).size).toBe(bytes);
    } finally {
      await page.close();
    }
  });

  it('watchNextDownload, reports a service-worker download once its file is complete, on this clock', async () => {
    const page = await looptab.extensionPage('page.html');
    try {
      const bytes = 234_567;
      const url = await page.evaluate((n) => URL.createObjectURL(new Blob([new Uint8Array(n)], { type: 'video/mp4' })), bytes);
      const watch = await looptab.watchNextDownload(10_000);
      const sentAtMs = performance.now();
      const reply = await sendMessage<{ id?: number; error?: string }>(page, { type: 'download', url, filename: 'watched.mp4' });
      const download = await watch.completed();
      expect(reply.error).toBeUndefined();
      expect(download.id).toBe(reply.id);
      expect(download.bytes).toBe(bytes);
      expect((await stat(download.file)).size).toBe(bytes);
      // Mapped onto this process's performance.now() (a few ms of slack for the clock offset).
      expect(download.createdAtMs).toBeGreaterThan(sentAtMs - 5);
      expect(download.completedAtMs).toBeGreaterThanOrEqual(download.createdAtMs);
      expect(download.completedAtMs).toBeLessThan(performance.now() + 5);
    } finally {
      await page.close();
    }
  });

  it('watchNextDownload, says so when no download starts in time', async () => {
    const watch = await looptab.watchNextDownload(300);
    await expect(watch.completed()).rejects.toThrow(/no download was created within 300 ms/);
  });
});

describe('launchLooptab keepDownloadNames', () => {
  it('downloads, keep the name the extension asks for', async () => {
    const extensionDir = await writeThrowawayExtension();
    const looptab = await launchLooptab({ distDir: extensionDir, keepDownloadNames: true });
    try {
      const page = await looptab.extensionPage('page.html');
      const url = await page.evaluate(() => URL.createObjectURL(new Blob(['fake mp4'], { type: 'video/mp4' })));
      const reply = await sendMessage<{ id?: number; error?: string }>(page, { type: 'download', url, filename: 'looptab-test.mp4' });
      expect(reply.error).toBeUndefined();
      const file = await waitForFile(looptab.downloadsDir, (name) => name.endsWith('.mp4'), 10_000);
      expect(file).toBe(join(looptab.downloadsDir, 'looptab-test.mp4'));
    } finally {
      await looptab.close();
      await rm(extensionDir, { recursive: true, force: true });
    }
  });
});

describe('waitForFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'looptab-waitforfile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('waitForFile, ignores .crdownload files and waits until the size settles', async () => {
    await writeFile(join(dir, 'clip.mp4.crdownload'), 'partial');
    const found = waitForFile(dir, (name) => name.startsWith('clip'), 5_000);
    await sleep(150);
    await writeFile(join(dir, 'clip.mp4'), 'a');
    for (let i = 0; i < 3; i++) {
      await sleep(100);
      await appendFile(join(dir, 'clip.mp4'), 'b');
    }
    const file = await found;
    expect(file).toBe(join(dir, 'clip.mp4'));
    expect((await stat(file)).size).toBe(4);
  });

  it('waitForFile, names the folder contents when it times out', async () => {
    await expect(waitForFile(dir, (name) => name.endsWith('.gif'), 300)).rejects.toThrow(/clip\.mp4/);
  });
});

describe('serveStatic', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(fixturesDir);
  });
  afterAll(async () => {
    await server.close();
  });

  const get = (path: string) =>
    new Promise<{ status: number; type: string }>((resolve, reject) => {
      // node:http keeps `path` as written, unlike fetch, which would normalise the `..` away.
      request(`${server.origin}${path}`, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) });
      })
        .on('error', reject)
        .end();
    });

  it('serveStatic, serves fixtures from 127.0.0.1 with their content type', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get('/demo.html')).toEqual({ status: 200, type: 'text/html; charset=utf-8' });
    expect(await get('/demo.js')).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect((await get('/missing.html')).status).toBe(404);
  });

  it('serveStatic, refuses paths outside its folder', async () => {
    // URL parsing already folds `/../` and `/%2e%2e/`; an encoded slash survives it and must be caught.
    expect((await get('/..%2fcomponent%2fharness.test.ts')).status).toBe(403);
    expect((await get('/../component/harness.test.ts')).status).toBe(404);
  });
});

describe('media', () => {
  let dir: string;
  let clip: string;

  const ffmpeg = async (args: string[]) => {
    await promisify(execFile)(tool('ffmpeg'), ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args]);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'looptab-media-'));
    clip = join(dir, 'clip.mp4');
    const { stdout } = await promisify(execFile)(tool('ffmpeg'), ['-hide_banner', '-encoders']);
    const videoCodec = /\blibx264\b/.test(stdout) ? 'libx264' : 'mpeg4';
    // 2 s of 320x240 at 30 fps plus a 440 Hz sine at ffmpeg's default amplitude 1/8 (-21 dBFS RMS).
    await ffmpeg([
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=2',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2',
      '-c:v', videoCodec, '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
    ]);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('probe, reports duration, size and decoded frame counts', async () => {
    const info = await probe(clip);
    expect(info.formatDurationSec).toBeCloseTo(2, 1);
    const video = info.streams.find((s) => s.codecType === 'video');
    const audio = info.streams.find((s) => s.codecType === 'audio');
    expect(video).toMatchObject({ width: 320, height: 240, frames: 60 });
    expect(['h264', 'mpeg4']).toContain(video?.codecName);
    expect(video?.durationSec).toBeCloseTo(2, 1);
    expect(audio).toMatchObject({ codecName: 'aac', sampleRate: 48_000, channels: 1 });
    expect(audio?.durationSec).toBeCloseTo(2, 1);
    // AAC frames hold 1024 samples: 2 s at 48 kHz is 93.75 frames, plus encoder priming.
    expect(audio?.frames).toBeGreaterThanOrEqual(94);
    expect(audio?.frames).toBeLessThanOrEqual(96);
  });

  it('decodeErrors, is empty for a clean file and not for a truncated one', async () => {
    expect(await decodeErrors(clip)).toBe('');
    const broken = join(dir, 'broken.mp4');
    await copyFile(clip, broken);
    await truncate(broken, Math.floor((await stat(clip)).size / 2));
    expect(await decodeErrors(broken)).not.toBe('');
  });

  it('audioMeanVolumeDb, measures a tone and tells silence apart', async () => {
    expect(await audioMeanVolumeDb(clip)).toBeCloseTo(-21, 0);
    const silent = join(dir, 'silent.m4a');
    await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=sample_rate=48000:channel_layout=mono', '-t', '1', '-c:a', 'aac', silent]);
    expect(await audioMeanVolumeDb(silent)).toBeLessThan(-80);
  });

  it('probe, throws a clear error for a file that is not media', async () => {
    const text = join(dir, 'not-media.mp4');
    await writeFile(text, 'hello');
    await expect(probe(text)).rejects.toThrow(/ffprobe could not read .*not-media\.mp4/);
  });
});
