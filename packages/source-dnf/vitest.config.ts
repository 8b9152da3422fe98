import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Every file builds the test RPMs on first use (once, cached by spec hash) and runs servers, dnf and builds.
    fileParallelism: false,
  },
});
