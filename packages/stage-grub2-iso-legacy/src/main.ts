#!/usr/bin/env node
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { grubIsoConfig, type GrubIsoOptions } from '@osbuild-ts/image-kit';
import { runStage } from '@osbuild-ts/plugin-kit';

interface Grub2IsoLegacyOptions extends GrubIsoOptions {
  grub2dir?: string;
  platform?: 'i386-pc' | 'powerpc-ieee1275';
}

const MODULE_PACKAGES: Readonly<Record<string, string>> = {
  'i386-pc': 'grub-pc-bin on Debian, grub2-pc-modules on Fedora',
  'powerpc-ieee1275': 'grub-ieee1275-bin on Debian, grub2-ppc64le-modules on Fedora',
};

await runStage<Grub2IsoLegacyOptions>((args) => {
  const options = args.options;
  const platform = options.platform ?? 'i386-pc';
  // As upstream: an empty grub2dir means the default too.
  const relative = posix.normalize('/' + (options.grub2dir || 'boot/grub2'));
  if (relative.split('/').includes('..')) throw new Error(`grub2dir "${options.grub2dir}": expected a directory inside the tree`);
  const grub2dir = posix.join(args.tree, relative);
  const modules = `/usr/lib/grub/${platform}`;
  if (!existsSync(modules)) throw new Error(`platform ${platform}: ${modules} is missing from the build root (${MODULE_PACKAGES[platform]})`);
  mkdirSync(grub2dir, { recursive: true });
  cpSync(modules, join(grub2dir, platform), { recursive: true, preserveTimestamps: true, force: true });
  process.stdout.write(`kernel dir at ${options.kernel.dir}\n`);
  writeFileSync(join(grub2dir, 'grub.cfg'), grubIsoConfig(options, 'bios'));
});
