import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { OsbuildError, formatJsonPath, type PluginRecord, type StageMount } from '@osbuild-ts/core';

/** How to get the files onto such a file system without mounting it. */
const WITHOUT_MOUNTING: Record<string, string> = {
  vfat: 'write the files into the FAT image without mounting it, with the stage io.github.osbuild-ts.mtools.copy',
};

/** The kernel's file system types, as /proc/filesystems lists them. */
export function kernelFileSystems(text = readFileSync('/proc/filesystems', 'utf8')): Set<string> {
  return new Set(text.split('\n').map((line) => line.split('\t')[1]?.trim() ?? '').filter(Boolean));
}

/** modprobe, where there is one, may bring a missing type in (cheap: one exec per missing type). */
function tryModprobe(fsType: string): boolean {
  const result = spawnSync('modprobe', ['--quiet', fsType], { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

export interface PlannedMount {
  mount: StageMount;
  plugin: PluginRecord;
}

/**
 * Before anything runs: each mount a stage to run will make needs its
 * plugin's file system (`osbuild.filesystem`) in this kernel. One error
 * lists every mount that cannot be made, by manifest path, with the way
 * around it where there is one (exit status 2, like a manifest error: the
 * manifest asks for something this host cannot give).
 */
export function checkFileSystems(mounts: readonly PlannedMount[], available: () => Set<string> = () => kernelFileSystems(), modprobe = tryModprobe): void {
  const needed = mounts.filter((m) => m.plugin.filesystem !== undefined);
  if (needed.length === 0) return;
  let known = available();
  const missing = new Set<string>();
  for (const fsType of new Set(needed.map((m) => m.plugin.filesystem!))) {
    if (known.has(fsType)) continue;
    if (modprobe(fsType)) known = available();
    if (!known.has(fsType)) missing.add(fsType);
  }
  if (missing.size === 0) return;
  const problems = needed.filter((m) => missing.has(m.plugin.filesystem!));
  const issues = problems.map((m) => ({ path: [...m.mount.path], message: `this kernel has no ${m.plugin.filesystem} file system` }));
  const lines = problems.map((m, i) => `${formatJsonPath(m.mount.path)} (${m.mount.type}, ${JSON.stringify(m.mount.name)}): ${issues[i]!.message}`);
  const ways = [...missing].map((fsType) => WITHOUT_MOUNTING[fsType] ?? `build on a kernel with ${fsType} (or load its module: modprobe ${fsType})`);
  throw new OsbuildError('E_HOST_UNSUPPORTED', lines.join('\n'), {
    hint: ways.join('; '),
    details: {
      path: problems[0]!.mount.path,
      /** As validation issues: `--json` reports them in the validation-error document. */
      issues,
      mounts: problems.map((m) => ({ path: m.mount.path, type: m.mount.type, name: m.mount.name, filesystem: m.plugin.filesystem })),
    },
  });
}
