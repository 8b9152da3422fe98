import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    tags: [{ name: 'boot', description: 'Boots an image under QEMU (TCG)', timeout: 300_000 }],
  },
});
