import { defineConfig } from 'rolldown';

// The CLI's own modules and commander in one file: start-up is dominated by
// module loading. Our other packages stay external (core ships its own
// bundle; the engine loads only when something is built).
export default defineConfig({
  input: 'dist/main.js',
  platform: 'node',
  external: (id) => id.startsWith('@osbuild-ts/'),
  output: { dir: 'dist/bundle', format: 'esm', sourcemap: true, entryFileNames: 'main.js' },
});
