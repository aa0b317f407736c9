// Finds the external programs the tests need. Plain ESM with builtins only: ensure-env.mjs
// imports it before `npm install` has run.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Chromium or Chrome usually lives on Linux, best first. */
export const CHROMIUM_CANDIDATES = [
  // Debian's /usr/bin/chromium is a wrapper script that adds flags from /etc/chromium.d;
  // the real binary comes first so Puppeteer controls every flag.
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
];

/** @param {string} file */
export function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser to drive: env CHROME_PATH if it names an executable file, else the first
 * existing candidate.
 * @returns {string | null}
 */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && isExecutableFile(fromEnv)) return fromEnv;
  return CHROMIUM_CANDIDATES.find(isExecutableFile) ?? null;
}

/**
 * The full path of an executable on PATH, like `command -v`.
 * @param {string} name
 * @returns {string | null}
 */
export function findOnPath(name) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = join(dir, name + ext);
      if (isExecutableFile(file)) return file;
    }
  }
  return null;
}
