import { defineConfig } from 'vitest/config';

/** Each file launches its own Chromium; two cores cannot run two encoders at once. */
const chromium = { environment: 'node', fileParallelism: false, testTimeout: 120_000, hookTimeout: 120_000 } as const;

export default defineConfig({
  test: {
    projects: [
      {
        // Node tests of the product core and of the harness (scripts/harness/). Some run ffmpeg
        // to make reference frames: a hang guard, not a timing check.
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/harness-unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      // Plain Chromium without Looptab loaded: one piece of it (a worker, the encoders) or the harness.
      { test: { name: 'component', include: ['tests/component/**/*.test.ts'], ...chromium } },
      // Looptab's dist/ loaded into Chromium; after the component tests, so one browser suite runs at a time.
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], ...chromium, sequence: { groupOrder: 1 } } },
    ],
  },
});
