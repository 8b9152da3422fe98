import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
    tags: [{ name: 'slow', description: 'Builds a Debian tree (cached) into a disk with the v2 image stages and boots it under QEMU (TCG)', timeout: 900_000 }],
  },
});
