import { defineConfig } from 'vitest/config';

// Root entry for `vitest` in an editor: each package is its own project.
export default defineConfig({
  test: { projects: ['packages/*'] },
});
