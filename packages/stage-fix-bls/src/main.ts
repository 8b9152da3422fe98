#!/usr/bin/env node
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStage } from '@osbuild-ts/plugin-kit';
import { fixPaths } from './fix-paths.js';

interface FixBlsOptions {
  prefix?: string;
  require_boot_prefix?: boolean;
}

const ENTRIES = 'boot/loader/entries';

await runStage<FixBlsOptions>((args) => {
  const prefix = args.options.prefix ?? '/boot';
  const requireBootPrefix = args.options.require_boot_prefix ?? true;
  const dir = join(args.tree, ENTRIES);
  let names: string[];
  try {
    // As upstream's glob("*.conf"): hidden names are not entries.
    names = readdirSync(dir).filter((name) => name.endsWith('.conf') && !name.startsWith('.')).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // no entries: nothing to fix
    throw error;
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    try {
      text = utf8.decode(readFileSync(file));
    } catch (error) {
      if (error instanceof TypeError) throw new Error(`/${ENTRIES}/${name} is not UTF-8 text`);
      throw new Error(`/${ENTRIES}/${name}: ${(error as Error).message}`);
    }
    // Rewritten even when nothing changes, as upstream does.
    writeFileSync(file, fixPaths(text, prefix, requireBootPrefix));
  }
});
