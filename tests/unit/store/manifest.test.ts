// The manifest as the Chrome Web Store will judge it: icons of the right sizes, every permission
// justified in the README's table (and the table naming nothing else), a CSP that runs only the
// package's code, and a minimum_chrome_version that is exactly what the code's APIs need.
// Each rule is also shown to catch what it is for, on made-up input.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../scripts/harness/paths';
import { apisUsed, requiredChrome } from '../../../scripts/store/chrome-versions';
import { cspProblems } from '../../../scripts/store/csp';
import { iconProblems, packageFileProblems, permissionProblems, securityProblems, versionProblems, type Manifest } from '../../../scripts/store/manifest-rules';
import { bundledPackageNames, readBundledPackage } from '../../../scripts/store/notices';
import { parsePermissionsTable } from '../../../scripts/store/permissions-table';
import { pngSize } from '../../../scripts/store/png-size';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'manifest.json'), 'utf8')) as Manifest;
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const readRepoFile = (path: string): Uint8Array | null => (existsSync(join(repoRoot, path)) ? readFileSync(join(repoRoot, path)) : null);

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
const readAll = (files: string[]): string => files.map((file) => readFileSync(file, 'utf8')).join('\n');

/** A PNG signature and IHDR chunk declaring width x height (enough for pngSize). */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

describe('manifest.json', () => {
  it('icons, 16/32/48/128 and the toolbar icons exist in icons/ as PNGs of their declared size', () => {
    expect(iconProblems(manifest, readRepoFile)).toEqual([]);
    expect(Object.values(manifest.icons ?? {}).every((path) => path.startsWith('icons/'))).toBe(true);
  });

  it("permissions, each justified in the README's Permissions table, which lists nothing else", () => {
    expect(permissionProblems(manifest, parsePermissionsTable(readme))).toEqual([]);
  });

  it('security, MV3 with an extension-pages CSP that runs only the package (no eval, no remote scripts)', () => {
    expect(securityProblems(manifest)).toEqual([]);
  });

  it('version, valid for Chrome and the same as package.json', () => {
    expect(versionProblems(manifest, packageJson.version)).toEqual([]);
  });

  it("minimum_chrome_version, exactly the newest any API in the code or its bundled packages needs", () => {
    const ours = apisUsed(readAll(['extension', 'offscreen', 'src'].flatMap((dir) => codeFiles(join(repoRoot, dir)))));
    expect(ours.unknown, 'chrome.* members with no version in scripts/store/chrome-versions.ts').toEqual([]);
    const dependencies = Object.keys(packageJson.dependencies).map((name) => apisUsed(readAll(codeFiles(join(repoRoot, 'node_modules', name)))));
    const needs = requiredChrome([...ours.used, ...dependencies.flatMap((d) => d.used)]);
    expect(
      { minimum_chrome_version: manifest.minimum_chrome_version, because: needs.because.map((r) => r.api) },
      'the manifest must admit no Chrome older than an API needs, and exclude none that would run it',
    ).toEqual({ minimum_chrome_version: String(needs.chrome), because: expect.any(Array) });
    // What sets it today, so a change of it is seen and reviewed.
    expect(needs.because.map((r) => r.api).sort()).toEqual(['chrome.runtime.ContextType', 'chrome.runtime.getContexts', 'chrome.tabCapture.getMediaStreamId']);
  });
});

describe('store rules, on made-up input', () => {
  it('pngSize, reads the IHDR size and refuses what is not a PNG', () => {
    expect(pngSize(pngHeader(48, 32))).toEqual({ width: 48, height: 32 });
    expect(() => pngSize(new TextEncoder().encode('GIF89a, not a png at all'))).toThrow(/not a PNG/);
  });

  it('iconProblems, names a missing size, a missing file and a wrong size', () => {
    const files: Record<string, Uint8Array> = { 'i/16.png': pngHeader(16, 16), 'i/32.png': pngHeader(64, 64) };
    const problems = iconProblems({ icons: { '16': 'i/16.png', '32': 'i/32.png', '48': 'i/48.png' } }, (path) => files[path] ?? null);
    expect(problems).toEqual(['icons.32 i/32.png is 64x64, not 32x32', 'icons.48 i/48.png is missing', 'icons has no 128']);
  });

  it('parsePermissionsTable, reads the names in backticks under ## Permissions only', () => {
    const text = '## Other\n| `nope` | x |\n\n## Permissions\n\nIntro.\n\n| Permission | Why |\n| --- | --- |\n| `tabCapture` | To capture the tab. |\n| `https://*/*` | Never. |\n\n## Next\n| `later` | y |\n';
    expect([...parsePermissionsTable(text)]).toEqual([
      ['tabCapture', 'To capture the tab.'],
      ['https://*/*', 'Never.'],
    ]);
    expect(() => parsePermissionsTable('# No such section')).toThrow(/no "## Permissions" section/);
  });

  it('permissionProblems, names an unjustified permission, a host permission and a row the manifest lacks', () => {
    const table = new Map([
      ['storage', 'Settings and session state.'],
      ['notifications', 'To say a clip was saved.'],
    ]);
    expect(permissionProblems({ permissions: ['storage', 'tabs'], host_permissions: ['<all_urls>'] }, table)).toEqual([
      "tabs is in the manifest but not in the README's Permissions table",
      "<all_urls> is in the manifest but not in the README's Permissions table",
      "the README's Permissions table lists notifications, which the manifest does not ask for",
    ]);
  });

  it("cspProblems, refuses eval, inline and remote script sources, and a missing policy", () => {
    expect(cspProblems("script-src 'self'; object-src 'self'")).toEqual([]);
    expect(cspProblems("script-src 'self' 'wasm-unsafe-eval'")).toEqual([]);
    expect(cspProblems("script-src 'self' 'unsafe-eval' https://cdn.example.com; object-src 'self'")).toEqual([
      "script-src allows 'unsafe-eval' (only 'self' may run code)",
      "script-src allows https://cdn.example.com (only 'self' may run code)",
    ]);
    expect(cspProblems("default-src 'self' 'unsafe-inline'")).toEqual(["default-src allows 'unsafe-inline' (only 'self' may run code)"]);
    expect(cspProblems("img-src 'self'")).toEqual(['neither script-src nor default-src is set']);
    expect(cspProblems(undefined)).toEqual(['no content_security_policy.extension_pages']);
  });

  it('versionProblems, refuses a version Chrome rejects and one package.json does not share', () => {
    expect(versionProblems({ version: '1.2.3' }, '1.2.3')).toEqual([]);
    expect(versionProblems({ version: '1.02.3-beta' }, '1.02.3-beta')).toEqual(['manifest version "1.02.3-beta" is not 1-4 dot-separated integers (0-65535)']);
    expect(versionProblems({ version: '1.2.3' }, '1.2.4')).toEqual(['manifest.json says version 1.2.3, package.json 1.2.4: keep them equal']);
  });

  it('apisUsed and requiredChrome, find chrome.* members across line breaks, name unknown ones, take the newest', () => {
    const code = 'chrome.offscreen\n  .createDocument({});\nchrome.sidePanel.open({});\nconst p = Promise.withResolvers();\nnew VideoEncoder({});';
    const use = apisUsed(code);
    expect(use.unknown).toEqual(['chrome.sidePanel.open']);
    expect(use.used.map((r) => r.api)).toEqual(['chrome.offscreen.createDocument', 'WebCodecs', 'Promise.withResolvers']);
    expect(requiredChrome(use.used)).toMatchObject({ chrome: 119, because: [{ api: 'Promise.withResolvers' }] });
    expect(requiredChrome([]).chrome).toBe(88);
  });

  it('packageFileProblems, refuses source maps, legal files, sources and dev files, and names what is missing', () => {
    const files = ['manifest.json', 'popup.html', 'popup.js', 'popup.js.map', 'popup.js.LEGAL.txt', 'src/units.ts', '.DS_Store', 'package.json'];
    const pages: Record<string, string> = { 'popup.html': '<script src="popup.js"></script><link rel="stylesheet" href="popup.css">' };
    const read = (path: string): Uint8Array | null => (pages[path] === undefined ? null : new TextEncoder().encode(pages[path]));
    expect(packageFileProblems(files, { action: { default_popup: 'popup.html' }, background: { service_worker: 'sw.js' } }, read)).toEqual([
      'popup.js.map is a source map: it must not be in the package',
      'popup.js.LEGAL.txt is an esbuild legal-comments file (the notices are in THIRD-PARTY-NOTICES.txt): it must not be in the package',
      'src/units.ts is source code: it must not be in the package',
      '.DS_Store is a hidden file: it must not be in the package',
      'package.json is a dev file: it must not be in the package',
      'THIRD-PARTY-NOTICES.txt is missing from the package',
      'sw.js is missing from the package',
      'popup.css is missing from the package',
    ]);
  });

  it('notices, name each bundled package once (scoped ones whole) and refuse a licence the package cannot ship', async () => {
    const inputs = { 'node_modules/preact/dist/preact.module.js': {}, 'node_modules/preact/hooks/dist/hooks.module.js': {}, 'node_modules/@scope/lib/index.js': {}, 'src/units.ts': {} };
    expect(bundledPackageNames({ inputs })).toEqual(['@scope/lib', 'preact']);

    const dir = await mkdtemp(join(tmpdir(), 'looptab-notices-'));
    try {
      await mkdir(join(dir, 'copyleft'));
      await writeFile(join(dir, 'copyleft', 'package.json'), JSON.stringify({ name: 'copyleft', version: '1.0.0', license: 'AGPL-3.0' }));
      await writeFile(join(dir, 'copyleft', 'LICENSE'), 'GNU AFFERO GENERAL PUBLIC LICENSE');
      await expect(readBundledPackage('copyleft', dir)).rejects.toThrow(/licensed AGPL-3.0, which the package cannot ship/);
      const mediabunny = await readBundledPackage('mediabunny', join(repoRoot, 'node_modules'));
      expect(mediabunny).toMatchObject({ license: 'MPL-2.0', repository: 'https://github.com/Vanilagy/mediabunny' });
      expect(mediabunny.licenseText).toMatch(/^Mozilla Public License Version 2\.0/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
