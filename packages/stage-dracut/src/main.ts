#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, runStage } from '@osbuild-ts/plugin-kit';
import { runInTree } from './chroot.js';
import { dracutArguments, type DracutOptions } from './dracut-arguments.js';

await runStage<DracutOptions>((args) => {
  const { options, tree } = args;
  for (const [command, pkg] of [['unshare', 'util-linux'], ['mount', 'mount'], ['chroot', 'coreutils']] as const) requireTool(command, pkg);
  // dracut comes from the tree (it builds the tree's initramfs from the tree's files), never from the build root.
  const program = options.initoverlayfs ? '/usr/bin/initoverlayfs-install' : '/usr/bin/dracut';
  if (!existsSync(join(tree, program))) {
    throw new Error(`the tree has no ${program}: install ${options.initoverlayfs ? 'initoverlayfs' : 'dracut'} into it before this stage`);
  }
  const flags = dracutArguments(options);
  for (const kver of options.kernel) {
    if (!existsSync(join(tree, 'usr/lib/modules', kver)) && !existsSync(join(tree, 'lib/modules', kver))) {
      throw new Error(`kernel ${JSON.stringify(kver)}: the tree has no /usr/lib/modules/${kver} (give the version of an installed kernel)`);
    }
    process.stderr.write(`Building initramfs for ${kver}\n`);
    try {
      runInTree(tree, [program, '--no-hostonly', '--kver', kver, ...flags], { silenceLogger: true });
    } catch (error) {
      throw new Error(`initramfs for kernel ${kver}: ${(error as Error).message}`);
    }
  }
});
