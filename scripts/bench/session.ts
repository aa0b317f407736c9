/**
 * One armed recording for the bench: a browser whose page is exactly the frame size under test,
 * the demo page armed by a real toolbar click, and an extension page to send requests from.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Status } from '../../src/contract/messages';
import { armByToolbarClick, launchLooptab, sendMessage, type Looptab } from '../harness/browser';
import type { StaticServer } from '../harness/server';
import { cpuBetween, snapshotCpu, type CpuUse } from './cpu';
import { sleep } from './stats';

/** Headless Chromium still reserves this much window height for its invisible toolbar. */
const HEADLESS_TOOLBAR_PX = 87;
const POLL_MS = 200;
const BASELINE_MS = 3_000;

export interface FrameSize {
  width: number;
  height: number;
}

/** The page on its own, before the extension captures it. */
export interface PageBaseline {
  pageFps: number;
  cpu: CpuUse;
}

export interface BenchSession {
  looptab: Looptab;
  browserPid: number | undefined;
  demo: Page;
  control: Page;
  baseline: PageBaseline;
  status(): Promise<Status>;
  /** Polls status() until `done`; throws with the last status after `timeoutMs`. */
  until(what: string, done: (status: Status) => boolean, timeoutMs: number): Promise<Status>;
  close(): Promise<void>;
}

export async function openArmedSession(root: string, server: StaticServer, size: FrameSize, pagePath: string): Promise<BenchSession> {
  const looptab = await launchLooptab({
    distDir: join(root, 'dist'),
    windowSize: { width: size.width, height: size.height + HEADLESS_TOOLBAR_PX },
  });
  try {
    const demo = await looptab.browser.newPage();
    await demo.goto(`${server.origin}/${pagePath}`);
    const browserPid = looptab.browser.process()?.pid;
    const baseline = await measureBaseline(demo, browserPid);
    // The click opens the popup, which arms the active tab (and closes as capture starts).
    await armByToolbarClick(looptab, demo);
    const control = await looptab.extensionPage('options.html');
    const status = (): Promise<Status> => sendMessage<Status>(control, { type: 'status' });
    const until = async (what: string, done: (status: Status) => boolean, timeoutMs: number): Promise<Status> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await status();
        if (done(current)) return current;
        if (current.state === 'error' || current.state === 'ended') throw new Error(`recording ${current.state}: ${current.lastError}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(current)}`);
        await sleep(POLL_MS);
      }
    };
    await until('the recording to start', (s) => s.state === 'armed' && s.encodedFrames > 0, 20_000);
    return { looptab, browserPid, demo, control, baseline, status, until, close: () => looptab.close() };
  } catch (error) {
    await looptab.close();
    throw error;
  }
}

/** Frames the demo page has drawn (its requestAnimationFrame count). */
export async function pageFrames(demo: Page): Promise<number> {
  return demo.evaluate(() => (window as unknown as { looptabDemo: { frame: number } }).looptabDemo.frame);
}

async function measureBaseline(demo: Page, browserPid: number | undefined): Promise<PageBaseline> {
  await sleep(500); // past the first paint
  const framesBefore = await pageFrames(demo);
  const cpuBefore = snapshotCpu();
  await sleep(BASELINE_MS);
  const cpuAfter = snapshotCpu();
  const frames = (await pageFrames(demo)) - framesBefore;
  return { pageFps: frames / ((cpuAfter.atMs - cpuBefore.atMs) / 1000), cpu: cpuBetween(cpuBefore, cpuAfter, browserPid) };
}
