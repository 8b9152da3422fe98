#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStage } from '@osbuild-ts/plugin-kit';
import { iniText } from './ini.js';

interface JournaldOptions {
  filename: string;
  config: Record<string, Record<string, string>>;
}

const DROPIN_DIR = 'usr/lib/systemd/journald.conf.d';

await runStage<JournaldOptions>((args) => {
  const { filename, config } = args.options;
  const dir = join(args.tree, DROPIN_DIR);
  mkdirSync(dir, { recursive: true });
  try {
    // 'wx': a drop-in of that name already in the tree is an error, as upstream.
    writeFileSync(join(dir, filename), iniText(config), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`/${DROPIN_DIR}/${filename} already exists in the tree (filename must name a new drop-in)`);
    throw error;
  }
});
