#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';
import { buildRootfs } from '@osbuild-ts/stage-debian-rootfs/rootfs';
import { rootfsOptions, type DebootstrapOptions } from './options.js';

await runStage<DebootstrapOptions>((args) =>
  buildRootfs(args, rootfsOptions(args.options), {
    stage: 'org.osbuild.debian.debootstrap',
    inputHint: 'osbuild adds it from the lock file beside the manifest: build the manifest with osbuild, which resolves the suite first',
  }),
);
