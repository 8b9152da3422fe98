#!/usr/bin/env node
import { requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { archiveFile } from './archive-file.js';
import { extractDirectory } from './extract-directory.js';
import { refuseMembersThroughLinks } from './links-out.js';

interface UntarOptions {
  prefix?: string;
}

await runStage<UntarOptions>((args) => {
  requireTool('tar', 'tar');
  const archive = archiveFile(args);
  const { directory, root } = extractDirectory(args, args.options.prefix ?? '/');
  refuseMembersThroughLinks(archive, directory, root);
  // Upstream's command. GNU tar finds the compression (gzip, xz, zstd…) from
  // the archive's first bytes when reading, since input files have no suffix;
  // as root it keeps owners and modes.
  runTool('tar', ['--auto-compress', '-x', '-f', archive, '-C', directory]);
});
