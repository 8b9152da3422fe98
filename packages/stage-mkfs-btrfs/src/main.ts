#!/usr/bin/env node
import { devicePath, requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { mkfsBtrfsArguments, type BtrfsOptions } from './mkfs-btrfs-arguments.js';

await runStage<BtrfsOptions>((args) => {
  requireTool('mkfs.btrfs', 'btrfs-progs');
  const device = devicePath(args, 'device', 'the device to format');
  runTool('mkfs.btrfs', mkfsBtrfsArguments(args.options, device));
});
