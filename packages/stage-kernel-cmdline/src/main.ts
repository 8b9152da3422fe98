#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { machine } from 'node:os';
import { join } from 'node:path';
import { runStage } from '@osbuild-ts/plugin-kit';
import { commandLine } from './command-line.js';

export interface KernelCmdlineOptions {
  root_fs_uuid?: string;
  kernel_opts?: string;
  kernel_cmdline_size?: number;
}

await runStage<KernelCmdlineOptions>((args) => {
  const text = commandLine(args.options, machine());
  const dir = join(args.tree, 'etc/kernel');
  mkdirSync(dir, { recursive: true });
  // No trailing newline: upstream writes the bare line, and kernel-install reads it as is.
  writeFileSync(join(dir, 'cmdline'), text);
});
