import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // One registry and one set of stores per file; files would compete for the two cores.
    fileParallelism: false,
  },
});
