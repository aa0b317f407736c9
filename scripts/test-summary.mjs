// Prints the closing line of a test run, `N passed, M failed[, K skipped]`, from vitest's JSON
// report (default out/vitest.json). Exits 1 if anything failed or nothing passed.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'out/vitest.json';
if (!existsSync(file)) {
  console.log(`test-summary: ${file} was not written (vitest did not finish)`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

/** @type {{ numPassedTests?: number; numFailedTests?: number; numPendingTests?: number; numTodoTests?: number;
 *   testResults?: { name?: string; status?: string; message?: string; assertionResults?: { status?: string }[] }[] }} */
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A file that fails to load or whose hooks throw has no failed test of its own, yet it failed:
// count it once so the closing line cannot read "0 failed" for a broken run.
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed'),
);
for (const r of brokenFiles) {
  const firstLine = (r.message ?? '').split('\n')[0];
  console.log(`test-summary: ${r.name ?? 'a test file'} failed outside its tests${firstLine ? `: ${firstLine}` : ''}`);
}
const failed = (report.numFailedTests ?? 0) + brokenFiles.length;

console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
