#!/usr/bin/env node
import { deviceGeometry, devicePath, requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { checkFlags } from './check-flags.js';
import { checkPartitions } from './check-partitions.js';
import { partedCommands } from './parted-commands.js';
import type { PartedOptions } from './parted-options.js';

await runStage<PartedOptions>((args) => {
  requireTool('parted', 'parted');
  requireTool('blockdev', 'util-linux');
  const device = devicePath(args, 'device', 'the disk to partition');
  const partitions = checkPartitions(args.options.partitions ?? [], deviceGeometry(device), device);
  checkFlags(partitions);
  // -a none: exactly the sectors asked for, no alignment.
  try {
    runTool('parted', ['-a', 'none', '-s', device, '--', ...partedCommands(args.options.label, partitions)]);
  } catch (error) {
    throw new Error(`parted could not write the table to ${device} (its message is above): ${(error as Error).message}`, { cause: error });
  }
  runTool('parted', ['-a', 'none', '-s', device, '--', 'print']);
});
