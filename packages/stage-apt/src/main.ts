#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';
import { installDebs } from '@osbuild-ts/stage-debian-install/install';
import { deferInitramfs } from './initramfs.js';
import type { AptOptions } from './options.js';

await runStage<AptOptions>((args) =>
  installDebs(args, {
    packages: args.options.packages,
    // A package the tree already has is not in the lock: apt keeps it.
    allowInstalled: true,
    installRecommends: args.options.install_recommends ?? false,
    ...(args.options.apt_config ? { aptConfig: args.options.apt_config } : {}),
    stage: 'org.osbuild.apt',
    // One initramfs per new kernel, from the finished tree (see initramfs.ts).
    around: deferInitramfs,
    inputHint: 'osbuild adds it from the lock file beside the manifest: build the manifest with osbuild, or refresh the lock with --update-lock',
  }),
);
