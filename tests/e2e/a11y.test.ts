// Accessibility in real headless Chromium: axe-core finds no violation of serious or critical
// impact on any extension page, in light and in dark, in the states the other e2e tests reach
// (the popup on a protected page, armed, asking before a disarm, recording to disk, paused, making a GIF, opened
// on another tab while one records, after the recorded tab closed, and idle; the options with an invalid value; the library empty and with clips,
// playing one, asking before a delete; the editor with one clip and with two; the region page
// with a rectangle drawn). And the popup works from the keyboard alone: Tab reaches every
// control in order, each shows its focus, and Enter on the primary button saves.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryReply, OkReply, SaveReply } from '../../src/contract/messages';
import { clipLengthChoices } from '../../src/settings/save-controls';
import { DEFAULT_SETTINGS } from '../../src/settings/settings';
import { axeReport } from '../../scripts/harness/a11y';
import { openPopupByToolbarClick } from '../../scripts/harness/browser';
import { launchSession, type Session } from '../../scripts/harness/session';
import { expectLocalFailure } from './failure-reply';

let session: Session;

const clickToolbar = (page: Page) => openPopupByToolbarClick(session.looptab, page);

/** Fails with every violation's rule, impact, help and elements, if any report has one. */
function expectClean(reports: string[]): void {
  const found = reports.filter((report) => report !== '');
  if (found.length > 0) throw new Error(`axe-core found serious or critical violations:\n${found.join('\n')}`);
}

/** Opens the popup on `page` and waits for its view (`data-state`) and the capture's state. */
async function popupIn(view: string, capture?: string, page: Page = session.page): Promise<Page> {
  const popup = await clickToolbar(page);
  await popup.waitForSelector(`.popup[data-state="${view}"]${capture ? `[data-capture="${capture}"]` : ''}`, { timeout: 10_000 });
  return popup;
}

/** Every control Tab can reach in `popup`, in order, each marked with its place; their names. */
function tabStops(popup: Page): Promise<string[]> {
  return popup.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')]
      .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.checkVisibility());
    return controls.map((el, index) => {
      el.dataset.tabStop = String(index);
      const label = (el as HTMLInputElement).labels?.[0]?.textContent;
      return (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim();
    });
  });
}

async function libraryMp4Ids(): Promise<string[]> {
  const reply = await session.send<LibraryReply>({ type: 'library' });
  if (!reply.ok) throw new Error(`library: ${reply.error}`);
  return reply.clips.filter((clip) => clip.format === 'mp4' && clip.kind === 'clip').map((clip) => clip.id).reverse();
}

beforeAll(async () => {
  session = await launchSession({ pageSize: { width: 1280, height: 720 } });
});

afterAll(async () => {
  await session?.close();
});

describe('accessibility', () => {
  it('options page, clean, also when a value is refused', async () => {
    const page = await session.controlPage();
    await page.waitForSelector('#defaultClipSec');
    const reports = [await axeReport(page, 'options')];
    await page.$eval('#defaultClipSec', (input) => {
      (input as HTMLInputElement).value = '700';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('button[type="submit"]');
    await page.waitForSelector('.toast.error');
    reports.push(await axeReport(page, 'options, a value refused'));
    await page.reload();
    await page.waitForSelector('#defaultClipSec');
    expectClean(reports);
  });

  it('library page, clean when empty', async () => {
    const page = await session.looptab.extensionPage('library.html');
    await page.waitForSelector('.empty-state');
    const report = await axeReport(page, 'library, empty');
    await page.close();
    expectClean([report]);
  });

  it('popup on a page Chrome protects, clean', async () => {
    const page = await session.looptab.browser.newPage();
    await page.goto('chrome://version');
    const popup = await clickToolbar(page);
    await popup.waitForSelector('.popup[data-state="protected"]', { timeout: 10_000 });
    expect(await popup.$eval('.popup', (el) => el.textContent)).toMatch(/does not let extensions record this page.*Open a normal web page/);
    // Nothing to do here but go elsewhere: the links are the only stops.
    expect(await tabStops(popup)).toEqual(['Library', 'Options']);
    const report = await axeReport(popup, 'popup, protected page');
    await popup.close();
    await page.close();
    expectClean([report]);
  });

  it('popup while armed, clean', async () => {
    // The first click's popup arms the tab; Chrome then closes it as the capture starts.
    await clickToolbar(session.page);
    await session.until('3 s buffered', (s) => s.bufferedSec >= 3);
    const popup = await popupIn('armed', 'armed');
    await popup.waitForSelector('button.save:not([disabled])');
    const reports = [await axeReport(popup, 'popup, armed')];
    // Disarm asks first, in a modal that takes focus and gives it back when Escape closes it.
    await popup.click('button.disarm');
    await popup.waitForSelector('dialog.confirm-disarm[open]');
    expect(await popup.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    reports.push(await axeReport(popup, 'popup, asking before a disarm'));
    await popup.keyboard.press('Escape');
    await popup.waitForFunction(() => !document.querySelector('dialog[open]'));
    expect(await popup.evaluate(() => document.activeElement?.matches('button.disarm'))).toBe(true);
    expect((await session.status()).armed).toBe(true);
    await popup.close();
    expectClean(reports);
  });

  it('popup, Tab reaches every control in order with a visible focus, and Enter on Save saves', async () => {
    const popup = await popupIn('armed', 'armed');
    await popup.waitForSelector('button.save:not([disabled])');
    // Every control a keyboard can reach, in document order; the format switch is one stop (its checked option).
    const names = await tabStops(popup);
    expect(names).toEqual([
      `Save last ${DEFAULT_SETTINGS.defaultClipSec} s`,
      ...clipLengthChoices(DEFAULT_SETTINGS.defaultClipSec).map((seconds) => `${seconds} s`),
      'Custom length in seconds', 'MP4', 'Pause', 'Disarm',
      'Record', 'include what is buffered', 'Region…', 'Library', 'Options',
    ]);

    // How each control looks out of focus (nothing has focus yet), then at each Tab.
    const unfocused = await popup.evaluate(() => [...document.querySelectorAll('[data-tab-stop]')].map((el) => {
      const style = getComputedStyle(el);
      return `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} / ${style.boxShadow}`;
    }));
    const stops: { stop: string | null; focusVisible: boolean; ring: string }[] = [];
    for (let i = 0; i < names.length; i++) {
      await popup.keyboard.press('Tab');
      stops.push(await popup.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const style = el ? getComputedStyle(el) : null;
        return {
          stop: el?.dataset.tabStop ?? null,
          focusVisible: el?.matches(':focus-visible') ?? false,
          ring: style ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} / ${style.boxShadow}` : '',
        };
      }));
    }
    expect(stops.map((s) => s.stop)).toEqual(names.map((_, index) => String(index)));
    expect(stops.every((s) => s.focusVisible)).toBe(true);
    const unchanged = names.filter((_, index) => stops[index]!.ring === unfocused[index]);
    expect(unchanged, 'controls whose outline and box-shadow do not change when focused').toEqual([]);

    // The format switch is a radio group: arrow keys move the choice and the focus, and wrap.
    const format = names.indexOf('MP4');
    for (let i = names.length - 1; i > format; i--) {
      await popup.keyboard.down('Shift');
      await popup.keyboard.press('Tab');
      await popup.keyboard.up('Shift');
    }
    const checkedFormat = () => popup.evaluate(() => [document.querySelector('[role="radio"][aria-checked="true"]')?.textContent,
      document.activeElement?.getAttribute('role') === 'radio' && document.activeElement.getAttribute('aria-checked') === 'true']);
    await popup.keyboard.press('ArrowRight');
    expect(await checkedFormat()).toEqual(['GIF', true]);
    await popup.keyboard.press('ArrowRight');
    expect(await checkedFormat()).toEqual(['MP4', true]);
    await popup.keyboard.press('ArrowLeft');
    expect(await checkedFormat()).toEqual(['GIF', true]);
    await popup.keyboard.press('Home');
    expect(await checkedFormat()).toEqual(['MP4', true]);

    // Back (Shift+Tab) from the format switch to Save, and Enter saves.
    const save = names.indexOf(`Save last ${DEFAULT_SETTINGS.defaultClipSec} s`);
    for (let i = format; i > save; i--) {
      await popup.keyboard.down('Shift');
      await popup.keyboard.press('Tab');
      await popup.keyboard.up('Shift');
    }
    expect(await popup.evaluate(() => document.activeElement?.matches('button.save'))).toBe(true);
    await popup.keyboard.press('Enter');
    const saved = await popup.waitForSelector('.message.ok', { timeout: 20_000 });
    expect(await saved!.evaluate((el) => el.textContent)).toMatch(/^Saved Looptab .*\.mp4/);
    const report = await axeReport(popup, 'popup, a clip saved');
    await popup.close();
    expectClean([report]);
  });

  it('popup while recording to disk and after it stops, clean', async () => {
    const started = await session.send<OkReply>({ type: 'record-start' });
    expect(started.ok).toBe(true);
    const popup = await popupIn('armed', 'armed');
    await popup.waitForSelector('[role="timer"]', { timeout: 10_000 });
    const reports = [await axeReport(popup, 'popup, recording to disk')];
    await popup.click('::-p-text(Stop recording)');
    await popup.waitForFunction(() => document.querySelector('.message.ok')?.textContent?.startsWith('Recording kept'), { timeout: 30_000 });
    reports.push(await axeReport(popup, 'popup, recording kept'));
    await popup.close();
    expectClean(reports);
  });

  it('popup while paused, clean', async () => {
    expect((await session.send<OkReply>({ type: 'pause' })).ok).toBe(true);
    const popup = await popupIn('armed', 'paused');
    const report = await axeReport(popup, 'popup, paused');
    await popup.close();
    expect((await session.send<OkReply>({ type: 'resume' })).ok).toBe(true);
    expectClean([report]);
  });

  it('popup while a GIF is made, clean, shows its progress and Cancel stops it', async () => {
    await session.until('8 s buffered', (s) => s.state === 'armed' && s.bufferedSec >= 8);
    // The largest, densest GIF the settings allow takes many times longer than the popup needs
    // to open, be checked and cancel it: at the defaults the GIF could finish first.
    await session.setSettings({ gifWidthPx: 1280, gifFps: 30 });
    const saving = session.send<SaveReply>({ type: 'save', seconds: 8, format: 'gif' });
    const popup = await popupIn('armed', 'armed');
    const bar = await popup.waitForSelector('.progress [role="progressbar"][aria-valuenow]', { timeout: 10_000 });
    expect(await bar!.evaluate((el) => el.getAttribute('aria-label'))).toBe('Making a GIF of the last 8 s');
    const report = await axeReport(popup, 'popup, making a GIF');
    await popup.click('.progress ::-p-text(Cancel)');
    expectLocalFailure(await saving, /cancelled/, 'err_gif_cancelled');
    await popup.waitForSelector('button.save:not([disabled])', { timeout: 10_000 });
    await popup.close();
    await session.setSettings({ gifWidthPx: DEFAULT_SETTINGS.gifWidthPx, gifFps: DEFAULT_SETTINGS.gifFps });
    expectClean([report]);
  });

  it('popup on another tab while one records, clean', async () => {
    const other = await session.looptab.browser.newPage();
    await other.goto(`${session.pages.origin}/demo.html?tab=2`);
    const popup = await clickToolbar(other);
    await popup.waitForSelector('::-p-text(Record this tab instead)', { timeout: 10_000 });
    const report = await axeReport(popup, 'popup, another tab records');
    await popup.close();
    await other.close();
    expectClean([report]);
  });

  it('library page with clips, clean, also playing one and asking before a delete', async () => {
    await session.until('2 s more buffered', (s) => s.state === 'armed' && s.bufferedSec >= 3);
    await session.save(3);
    await session.save(2, { format: 'gif', timeoutMs: 30_000 });
    const page = await session.looptab.extensionPage('library.html');
    await page.waitForFunction(() => document.querySelectorAll('li.card').length >= 4, { timeout: 10_000 });
    // Thumbnails are made after each save: wait for them, but a card without one is a state too.
    await page.waitForFunction(() => [...document.querySelectorAll('li.card')].every((card) => card.querySelector('img.thumbnail')), { timeout: 15_000 })
      .catch(() => {});
    const reports = [await axeReport(page, 'library, with clips')];

    await page.click('li.card button.thumb');
    await page.waitForSelector('dialog[open] video, dialog[open] img');
    reports.push(await axeReport(page, 'library, playing a clip'));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));

    await page.click('li.card .actions button.danger');
    await page.waitForSelector('dialog.confirm[open]');
    reports.push(await axeReport(page, 'library, confirming a delete'));
    await page.click('dialog.confirm[open] ::-p-text(Cancel)');
    await page.close();
    expectClean(reports);
  });

  it('editor page with one clip and with two, clean, with the composition open', async () => {
    const [first, second] = await libraryMp4Ids();
    expect(second).toBeDefined();
    const reports: string[] = [];
    for (const ids of [[first!], [first!, second!]]) {
      const where = `editor, ${ids.length} ${ids.length === 1 ? 'clip' : 'clips'}`;
      const page = await session.looptab.extensionPage(`editor.html?ids=${ids.map(encodeURIComponent).join(',')}`);
      await page.waitForSelector('.timeline .track canvas.thumbnails[data-drawn]', { timeout: 20_000 });
      reports.push(await axeReport(page, where));
      await page.$eval('details.composition', (details) => { (details as HTMLDetailsElement).open = true; });
      reports.push(await axeReport(page, `${where}, composition open`));
      await page.close();
    }
    expectClean(reports);
  });

  it('region page with a rectangle drawn, clean', async () => {
    const page = await session.looptab.extensionPage('region.html');
    await page.waitForFunction(() => ((document.querySelector('.region-picture img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, { timeout: 15_000 });
    const reports = [await axeReport(page, 'region, the picture')];
    const box = (await (await page.$('.crop-area'))!.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
    await page.mouse.up();
    await page.waitForSelector('.crop-rect');
    reports.push(await axeReport(page, 'region, a rectangle drawn'));
    await page.close();
    expectClean(reports);
  });

  it('popup after the recorded tab closed, clean, saves or records this tab from the keyboard; idle once discarded', async () => {
    const other = await session.looptab.browser.newPage();
    await other.goto(`${session.pages.origin}/demo.html?tab=3`);
    const switcher = await clickToolbar(other);
    await (await switcher.waitForSelector('::-p-text(Record this tab instead)', { timeout: 10_000 }))!.click();
    const otherTabId = await switcher.evaluate(async () => (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id);
    await session.until('the other tab to hold 2 s', (s) => s.armed && s.tabId === otherTabId && s.bufferedSec >= 2);
    await other.close();
    await session.until('capture to end', (s) => s.state === 'ended');

    const popup = await popupIn('ended');
    expect(await popup.$eval('.reason', (el) => el.textContent)).toMatch(/closed|stopped being captured/);
    expect(await tabStops(popup)).toEqual([
      `Save last ${DEFAULT_SETTINGS.defaultClipSec} s`,
      ...clipLengthChoices(DEFAULT_SETTINGS.defaultClipSec).map((seconds) => `${seconds} s`),
      'Custom length in seconds', 'MP4', 'Record this tab', 'Discard', 'Library', 'Options',
    ]);
    const reports = [await axeReport(popup, 'popup, capture ended')];

    // Discard asks first; confirming leaves the idle popup: what Looptab does and its arm button.
    await popup.click('button.disarm');
    await popup.waitForSelector('dialog.confirm-disarm[open]');
    await popup.click('dialog.confirm-disarm[open] button.danger');
    await popup.waitForSelector('.popup[data-state="idle"]', { timeout: 10_000 });
    expect(await tabStops(popup)).toEqual(['Arm this tab', 'Library', 'Options']);
    reports.push(await axeReport(popup, 'popup, idle'));
    await popup.close();
    expect((await session.status()).state).toBe('idle');
    expectClean(reports);
  });
});
