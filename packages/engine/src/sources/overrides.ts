import { readFile } from 'node:fs/promises';
import { OsbuildError } from '@osbuild-ts/core';

/**
 * The source overrides file (`--source-overrides FILE`): per source type, an
 * object that the engine hands to that source's plugin as `overrides`,
 * unchanged. What a section may hold is the plugin's business (for
 * `org.osbuild.curl`: mirrors, proxy, retries; see its README). Nothing in it
 * enters an id or a cache key: the checksum names the content.
 */
export type SourceOverrides = Record<string, Record<string, unknown>>;

export async function readSourceOverrides(path: string): Promise<SourceOverrides> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new OsbuildError('E_USAGE', `cannot read the source overrides file ${path}: ${(cause as Error).message}`, { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new OsbuildError('E_USAGE', `the source overrides file ${path} is not JSON: ${(cause as Error).message}`, { cause });
  }
  return checkSourceOverrides(doc, path);
}

export function checkSourceOverrides(doc: unknown, where = 'source overrides'): SourceOverrides {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(doc)) throw new OsbuildError('E_USAGE', `${where}: expected an object {"<source type>": {…}, …}`);
  for (const [type, section] of Object.entries(doc)) {
    if (!isObject(section)) throw new OsbuildError('E_USAGE', `${where}: "${type}" must be an object`);
  }
  return doc as SourceOverrides;
}
