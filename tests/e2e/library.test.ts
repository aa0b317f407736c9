// The clip library in real headless Chromium: every save is kept (OPFS), listed, shown with a
// thumbnail that really decoded, downloaded again byte for byte, renamed, deleted, still there
// after a relaunch on the same profile; a cap evicts the oldest and says so; a real quota
// failure (Chromium's own, set over CDP) still downloads the clip and says it was not kept.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryDownloadReply, LibraryReply, OkReply } from '../../src/contract/messages';
import type { LibraryClip } from '../../src/library/library-clip';
import { english } from '../../src/i18n/english';
import { decodeErrors, probe } from '../../scripts/harness/media';
import { launchArmedDemo, launchSession, type SavedReply, type Session } from '../../scripts/harness/session';
import { until } from '../../scripts/harness/wait';

type Listing = Extract<LibraryReply, { ok: true }>;

let profileDir: string;
let session: Session;
/** The three first saves, oldest first: 3 s MP4, 4 s MP4, 2 s GIF. */
const saved: { reply: SavedReply; file: string }[] = [];

async function library(): Promise<Listing> {
  const reply = await session.send<LibraryReply>({ type: 'library' });
  if (!reply.ok) throw new Error(`library: ${reply.error}`);
  return reply;
}

const idOf = (index: number): string => saved[index]!.reply.libraryId!;

/** What the library page shows of each card: id, title, and its thumbnail's natural size. */
async function cards(page: Page): Promise<{ id: string; title: string; thumbnailWidth: number }[]> {
  return page.$$eval('li.card', (items) =>
    items.map((item) => ({
      id: item.getAttribute('data-clip-id') ?? '',
      title: item.querySelector('.title')?.textContent ?? '',
      thumbnailWidth: (item.querySelector('img.thumbnail') as HTMLImageElement | null)?.naturalWidth ?? 0,
    })),
  );
}

/** The standard deviation of the thumbnail's luma: a decoded frame of the moving demo page is not flat. */
async function thumbnailLumaSpread(page: Page, id: string): Promise<number> {
  return page.$eval(`li.card[data-clip-id="${id}"] img.thumbnail`, (img) => {
    const image = img as HTMLImageElement;
    const canvas = new OffscreenCanvas(image.naturalWidth, image.naturalHeight);
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sumSquares = 0;
    const count = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      sum += luma;
      sumSquares += luma * luma;
    }
    return Math.sqrt(sumSquares / count - (sum / count) ** 2);
  });
}

/** The names in the library's clips folder, as the extension's own storage holds them. */
async function storedClipFiles(): Promise<string[]> {
  return (await session.controlPage()).evaluate(async () => {
    const clips = await (await navigator.storage.getDirectory()).getDirectoryHandle('clips');
    const names: string[] = [];
    for await (const name of clips.keys()) names.push(name);
    return names.sort();
  });
}


beforeAll(async () => {
  profileDir = await mkdtemp(join(tmpdir(), 'looptab-library-profile-'));
  session = await launchArmedDemo(6, { profileDir });
});

afterAll(async () => {
  await session?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

describe('clip library', () => {
  it('two MP4 saves and a GIF, are all kept and listed newest first with their lengths and sizes', async () => {
    saved.push(await session.save(3), await session.save(4), await session.save(2, { format: 'gif' }));
    for (const { reply } of saved) {
      expect(reply.libraryError).toBeUndefined();
      expect(reply.libraryId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const listing = await library();
    expect(listing.clips.map((c) => c.id)).toEqual([idOf(2), idOf(1), idOf(0)]);
    const byId = new Map(listing.clips.map((c) => [c.id, c]));
    for (const { reply, file } of saved) {
      const clip = byId.get(reply.libraryId!)!;
      const onDisk = await readFile(file);
      expect(clip.bytes).toBe(onDisk.byteLength);
      expect(clip.bytes).toBe(reply.bytes);
      expect(clip.format).toBe(reply.format);
      expect(clip.durationSec).toBeCloseTo(reply.durationSec, 6);
      expect(clip.title).toBe('Looptab demo');
      expect(clip.sourceOrigin).toBe(session.pages.origin);
      expect(clip.videoCodec).toMatch(/^avc1\./);
    }
    const [mp4, , gif] = saved.map(({ reply }) => byId.get(reply.libraryId!)!) as [LibraryClip, LibraryClip, LibraryClip];
    expect(mp4).toMatchObject({ width: 1280, height: 720, hasAudio: true, audioCodec: 'opus' });
    // The GIF's own size, as ffprobe reads it from the downloaded file.
    const gifStream = (await probe(saved[2]!.file)).streams.find((s) => s.codecType === 'video')!;
    expect(gif).toMatchObject({ width: gifStream.width, height: gifStream.height, hasAudio: false, audioCodec: null });
    expect(listing.usedBytes).toBe(listing.clips.reduce((sum, c) => sum + c.bytes, 0));
    expect(listing.quotaBytes).toBeGreaterThan(listing.usedBytes);
  });

  it('download again, gives the same bytes as the first download', async () => {
    for (const index of [0, 2]) {
      const watch = await session.looptab.watchNextDownload();
      const reply = await session.send<LibraryDownloadReply>({ type: 'library-download', id: idOf(index) });
      expect(reply).toMatchObject({ ok: true, filename: expect.stringMatching(/^Looptab Looptab demo .*\.(mp4|gif)$/) });
      const again = await watch.completed();
      expect((await readFile(again.file)).equals(await readFile(saved[index]!.file))).toBe(true);
    }
  });

  it('library page, shows every clip with a thumbnail that decoded, and plays one when opened', async () => {
    const page = await session.looptab.extensionPage('library.html');
    // Thumbnails are made after each save is kept; the page picks them up as they land.
    const shown = await until('three decoded thumbnails', () => cards(page), (list) => list.length === 3 && list.every((c) => c.thumbnailWidth > 0), { timeoutMs: 20_000 });
    expect(shown.map((c) => c.id)).toEqual([idOf(2), idOf(1), idOf(0)]);
    expect(shown.map((c) => c.thumbnailWidth)).toEqual([320, 320, 320]);
    for (const { id } of shown) expect(await thumbnailLumaSpread(page, id)).toBeGreaterThan(5);
    expect(await page.$eval('.usage', (el) => el.textContent)).toMatch(/^3 clips, [\d.]+ MB used of [\d.]+ (MB|GB) the browser allows$/);

    // Hovering a GIF's card previews the GIF itself; an MP4's, a muted <video> of the clip that plays.
    await page.hover(`li.card[data-clip-id="${idOf(2)}"] button.thumb`);
    const gifPreview = await page.waitForFunction((id) => (document.querySelector(`li.card[data-clip-id="${id}"] .thumb img:not(.thumbnail)`) as HTMLImageElement | null)?.naturalWidth ?? 0, { timeout: 10_000 }, idOf(2));
    expect(await gifPreview.jsonValue()).toBeGreaterThan(0);
    await page.hover(`li.card[data-clip-id="${idOf(0)}"] button.thumb`);
    await page.waitForFunction((id) => ((document.querySelector(`li.card[data-clip-id="${id}"] .thumb video`) as HTMLVideoElement | null)?.currentTime ?? 0) > 0.1, { timeout: 10_000 }, idOf(0));

    // Opening the 4 s MP4 plays it in Chromium's own <video>, from the stored file.
    await page.click(`li.card[data-clip-id="${idOf(1)}"] button.thumb`);
    const durationSec = await page.waitForFunction(() => {
      const video = document.querySelector('dialog[open] video') as HTMLVideoElement | null;
      return video && video.readyState >= 2 && video.currentTime > 0.2 ? video.duration : null;
    }, { timeout: 10_000 });
    expect(await durationSec.jsonValue()).toBeCloseTo(saved[1]!.reply.durationSec, 1);
    await page.close();
  });

  it('open-library shortcut, opens the library page once and brings it back after', async () => {
    const worker = await session.looptab.serviceWorker();
    const libraryTabs = () => session.looptab.browser.targets().filter((t) => t.type() === 'page' && t.url().endsWith('/library.html'));
    expect(libraryTabs()).toHaveLength(0);
    for (let i = 0; i < 2; i++) {
      const reply = await worker.evaluate(() => (globalThis as unknown as { looptabControls: { runCommand(c: string): Promise<unknown> } }).looptabControls.runCommand('open-library'));
      expect(reply).toEqual({ ok: true });
      await until('the library tab', async () => libraryTabs().length, (n) => n === 1, { timeoutMs: 10_000 });
    }
    await (await libraryTabs()[0]!.asPage())!.close();
  });

  it('rename and delete, change the library; bad requests name the field', async () => {
    expect(await session.send<OkReply>({ type: 'library-rename', id: idOf(0), title: '  Goal!  ' })).toEqual({ ok: true });
    expect(await session.send<OkReply>({ type: 'library-rename', id: idOf(0), title: '   ' })).toMatchObject({ ok: false, error: expect.stringMatching(/"title"/) });
    expect(await session.send<OkReply>({ type: 'library-rename', id: 'no-such-clip', title: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/"id" "no-such-clip" is not in the library/) });
    expect(await session.send<OkReply>({ type: 'library-delete', ids: [idOf(1), 'ghost'] })).toMatchObject({ ok: false, error: expect.stringMatching(/"ghost"/) });
    expect((await library()).clips.map((c) => c.title)).toContain('Goal!');

    // Delete from the page: the card's Delete, then the confirmation's.
    const page = await session.looptab.extensionPage('library.html');
    await page.waitForSelector(`li.card[data-clip-id="${idOf(1)}"]`);
    await page.click(`li.card[data-clip-id="${idOf(1)}"] button.danger`);
    await page.waitForSelector('dialog[open].confirm');
    await page.click('dialog[open].confirm button.primary');
    await page.waitForFunction((id) => !document.querySelector(`li.card[data-clip-id="${id}"]`), { timeout: 10_000 }, idOf(1));
    await page.close();

    expect((await library()).clips.map((c) => c.id)).toEqual([idOf(2), idOf(0)]);
    expect(await session.send<LibraryDownloadReply>({ type: 'library-download', id: idOf(1) })).toMatchObject({ ok: false, error: expect.stringMatching(/not in the library/) });
  });

  it('relaunch on the same profile, the library is still there', async () => {
    const before = await library();
    await session.close();
    session = await launchSession({ audio: true, profileDir });
    const after = await library();
    expect(after.clips).toEqual(before.clips);
    expect(after.problems).toEqual([]);
  });

  it('at start, removes a half-written file and says which clip went missing from storage', async () => {
    // The library request opens the offscreen document (the library's only writer); disarm closes
    // it, so the next request opens the store anew, on the damaged storage.
    const lost = (await library()).clips[0]!;
    expect(await session.send<OkReply>({ type: 'disarm' })).toEqual({ ok: true });
    await (await session.controlPage()).evaluate(async (lostFile) => {
      const clips = await (await navigator.storage.getDirectory()).getDirectoryHandle('clips');
      const half = await (await clips.getFileHandle('00000000-half-written.mp4', { create: true })).createWritable();
      await half.write(new Uint8Array(1000));
      await half.close();
      await clips.removeEntry(lostFile);
    }, `${lost.id}.${lost.format}`);
    const listing = await library();
    expect(listing.clips.map((c) => c.id)).not.toContain(lost.id);
    expect(listing.problems.join(' ')).toContain(`"${lost.title}"`);
    expect(listing.problems.join(' ')).toMatch(/is missing from storage/);
    // Each problem also names its catalogue message, for the page to say in the user's language.
    expect(listing.problemTexts.map((text) => english(text.key, ...(text.substitutions ?? [])))).toEqual(listing.problems);
    expect(listing.problemTexts.map((text) => text.key)).toContain('err_library_clip_gone');
    expect(await storedClipFiles()).toEqual(listing.clips.map((c) => `${c.id}.${c.format}`).sort());
  });

  it('a quota failure, still downloads the clip, says it was not kept, and leaves nothing half-written', async () => {
    await session.arm();
    await session.until('4 s buffered', (s) => s.bufferedSec >= 4);
    const before = await library();
    const origin = `chrome-extension://${session.looptab.extensionId}`;
    const cdp = await (await session.controlPage()).createCDPSession();
    // Chromium's own quota for the extension: just above what it stores now.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: before.usedBytes + 64 * 1024 });
    try {
      const { reply, file } = await session.save(3);
      expect(reply.libraryId).toBeUndefined();
      expect(reply.libraryError).toMatch(/not kept in the library: it could not be written/);
      expect((await probe(file)).streams.some((s) => s.codecType === 'video')).toBe(true);
      expect(await decodeErrors(file)).toBe('');
      const after = await library();
      expect(after.clips).toEqual(before.clips);
      expect(await storedClipFiles()).toEqual(after.clips.map((c) => `${c.id}.${c.format}`).sort());
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      await cdp.detach();
    }
  });

  it('a small library size, evicts the oldest clips first and the page says so', async () => {
    await session.setSettings({ libraryCapMB: 1 });
    const before = await library();
    // ~0.3 MB a second: each 1 s clip fits, and the library keeps the newest that fit in 1 MB.
    const kept: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { reply } = await session.save(1);
      expect(reply.libraryError).toBeUndefined();
      kept.push(reply.libraryId!);
    }
    const after = await library();
    expect(after.usedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(after.clips[0]!.id).toBe(kept.at(-1));
    // Every clip that left, left oldest first, and each is recorded.
    const order = [...before.clips.map((c) => c.id).reverse(), ...kept];
    const gone = order.filter((id) => !after.clips.some((c) => c.id === id));
    expect(gone.length).toBeGreaterThanOrEqual(before.clips.length);
    expect(gone).toEqual(order.slice(0, gone.length));
    expect(after.evictions.map((e) => e.id)).toEqual(gone);

    const page = await session.looptab.extensionPage('library.html');
    const banner = await page.waitForSelector('.banner.evictions', { timeout: 10_000 });
    expect(await banner!.evaluate((el) => el.textContent)).toMatch(/To stay under the library size, the oldest \d+ clips were removed: .*"Goal!"/);
    await page.close();

    // A clip larger than the whole library is still downloaded, and the reply says it was not kept.
    await session.until('5 s buffered', (s) => s.bufferedSec >= 5);
    const { reply, file } = await session.save(5);
    expect(reply.libraryError).toMatch(/larger than the library's cap/);
    expect((await readFile(file)).byteLength).toBe(reply.bytes);
    await session.setSettings({ libraryCapMB: 2048 });
  });
});
