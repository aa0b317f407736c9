// `npm run package`: the store build (node build.mjs --release), its licence notices, checks, and
// out/looptab-<version>.zip with the extension's files at its root, as the Chrome Web Store wants.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { apisUsed, requiredChrome } from './chrome-versions';
import { iconProblems, packageFileProblems, securityProblems, versionProblems, type Manifest } from './manifest-rules';
import { bundledPackageNames, readBundledPackage, thirdPartyNotices } from './notices';

export interface BuiltPackage {
  zipPath: string;
  version: string;
  zipBytes: number;
  /** Paths inside the zip, sorted. */
  files: string[];
  /** The npm packages bundled, as name@version. */
  bundled: string[];
}

/** Zip entries carry this time, so the same tree gives the same zip. */
const ENTRY_TIME = new Date(2020, 0, 1);

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

/** Builds, checks and zips the extension; throws with every problem found. */
export async function buildPackage(repoRoot: string): Promise<BuiltPackage> {
  try {
    execFileSync(process.execPath, [join(repoRoot, 'build.mjs'), '--release'], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    throw new Error(`node build.mjs --release failed:\n${String((error as { stderr?: unknown }).stderr ?? error)}`);
  }
  const releaseDir = join(repoRoot, 'out', 'release');
  const metafile = JSON.parse(readFileSync(join(repoRoot, 'out', 'release-meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
  const packages = await Promise.all(bundledPackageNames(metafile).map((name) => readBundledPackage(name, join(repoRoot, 'node_modules'))));
  writeFileSync(join(releaseDir, 'THIRD-PARTY-NOTICES.txt'), thirdPartyNotices(packages));

  const files = listFiles(releaseDir)
    .map((path) => relative(releaseDir, path).split(sep).join('/'))
    .sort();
  const read = (path: string): Uint8Array | null => {
    try {
      return readFileSync(join(releaseDir, path));
    } catch {
      return null;
    }
  };
  const manifest = JSON.parse(readFileSync(join(releaseDir, 'manifest.json'), 'utf8')) as Manifest;
  const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const shipped = apisUsed(files.filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(releaseDir, file), 'utf8')).join('\n'));
  const needs = requiredChrome(shipped.used);
  const problems = [
    ...versionProblems(manifest, packageJson.version),
    ...securityProblems(manifest),
    ...iconProblems(manifest, read),
    ...packageFileProblems(files, manifest, read),
    ...shipped.unknown.map((api) => `the bundle uses ${api}, whose minimum Chrome version scripts/store/chrome-versions.ts does not know`),
    ...(needs.chrome > Number(manifest.minimum_chrome_version)
      ? [`the bundle needs Chrome ${needs.chrome} (${needs.because.map((r) => r.api).join(', ')}), the manifest admits ${manifest.minimum_chrome_version}`]
      : []),
  ];
  if (problems.length > 0) throw new Error(`the package is not store-ready:\n- ${problems.join('\n- ')}`);

  const entries: Zippable = {};
  for (const file of files) entries[file] = [readFileSync(join(releaseDir, file)), { mtime: ENTRY_TIME }];
  const zip = zipSync(entries, { level: 9 });
  const version = manifest.version ?? '';
  const zipPath = join(repoRoot, 'out', `looptab-${version}.zip`);
  writeFileSync(zipPath, zip);
  return {
    zipPath,
    version,
    zipBytes: statSync(zipPath).size,
    files,
    bundled: packages.map((p) => `${p.name}@${p.version}`),
  };
}
