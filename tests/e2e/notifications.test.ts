// Feedback on save in real headless Chromium: after a save the service worker shows a notification
// with the clip's thumbnail (the library's own WebP, as a data: URL), its length and format, and
// "Open in library" / "Show in folder"; a click routes to the library page on that clip; a failed
// save notifies its error; with the option off, nothing. chrome.notifications.getAll() gives only
// ids, so the test records what the worker passed to create() (the real call still runs: an image
// Chrome cannot decode would fail it), and calls the click handler Puppeteer cannot click.
import { basename } from 'node:path';
import type { WebWorker } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaveReply } from '../../src/contract/messages';
import type { NoticeAction } from '../../src/feedback/save-notice';
import { formatBytes } from '../../src/library/library-view';
import { launchSession, type Session } from '../../scripts/harness/session';
import { until } from '../../scripts/harness/wait';

type Created = { id: string; options: chrome.notifications.NotificationCreateOptions };

interface WorkerGlobals {
  looptabControls: { runNoticeClick(id: string, click: number | 'body'): Promise<NoticeAction | null> };
  createdNotifications?: Created[];
}

let session: Session;

async function worker(): Promise<WebWorker> {
  return session.looptab.serviceWorker();
}

/** Records every chrome.notifications.create the worker makes from now on (again after a restart). */
async function recordNotifications(): Promise<void> {
  await (await worker()).evaluate(() => {
    const globals = globalThis as unknown as WorkerGlobals;
    if (globals.createdNotifications) return;
    globals.createdNotifications = [];
    const create = chrome.notifications.create.bind(chrome.notifications) as (id: string, options: object) => Promise<string>;
    Object.assign(chrome.notifications, {
      create: (id: string, options: chrome.notifications.NotificationCreateOptions) => {
        globals.createdNotifications!.push({ id, options });
        return create(id, options);
      },
    });
  });
}

async function created(): Promise<Created[]> {
  return (await worker()).evaluate(() => (globalThis as unknown as WorkerGlobals).createdNotifications ?? []);
}

/** The ids of the notifications Chrome is showing (a recorded create may still be running). */
async function shown(): Promise<string[]> {
  return (await worker()).evaluate(async () => Object.keys(await chrome.notifications.getAll()));
}

async function nextNotification(count: number, what: string): Promise<Created> {
  const all = await until(what, created, (list) => list.length > count, { timeoutMs: 20_000 });
  return all[count]!;
}

beforeAll(async () => {
  session = await launchSession({ pageSize: { width: 640, height: 360 } });
  await recordNotifications();
});

afterAll(async () => {
  await session?.close();
});

describe('save notifications', () => {
  it('a failed save (nothing armed), notifies its error', async () => {
    const reply = await session.send<SaveReply>({ type: 'save', seconds: 2, format: 'mp4' });
    if (reply.ok) throw new Error('a save with nothing armed succeeded');
    const notice = await nextNotification(0, 'the failure notification');
    expect(notice.id).toBe('looptab-failed:');
    expect(notice.options).toMatchObject({ type: 'basic', title: 'Looptab could not save the clip', message: reply.error, buttons: [] });
    await until('Chrome to show it', shown, (ids) => ids.includes(notice.id), { timeoutMs: 5_000 });
  });

  let savedId = '';
  let clipId = '';

  it('a save, notifies once the file is written, with the library thumbnail, length, format and two buttons', async () => {
    await session.arm();
    await session.until('3 s buffered', (s) => s.bufferedSec >= 3);
    await recordNotifications();
    const before = (await created()).length;
    const { reply, file } = await session.save(2);
    clipId = reply.libraryId!;
    expect(clipId).toBeTruthy();
    const notice = await nextNotification(before, 'the save notification');
    savedId = notice.id;
    expect(notice.id).toMatch(new RegExp(`^looptab-saved:\\d+:${clipId}$`));
    expect(notice.options).toMatchObject({
      type: 'image',
      title: `Saved ${reply.durationSec.toFixed(1)} s MP4`,
      buttons: [{ title: 'Open in library' }, { title: 'Show in folder' }],
    });
    // Chrome may rename the file (here the CDP download folder names it itself): the real name.
    expect(notice.options.message).toBe(`${basename(file)} · ${formatBytes(reply.bytes)}`);
    await until('Chrome to show it', shown, (ids) => ids.includes(notice.id), { timeoutMs: 5_000 });

    // The picture is the library's thumbnail of this clip, byte for byte, and decodes at its size.
    const { imageUrl, iconUrl } = notice.options;
    expect(imageUrl).toMatch(/^data:image\/webp;base64,/);
    expect(iconUrl).toBe(imageUrl);
    const control = await session.controlPage();
    const check = await control.evaluate(async (id, url) => {
      const stored = await (await (await (await navigator.storage.getDirectory()).getDirectoryHandle('thumbnails')).getFileHandle(`${id}.webp`)).getFile();
      const fromUrl = await (await fetch(url)).blob();
      const same = new Uint8Array(await stored.arrayBuffer()).join() === new Uint8Array(await fromUrl.arrayBuffer()).join();
      const bitmap = await createImageBitmap(fromUrl);
      return { same, width: bitmap.width, height: bitmap.height };
    }, clipId, imageUrl!);
    expect(check).toEqual({ same: true, width: 320, height: 180 });

    // "Show in folder" points at this download.
    const downloadId = Number(notice.id.split(':')[1]);
    const downloaded = await (await worker()).evaluate(async (id) => (await chrome.downloads.search({ id }))[0]?.filename ?? '', downloadId);
    expect(basename(downloaded)).toBe(basename(file));
  });

  it('"Open in library", opens the library on that clip (scrolled to, marked, focused) and closes the notification', async () => {
    const action = await (await worker()).evaluate((id) => (globalThis as unknown as WorkerGlobals).looptabControls.runNoticeClick(id, 0), savedId);
    expect(action).toEqual({ kind: 'open-library', clipId });
    const target = await session.looptab.browser.waitForTarget((t) => t.url().endsWith(`/library.html#${clipId}`), { timeout: 10_000 });
    const library = (await target.asPage())!;
    await library.waitForSelector(`li.card.marked[data-clip-id="${clipId}"]`, { timeout: 10_000 });
    await until('the marked card to have focus', () => library.evaluate(() => document.activeElement?.getAttribute('data-clip-id') ?? null), (id) => id === clipId, { timeoutMs: 5_000 });
    expect(await shown()).not.toContain(savedId);

    // The body opens the library too; "Show in folder" routes to the download (its id is in the notification's).
    expect(await (await worker()).evaluate((id) => (globalThis as unknown as WorkerGlobals).looptabControls.runNoticeClick(id, 'body'), savedId)).toEqual({ kind: 'open-library', clipId });
    expect(await (await worker()).evaluate((id) => (globalThis as unknown as WorkerGlobals).looptabControls.runNoticeClick(id, 1), savedId))
      .toEqual({ kind: 'show-in-folder', downloadId: Number(savedId.split(':')[1]) });
    await library.close();
  });

  it('with "Notify when a clip is saved" off in the options, a save shows none', async () => {
    const options = await session.controlPage();
    await options.select('#saveNotifications', 'off');
    await options.click('button[type="submit"]');
    await options.waitForSelector('.toast.ok');
    await recordNotifications();
    const before = (await created()).length;
    await session.save(2);

    // Switched on again, the next save's notification is the only new one: the first made none.
    await options.select('#saveNotifications', 'on');
    await options.click('button[type="submit"]');
    const stored = () => options.evaluate(async () => ((await chrome.storage.sync.get('looptab.settings'))['looptab.settings'] as { saveNotifications?: string }).saveNotifications);
    await until('the setting to be on', stored, (value) => value === 'on');
    const { reply } = await session.save(2);
    const notice = await nextNotification(before, 'the notification of the save after switching on');
    expect(notice.id).toMatch(new RegExp(`:${reply.libraryId}$`));
    expect(await created()).toHaveLength(before + 1);
  });
});
