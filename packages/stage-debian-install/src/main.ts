#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';
import { installDebs } from './install.js';

interface InstallOptions {
  packages?: string[];
}

await runStage<InstallOptions>((args) =>
  installDebs(args, {
    ...(args.options.packages ? { packages: args.options.packages } : {}),
    stage: 'io.github.osbuild-ts.debian.install',
    inputHint: 'pin them into the input with osbuild-debian-pin',
  }),
);
