// Bundles every entry with esbuild and lays out the unpacked extension in dist/.
// Usage: node build.mjs [--watch | --release]
//   --release: the store build in out/release/ (minified, no source maps, no legal-comment files:
//   scripts/package.ts writes the licence notices and zips it), plus its esbuild metafile in
//   out/release-meta.json, which says which packages were bundled.
import * as esbuild from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const release = process.argv.includes('--release');
const outdir = join(root, release ? join('out', 'release') : 'dist');
/** Syntax is lowered to what the oldest Chrome the manifest admits understands. */
const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));

const entryPoints = {
  'service-worker': 'extension/service-worker.ts',
  popup: 'extension/popup/popup.tsx',
  options: 'extension/options/options.tsx',
  library: 'extension/library/library.tsx',
  editor: 'extension/editor/editor.tsx',
  region: 'extension/region/region.tsx',
  offscreen: 'offscreen/offscreen.ts',
  'mux-worker': 'offscreen/mux-worker.ts',
  'gif-worker': 'offscreen/gif/gif-worker.ts',
  'thumbnail-worker': 'offscreen/thumbnail/thumbnail-worker.ts',
  'export-worker': 'offscreen/editor/export-worker.ts',
  'disk-worker': 'offscreen/recording/disk-worker.ts',
};

const staticFiles = [
  ['manifest.json', 'manifest.json'],
  ['extension/ui/tokens.css', 'ui.css'],
  ['extension/popup/popup.html', 'popup.html'],
  ['extension/popup/popup.css', 'popup.css'],
  ['extension/options/options.html', 'options.html'],
  ['extension/library/library.html', 'library.html'],
  ['extension/library/library.css', 'library.css'],
  ['extension/editor/editor.html', 'editor.html'],
  ['extension/editor/editor.css', 'editor.css'],
  ['extension/region/region.html', 'region.html'],
  ['extension/region/region.css', 'region.css'],
  ['offscreen/offscreen.html', 'offscreen.html'],
  ['icons', 'icons'],
];

/**
 * locales/<lang>/<part>.json (one part per page or shell, so each stays small) become the one
 * _locales/<lang>/messages.json Chrome reads. Chrome's keys ignore case: a clash fails the build.
 */
async function writeLocales() {
  for (const lang of await readdir(join(root, 'locales'))) {
    const messages = {};
    const seen = new Map();
    for (const part of (await readdir(join(root, 'locales', lang))).filter((name) => name.endsWith('.json')).sort()) {
      const entries = JSON.parse(await readFile(join(root, 'locales', lang, part), 'utf8'));
      for (const [key, entry] of Object.entries(entries)) {
        const clash = seen.get(key.toLowerCase());
        if (clash) throw new Error(`locales/${lang}: the key "${key}" of ${part} is also in ${clash}`);
        seen.set(key.toLowerCase(), part);
        messages[key] = entry;
      }
    }
    await mkdir(join(outdir, '_locales', lang), { recursive: true });
    await writeFile(join(outdir, '_locales', lang, 'messages.json'), JSON.stringify(messages, null, release ? 0 : 2));
  }
}

async function copyStatic() {
  for (const [from, to] of staticFiles) await cp(join(root, from), join(outdir, to), { recursive: true });
  await writeLocales();
}

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: Object.entries(entryPoints).map(([out, input]) => ({ in: input, out })),
  outdir,
  bundle: true,
  format: 'iife',
  target: `chrome${manifest.minimum_chrome_version}`,
  sourcemap: release ? false : 'linked',
  minify: !watch,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'info',
  legalComments: release ? 'none' : 'linked',
  metafile: release,
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await copyStatic();
if (watch) {
  const context = await esbuild.context({
    ...options,
    plugins: [{ name: 'copy-static', setup: (build) => build.onEnd(() => copyStatic().catch(console.error)) }],
  });
  await context.watch();
  console.log('watching for changes; load dist/ as an unpacked extension');
} else {
  const result = await esbuild.build(options);
  if (release) await writeFile(join(root, 'out', 'release-meta.json'), JSON.stringify(result.metafile));
}
