import { basename } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import { readJson } from './read-json.js';

/** `NAME=FILE` → both; a bare `FILE` is named by its file name without `.json`. */
export function descriptionArgument(arg: string): { name: string; file: string } {
  const eq = arg.indexOf('=');
  const file = eq > 0 ? arg.slice(eq + 1) : arg;
  return { name: eq > 0 ? arg.slice(0, eq) : basename(file).replace(/\.json$/, ''), file };
}

/**
 * Reads and checks each `[NAME=]FILE` argument with the tool's `parse`, in
 * order; two arguments with one name are a usage problem.
 */
export function readDescriptionFiles<D>(args: readonly string[], parse: (value: unknown, file: string) => D): Map<string, D> {
  const descriptions = new Map<string, D>();
  for (const arg of args) {
    const { name, file } = descriptionArgument(arg);
    if (descriptions.has(name)) throw new OsbuildError('E_USAGE', `two descriptions are named ${name}`);
    descriptions.set(name, parse(readJson(file, 'description'), file));
  }
  return descriptions;
}
