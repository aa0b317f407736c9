// Makes this machine ready for `npm test` and says clearly what is missing.
// Plain ESM with builtins only: it runs before `npm install`.
//   1. node_modules missing or older than package-lock.json -> `npm ci` (or `npm install`).
//   2. Chromium/Chrome, ffmpeg and ffprobe must exist. As root with apt-get they are
//      installed; otherwise the command to run is printed and the exit code is 1.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium, findOnPath, isExecutableFile } from './find-tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} line */
const say = (line) => console.log(`ensure-env: ${line}`);

/** @param {string} file */
const mtimeMs = (file) => (existsSync(file) ? statSync(file).mtimeMs : null);

/**
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function run(command, args, env) {
  say(`running: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: env ?? process.env });
  if (result.error) say(`could not start ${command}: ${result.error.message}`);
  return result.status === 0;
}

function ensureNodeModules() {
  const nodeModules = join(root, 'node_modules');
  const lock = join(root, 'package-lock.json');
  const hasLock = existsSync(lock);
  const manifestMs = mtimeMs(hasLock ? lock : join(root, 'package.json'));
  // npm rewrites node_modules/.package-lock.json on every install; the directory's own mtime
  // only changes when top-level entries are added or removed, so it is not a reliable stamp,
  // and a folder without that file (emptied by an install elsewhere) holds no install at all.
  const installedMs = mtimeMs(join(nodeModules, '.package-lock.json'));
  let reason = null;
  if (installedMs === null) reason = existsSync(nodeModules) ? 'node_modules holds no npm install' : 'node_modules is missing';
  else if (manifestMs !== null && manifestMs > installedMs) {
    reason = `node_modules is older than ${hasLock ? 'package-lock.json' : 'package.json'}`;
  }
  if (reason === null) {
    say('ok       node_modules (up to date)');
    return;
  }
  say(reason);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (!run(npm, hasLock ? ['ci'] : ['install'])) {
    say(`npm ${hasLock ? 'ci' : 'install'} failed (see its output above)`);
    process.exit(1);
  }
  say('ok       node_modules (installed)');
}

/**
 * First line of `file args`, or '' when it cannot be run.
 * @param {string} file
 * @param {string[]} args
 */
function versionOf(file, args) {
  const result = spawnSync(file, args, { encoding: 'utf8', timeout: 20_000 });
  // 'ffmpeg version 5.1 Copyright (c) ...': keep the part before the copyright.
  const first = (result.stdout ?? '').split('\n')[0] ?? '';
  return first.replace(/\s+Copyright.*$/, '').trim();
}

/** Chromium's German UI strings next to the binary Looptab's tests run, or null. */
function findChromiumLocales() {
  const chromium = findChromium();
  if (chromium === null) return null;
  const binary = realpathSync(chromium);
  // /usr/bin/chromium is Debian's wrapper script: its browser and locales live in /usr/lib/chromium.
  for (const dir of [dirname(binary), '/usr/lib/chromium']) {
    const pak = join(dir, 'locales', 'de.pak');
    if (existsSync(pak)) return pak;
  }
  return null;
}

/** @typedef {{ name: string; aptPackage: string; find: () => string | null; versionArgs: string[] }} Tool */

/** @type {Tool[]} */
const tools = [
  { name: 'chromium', aptPackage: 'chromium', find: findChromium, versionArgs: ['--version'] },
  // Debian's chromium ships only en-US; the German locale test and screenshots need the others.
  { name: 'chromium-l10n', aptPackage: 'chromium-l10n', find: findChromiumLocales, versionArgs: [] },
  { name: 'ffmpeg', aptPackage: 'ffmpeg', find: () => findOnPath('ffmpeg'), versionArgs: ['-version'] },
  { name: 'ffprobe', aptPackage: 'ffmpeg', find: () => findOnPath('ffprobe'), versionArgs: ['-version'] },
];

/** @returns {Tool[]} the tools still missing, after printing one line per tool found */
function reportTools() {
  const missing = [];
  for (const tool of tools) {
    const file = tool.find();
    if (file === null) {
      missing.push(tool);
      continue;
    }
    const version = tool.versionArgs.length > 0 ? versionOf(file, tool.versionArgs) : '';
    say(`ok       ${tool.name.padEnd(9)} ${file}${version ? ` (${version})` : ''}`);
  }
  return missing;
}

/** @param {Tool[]} missing */
function printHowToInstall(missing) {
  const packages = [...new Set(missing.map((t) => t.aptPackage))];
  say(`MISSING  ${missing.map((t) => t.name).join(', ')}`);
  console.error(
    [
      '',
      'Install what is missing, then run `npm test` again:',
      `  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install ${packages.join(' ')}`,
      ...(missing.some((t) => t.name === 'chromium')
        ? ['  or any Chrome/Chromium: set CHROME_PATH=/path/to/chrome (the binary, not a wrapper script)']
        : []),
      ...(missing.some((t) => t.aptPackage === 'ffmpeg')
        ? ['  other systems:  install ffmpeg so that both ffmpeg and ffprobe are on PATH']
        : []),
      '',
    ].join('\n'),
  );
}

ensureNodeModules();

const chromePath = process.env.CHROME_PATH;
if (chromePath && !isExecutableFile(chromePath)) {
  say(`warning  CHROME_PATH=${chromePath} is not an executable file; looking in the usual places`);
}

let missing = reportTools();
if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  const aptGet = findOnPath('apt-get');
  if (isRoot && aptGet !== null) {
    const packages = [...new Set(missing.map((t) => t.aptPackage))];
    say(`missing ${missing.map((t) => t.name).join(', ')}: installing ${packages.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run(aptGet, ['update'], env) && run(aptGet, ['install', '-y', ...packages], env)) {
      missing = missing.filter((tool) => {
        const file = tool.find();
        if (file === null) return true;
        say(`ok       ${tool.name.padEnd(9)} ${file} (installed)`);
        return false;
      });
    } else {
      say('apt-get failed (see its output above)');
    }
  }
}
if (missing.length > 0) {
  printHowToInstall(missing);
  process.exit(1);
}
