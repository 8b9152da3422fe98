/**
 * A plugin's schema file comes in one of two forms, told apart by its
 * top-level keys alone (see `schemaFileForm`):
 *
 * - osbuild's form: a JSON object whose keys each hold the JSON Schema of one
 *   part of the module's manifest entry (`options`, `inputs`, `devices`,
 *   `mounts`; `items` for sources). An absent key accepts anything. A
 *   top-level `definitions`/`$defs` is shared by every part, so schemas
 *   written the way osbuild's are (`#/definitions/x` from within options) work.
 * - a plain JSON Schema of the options (`{"type": "object", "properties": …}`),
 *   what most authors write first. Its other parts accept anything.
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
const ALL_PARTS = ['options', 'inputs', 'devices', 'mounts', 'items'];
/**
 * JSON Schema keywords that only make sense on a schema of a value: any of
 * them at the top level makes the file a plain options schema. None of them
 * is a part name, so a file can never look like both forms.
 */
export const PLAIN_SCHEMA_KEYWORDS: readonly string[] = [
  'type', 'properties', 'additionalProperties', 'patternProperties', 'required', 'propertyNames',
  'minProperties', 'maxProperties', 'dependencies', 'dependentRequired', 'dependentSchemas',
  'unevaluatedProperties', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', 'enum', 'const',
  '$ref', 'default', 'examples', 'format', 'pattern', 'minLength', 'maxLength',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'contains', 'additionalItems', 'prefixItems',
];

export type SchemaFileForm = 'osbuild' | 'plain';

/**
 * Which form a parsed schema file is in. A part name (`options`, `inputs`…)
 * at the top level means osbuild's form; a JSON Schema keyword (`type`,
 * `properties`, `oneOf`…) means a plain options schema; a file with neither
 * (`{}`, only `definitions`/`description`) accepts any options either way
 * and counts as osbuild's. Both at once is refused, naming the keys.
 */
export function schemaFileForm(file: Record<string, unknown>, fail: (what: string) => Error): SchemaFileForm {
  const keys = Object.keys(file);
  const parts = keys.filter((k) => ALL_PARTS.includes(k));
  const keywords = keys.filter((k) => PLAIN_SCHEMA_KEYWORDS.includes(k));
  if (parts.length > 0 && keywords.length > 0) {
    throw fail(
      `mixes osbuild's form (${parts.map((k) => `"${k}"`).join(', ')}) with JSON Schema keywords of a plain options schema (${keywords.map((k) => `"${k}"`).join(', ')}); ` +
        'write either {"options": {…schema…}, "inputs": …} or just the options schema {"type": "object", "properties": …}',
    );
  }
  return keywords.length > 0 ? 'plain' : 'osbuild';
}

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
  if (schemaFileForm(file, fail) === 'plain') {
    // The whole file is the options schema; its own definitions stay inside it.
    const options = { ...(normaliseDraft4(file) as Record<string, unknown>) };
    for (const key of ['$schema', '$id', 'id']) delete options[key];
    return { options };
  }
  const unknown = Object.keys(file).filter((k) => !(parts as readonly string[]).includes(k) && !SHARED_KEYS.includes(k) && !IGNORED_KEYS.includes(k));
  if (unknown.length > 0) {
    throw fail(
      `has ${unknown.map((k) => `"${k}"`).join(', ')}, which a ${kind} schema in osbuild's form cannot have (allowed: ${[...parts, ...SHARED_KEYS].join(', ')}; ` +
        'or write the file as a plain JSON Schema of the options, {"type": "object", "properties": …})');
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
