// Where things are in the checkout, for every script and test that needs a path.
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
/** The built, unpacked extension (`node build.mjs`). */
export const distDir = join(repoRoot, 'dist');
/** Pages served to the browser under test: the demo page and the test-only fixture pages. */
export const fixturesDir = join(repoRoot, 'tests', 'fixtures');
