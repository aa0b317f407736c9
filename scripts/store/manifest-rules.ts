// What the Chrome Web Store needs of the manifest and of the package's files. Each rule returns
// its problems (empty when fine), so a failing test or `npm run package` says exactly what is wrong.
import { cspProblems } from './csp';
import { pngSize } from './png-size';

export interface Manifest {
  manifest_version?: number;
  version?: string;
  minimum_chrome_version?: string;
  icons?: Record<string, string>;
  action?: { default_popup?: string; default_icon?: Record<string, string> | string };
  background?: { service_worker?: string };
  options_page?: string;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string };
}

/** The icon sizes the store and Chrome's UI use. */
export const ICON_SIZES = [16, 32, 48, 128] as const;

/** Returns a file's bytes by its path in the package, or null when it is not there. */
export type ReadFile = (path: string) => Uint8Array | null;

function iconFileProblems(label: string, path: string, size: number, read: ReadFile): string[] {
  const bytes = read(path);
  if (bytes === null) return [`${label} ${path} is missing`];
  try {
    const { width, height } = pngSize(bytes);
    return width === size && height === size ? [] : [`${label} ${path} is ${width}x${height}, not ${size}x${size}`];
  } catch (error) {
    return [`${label} ${path}: ${(error as Error).message}`];
  }
}

/** icons has 16, 32, 48 and 128, and every icon (also the toolbar's) is a PNG of its declared size. */
export function iconProblems(manifest: Manifest, read: ReadFile): string[] {
  const problems: string[] = [];
  for (const size of ICON_SIZES) {
    const path = manifest.icons?.[String(size)];
    if (path === undefined) problems.push(`icons has no ${size}`);
    else problems.push(...iconFileProblems(`icons.${size}`, path, size, read));
  }
  const actionIcons = manifest.action?.default_icon;
  if (typeof actionIcons === 'string') problems.push('action.default_icon must give a size for each file');
  for (const [size, path] of Object.entries(actionIcons ?? {})) {
    problems.push(...iconFileProblems(`action.default_icon.${size}`, path, Number(size), read));
  }
  return problems;
}

/** Every permission and host pattern the manifest asks for has a justification, and the table lists nothing else. */
export function permissionProblems(manifest: Manifest, table: ReadonlyMap<string, string>): string[] {
  const asked = [
    ...(manifest.permissions ?? []),
    ...(manifest.optional_permissions ?? []),
    ...(manifest.host_permissions ?? []),
    ...(manifest.optional_host_permissions ?? []),
  ];
  const problems: string[] = [];
  for (const permission of asked) {
    const why = table.get(permission);
    if (why === undefined) problems.push(`${permission} is in the manifest but not in the README's Permissions table`);
    else if (why.length < 10) problems.push(`${permission}'s justification in the README is too short to say why: "${why}"`);
  }
  for (const permission of table.keys()) {
    if (!asked.includes(permission)) problems.push(`the README's Permissions table lists ${permission}, which the manifest does not ask for`);
  }
  return problems;
}

/** The manifest's version is one Chrome accepts and package.json says the same. */
export function versionProblems(manifest: Manifest, packageJsonVersion: string): string[] {
  const version = manifest.version ?? '';
  const problems: string[] = [];
  // Chrome: one to four dot-separated integers, each 0-65535, no leading zeros.
  const parts = version.split('.');
  const valid = parts.length >= 1 && parts.length <= 4 && parts.every((p) => /^(0|[1-9]\d{0,4})$/.test(p) && Number(p) <= 65535);
  if (!valid) problems.push(`manifest version ${JSON.stringify(version)} is not 1-4 dot-separated integers (0-65535)`);
  if (version !== packageJsonVersion) problems.push(`manifest.json says version ${version}, package.json ${packageJsonVersion}: keep them equal`);
  return problems;
}

/** MV3, and a CSP for extension pages that runs only the package's own code. */
export function securityProblems(manifest: Manifest): string[] {
  const problems = manifest.manifest_version === 3 ? [] : [`manifest_version is ${manifest.manifest_version}, not 3`];
  return [...problems, ...cspProblems(manifest.content_security_policy?.extension_pages)];
}

/** Files that must never be in the store package. */
const FORBIDDEN_FILES: [RegExp, string][] = [
  [/\.map$/, 'a source map'],
  [/\.LEGAL\.txt$/, "an esbuild legal-comments file (the notices are in THIRD-PARTY-NOTICES.txt)"],
  [/\.(ts|tsx|mts|cts|mjs)$/, 'source code'],
  [/(^|\/)(src|tests?|scripts|node_modules|offscreen|extension)\//, 'a source or dev folder'],
  [/(^|\/)\./, 'a hidden file'],
  [/^(package(-lock)?\.json|tsconfig\.json|vitest\.config\.ts|build\.mjs|README\.md)$/, 'a dev file'],
];

/** The files a manifest or an HTML page of the package names. */
function referencedFiles(manifest: Manifest, read: ReadFile, files: readonly string[]): string[] {
  const referenced = [
    ...Object.values(manifest.icons ?? {}),
    ...(typeof manifest.action?.default_icon === 'object' ? Object.values(manifest.action.default_icon) : []),
    manifest.action?.default_popup,
    manifest.background?.service_worker,
    manifest.options_page,
  ].filter((path): path is string => typeof path === 'string');
  for (const page of files.filter((file) => file.endsWith('.html'))) {
    const html = new TextDecoder().decode(read(page) ?? new Uint8Array());
    for (const [, path = ''] of html.matchAll(/\b(?:src|href)="([^"#?:]+)"/g)) referenced.push(path.replace(/^\.?\//, ''));
  }
  return [...new Set(referenced)];
}

/** The package holds what the manifest and its pages name, the notices, and nothing from development. */
export function packageFileProblems(files: readonly string[], manifest: Manifest, read: ReadFile): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const forbidden = FORBIDDEN_FILES.find(([pattern]) => pattern.test(file));
    if (forbidden) problems.push(`${file} is ${forbidden[1]}: it must not be in the package`);
  }
  for (const required of ['manifest.json', 'THIRD-PARTY-NOTICES.txt', ...referencedFiles(manifest, read, files)]) {
    if (!files.includes(required)) problems.push(`${required} is missing from the package`);
  }
  return problems;
}
