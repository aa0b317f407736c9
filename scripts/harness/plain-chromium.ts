// Chromium without the extension, for pages that drive one piece of Looptab (a worker, the
// encoders) directly: a fixture page script bundled by esbuild, served over http://127.0.0.1
// (a secure context: WebCodecs needs one).
import * as esbuild from 'esbuild';
import puppeteer, { type Browser } from 'puppeteer-core';
import { findChromium } from '../find-tools.mjs';

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
