import { defineConfig } from 'rolldown';

// The engine with the store and the sandbox in one file: a warm build is
// mostly start-up, and start-up is mostly module loading. Core stays
// external (the CLI has loaded its bundle already); so does the store's
// native lock addon.
export default defineConfig({
  input: 'dist/index.js',
  platform: 'node',
  external: ['@osbuild-ts/core', 'fs-native-extensions'],
  output: { dir: 'dist/bundle', format: 'esm', sourcemap: true, entryFileNames: 'index.js' },
});
