import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
    tags: [{ name: 'slow', description: 'Pins and builds a Debian image, boots it under QEMU (TCG)', timeout: 900_000 }],
  },
});
