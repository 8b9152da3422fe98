#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, resolveLocation, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { normpath, splitTarget } from './target.js';

interface SelinuxOptions {
  target?: string;
  file_contexts?: string;
  exclude_paths?: string[];
  labels?: Record<string, string>;
  force_autorelabel?: boolean;
}

await runStage<SelinuxOptions>((args) => {
  const { options } = args;
  const { root, path } = splitTarget(args, options.target ?? 'tree:///');
  const labels = Object.entries(options.labels ?? {});
  if (options.file_contexts) requireTool('setfiles', 'policycoreutils');
  if (labels.length > 0) requireTool('setfattr', 'attr');

  if (options.file_contexts) {
    // A plain path is in the tree, whatever the target.
    const spec = options.file_contexts.includes('://') ? resolveLocation(args, options.file_contexts) : normpath(`${args.tree}/${options.file_contexts}`);
    const excludes = (options.exclude_paths ?? []).flatMap((p) => ['-e', normpath(`${root}/${path}/${p}`)]);
    // -F: set the whole context, not only the type; -r: the root the spec's paths are relative to.
    runTool('setfiles', ['-F', '-r', normpath(root), ...excludes, spec, `${root}${path}`]);
  }

  for (const [location, label] of labels) setLabel(resolveLocation(args, location), label, location);

  if (options.force_autorelabel) {
    // "-F" makes selinux-autorelabel reset whole contexts (fixfiles -F), not only types, as upstream writes it.
    writeFileSync(join(root, '.autorelabel'), '-F');
  }
});

/**
 * Sets `security.selinux` on `path` (following symlinks) to exactly the
 * label's bytes, as upstream's setfilecon does: no NUL, no translation. As
 * setfilecon(3), a file system that cannot store it is no error when the
 * file already has that label.
 */
function setLabel(path: string, label: string, location: string): void {
  const value = `0x${Buffer.from(label, 'utf8').toString('hex')}`;
  const set = spawnSync('setfattr', ['-n', 'security.selinux', '-v', value, '--', path], { encoding: 'utf8' });
  if (set.error) throw new Error(`setfattr: ${set.error.message}`);
  if (set.status === 0) return;
  const get = spawnSync('getfattr', ['--only-values', '-n', 'security.selinux', '--', path], { encoding: 'utf8' });
  if (get.status === 0 && get.stdout.replace(/[\n\0]+$/, '') === label) return;
  throw new Error(`labels: ${location}: cannot set security.selinux to ${label}: ${set.stderr.trim()}`);
}
