/**
 * One armed recording for the bench: a browser whose page is exactly the frame size under test,
 * the page measured on its own, then armed by a real toolbar click (scripts/harness/session.ts).
 */
import type { Page } from 'puppeteer-core';
import type { Status } from '../../src/contract/messages';
import type { Looptab } from '../harness/browser';
import { launchSession } from '../harness/session';
import { sleep } from '../harness/wait';
import { cpuBetween, snapshotCpu, type CpuUse } from './cpu';

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
  /** Polls status() until `done`; throws with the last status after `timeoutMs`, or once the recording stops. */
  until(what: string, done: (status: Status) => boolean, timeoutMs: number): Promise<Status>;
  close(): Promise<void>;
}

/** `settings`: stored before arming, as the options page would. */
export async function openArmedSession(size: FrameSize, pagePath: string, settings: Record<string, unknown> = {}): Promise<BenchSession> {
  const session = await launchSession({ page: pagePath, pageSize: size });
  try {
    if (Object.keys(settings).length > 0) await session.setSettings(settings);
    const browserPid = session.looptab.browser.process()?.pid;
    const baseline = await measureBaseline(session.page, browserPid);
    // The click opens the popup, which arms the active tab (and closes as capture starts).
    await session.arm();
    const control = await session.controlPage();
    const until = (what: string, done: (status: Status) => boolean, timeoutMs: number): Promise<Status> =>
      session.until(
        what,
        (status) => {
          if (status.state === 'error' || status.state === 'ended') throw new Error(`recording ${status.state}: ${status.lastError}`);
          return done(status);
        },
        { timeoutMs, pollMs: POLL_MS },
      );
    await until('the recording to start', (s) => s.state === 'armed' && s.encodedFrames > 0, 20_000);
    return { looptab: session.looptab, browserPid, demo: session.page, control, baseline, status: session.status, until, close: session.close };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** Frames the demo page has drawn (its requestAnimationFrame count). */
export async function pageFrames(demo: Page): Promise<number> {
  return demo.evaluate(() => (window as unknown as { looptabDemo: { frame: number } }).looptabDemo.frame);
}

/** The page's own frame rate and the browser's CPU over a few seconds, before anything captures it. */
export async function measureBaseline(demo: Page, browserPid: number | undefined): Promise<PageBaseline> {
  await sleep(500); // past the first paint
  const framesBefore = await pageFrames(demo);
  const cpuBefore = snapshotCpu();
  await sleep(BASELINE_MS);
  const cpuAfter = snapshotCpu();
  const frames = (await pageFrames(demo)) - framesBefore;
  return { pageFps: frames / ((cpuAfter.atMs - cpuBefore.atMs) / 1000), cpu: cpuBetween(cpuBefore, cpuAfter, browserPid) };
}
