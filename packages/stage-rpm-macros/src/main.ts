#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runStage } from '@osbuild-ts/plugin-kit';

interface MacrosOptions {
  filename: string;
  macros: { _install_langs?: string[]; _dbpath?: string };
}

/** A macro's value as rpm reads it: `_install_langs` is a colon-separated list. */
function macroValue(key: string, value: unknown): string {
  if (key === '_install_langs') {
    if (!Array.isArray(value)) throw new Error(`options.macros._install_langs: expected a list of languages`);
    return value.join(':');
  }
  return String(value);
}

await runStage<MacrosOptions>((args) => {
  const { filename, macros } = args.options;
  const path = join(args.tree, filename.replace(/^\/+/, ''));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Object.entries(macros).map(([key, value]) => `%${key} ${macroValue(key, value)}\n`).join(''));
});
