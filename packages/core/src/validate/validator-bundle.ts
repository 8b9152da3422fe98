import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { ErrorObject, Options } from 'ajv';
import { VALIDATION_AJV_OPTIONS } from './plugin-schema-file.js';

/**
 * Compiled validators, cached across runs. Loading ajv and compiling costs
 * far more than a whole `--inspect` may take, so compiled code is kept:
 *
 * - per schema set (one plugin, or the manifest structure): ajv's
 *   "standalone" code, `<cacheDir>/validators/<key>.js`, written once;
 * - per combination a manifest uses: those entries concatenated into one
 *   bundle plus V8's code cache for it (`bundle-<key>.js`, `.v8`), so a
 *   repeated start reads two files and skips parsing and compiling.
 *
 * Keys cover core's version, ajv's options, this format, and each caller's
 * identity (plugin version, schema file stamp): nothing is ever invalidated
 * in place, a change simply selects other files. ajv itself is loaded only
 * when something must be compiled. Everything is synchronous (`require`,
 * `vm.Script`) so validation can be.
 */

export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export type ValidatorSet = Readonly<Record<string, Validator>>;

export interface ValidatorRequest {
  /** Changes whenever the schemas could; the schemas are only read on a miss. */
  identity: readonly unknown[];
  /** Name → JSON Schema; called only when nothing cached fits. */
  schemas: () => Record<string, object | boolean>;
  /** Turns a compile failure into the error to throw (e.g. naming the plugin). */
  compileError?: (cause: unknown) => Error;
}

export interface LoadedValidators {
  /** One set per request, in request order. */
  sets: ValidatorSet[];
  /** Call after the validators have run: stores V8's compiled code for the next start. */
  persist(): void;
}

// The options every plugin test uses too, plus standalone code to cache.
const AJV_OPTIONS: Options = { ...VALIDATION_AJV_OPTIONS, code: { source: true } };
// Bump when generated files change meaning without ajv's options changing.
const FORMAT = 'osbuild-ts.validators.2';

const require = createRequire(import.meta.url);
const memo = new Map<string, ValidatorSet>();
const noop = () => {};

let version: string | undefined;

/** Generated code is only reused by the core that generated it. */
function coreVersion(): string {
  // The same relative location from src/validate and dist/validate.
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  return version;
}

export function loadValidators(requests: readonly ValidatorRequest[], cacheDir: string | null): LoadedValidators {
  const keys = requests.map((r) => digest([FORMAT, coreVersion(), AJV_OPTIONS, ...r.identity]));
  if (keys.every((k) => memo.has(k))) return { sets: keys.map((k) => memo.get(k) as ValidatorSet), persist: noop };

  const dir = cacheDir === null ? undefined : path.join(cacheDir, 'validators');
  const unique = [...new Set(keys)].sort();
  const bundleBase = dir === undefined ? undefined : path.join(dir, `bundle-${digest(unique)}`);

  let loaded: { exports: Record<string, ValidatorSet>; script: vm.Script; cacheNeeded: boolean } | undefined;
  if (bundleBase !== undefined) loaded = runCachedBundle(bundleBase);
  if (loaded === undefined || unique.some((k) => loaded?.exports[k] === undefined)) {
    const byKey = new Map(keys.map((k, i) => [k, requests[i] as ValidatorRequest]));
    const code = bundleCode(unique.map((k) => [k, entryCode(k, byKey.get(k) as ValidatorRequest, dir)]));
    if (bundleBase !== undefined) writeAtomically(`${bundleBase}.js`, code);
    const script = new vm.Script(code, { filename: `${bundleBase ?? 'osbuild-ts-validators'}.js` });
    loaded = { exports: run(script), script, cacheNeeded: bundleBase !== undefined };
  }

  const exports = loaded.exports;
  for (const key of unique) memo.set(key, exports[key] as ValidatorSet);
  const { script, cacheNeeded } = loaded;
  return {
    sets: keys.map((k) => exports[k] as ValidatorSet),
    persist:
      cacheNeeded && bundleBase !== undefined
        ? () => writeAtomically(`${bundleBase}.v8`, script.createCachedData())
        : noop,
  };
}

/** Forgets validators held in memory, so the next load reads the cache directory (tests). */
export function clearValidatorCache(): void {
  memo.clear();
}

function runCachedBundle(base: string): { exports: Record<string, ValidatorSet>; script: vm.Script; cacheNeeded: boolean } | undefined {
  let code: string;
  try {
    code = readFileSync(`${base}.js`, 'utf8');
  } catch {
    return undefined;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${base}.v8`);
  } catch {
    cachedData = undefined;
  }
  try {
    const script = new vm.Script(code, { filename: `${base}.js`, cachedData });
    // Another Node (or V8 flags) made the code cache: rebuild it after this run.
    return { exports: run(script), script, cacheNeeded: cachedData === undefined || script.cachedDataRejected === true };
  } catch {
    return undefined; // damaged file: rebuild
  }
}

function run(script: vm.Script): Record<string, ValidatorSet> {
  const factory = script.runInThisContext() as (req: NodeRequire) => Record<string, ValidatorSet>;
  // ajv's runtime helpers (`ajv/dist/runtime/…`) resolve from core, wherever the cache lives.
  return factory(require);
}

/** One entry's ajv standalone code (CommonJS text), from its file or compiled now. */
function entryCode(key: string, request: ValidatorRequest, dir: string | undefined): string {
  const file = dir === undefined ? undefined : path.join(dir, `${key}.js`);
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      // not compiled yet
    }
  }
  const code = compile(request);
  if (file !== undefined) writeAtomically(file, code);
  return code;
}

function compile(request: ValidatorRequest): string {
  const schemas = request.schemas();
  const names = Object.keys(schemas);
  if (names.length === 0) return '"use strict";';
  try {
    // Loaded only here: cached starts never pay for ajv.
    const { Ajv } = require('ajv') as typeof import('ajv');
    const standaloneCode = (require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')).default;
    const ajv = new Ajv(AJV_OPTIONS);
    for (const name of names) ajv.addSchema(schemas[name] as object, name);
    for (const name of names) ajv.getSchema(name); // compile now, so errors surface here
    return standaloneCode(ajv, Object.fromEntries(names.map((n) => [n, n])));
  } catch (cause) {
    throw request.compileError === undefined ? cause : request.compileError(cause);
  }
}

/** A script evaluating to `require => ({key: exports, …})`; each entry keeps its own CommonJS scope. */
function bundleCode(entries: Array<[string, string]>): string {
  const members = entries.map(
    ([key, code]) =>
      `${JSON.stringify(key)}: ((module) => {\n(function (module, exports) {\n${code}\n})(module, module.exports);\nreturn module.exports;\n})({ exports: {} })`,
  );
  return `(function (require) {\nreturn {\n${members.join(',\n')}\n};\n})`;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

function writeAtomically(file: string, body: string | Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, body);
    renameSync(temp, file); // a concurrent start never reads half a file
  } catch {
    // not writable: the next start compiles again, nothing worse
  }
}
