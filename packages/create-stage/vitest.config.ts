import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // Removing the npm-installed projects of the published-package tests takes a while under load.
    hookTimeout: 120_000,
  },
});
