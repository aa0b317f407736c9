// npm run package: writes out/looptab-<version>.zip for the Chrome Web Store (see scripts/store/package.ts).
import { relative } from 'node:path';
import { repoRoot } from './harness/paths';
import { buildPackage } from './store/package';

try {
  const built = await buildPackage(repoRoot);
  console.log(`package: ${relative(process.cwd(), built.zipPath)} (${(built.zipBytes / 1024).toFixed(0)} KiB, ${built.files.length} files)`);
  console.log(`bundled: ${built.bundled.join(', ')} (licences in THIRD-PARTY-NOTICES.txt)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
