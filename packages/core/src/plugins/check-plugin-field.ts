import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { PLUGIN_KINDS, SUPPORTED_API_VERSIONS, type PluginKind, type PluginTool } from './types.js';

/**
 * Checks a package's `osbuild` field against the plugin contract
 * (schemas/plugin-field.schema.json documents the same rules) and resolves
 * `schema`/`entry` inside the package. Hand-written rather than ajv-compiled:
 * discovery runs on every start and must not pay for loading ajv; a test
 * checks that this and the JSON Schema agree.
 */

export const MODULE_NAME_PATTERN = /^[a-z0-9]+(\.[a-zA-Z0-9_-]+)+$/;
export const CAPABILITY_PATTERN = /^CAP_[A-Z_]+$/;
const FIELD_KEYS = ['apiVersion', 'kind', 'name', 'schema', 'entry', 'capabilities', 'tools', 'filesystem', 'resolve'];
export const FILESYSTEM_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export interface CheckedField {
  apiVersion: number;
  kind: PluginKind;
  name: string;
  schemaPath: string;
  entryPath: string;
  capabilities: string[];
  tools: PluginTool[];
  /** Mount plugins: the kernel file system type they need. */
  filesystem?: string;
  /** Stages: a module the CLI runs on the host before the build to lock what the stage needs (`osbuild.resolve`). */
  resolvePath?: string;
}

export type FieldCheck = { ok: true; field: CheckedField } | { ok: false; problems: string[] };

/** `packageDir` must already be a real path. */
export function checkPluginField(raw: unknown, packageDir: string): FieldCheck {
  const problems: string[] = [];
  if (!isPlainObject(raw)) {
    return { ok: false, problems: [`"osbuild" must be an object declaring one module, got ${kindOf(raw)}`] };
  }
  for (const key of Object.keys(raw)) {
    if (!FIELD_KEYS.includes(key)) problems.push(`unknown key "osbuild.${key}" (allowed: ${FIELD_KEYS.join(', ')})`);
  }

  const apiVersion = raw['apiVersion'];
  if (apiVersion === undefined) {
    problems.push(`"osbuild.apiVersion" is missing (${supportedRange()})`);
  } else if (
    typeof apiVersion !== 'number' ||
    !Number.isInteger(apiVersion) ||
    apiVersion < SUPPORTED_API_VERSIONS.min ||
    apiVersion > SUPPORTED_API_VERSIONS.max
  ) {
    problems.push(`unsupported "osbuild.apiVersion" ${JSON.stringify(apiVersion)} (${supportedRange()})`);
  }

  const kind = raw['kind'];
  if (typeof kind !== 'string' || !(PLUGIN_KINDS as readonly string[]).includes(kind)) {
    problems.push(`"osbuild.kind" must be one of ${PLUGIN_KINDS.join(', ')}; got ${show(kind)}`);
  }

  const name = raw['name'];
  if (typeof name !== 'string' || !MODULE_NAME_PATTERN.test(name)) {
    problems.push(`"osbuild.name" must be a dotted module name like "org.example.motd"; got ${show(name)}`);
  }

  const schemaPath = resolveInside(raw['schema'], 'schema', packageDir, problems);
  const entryPath = resolveInside(raw['entry'], 'entry', packageDir, problems);

  const capabilities = raw['capabilities'] ?? [];
  if (!Array.isArray(capabilities) || !capabilities.every((c) => typeof c === 'string' && CAPABILITY_PATTERN.test(c))) {
    problems.push(`"osbuild.capabilities" must be an array of capability names like "CAP_MAC_ADMIN"; got ${show(capabilities)}`);
  }

  const tools = raw['tools'] ?? [];
  if (!Array.isArray(tools) || !tools.every(isTool)) {
    problems.push(`"osbuild.tools" must be an array of {"command": string or [string, …] (alternatives), "package": string}; got ${show(tools)}`);
  }

  const filesystem = raw['filesystem'];
  if (filesystem !== undefined) {
    if (typeof filesystem !== 'string' || !FILESYSTEM_PATTERN.test(filesystem)) {
      problems.push(`"osbuild.filesystem" must be a kernel file system type like "vfat"; got ${show(filesystem)}`);
    } else if (kind !== 'mount') {
      problems.push(`"osbuild.filesystem" is for mount plugins only; this one is a ${show(kind)}`);
    }
  }

  let resolvePath: string | undefined;
  if (raw['resolve'] !== undefined) {
    if (kind !== 'stage') problems.push(`"osbuild.resolve" is for stage plugins only; this one is a ${show(kind)}`);
    else resolvePath = resolveInside(raw['resolve'], 'resolve', packageDir, problems);
  }

  if (problems.length > 0 || schemaPath === undefined || entryPath === undefined) return { ok: false, problems };
  return {
    ok: true,
    field: {
      apiVersion: apiVersion as number,
      kind: kind as PluginKind,
      name: name as string,
      schemaPath,
      entryPath,
      capabilities: [...(capabilities as string[])],
      tools: (tools as PluginTool[]).map((t) => ({ command: Array.isArray(t.command) ? [...t.command] : t.command, package: t.package })),
      ...(typeof filesystem === 'string' ? { filesystem } : {}),
      ...(resolvePath === undefined ? {} : { resolvePath }),
    },
  };
}

function supportedRange(): string {
  const { min, max } = SUPPORTED_API_VERSIONS;
  return min === max ? `this osbuild-ts supports apiVersion ${min}` : `this osbuild-ts supports apiVersion ${min} to ${max}`;
}

/**
 * A plugin may only point at its own files: the sandbox binds the package
 * directory, and the fingerprint hashes only that directory, so anything
 * outside would run unhashed. Checked after realpath so symlinks cannot escape.
 */
function resolveInside(value: unknown, key: string, packageDir: string, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value === '') {
    problems.push(`"osbuild.${key}" must be a path relative to the package, like "./${key === 'entry' ? 'dist/main.js' : 'schema.json'}"; got ${show(value)}`);
    return undefined;
  }
  if (path.isAbsolute(value)) {
    problems.push(`"osbuild.${key}" (${value}) must be relative to the package directory`);
    return undefined;
  }
  const lexical = path.resolve(packageDir, value);
  if (!isWithin(packageDir, lexical)) {
    problems.push(`"osbuild.${key}" (${value}) points outside the package`);
    return undefined;
  }
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    problems.push(`"osbuild.${key}" (${value}) does not exist`);
    return undefined;
  }
  if (!isWithin(packageDir, real)) {
    problems.push(`"osbuild.${key}" (${value}) is a symlink to ${real}, outside the package`);
    return undefined;
  }
  if (!statSync(real).isFile()) {
    problems.push(`"osbuild.${key}" (${value}) is not a file`);
    return undefined;
  }
  return real;
}

function isWithin(dir: string, target: string): boolean {
  const relative = path.relative(dir, target);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function isTool(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    Object.keys(value).every((k) => k === 'command' || k === 'package') &&
    isCommand(value['command']) &&
    typeof value['package'] === 'string' &&
    value['package'] !== ''
  );
}

/** A command name, or a non-empty list of alternatives. */
function isCommand(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  return Array.isArray(value) && value.length > 0 && value.every((c) => typeof c === 'string' && c !== '');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array (a package declares exactly one module)';
  return `a ${typeof value}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
