#!/usr/bin/env node
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { outputPath, requireTool, runStage, runTool, sourceEpoch } from '@osbuild-ts/plugin-kit';
import { tarArguments } from './tar-arguments.js';
import { COMPRESSORS, type TarAssemblerOptions } from './tar-options.js';

await runStage<TarAssemblerOptions>((args) => {
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree" (the built tree a v1 assembler receives)');
  requireTool('tar', 'tar');
  const { compression } = args.options;
  if (compression !== undefined) {
    const tool = COMPRESSORS[compression];
    if (!tool) throw new Error(`compression "${String(compression)}" is not one of ${Object.keys(COMPRESSORS).join(', ')}`);
    try {
      requireTool(tool.command, tool.package);
    } catch (error) {
      throw new Error(`compression "${compression}": ${(error as Error).message}`);
    }
  }
  const archive = outputPath(args.tree, args.options.filename);
  const epoch = sourceEpoch(args);
  // Upstream gives xz every core; xz 5.4 and later then write the same
  // bytes whatever the number of cores. The compressors read from tar's
  // pipe, so gzip and the others store no file name or time.
  const env = { XZ_OPT: '--threads 0' };
  if (compression !== 'lzop') {
    runTool('tar', tarArguments(args.options, archive, input.path, epoch), { env });
    return;
  }
  // lzop stores the time it is run at when it reads a pipe: compress a
  // file instead, whose time (the source epoch, else 0) and name (the
  // archive's, less .lzo) it stores.
  const work = mkdtempSync(join(dirname(archive), '.tar-assembler-'));
  try {
    const plain = join(work, basename(archive).replace(/\.(lzo|tzo)$/, '') || 'archive.tar');
    runTool('tar', tarArguments({ ...args.options, compression: undefined }, plain, input.path, epoch), { env });
    utimesSync(plain, epoch ?? 0, epoch ?? 0);
    runTool('lzop', ['-c', plain], { stdoutFile: archive });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
