#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { refuseLinksOut, runStage } from '@osbuild-ts/plugin-kit';
import { targetParts } from './target-path.js';

interface MkdirOptions {
  paths?: { path: string; mode?: number; parents?: boolean; exist_ok?: boolean }[];
}

await runStage<MkdirOptions>((args) => {
  for (const item of args.options.paths ?? []) {
    let location = item.path;
    if (!location.includes('://') && !location.startsWith('/')) {
      // Accepted for compatibility with osbuild's first version of this stage.
      process.stdout.write(`WARNING: relative path ${location} used, this is discouraged!\n`);
      location = `tree:///${location}`;
    }
    const { root, path: target } = targetParts(args, location);
    refuseLinksOut(root, target, item.path);
    const mode = item.mode ?? 0o777;
    try {
      // recursive mkdir never fails on an existing dir, so check first when it must.
      if (item.parents && item.exist_ok) mkdirSync(target, { recursive: true, mode });
      else if (item.parents) {
        if (mkdirSync(target, { recursive: true, mode }) === undefined) throw existsError(item.path);
      } else mkdirSync(target, { mode });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && item.exist_ok) continue;
      if (code === 'EEXIST') throw existsError(item.path);
      if (code === 'ENOENT') throw new Error(`${item.path}: parent directory does not exist (set "parents": true)`);
      throw error;
    }
  }
});

function existsError(path: string): Error {
  return new Error(`${path}: already exists (set "exist_ok": true to accept that)`);
}
