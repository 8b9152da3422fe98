import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * The raw image to convert: the one file of the `image` input (an
 * org.osbuild.files input, from a pipeline's file or a source), named by
 * its `data.files`.
 */
export function sourceImage(args: StageArguments<unknown>): string {
  const input = args.inputs['image'];
  if (!input) throw new Error(`no input named "image" (inputs: ${Object.keys(args.inputs).join(', ') || 'none'}): give the raw disk as an org.osbuild.files input`);
  const files = Object.keys(input.data?.files ?? {});
  if (files.length !== 1) {
    throw new Error(`inputs.image must hold exactly one file, the raw disk image; its data.files has ${files.length === 0 ? 'none' : files.length}${files.length > 1 ? ` (${files.join(', ')})` : ''}`);
  }
  const path = join(input.path, files[0] as string);
  if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`inputs.image: ${files[0]} is not a file in the input (${path})`);
  return path;
}
