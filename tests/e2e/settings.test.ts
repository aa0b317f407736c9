// Settings do what they say, in real Chromium: a default clip length saved through the options
// page (the settings store) is what the popup starts on, what the save shortcut and the menu's
// default entry save, and what the menu's title says. Shortcuts and menus cannot be triggered by
// Puppeteer, so the test calls the functions their listeners call, inside the service worker.
import type { Page, WebWorker } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkReply, SaveReply } from '../../src/contract/messages';
import { openPopupByToolbarClick, waitForFile } from '../../scripts/harness/browser';
import { probe } from '../../scripts/harness/media';
import { launchSession, type Session } from '../../scripts/harness/session';
import { until } from '../../scripts/harness/wait';

const SETTINGS_KEY = 'looptab.settings';

/** What extension/service-worker.ts exposes for tests. */
interface WorkerGlobals {
  looptabControls: {
    runCommand(command: string): Promise<SaveReply | OkReply | null>;
    runMenuItem(menuItemId: string): Promise<SaveReply | null>;
  };
  menuUpdates: [string, { title?: string; visible?: boolean }][];
}

let session: Session;
let options: Page;

async function worker(): Promise<WebWorker> {
  return session.looptab.serviceWorker();
}

async function storedSettings(): Promise<unknown> {
  return options.evaluate(async (key) => (await chrome.storage.sync.get(key))[key], SETTINGS_KEY);
}

/** Types `value` into the options page's field for `key`, replacing what was there. */
async function fill(key: string, value: string): Promise<void> {
  await options.$eval(`#${key}`, (input, v) => {
    (input as HTMLInputElement).value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

beforeAll(async () => {
  session = await launchSession();
  options = await session.controlPage();
  await options.waitForSelector('#defaultClipSec');
});

afterAll(async () => {
  await session?.close();
});

describe('settings', () => {
  it('options page, groups the settings and says when each applies', async () => {
    const legends = await options.$$eval('legend', (nodes) => nodes.map((node) => node.textContent));
    expect(legends).toEqual(['Buffer', 'Capture', 'Clips', 'GIF', 'Files', 'Library', 'Recording to disk', 'Notifications']);
    const applies = async (key: string) => options.$eval(`#${key}-help .applies`, (node) => node.textContent);
    expect(await applies('windowSec')).toBe('Applies when a tab is next armed.');
    expect(await applies('maxFps')).toBe('Applies when a tab is next armed.');
    expect(await applies('postRollSec')).toBe('Applies now.');
    expect(await applies('gifFps')).toBe('Applies now.');
    expect(await applies('defaultClipSec')).toBe('Applies now.');
    expect(await applies('saveNotifications')).toBe('Applies now.');
    expect(await applies('recordSegmentSec')).toBe('Applies when a recording next starts.');
    expect(await options.evaluate(() => document.body.textContent)).not.toMatch(/changes apply the next time a tab is armed/i);
    // Each setting says its unit, range and default; a slider beside a number box shows its value.
    expect(await options.$eval('#windowSec-help', (node) => node.textContent)).toContain('5 to 600 s, default 60.');
    expect(await options.$eval('#windowSec-range', (input) => (input as HTMLInputElement).value)).toBe('60');
  });

  it('options page, lists the shortcuts Chrome has, "not set" where none, and links to change them', async () => {
    await options.waitForSelector('.shortcuts tbody tr');
    const rows = await options.$$eval('.shortcuts tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-command'), tr.children[1]?.textContent]));
    const byName = Object.fromEntries(rows);
    expect(byName['save-clip']).toBe('Alt+Shift+S');
    expect(byName['save-gif']).toBe('Alt+Shift+G');
    expect(byName['toggle-record']).toBe('not set');
    expect(await options.$eval('.change-shortcuts', (button) => button.textContent)).toBe('Change shortcuts');
  });

  it('options page, previews the file name as the template is typed and names a token that is not one', async () => {
    const preview = () => options.$eval('#filenameTemplate-preview', (node) => node.textContent);
    await fill('filenameTemplate', 'clip {title} {seconds}s');
    expect(await preview()).toBe('Preview: clip Example page 30s.mp4');
    await fill('filenameTemplate', 'clip {tilte}');
    expect(await preview()).toBe('Preview: File name: {tilte} is not a token; use {title}, {date}, {time} or {seconds}.');
    expect(await options.$eval('#filenameTemplate', (input) => input.getAttribute('aria-invalid'))).toBe('true');
    await fill('filenameTemplate', 'Looptab {title} {date} {time}');
    expect(await preview()).toMatch(/^Preview: Looptab Example page \d{4}-\d\d-\d\d \d\d-\d\d-\d\d\.mp4$/);
  });

  it('options page, refuses an invalid default clip length, names the field and stores nothing', async () => {
    await fill('defaultClipSec', '700');
    await options.click('button[type="submit"]');
    const notice = await options.waitForSelector('.toast.error');
    expect(await notice?.evaluate((node) => node.textContent)).toContain('Default clip length must be a number from 1 to 600.');
    expect(await options.$eval('#defaultClipSec', (input) => input.getAttribute('aria-invalid'))).toBe('true');
    expect(await storedSettings()).toBeUndefined();
  });

  it('options page, saves the clip lengths through the store, and the menu titles follow', async () => {
    // Record the menu updates the settings change causes (the menu itself is out of reach).
    await (await worker()).evaluate(() => {
      const globals = globalThis as unknown as WorkerGlobals;
      globals.menuUpdates = [];
      const update = chrome.contextMenus.update.bind(chrome.contextMenus) as (id: string, props: object) => Promise<void>;
      Object.assign(chrome.contextMenus, {
        update: (id: string, props: { title?: string; visible?: boolean }) => {
          globals.menuUpdates.push([id, props]);
          return update(id, props);
        },
      });
    });
    await fill('defaultClipSec', '7');
    await fill('gifDefaultSec', '2');
    await options.click('button[type="submit"]');
    const notice = await options.waitForSelector('.toast.ok');
    expect(await notice?.evaluate((node) => node.textContent)).toBe('Saved.');
    expect(await storedSettings()).toMatchObject({ defaultClipSec: 7, gifDefaultSec: 2 });

    const updates = await until('the menu to be retitled', async () => (await worker()).evaluate(() => (globalThis as unknown as WorkerGlobals).menuUpdates), (u) => u.length >= 5);
    expect(Object.fromEntries(updates)).toEqual({
      'save-default': { title: 'Save last 7 s', visible: true },
      'save-10': { title: 'Save last 10 s', visible: true },
      'save-30': { title: 'Save last 30 s', visible: true },
      'save-60': { title: 'Save last 60 s', visible: true },
      'save-gif': { title: 'Save last 2 s as GIF', visible: true },
    });
  });

  it('options page, a slider changes its setting, reset restores every default, and undo brings the settings back', async () => {
    await options.$eval('#gifFps-range', (input) => {
      (input as HTMLInputElement).value = '12';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(await options.$eval('#gifFps', (input) => (input as HTMLInputElement).value)).toBe('12');
    await options.click('button[type="submit"]');
    await until('gifFps to be stored', storedSettings, (stored) => (stored as { gifFps?: number } | undefined)?.gifFps === 12);
    await options.click('button.reset');
    await options.waitForSelector('.toast.ok button.undo');
    expect(await storedSettings()).toBeUndefined();
    expect(await options.$eval('#defaultClipSec', (input) => (input as HTMLInputElement).value)).toBe('30');
    expect(await options.$eval('#gifFps', (input) => (input as HTMLInputElement).value)).toBe('15');
    await options.click('.toast.ok button.undo');
    await options.waitForFunction(() => document.querySelector('.toast.ok')?.textContent === 'Your settings from before the reset are back.');
    expect(await storedSettings()).toMatchObject({ defaultClipSec: 7, gifDefaultSec: 2, gifFps: 12 });
    expect(await options.$eval('#defaultClipSec', (input) => (input as HTMLInputElement).value)).toBe('7');
  });

  it('popup, offers the default length and starts on it', async () => {
    // The first click's popup arms the tab (Chrome closes it as capture starts).
    await openPopupByToolbarClick(session.looptab, session.page);
    await session.until('the buffer to hold 8 s', (s) => s.bufferedSec >= 8);

    const popup = await openPopupByToolbarClick(session.looptab, session.page);
    await popup.waitForSelector('[aria-label="Clip length"] button');
    const choices = await popup.$$eval('[aria-label="Clip length"] button', (buttons) =>
      buttons.map((button) => [button.textContent, button.getAttribute('aria-pressed')]));
    expect(choices).toEqual([['7 s', 'true'], ['10 s', 'false'], ['30 s', 'false'], ['60 s', 'false']]);
    expect(await popup.$eval('button.save', (button) => button.textContent)).toBe('Save last 7 s');
    await popup.close();
  });

  it('save-clip shortcut, saves the default length as MP4', async () => {
    const reply = await (await worker()).evaluate(() => (globalThis as unknown as WorkerGlobals).looptabControls.runCommand('save-clip'));
    if (reply === null || !reply.ok || !('filename' in reply)) throw new Error(`save-clip: ${JSON.stringify(reply)}`);
    expect(reply.format).toBe('mp4');
    expect(reply.requestedSec).toBe(7);
    expect(Math.abs(reply.durationSec - 7)).toBeLessThanOrEqual(1 / 30);
    const file = await waitForFile(session.looptab.downloadsDir, (name) => name.endsWith('.mp4'), 15_000);
    const result = await probe(file);
    expect(result.formatDurationSec).toBeCloseTo(7, 1);
  });

  it('context menu, the default entry saves the default length and the GIF entry the GIF length', async () => {
    const run = async (id: string) => (await worker()).evaluate((menuItemId) => (globalThis as unknown as WorkerGlobals).looptabControls.runMenuItem(menuItemId), id);
    const clip = await run('save-default');
    expect(clip).toMatchObject({ ok: true, format: 'mp4', requestedSec: 7 });
    const gif = await run('save-gif');
    expect(gif).toMatchObject({ ok: true, format: 'gif', requestedSec: 2 });
  });
});
