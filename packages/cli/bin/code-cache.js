'use strict';
/**
 * Loads the CLI's start-up bundle (dist/bundle/osbuild.cjs) the way
 * require() would, but with V8's code cache: Node 20 has no compile cache
 * of its own, and compiling the bundle's functions is a fair part of a
 * start that does little else (`--inspect`, a warm `--export`).
 *
 * The cache is `<user cache dir>/osbuild-ts/code/<key>.v8`, where the key
 * covers the bundle's content, Node's version and the architecture, so a
 * changed bundle or another Node selects another file (V8 itself refuses a
 * cache made under other V8 flags). It is written once, when the process
 * exits (so it holds what the run compiled), and only when there was none or
 * V8 refused it. Each file carries the
 * SHA-256 of its payload: a damaged file is ignored (and rewritten), never
 * handed to V8. Nothing here can fail a run: no usable cache directory (not
 * writable, not ours, read-only home), a cache that cannot be read or
 * written, all mean compiling as require() does. OSBUILD_TS_CODE_CACHE=0
 * turns the cache off.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { createHash } = require('node:crypto');
const { isAscii } = require('node:buffer');

const DIGEST_BYTES = 32;

/** A directory for cached code that only this user can write, or null. */
function codeCacheDir(env = process.env) {
  if (env.OSBUILD_TS_CODE_CACHE === '0') return null;
  const xdg = env.XDG_CACHE_HOME;
  let base;
  if (xdg !== undefined && path.isAbsolute(xdg)) base = xdg;
  else {
    const home = env.HOME || require('node:os').homedir();
    if (!home || !path.isAbsolute(home)) return null;
    base = path.join(home, '.cache');
  }
  const dir = path.join(base, 'osbuild-ts', 'code');
  // Made inside an existing home (or cache home) only, never a home of its own.
  if (!fs.existsSync(xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.dirname(base))) return null;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // exists, or cannot be made: decided below
  }
  // Cached code is code we run: only from a directory that is ours and that nobody else can write to.
  let st;
  try {
    st = fs.statSync(dir);
  } catch {
    return null; // missing, or a file on the way (ENOTDIR), or not searchable
  }
  if (!st.isDirectory() || (st.mode & 0o022) !== 0) return null;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return null;
  return dir;
}

/**
 * The cache file's name: `<prefix>-<key>.v8`, the key covering the file's
 * bytes under this Node; the prefix lets a new cache replace the one for an
 * older build of the same file. V8 rejects a cache made under other flags,
 * so the prefix covers Node's options too: `node bin/osbuild.js` and the
 * installed command (whose `#!` line adds a flag) each keep their own cache
 * instead of rewriting one another's at every switch.
 */
function cacheName(file, bytes) {
  const prefix = createHash('sha256')
    .update(JSON.stringify([file, engineFlags(process.execArgv), process.env.NODE_OPTIONS ?? '']))
    .digest('hex')
    .slice(0, 16);
  const key = createHash('sha256')
    .update(JSON.stringify([process.version, process.arch, process.versions.v8]))
    .update('\0')
    .update(bytes)
    .digest('hex')
    .slice(0, 40);
  return { prefix, name: `${prefix}-${key}.v8` };
}

/** Node's options without the script and modules they name (`-e …`, `-r …`): those do not change how V8 compiles. */
function engineFlags(argv) {
  const withValue = new Set(['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader']);
  const kept = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].split('=', 1)[0];
    if (withValue.has(name)) {
      if (!argv[i].includes('=')) i++;
    } else kept.push(argv[i]);
  }
  return kept;
}

/** The build writes the bundle in ASCII: a one-byte string of its bytes is then far cheaper than decoding UTF-8. */
function decode(bytes) {
  return isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
}

/** The payload of a cache file whose digest matches, else undefined. */
function readCache(file) {
  let data;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length <= DIGEST_BYTES) return undefined;
  const payload = data.subarray(DIGEST_BYTES);
  const digest = createHash('sha256').update(payload).digest();
  return digest.equals(data.subarray(0, DIGEST_BYTES)) ? payload : undefined;
}

/** True when the cache file was written. */
function writeCache(file, payload, prefix) {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, Buffer.concat([createHash('sha256').update(payload).digest(), payload]), { mode: 0o600 });
    fs.renameSync(temp, file); // a concurrent start never reads half a file
    // The caches of this file's earlier builds (or of another Node) are of no further use, nor their kinds.
    const dir = path.dirname(file);
    const own = path.basename(file).replace(/\.v8$/, '');
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(`${prefix}-`) && (name.endsWith('.v8') || name.endsWith('.kinds')) && !name.startsWith(`${own}.`)) fs.rmSync(path.join(dir, name), { force: true });
    }
    return true;
  } catch {
    try {
      fs.unlinkSync(temp);
    } catch {
      // nothing was written
    }
    return false;
  }
}

/** The kinds of run whose functions the cache holds (one a line); none when unreadable. */
function readKinds(file) {
  try {
    return fs.readFileSync(file, 'latin1').split('\n').filter((line) => line !== '');
  } catch {
    return [];
  }
}

/** Best effort: a lost kinds file only costs one more rewrite of the cache. */
function writeKinds(file, kinds) {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, kinds.map((kind) => `${kind}\n`).join(''), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    try {
      fs.unlinkSync(temp);
    } catch {
      // nothing was written
    }
  }
}

/**
 * Runs `file` (CommonJS) and returns its exports. `options.cacheDir`: where
 * the code cache lives (default: the user's, see codeCacheDir; null: none).
 * `options.kind`: what sort of run this is (bin/osbuild.js: 'inspect' or
 * 'build'). A cache holds the functions its writer compiled, and V8 compiles
 * the rest lazily at every run, so a cache written by `--inspect` would
 * leave a build compiling most of the engine each time: the first run of
 * each kind that finds a cache without its kind rewrites it at exit with its
 * own functions added (V8 serializes what the cache gave and what the run
 * compiled), and records its kind in `<cache name>.kinds`. Returns
 * {exports, cache} where cache is 'used', 'extended' (used, and rewritten at
 * exit for this kind), 'written' (at exit), 'rejected' (by V8; rewritten at
 * exit) or 'off'.
 */
function loadWithCodeCache(file, options = {}) {
  const bytes = fs.readFileSync(file);
  const source = decode(bytes);
  const dir = options.cacheDir === undefined ? codeCacheDir() : options.cacheDir;
  const naming = dir === null ? null : cacheName(file, bytes);
  const cacheFile = naming === null ? null : path.join(dir, naming.name);
  const cachedData = cacheFile === null ? undefined : readCache(cacheFile);
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
  });
  let cache = 'off';
  if (cacheFile !== null) {
    const kind = options.kind;
    const kindsFile = cacheFile.replace(/\.v8$/, '.kinds');
    if (cachedData !== undefined && script.cachedDataRejected !== true) {
      const kinds = kind === undefined ? [] : readKinds(kindsFile);
      if (kind === undefined || kinds.includes(kind)) cache = 'used';
      else {
        cache = 'extended';
        process.once('exit', () => {
          if (writeCache(cacheFile, script.createCachedData(), naming.prefix)) writeKinds(kindsFile, [...kinds, kind]);
        });
      }
    } else {
      cache = cachedData === undefined ? 'written' : 'rejected';
      // At exit: the cache then holds every function this run compiled, not just the top level.
      process.once('exit', () => {
        if (writeCache(cacheFile, script.createCachedData(), naming.prefix)) writeKinds(kindsFile, kind === undefined ? [] : [kind]);
      });
    }
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  // The bundle's import() calls (rolldown.config.mjs): this module's import(), which Node compiled itself.
  mod.osbuildImport = (specifier) => import(specifier);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return { exports: mod.exports, cache };
}

module.exports = { loadWithCodeCache, codeCacheDir };
