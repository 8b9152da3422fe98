#!/usr/bin/env node
import { devicePath, requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { mkfsExt4Arguments, type Ext4Options } from './mkfs-ext4-arguments.js';

await runStage<Ext4Options>((args) => {
  requireTool('mkfs.ext4', 'e2fsprogs');
  const device = devicePath(args, 'device', 'the device to format');
  const epoch = args.meta['source-epoch'];
  // mke2fs stamps the superblock, inodes and journal with this time instead of now.
  const env: Record<string, string> = epoch === undefined ? {} : { E2FSPROGS_FAKE_TIME: String(epoch) };
  runTool('mkfs.ext4', mkfsExt4Arguments(args.options, device, epoch !== undefined), { env });
});
