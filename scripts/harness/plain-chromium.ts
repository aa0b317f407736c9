// Chromium without the extension, for pages that drive one piece of Looptab (a worker, the
// encoders) directly: a fixture page script bundled by esbuild, served over http://127.0.0.1
// (a secure context: WebCodecs needs one).
import * as esbuild from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { findChromium } from '../find-tools.mjs';
import { serveStatic, type StaticServer } from './server';

/** Bundles a fixture page script (TypeScript, imports allowed) into one classic script. */
export async function bundlePageScript(entry: string, outfile: string): Promise<void> {
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, format: 'iife', target: 'chrome116', logLevel: 'error' });
}

/** Headless Chromium as the e2e tests run it, without the extension. */
export async function launchPlainChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium/Chrome found: run `node scripts/ensure-env.mjs` or set CHROME_PATH');
  return puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    args: ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
  });
}

export interface ServedPage {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Serves `dir` and opens its index.html in a headless Chromium of its own; page errors are logged. */
export async function openServedPage(dir: string): Promise<ServedPage> {
  let server: StaticServer | null = null;
  let browser: Browser | null = null;
  const close = async (): Promise<void> => {
    await browser?.close();
    await server?.close();
  };
  try {
    server = await serveStatic(dir);
    browser = await launchPlainChromium();
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`page error in ${server?.origin}/:`, error));
    await page.goto(`${server.origin}/`);
    return { browser, page, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
