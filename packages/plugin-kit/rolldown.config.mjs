import { defineConfig } from 'rolldown';

// What a stage imports at start, as one module: Node's ES loader resolves,
// reads and links each file of a package on its own, and tsc's output of
// this entry is fifteen files (about 8 ms of CPU in every stage's start).
// Types still come from tsc's dist/index.d.ts; the subpath exports
// (testing, stage-cases…) stay tsc's separate files.
export default defineConfig({
  input: 'dist/index.js',
  external: [/^node:/],
  output: { file: 'dist/stage-runtime.js', format: 'esm' },
});
