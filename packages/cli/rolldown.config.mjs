import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { defineConfig } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

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

/** The nearest package.json above a module: its name and the module's path inside it. */
function packageOf(id) {
  for (let dir = dirname(id); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof name === 'string') return { name, path: relative(dir, id).split('\\').join('/') };
    } catch {
      // no package.json here
    }
  }
  throw new Error(`no package.json above ${id}`);
}

// The start-up bundle (bin/osbuild.js loads it with V8's code cache, see
// bin/load.cjs) holds our packages' modules in one CommonJS file. A module
// that asks where it lives (import.meta.url: core's schemas and package.json,
// the engine's native addon and tsx) is told where it is installed, found at
// run time from its package's name, as if it had been loaded on its own.
const ownLocation = {
  name: 'import-meta-url-of-the-package',
  transform(code, id) {
    if (!code.includes('import.meta.url')) return null;
    const { name, path } = packageOf(id);
    return code.replaceAll('import.meta.url', `__osbuildModuleUrl(${JSON.stringify(name)}, ${JSON.stringify(path)})`);
  },
};
// The package's directory as require() would find it (the nearest
// node_modules/<name> from the CLI up, real path, as ES modules see it):
// a few stats, where require.resolve would first load Node's resolver.
const moduleUrlHelper = `const __osbuildModuleUrl = (() => {
  const { dirname, join } = require("node:path");
  const cli = join(__dirname, "..", "..");
  const roots = new Map([["@osbuild-ts/cli", cli]]);
  const find = (name) => {
    for (let dir = cli; ; dir = dirname(dir)) {
      const candidate = join(dir, "node_modules", name);
      if (require("node:fs").existsSync(join(candidate, "package.json"))) return require("node:fs").realpathSync.native(candidate);
      if (dirname(dir) === dir) return dirname(require.resolve(name + "/package.json"));
    }
  };
  return (name, path) => {
    let root = roots.get(name);
    if (root === undefined) roots.set(name, (root = find(name)));
    return require("node:url").pathToFileURL(join(root, path)).href;
  };
})();`;

// Node's modules that only a build uses (child_process brings net, dgram and
// the streams; readline, fs/promises…): in the start-up bundle each is
// required on first use, not when the bundle loads, so `--inspect` and
// validation never pay for them. A module the bundle reassigns (default
// imports, `__toESM`) would be loaded at once: that is refused here.
// worker_threads: only the commit's hash workers (store hash-workers.ts) use it,
// and nothing on a warm export or `--inspect` does (~2 ms of a start).
const LAZY_BUILTINS = ['node:child_process', 'node:readline', 'node:fs/promises', 'node:timers/promises', 'node:string_decoder', 'node:tty', 'node:worker_threads'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  renderChunk(code) {
    let count = 0;
    const out = code.replace(/^let (node_\w+) = require\("(node:[\w/]+)"\);$/gm, (line, name, id) => {
      if (!LAZY_BUILTINS.includes(id)) return line;
      if (code.includes(`${name} = __toESM(`)) this.error(`${id} is imported as a default import: it cannot be loaded lazily`);
      count++;
      return `let ${name} = __lazyBuiltin(${JSON.stringify(id)});`;
    });
    if (count === 0) this.error('no lazily loaded builtin found: the bundle changed shape');
    return out;
  },
};
const lazyBuiltinHelper = `const __lazyBuiltin = (id) => {
  let loaded;
  const load = () => (loaded ??= require(id));
  return new Proxy({}, {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
};`;

// The start-up bundle in ASCII: bin/code-cache.js then reads it as bytes,
// hashes those and makes a one-byte string of them, several times cheaper
// than decoding UTF-8. Every other character becomes a \\uXXXX escape,
// which means the same in strings, templates, regular expressions, comments
// and identifiers; one written right after a backslash would not, and stops
// the build.
//
// And without import(): code compiled by vm.Script (as code-cache.js does)
// cannot import() unless given a loader, and code restored from V8's code
// cache loses it even then. Each import() (of the packages left external,
// node:tty, a resolver's file) calls __osbuildImport instead, which the
// loader passes in (an import() in a module Node compiled itself).
const IMPORT_HELPER = `const __osbuildImport = typeof module.osbuildImport === "function" ? module.osbuildImport : (osbuildSpecifier) => import(osbuildSpecifier);`;
function withoutImportExpressions(code, fileName, error) {
  const starts = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    if (node.type === 'ImportExpression') starts.push(node.start);
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') visit(value);
  };
  visit(parseAst(code, { sourceType: 'script' }, fileName));
  let out = code;
  for (const start of starts.sort((a, b) => b - a)) {
    if (!out.startsWith('import', start)) error(`${fileName}: no import() at offset ${start}`);
    out = `${out.slice(0, start)}__osbuildImport${out.slice(start + 6)}`;
  }
  // Prepended here: rolldown would drop it from an intro or banner as unused. On line 1: the source map's lines hold.
  return `${IMPORT_HELPER} ${out}`;
}
const asciiOnly = {
  name: 'ascii-only-without-import',
  // Last, on the code as written (rolldown renders string literals again after renderChunk).
  generateBundle(_, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const { code } = chunk;
      const ascii = code.replace(/[^\x00-\x7f]/g, (char, offset) => {
        if (code[offset - 1] === '\\') this.error(`${chunk.fileName}: a non-ASCII character follows a backslash at offset ${offset}: cannot escape it`);
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
      });
      chunk.code = withoutImportExpressions(ascii, chunk.fileName, (message) => this.error(message));
    }
  },
};

export default defineConfig([
  // The CLI's own modules and commander in one file: start-up is dominated by
  // module loading. Our other packages stay external (core ships its own
  // bundle; the engine loads only when something is built). The ESM entry
  // for those who import the CLI as a library.
  {
    input: 'dist/main.js',
    platform: 'node',
    external: (id) => id.startsWith('@osbuild-ts/'),
    plugins: [lazyChildProcess],
    output: { dir: 'dist/bundle', format: 'esm', sourcemap: true, entryFileNames: 'main.js' },
  },
  // What `osbuild` runs: the CLI with core, the engine (store, sandbox) and
  // the monitors in one CommonJS file, so that one compile (or one code
  // cache) serves the start, and every package is loaded once. Packages
  // loaded only for rarer commands stay external (remote cache, image-kit
  // for boot) and are imported as ES modules.
  {
    input: 'dist/main.js',
    platform: 'node',
    external: (id) => ['@osbuild-ts/remote-cache', '@osbuild-ts/image-kit', 'fs-native-extensions', 'tsx'].some((p) => id === p || id.startsWith(`${p}/`)),
    plugins: [lazyChildProcess, ownLocation, lazyBuiltins, asciiOnly],
    // The transforms above replace text within its line: the source map's lines stay right.
    onLog(level, log, handler) {
      if (log.code !== 'SOURCEMAP_BROKEN') handler(level, log);
    },
    output: { file: 'dist/bundle/osbuild.cjs', format: 'cjs', sourcemap: true, codeSplitting: false, intro: `${moduleUrlHelper}\n${lazyBuiltinHelper}` },
  },
]);
