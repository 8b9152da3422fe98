import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    // dracut builds an initramfs per test: tens of seconds on an idle machine, minutes on a shared one.
    testTimeout: 600_000,
  },
});
