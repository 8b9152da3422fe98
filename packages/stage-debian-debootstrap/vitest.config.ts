import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The files share one apt index cache and one .deb cache, and each run is heavy.
    fileParallelism: false,
  },
});
