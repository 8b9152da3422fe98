#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStage } from '@osbuild-ts/plugin-kit';
import { configText } from './config-text.js';

interface SelinuxConfigOptions {
  state?: 'enforcing' | 'permissive' | 'disabled';
  type?: 'targeted' | 'minimum' | 'mls';
}

await runStage<SelinuxConfigOptions>((args) => {
  const file = join(args.tree, 'etc/selinux/config');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('the tree has no /etc/selinux/config (install the SELinux policy package first)');
    if (error instanceof TypeError) throw new Error('/etc/selinux/config is not UTF-8 text');
    throw error;
  }
  writeFileSync(file, configText(text, args.options.state, args.options.type));
});
