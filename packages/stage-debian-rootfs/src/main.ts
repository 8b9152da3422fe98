#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';
import { buildRootfs, type RootfsOptions } from './rootfs.js';

await runStage<RootfsOptions>((args) => buildRootfs(args, args.options));
