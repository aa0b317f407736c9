/**
 * Runs one bench section on its own (`npx tsx scripts/bench/<section>.ts [--size WxH]`, after
 * `node build.mjs`): an armed demo session at the size, the section, its JSON in bench-results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../harness/paths';
import { openArmedSession, type BenchSession } from './session';

/** True when `moduleUrl` (a section's import.meta.url) is the script being run. */
export const isMain = (moduleUrl: string): boolean => Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]!).href;

export async function runStandalone<T>(name: string, bench: (session: BenchSession) => Promise<T>, render: (result: T) => string[]): Promise<void> {
  const flag = process.argv.indexOf('--size');
  const [width, height] = (flag >= 0 ? process.argv[flag + 1] ?? '' : '1920x1080').split('x').map(Number);
  if (!width || !height) throw new Error(`--size must be WIDTHxHEIGHT, got ${process.argv[flag + 1]}`);
  const session = await openArmedSession({ width, height }, 'demo.html');
  try {
    const result = await bench(session);
    const outDir = join(repoRoot, 'bench-results');
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(render(result).join('\n'));
  } finally {
    await session.close();
  }
}
