#!/usr/bin/env node
import { devicePath, requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { mkfsFatArguments, type FatOptions } from './mkfs-fat-arguments.js';
import { reproducibleFlags } from './reproducible-flags.js';

await runStage<FatOptions>((args) => {
  requireTool('mkfs.fat', 'dosfstools');
  const device = devicePath(args, 'device', 'the device to format');
  const flags = args.meta['source-epoch'] === undefined ? [] : reproducibleFlags();
  runTool('mkfs.fat', [...flags, ...mkfsFatArguments(args.options, device)]);
});
