#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFat, mtoolsEnv, sourceEpoch, writeFat } from '@osbuild-ts/image-kit';
import { devicePath, resolveLocation, runStage } from '@osbuild-ts/plugin-kit';
import { copyEntries } from './copy-entries.js';

interface MtoolsCopyOptions {
  paths: { from: string; to: string }[];
}

await runStage<MtoolsCopyOptions>((args) => {
  const device = devicePath(args, 'device', 'the FAT file system');
  const epoch = sourceEpoch(args);
  const scratch = mkdtempSync(join(tmpdir(), 'mtools-copy-'));
  try {
    args.options.paths.forEach((path, index) => {
      const display = `paths[${index}]: ${path.from}`;
      let existing;
      try {
        existing = listFat(device, mtoolsEnv(epoch));
      } catch (error) {
        throw new Error(`devices.device (${device}) holds no FAT file system mtools can read: ${(error as Error).message}`);
      }
      const source = resolveLocation(args, path.from);
      const entries = copyEntries({ from: path.from, source, to: path.to }, existing, epoch);
      process.stdout.write(`copying '${source}' -> '::${path.to}' (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'})\n`);
      writeFat({ image: device, entries, existing, scratch: join(scratch, String(index)), epoch, display });
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
