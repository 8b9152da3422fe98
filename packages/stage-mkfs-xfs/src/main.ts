#!/usr/bin/env node
import { devicePath, requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { mkfsXfsArguments, type XfsOptions } from './mkfs-xfs-arguments.js';

await runStage<XfsOptions>((args) => {
  requireTool('mkfs.xfs', 'xfsprogs');
  const device = devicePath(args, 'device', 'the device to format');
  runTool('mkfs.xfs', mkfsXfsArguments(args.options, device));
});
