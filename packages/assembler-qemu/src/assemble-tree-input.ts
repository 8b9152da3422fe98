import type { StageArguments } from '@osbuild-ts/plugin-kit';
import { assemble } from './assemble.js';
import { sourceEpoch } from '@osbuild-ts/image-kit';
import type { QemuOptions } from './options.js';

/**
 * The disk image of the `tree` input, written into the stage's own tree at
 * `options.filename`: the v1 assembler's whole job, and that of the v2
 * stage `io.github.osbuild-ts.disk-image`. `missingInput` is the error when
 * there is no `tree` input, in the words of the module that runs.
 */
export function assembleTreeInput(args: StageArguments<QemuOptions>, missingInput: string): string {
  const input = args.inputs['tree'];
  if (!input) throw new Error(missingInput);
  return assemble({
    options: args.options,
    tree: input.path,
    output: args.tree,
    epoch: sourceEpoch(args),
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
