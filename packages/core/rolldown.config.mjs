import { defineConfig } from 'rolldown';

// One file instead of ~50 modules: module loading, not work, dominated the
// CLI's start-up. Dependencies stay external (ajv and fastest-levenshtein
// load lazily, only on the paths that need them).
export default defineConfig({
  input: 'dist/index.js',
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  // Two levels deep like dist/<dir>/x.js, so paths relative to a module
  // (../../schemas, ../../package.json) still resolve.
  output: { dir: 'dist/bundle', format: 'esm', sourcemap: true, entryFileNames: 'index.js' },
});
