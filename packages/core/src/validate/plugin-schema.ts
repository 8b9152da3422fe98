import { readFileSync, statSync } from 'node:fs';
import { OsbuildError } from '../errors.js';
import type { PluginKind, PluginRecord } from '../plugins/types.js';
import type { ValidatorRequest } from './validator-bundle.js';
import type { SchemaPart } from './module-uses.js';

/**
 * A plugin's schema file: a JSON object whose keys each hold the JSON Schema
 * of one part of the module's manifest entry. An absent key accepts anything.
 * A top-level `definitions`/`$defs` is shared by every part, so schemas
 * written the way osbuild's are (`#/definitions/x` from within options) work.
 */

export const SCHEMA_PARTS: Record<PluginKind, readonly SchemaPart[]> = {
  stage: ['options', 'inputs', 'devices', 'mounts'],
  assembler: ['options', 'inputs', 'devices', 'mounts'],
  input: ['options'],
  device: ['options'],
  mount: ['options'],
  source: ['items', 'options'],
};
const SHARED_KEYS = ['definitions', '$defs'];
const IGNORED_KEYS = ['$schema', '$id', '$comment', 'title', 'description'];

/** What to compile (or find cached) for a plugin: every part its schema file declares. */
export function pluginValidatorRequest(plugin: PluginRecord): ValidatorRequest {
  const label = `${plugin.packageName}@${plugin.version}`;
  let stamp: string;
  try {
    const st = statSync(plugin.schemaPath, { bigint: true });
    stamp = `${st.ino}:${st.mtimeNs}:${st.size}`;
  } catch (cause) {
    throw new OsbuildError('E_PLUGIN_DISCOVERY', `${label}: cannot read its schema file ${plugin.schemaPath}`, { cause });
  }
  return {
    identity: ['plugin', plugin.kind, plugin.name, plugin.packageName, plugin.version, plugin.schemaPath, stamp],
    schemas: () => partSchemas(plugin),
    compileError: (cause) =>
      new OsbuildError('E_PLUGIN_DISCOVERY', `${label}: its schema file ${plugin.schemaPath} does not compile: ${(cause as Error).message}`, {
        cause,
        hint: 'The plugin is broken; report it to its author or pin an earlier version.',
      }),
  };
}

function partSchemas(plugin: PluginRecord): Record<string, object | boolean> {
  const label = `${plugin.packageName}@${plugin.version}`;
  const fail = (what: string) =>
    new OsbuildError('E_PLUGIN_DISCOVERY', `${label}: schema file ${plugin.schemaPath} ${what}`, {
      hint: 'The plugin is broken; report it to its author or pin an earlier version.',
    });
  let file: unknown;
  try {
    file = JSON.parse(readFileSync(plugin.schemaPath, 'utf8'));
  } catch (cause) {
    throw fail(`is not valid JSON: ${(cause as Error).message}`);
  }
  if (!isObject(file)) throw fail('must hold a JSON object');
  const parts = SCHEMA_PARTS[plugin.kind];
  const unknown = Object.keys(file).filter(
    (k) => !(parts as readonly string[]).includes(k) && !SHARED_KEYS.includes(k) && !IGNORED_KEYS.includes(k),
  );
  if (unknown.length > 0) {
    throw fail(`has ${unknown.map((k) => `"${k}"`).join(', ')}, which a ${plugin.kind} schema cannot have (allowed: ${[...parts, ...SHARED_KEYS].join(', ')})`);
  }

  const schemas: Record<string, object | boolean> = {};
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
