import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import type { StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * The archive: the one file of the `file` input (an org.osbuild.files
 * input, whose files are named by checksum in its directory).
 */
export function archiveFile(args: StageArguments<unknown>): string {
  const input = args.inputs['file'];
  if (!input) {
    const names = Object.keys(args.inputs).join(', ') || 'none';
    throw new Error(`no input named "file" (inputs: ${names}); the archive to extract is inputs.file, an org.osbuild.files input`);
  }
  const files = Object.keys(input.data?.files ?? {});
  if (files.length !== 1) {
    throw new Error(`inputs.file must hold exactly one file, the archive; it holds ${files.length}${files.length > 0 ? ` (${files.join(', ')})` : ''}`);
  }
  const [name] = files as [string];
  if (name.includes('/') || name === '..' || name === '.') throw new Error(`inputs.file: "${name}" is not a file name`);
  const path = posix.join(input.path, name);
  if (!existsSync(path)) throw new Error(`inputs.file: ${name} is listed but not in ${input.path}`);
  return path;
}
