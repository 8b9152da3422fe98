#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { runStage, runTool } from '@osbuild-ts/plugin-kit';
import { sourceEpoch } from '@osbuild-ts/image-kit';
import type { XorrisofsOptions } from './options.js';
import { isoKind, xorrisofsArguments } from './xorrisofs-arguments.js';

await runStage<XorrisofsOptions>((args) => {
  const options = args.options;
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree" (the tree to put on the ISO, an org.osbuild.tree input)');
  if (isoKind(options) === 'grub2' && !existsSync(options.grub2mbr as string)) {
    throw new Error(`grub2mbr: ${options.grub2mbr} is missing from the build root (Debian: grub-pc-bin's /usr/lib/grub/i386-pc/boot_hybrid.img)`);
  }
  if (options.isohybridmbr !== undefined && !existsSync(options.isohybridmbr)) {
    throw new Error(`isohybridmbr: ${options.isohybridmbr} is missing from the build root (Debian: isolinux's /usr/lib/ISOLINUX/isohdpfx.bin)`);
  }
  for (const [name, path] of [['boot.image', options.boot?.image], ['efi', options.efi]] as const) {
    if (path !== undefined && !path.startsWith('--interval:') && !existsSync(posix.join(input.path, path.replace(/^\/+/, '')))) {
      throw new Error(`${name}: ${path} is not in the input tree`);
    }
  }
  const output = posix.join(args.tree, posix.normalize('/' + options.filename));
  runTool('xorrisofs', xorrisofsArguments(options, input.path, output, sourceEpoch(args)));
});
