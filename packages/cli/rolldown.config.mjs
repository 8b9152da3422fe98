import { defineConfig } from 'rolldown';

// commander requires node:child_process at load (for executable subcommands,
// which we do not use); child_process brings net, dgram and the streams with
// it, a cost every start would pay. Here it is required on first use.
const lazyChildProcess = {
  name: 'lazy-child-process-in-commander',
  transform(code, id) {
    if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(id)) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) this.error(`commander changed: ${eager} not found in ${id}`);
    return code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
  },
};

// The CLI's own modules and commander in one file: start-up is dominated by
// module loading. Our other packages stay external (core ships its own
// bundle; the engine loads only when something is built).
export default defineConfig({
  input: 'dist/main.js',
  platform: 'node',
  external: (id) => id.startsWith('@osbuild-ts/'),
  plugins: [lazyChildProcess],
  output: { dir: 'dist/bundle', format: 'esm', sourcemap: true, entryFileNames: 'main.js' },
});
