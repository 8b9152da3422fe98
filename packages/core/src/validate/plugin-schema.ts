import { readFileSync, statSync } from 'node:fs';
import { OsbuildError } from '../errors.js';
import type { PluginRecord } from '../plugins/types.js';
import type { ValidatorRequest } from './validator-bundle.js';
import { schemaParts } from './plugin-schema-file.js';

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
  return schemaParts(file, plugin.kind, fail);
}
