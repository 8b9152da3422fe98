import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    tags: [{ name: 'slow', description: 'Builds a Debian tree (cached) and boots images under QEMU (TCG)', timeout: 600_000 }],
  },
});
