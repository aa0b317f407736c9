// The store package as a user of the Chrome Web Store gets it: `npm run package`'s zip, unzipped
// into a fresh folder and loaded as the unpacked extension, arms the demo page and saves a clip
// that ffprobe reads with video and audio of the length asked.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../scripts/find-tools.mjs';
import { decodeErrors, probe } from '../../scripts/harness/media';
import { repoRoot } from '../../scripts/harness/paths';
import { launchArmedDemo, type ArmedDemo } from '../../scripts/harness/session';
import { iconProblems, packageFileProblems, type Manifest } from '../../scripts/store/manifest-rules';
import { buildPackage, type BuiltPackage } from '../../scripts/store/package';

let built: BuiltPackage;
let unpackedDir: string;
let session: ArmedDemo | undefined;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

beforeAll(async () => {
  built = await buildPackage(repoRoot);
  unpackedDir = await mkdtemp(join(tmpdir(), 'looptab-package-'));
  for (const [path, bytes] of Object.entries(unzipSync(readFileSync(built.zipPath)))) {
    if (path.endsWith('/')) continue;
    await mkdir(dirname(join(unpackedDir, path)), { recursive: true });
    await writeFile(join(unpackedDir, path), bytes);
  }
});

afterAll(async () => {
  await session?.close();
  if (unpackedDir) await rm(unpackedDir, { recursive: true, force: true });
});

describe('npm run package', () => {
  it('package, a zip of the release build only: manifest at the root, icons of their sizes, notices, no maps or dev files', async () => {
    expect(built.zipPath).toBe(join(repoRoot, 'out', `looptab-${built.version}.zip`));
    const files = await filesUnder(unpackedDir);
    expect(files).toEqual(built.files);
    const read = (path: string): Uint8Array | null => (existsSync(join(unpackedDir, path)) ? readFileSync(join(unpackedDir, path)) : null);
    const manifest = JSON.parse(readFileSync(join(unpackedDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toEqual(JSON.parse(readFileSync(join(repoRoot, 'manifest.json'), 'utf8')));
    expect(packageFileProblems(files, manifest, read)).toEqual([]);
    expect(iconProblems(manifest, read)).toEqual([]);
    for (const script of files.filter((file) => file.endsWith('.js'))) {
      expect(readFileSync(join(unpackedDir, script), 'utf8'), script).not.toMatch(/sourceMappingURL/);
    }
    const notices = readFileSync(join(unpackedDir, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const bundled of built.bundled) expect(notices).toContain(bundled.replace(/@(?=[^@]+$)/, ' '));
    expect(notices).toContain('Mozilla Public License Version 2.0');
    // A second, independent reader of the archive, where the machine has one.
    const unzip = findOnPath('unzip');
    if (unzip) execFileSync(unzip, ['-tq', built.zipPath]);
  });

  it('package, loaded unpacked in Chromium, arms the demo page and saves a 5 s clip with video and audio', async () => {
    session = await launchArmedDemo(6, { distDir: unpackedDir });
    expect(session.looptab.extension.path).toBe(unpackedDir);
    expect(session.looptab.extension.version).toBe(built.version);

    const { reply, file } = await session.save(5);
    expect(Math.abs(reply.durationSec - 5)).toBeLessThanOrEqual(1 / 30);
    const result = await probe(file);
    const video = result.streams.find((s) => s.codecType === 'video');
    const audio = result.streams.find((s) => s.codecType === 'audio');
    expect(video?.codecName).toBe('h264');
    expect(video?.durationSec).toBeCloseTo(5, 1);
    expect(video?.frames).toBeGreaterThanOrEqual(120);
    expect(audio?.codecName).toBe('opus');
    expect(audio?.durationSec).toBeCloseTo(5, 1);
    expect(result.formatDurationSec).toBeCloseTo(5, 1);
    expect(await decodeErrors(file)).toBe('');
  });
});
