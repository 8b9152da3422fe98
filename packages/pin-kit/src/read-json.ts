import { readFileSync } from 'node:fs';
import { OsbuildError } from '@osbuild-ts/core';

/**
 * A JSON file the user named (a description, a template, an overrides file):
 * one that cannot be read or parsed is a usage problem, named by `what`.
 */
export function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OsbuildError('E_USAGE', `cannot read ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OsbuildError('E_USAGE', `${file}: not JSON: ${(error as Error).message}`);
  }
}
