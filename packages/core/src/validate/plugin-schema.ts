import { readFileSync, statSync } from 'node:fs';
import { OsbuildError } from '../errors.js';
import type { PluginRecord } from '../plugins/types.js';
import type { ValidatorRequest } from './validator-bundle.js';
import { schemaParts } from './plugin-schema-file.js';

/** Larger schema files are refused before they are read. */
export const MAX_SCHEMA_BYTES = 4 * 2 ** 20;

/** What to compile (or find cached) for a plugin: every part its schema file declares. */
export function pluginValidatorRequest(plugin: PluginRecord): ValidatorRequest {
  const label = `${plugin.packageName}@${plugin.version}`;
  let stamp: string;
  let size: number;
  try {
    const st = statSync(plugin.schemaPath, { bigint: true });
    stamp = `${st.ino}:${st.mtimeNs}:${st.size}`;
    size = Number(st.size);
  } catch (cause) {
    throw new OsbuildError('E_PLUGIN_DISCOVERY', `${label}: cannot read its schema file ${plugin.schemaPath}`, { cause });
  }
  if (size > MAX_SCHEMA_BYTES) {
    // Parsing and compiling a huge schema would stall every build that uses the plugin (upstream's largest is 18 KiB).
    throw new OsbuildError('E_PLUGIN_DISCOVERY', `${label}: its schema file ${plugin.schemaPath} is ${(size / 2 ** 20).toFixed(1)} MiB; a schema may be at most ${MAX_SCHEMA_BYTES / 2 ** 20} MiB`, {
      hint: 'The plugin is broken; report it to its author or pin an earlier version.',
    });
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
  return schemaParts(file, plugin.kind, fail);
}
