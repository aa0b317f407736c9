// THIRD-PARTY-NOTICES.txt for the store package: every npm package esbuild bundled, with its
// licence text. MIT asks for its notice in every copy; MPL-2.0 (mediabunny) asks, for a
// distribution in executable form (a minified bundle), to tell recipients where its source is.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Licences whose terms the notice file meets; any other stops the package (e.g. gifski-wasm's AGPL). */
export const ACCEPTED_LICENSES = ['MIT', 'ISC', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', 'MPL-2.0'] as const;

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** Where its source is, from its package.json. */
  repository: string;
  /** LICENSE (and NOTICE, for Apache-2.0) as the package ships them. */
  licenseText: string;
}

/** The npm packages an esbuild metafile's inputs come from, sorted. */
export function bundledPackageNames(metafile: { inputs: Record<string, unknown> }): string[] {
  const names = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const [first = '', second = ''] = input.slice(at + 'node_modules/'.length).split('/');
    names.add(first.startsWith('@') ? `${first}/${second}` : first);
  }
  return [...names].sort();
}

function repositoryUrl(repository: unknown, homepage: unknown): string {
  const raw = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof raw === 'string') return raw.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/\.git$/, '');
  return typeof homepage === 'string' ? homepage : '';
}

/** Reads one bundled package's facts and licence from `nodeModulesDir`; throws when it cannot be shipped. */
export async function readBundledPackage(name: string, nodeModulesDir: string): Promise<BundledPackage> {
  const dir = join(nodeModulesDir, name);
  const json = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const license = typeof json.license === 'string' ? json.license : '';
  if (!(ACCEPTED_LICENSES as readonly string[]).includes(license)) {
    throw new Error(`${name} is licensed ${license || '(not stated)'}, which the package cannot ship (accepted: ${ACCEPTED_LICENSES.join(', ')})`);
  }
  const files = await readdir(dir);
  const licenseFile = files.find((file) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(file));
  if (!licenseFile) throw new Error(`${name} ships no LICENSE file to copy into the notices`);
  let licenseText = (await readFile(join(dir, licenseFile), 'utf8')).trim();
  const noticeFile = files.find((file) => /^notice(\.(md|txt))?$/i.test(file));
  if (noticeFile && existsSync(join(dir, noticeFile))) licenseText += `\n\n${(await readFile(join(dir, noticeFile), 'utf8')).trim()}`;
  return { name, version: String(json.version), license, repository: repositoryUrl(json.repository, json.homepage), licenseText };
}

/** The text of THIRD-PARTY-NOTICES.txt. */
export function thirdPartyNotices(packages: readonly BundledPackage[]): string {
  const rule = '='.repeat(78);
  const parts = [
    'Looptab bundles the following open-source packages, minified, into its scripts.',
    'Each is used unmodified; its licence follows.',
    '',
    ...packages.map((p) => `  ${p.name} ${p.version} (${p.license}) ${p.repository}`),
  ];
  for (const p of packages) {
    parts.push('', rule, `${p.name} ${p.version}`, `Licence: ${p.license}`, `Source: ${p.repository}`);
    if (p.license === 'MPL-2.0') {
      parts.push(
        `The Source Code Form of ${p.name} is available at ${p.repository} (release ${p.version})`,
        `and in the npm package ${p.name}@${p.version}. Looptab's scripts contain it unmodified.`,
      );
    }
    parts.push(rule, '', p.licenseText);
  }
  return `${parts.join('\n')}\n`;
}
