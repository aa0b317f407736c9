// The editor page in real headless Chromium, opened from the library page's Edit buttons: its
// thumbnail strip and waveform really decoded, the in point moved by the keyboard shows up in
// the composition's segments, two clips with a dissolve list a dissolve instruction and the spans
// encoded again, and an export from the page lands in Downloads as long as the composition says.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeErrors, probe } from '../../scripts/harness/media';
import { launchSession, type SavedReply, type Session } from '../../scripts/harness/session';

let session: Session;
/** Two ~4 s MP4 saves, oldest first. */
const saved: SavedReply[] = [];
let library: Page;

const idOf = (index: number): string => saved[index]!.libraryId!;

/** Clicks `selector` on the library page and returns the editor tab it opens. */
async function openEditorFrom(selector: string): Promise<Page> {
  const { browser } = session.looptab;
  const before = new Set(browser.targets());
  // A background tab gets no input events: the editor tab opened last covers the library's.
  await library.bringToFront();
  await library.click(selector);
  const target = await browser.waitForTarget((t) => !before.has(t) && t.url().includes('/editor.html?ids='), { timeout: 10_000 });
  const page = await target.asPage();
  if (!page) throw new Error('the editor tab has no page');
  await page.waitForSelector('.timeline .track', { timeout: 20_000 });
  return page;
}

/** How much a canvas varies: the standard deviation of its luma, over pixels drawn (alpha > 0). */
async function canvasSpread(page: Page, selector: string): Promise<{ drawn: number; spread: number }> {
  return page.$eval(selector, (element) => {
    const canvas = element as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! === 0) continue;
      drawn++;
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      sum += luma;
      sumSquares += luma * luma;
    }
    return { drawn: drawn / (data.length / 4), spread: drawn ? Math.sqrt(sumSquares / drawn - (sum / drawn) ** 2) : 0 };
  });
}

/** The waveform's bar heights in pixels, one per 2 px column (what was drawn, top to bottom). */
async function waveformBarHeights(page: Page, selector: string): Promise<number[]> {
  return page.$eval(selector, (element) => {
    const canvas = element as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const heights: number[] = [];
    for (let x = 0; x < canvas.width; x += 2) {
      let height = 0;
      for (let y = 0; y < canvas.height; y++) if (data[(y * canvas.width + x) * 4 + 3]! > 0) height++;
      heights.push(height);
    }
    return heights;
  });
}

async function openComposition(page: Page): Promise<void> {
  await page.$eval('details.composition', (details) => { (details as HTMLDetailsElement).open = true; });
}

beforeAll(async () => {
  session = await launchSession({ audio: true, pageSize: { width: 1280, height: 720 } });
  await session.arm();
  await session.until('5 s buffered', (s) => s.bufferedSec >= 5);
  saved.push((await session.save(4)).reply);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  saved.push((await session.save(4)).reply);
  for (const reply of saved) expect(reply.libraryId).toBeTruthy();
  library = await session.looptab.extensionPage('library.html');
  await library.waitForSelector(`li.card[data-clip-id="${idOf(1)}"] button.edit`);
});

afterAll(async () => {
  await session?.close();
});

describe('editor page', () => {
  it('one clip from its Edit button, draws thumbnails and waveform, and trims by keyboard into the composition', async () => {
    const page = await openEditorFrom(`li.card[data-clip-id="${idOf(0)}"] button.edit`);
    expect(new URL(page.url()).searchParams.get('ids')).toBe(idOf(0));
    const track = `.track[data-clip-id="${idOf(0)}"]`;
    await page.waitForSelector(`${track} canvas.thumbnails[data-drawn]`, { timeout: 20_000 });
    await page.waitForSelector(`${track} canvas.waveform[data-drawn]`, { timeout: 20_000 });
    // The demo page's moving picture decodes to thumbnails that are not flat, covering the strip.
    const strip = await canvasSpread(page, `${track} canvas.thumbnails`);
    expect(strip.drawn).toBeGreaterThan(0.95);
    expect(strip.spread).toBeGreaterThan(5);
    // Its continuous sound draws bars of many heights, not a flat line.
    const bars = await waveformBarHeights(page, `${track} canvas.waveform`);
    expect(bars.filter((h) => h > 4).length).toBeGreaterThan(bars.length / 2);
    expect(new Set(bars).size).toBeGreaterThan(3);
    // The preview plays the clip.
    await page.waitForFunction(() => ((document.querySelector('.stage video') as HTMLVideoElement | null)?.currentTime ?? 0) > 0.1, { timeout: 10_000 });

    // Shift+Right moves the in point 1 s (onto a frame), Right one frame more, twice.
    const inHandle = `${track} .handle.in`;
    await page.focus(inHandle);
    await page.keyboard.down('Shift');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.up('Shift');
    const afterSecond = Number(await page.$eval(inHandle, (el) => el.getAttribute('data-time-us')));
    expect(afterSecond).toBeGreaterThan(950_000);
    expect(afterSecond).toBeLessThan(1_050_000);
    // Each Right moves it to the next frame: later by at least a 1/60 s tick, by at most a frame
    // the capture dropped or two.
    const inHandleUs = async () => Number(await page.$eval(inHandle, (el) => el.getAttribute('data-time-us')));
    const steps = [afterSecond];
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('ArrowRight');
      steps.push(await inHandleUs());
    }
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]! - steps[i - 1]!).toBeGreaterThanOrEqual(16_000);
      expect(steps[i]! - steps[i - 1]!).toBeLessThan(120_000);
    }
    const inUs = steps.at(-1)!;

    await openComposition(page);
    const segments = await page.$$eval('tr.segment', (rows) => rows.map((row) => ({
      startUs: Number(row.getAttribute('data-source-start-us')),
      endUs: Number(row.getAttribute('data-source-end-us')),
      text: row.textContent ?? '',
    })));
    expect(segments).toHaveLength(1);
    expect(segments[0]!.startUs).toBe(inUs);
    // The out point did not move: the segment ends at the clip's end, as the file gives it, on
    // the last whole 1/60 s slot from the in point (so joined clips stay on one grid).
    const outUs = Number(await page.$eval(`${track} .handle.out`, (el) => el.getAttribute('data-time-us')));
    expect(segments[0]!.endUs).toBeLessThanOrEqual(outUs);
    expect(outUs - segments[0]!.endUs).toBeLessThan(1e6 / 60);
    expect(Math.abs(outUs - saved[0]!.durationSec * 1e6)).toBeLessThan(40_000);
    expect(segments[0]!.text).toContain(`${(inUs / 1e6).toFixed(3)}–`);
    // A plain trim passes through: one passthrough instruction, nothing encoded again.
    expect(await page.$$eval('tr.instruction', (rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual(['passthrough']);
    expect(await page.$eval('.reencoded', (el) => el.getAttribute('data-us'))).toBe('0');
    expect(await page.$$eval('li.run', (runs) => runs.map((r) => r.getAttribute('data-kind')))).toEqual(['copy']);
    expect(await page.$('.validation-ok')).not.toBeNull();

    // Ctrl+Z takes the last frame step back; Ctrl+Shift+Z redoes it.
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyZ');
    await page.keyboard.up('Control');
    expect(await inHandleUs()).toBe(steps[1]);
    await page.keyboard.down('Control');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyZ');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Control');
    expect(await inHandleUs()).toBe(inUs);
    await page.close();
  });

  it('two clips from Edit selected, with a 1 s dissolve, list a dissolve instruction and the spans encoded again', async () => {
    await library.bringToFront();
    for (const index of [0, 1]) await library.click(`li.card[data-clip-id="${idOf(index)}"] input[type=checkbox]`);
    const page = await openEditorFrom('button.edit-selected');
    expect(new URL(page.url()).searchParams.get('ids')).toBe(`${idOf(0)},${idOf(1)}`);
    expect(await page.$$eval('.clip-list li', (items) => items.map((li) => li.getAttribute('data-clip-id')))).toEqual([idOf(0), idOf(1)]);
    expect(await page.$eval('input.transition', (el) => (el as HTMLInputElement).value)).toBe('0.5');
    await page.$eval('input.transition', (el) => {
      const input = el as HTMLInputElement;
      input.value = '1';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await openComposition(page);
    await page.waitForFunction(() => {
      const row = document.querySelector('tr.instruction[data-kind="dissolve"]');
      return row && Number(row.getAttribute('data-end-us')) - Number(row.getAttribute('data-start-us')) === 1_000_000;
    }, { timeout: 5_000 });
    const instructions = await page.$$eval('tr.instruction', (rows) => rows.map((r) => ({ kind: r.getAttribute('data-kind'), startUs: Number(r.getAttribute('data-start-us')), endUs: Number(r.getAttribute('data-end-us')) })));
    expect(instructions.map((i) => i.kind)).toEqual(['passthrough', 'dissolve', 'passthrough']);
    const dissolve = instructions[1]!;
    const encoded = await page.$$eval('li.run[data-kind="encode"]', (runs) => runs.map((r) => ({ startUs: Number(r.getAttribute('data-start-us')), endUs: Number(r.getAttribute('data-end-us')) })));
    expect(encoded.length).toBeGreaterThan(0);
    // The dissolve is encoded again; copies on both sides of it are kept.
    expect(encoded.some((run) => run.startUs <= dissolve.startUs && run.endUs >= dissolve.endUs)).toBe(true);
    expect(await page.$$eval('li.run[data-kind="copy"]', (runs) => runs.length)).toBeGreaterThanOrEqual(2);
    expect(await page.$eval('tr.instruction[data-kind="dissolve"]', (row) => row.textContent)).toMatch(/segment 1: opacity 1 → 0.*segment 2: opacity 0 → 1/);
    expect(await page.$('.validation-ok')).not.toBeNull();
    expect(await page.$eval('button.export', (b) => (b as HTMLButtonElement).disabled)).toBe(false);

    // A dissolve longer than a clip is refused before export, where the Export button is.
    await page.$eval('input.transition', (el) => {
      const input = el as HTMLInputElement;
      input.value = '5';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForSelector('.output .refusals', { timeout: 5_000 });
    expect(await page.$eval('.output .refusals', (el) => el.textContent)).toMatch(/too short for a dissolve/);
    expect(await page.$eval('button.export', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await page.close();
  });

  it('export from the page, shows the reply and downloads an MP4 as long as the two clips minus the dissolve', async () => {
    const page = await openEditorFrom('button.edit-selected');
    await page.$eval('input.transition', (el) => {
      const input = el as HTMLInputElement;
      input.value = '1';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const watch = await session.looptab.watchNextDownload(120_000);
    await page.click('button.export');
    await page.waitForSelector('.export-reply', { timeout: 120_000 });
    const reply = await page.$eval('.export-reply', (el) => ({ ok: el.getAttribute('data-ok'), text: el.textContent ?? '' }));
    expect(reply.ok, reply.text).toBe('true');
    const { file } = await watch.completed();
    const expectedSec = saved[0]!.durationSec + saved[1]!.durationSec - 1;
    const probed = await probe(file);
    const video = probed.streams.find((s) => s.codecType === 'video')!;
    expect(video).toMatchObject({ codecName: 'h264', width: 1280, height: 720 });
    expect(Math.abs(probed.formatDurationSec - expectedSec)).toBeLessThan(0.05);
    expect(probed.streams.some((s) => s.codecType === 'audio')).toBe(true);
    expect(await decodeErrors(file)).toBe('');
    expect(reply.text).toContain('video encoded again');
    expect(await page.$('.export-reply a[href="library.html"]')).not.toBeNull();
    await page.close();
  });
});
