// The set-up most e2e files share: Looptab in Chromium, the demo page armed by a real toolbar
// click, an extension page to send messages from, and the downloads folder served over http
// (so Chromium's own <video>/<img> can load saved clips).
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Status } from '../../src/contract/messages';
import { armByToolbarClick, launchLooptab, sendMessage, type Looptab } from './browser';
import { serveStatic, type StaticServer } from './server';

const root = join(import.meta.dirname, '..', '..');

export interface ArmedDemo {
  looptab: Looptab;
  demo: Page;
  /** An extension page to send messages from. */
  control: Page;
  /** Serves the downloads folder. */
  downloads: StaticServer;
  status(): Promise<Status>;
  close(): Promise<void>;
}

/** Arms the 1280x720 demo page and waits (up to 30 s) until `bufferedSec` are buffered. */
export async function launchArmedDemo(bufferedSec: number): Promise<ArmedDemo> {
  const server = await serveStatic(join(root, 'tests', 'fixtures'));
  const looptab = await launchLooptab({ distDir: join(root, 'dist'), audio: true, windowSize: { width: 1280, height: 720 + 87 } });
  const downloads = await serveStatic(looptab.downloadsDir);
  const demo = await looptab.browser.newPage();
  await demo.goto(`${server.origin}/demo.html`);
  await armByToolbarClick(looptab, demo);
  const control = await looptab.extensionPage('options.html');
  const status = () => sendMessage<Status>(control, { type: 'status' });
  let last = await status();
  for (let i = 0; i < 120 && last.bufferedSec < bufferedSec; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await status();
  }
  if (last.bufferedSec < bufferedSec) {
    await looptab.close();
    await server.close();
    await downloads.close();
    throw new Error(`The demo never had ${bufferedSec} s buffered within 30 s of arming: ${JSON.stringify(last)}`);
  }
  return {
    looptab,
    demo,
    control,
    downloads,
    status,
    async close() {
      await looptab.close();
      await server.close();
      await downloads.close();
    },
  };
}
