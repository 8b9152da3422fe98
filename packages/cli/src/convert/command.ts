import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import type { Io } from '../main.js';
import { convertManifest } from './convert.js';

const USAGE = 'usage: osbuild convert MANIFEST [-o OUT]\n';

/** `osbuild convert MANIFEST [-o OUT]`: the v2 manifest to OUT (default stdout), what changed to stderr. */
export async function convertCommand(argv: readonly string[], io: Io): Promise<number> {
  let input: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      io.stdout(`${USAGE}\nRewrites a manifest that mixes v1 and v2 ("version": "2" with stages keyed by "name"\nand a top-level "assembler") into a valid v2 manifest.\n`);
      return 0;
    }
    if (arg === '-o' || arg === '--output') output = argv[++i];
    else if (input === undefined) input = arg;
    else {
      io.stderr(`${USAGE}osbuild convert: error: unexpected argument ${arg}\n`);
      return 2;
    }
  }
  if (input === undefined || (output === undefined && argv.includes('-o'))) {
    io.stderr(`${USAGE}osbuild convert: error: ${input === undefined ? 'MANIFEST is required' : '-o needs a file'}\n`);
    return 2;
  }
  const path = input === '-' ? 0 : resolve(io.cwd, input);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new OsbuildError('E_MANIFEST_JSON', `${input}: ${(error as Error).message}`);
  }
  const { manifest, notes } = convertManifest(doc);
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (output === undefined) io.stdout(text);
  else {
    const target = resolve(io.cwd, output);
    writeFileSync(`${target}.tmp-${process.pid}`, text);
    renameSync(`${target}.tmp-${process.pid}`, target);
  }
  for (const note of notes) io.stderr(`${note}\n`);
  return 0;
}
