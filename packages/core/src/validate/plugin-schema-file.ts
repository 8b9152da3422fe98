/**
 * A plugin's schema file: a JSON object whose keys each hold the JSON Schema
 * of one part of the module's manifest entry. An absent key accepts anything.
 * A top-level `definitions`/`$defs` is shared by every part, so schemas
 * written the way osbuild's are (`#/definitions/x` from within options) work.
 *
 * Standalone (no other core imports) and exported as
 * `@osbuild-ts/core/plugin-schema`, so plugin tests prepare and compile a
 * schema exactly as a build does.
 */
import type { Options } from 'ajv';

export type SchemaPart = 'options' | 'inputs' | 'devices' | 'mounts' | 'items';

/** The parts of a manifest entry each kind of plugin has a schema for. */
export const SCHEMA_PARTS: Readonly<Record<string, readonly SchemaPart[]>> = {
  stage: ['options', 'inputs', 'devices', 'mounts'],
  assembler: ['options', 'inputs', 'devices', 'mounts'],
  input: ['options'],
  device: ['options'],
  mount: ['options'],
  source: ['items', 'options'],
};
const SHARED_KEYS = ['definitions', '$defs'];
const IGNORED_KEYS = ['$schema', '$id', '$comment', 'title', 'description'];

// `verbose` puts data and schemas into errors (for our messages); `allErrors`
// reports everything, as osbuild does; formats are not checked, as osbuild's
// validator does not; regexes use Python-like non-unicode mode so upstream
// patterns compile; `ownProperties` keeps inherited names (`constructor`)
// from counting as present.
export const VALIDATION_AJV_OPTIONS: Readonly<Options> = {
  strict: false,
  allErrors: true,
  verbose: true,
  ownProperties: true,
  validateFormats: false,
  unicodeRegExp: false,
};

/**
 * The parts `file` (the parsed schema file) declares for a plugin of `kind`,
 * each with the shared definitions and draft-4 bounds rewritten, ready to
 * compile. `fail(what)` makes the error for a broken file ("schema file X "
 * + what).
 */
export function schemaParts(file: unknown, kind: string, fail: (what: string) => Error): Partial<Record<SchemaPart, object>> {
  if (!isObject(file)) throw fail('must hold a JSON object');
  const parts = SCHEMA_PARTS[kind];
  if (parts === undefined) throw fail(`belongs to a plugin of kind ${JSON.stringify(kind)}, not one of ${Object.keys(SCHEMA_PARTS).join(', ')}`);
  const unknown = Object.keys(file).filter((k) => !(parts as readonly string[]).includes(k) && !SHARED_KEYS.includes(k) && !IGNORED_KEYS.includes(k));
  if (unknown.length > 0) {
    throw fail(`has ${unknown.map((k) => `"${k}"`).join(', ')}, which a ${kind} schema cannot have (allowed: ${[...parts, ...SHARED_KEYS].join(', ')})`);
  }
  const schemas: Partial<Record<SchemaPart, object>> = {};
  for (const part of parts) {
    if (!Object.hasOwn(file, part)) continue;
    const schema = file[part];
    if (typeof schema !== 'boolean' && !isObject(schema)) throw fail(`has a "${part}" that is not a JSON Schema (an object or a boolean)`);
    schemas[part] = withShared(normaliseDraft4(schema), file);
  }
  return schemas;
}

/** Gives a part the file's shared definitions; its own win on a name clash. */
function withShared(schema: unknown, file: Record<string, unknown>): object {
  if (schema === true) schema = {};
  if (schema === false) schema = { not: {} };
  const part = { ...(schema as Record<string, unknown>) };
  for (const key of ['$schema', '$id', 'id']) delete part[key]; // parts get ids of our own; draft URIs would not resolve
  for (const key of SHARED_KEYS) {
    const shared = file[key];
    if (!isObject(shared)) continue;
    const own = isObject(part[key]) ? (part[key] as Record<string, unknown>) : {};
    part[key] = normaliseDraft4({ ...shared, ...own });
  }
  return part;
}

/**
 * osbuild's schemas are draft-4, where `exclusiveMinimum: true` qualifies
 * `minimum`; ajv speaks draft-7, where it is the bound itself. Rewriting it
 * lets schemas copied from upstream compile.
 */
function normaliseDraft4(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseDraft4);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) out[key] = normaliseDraft4(member);
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else {
      delete out[flag];
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
