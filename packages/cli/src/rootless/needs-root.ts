import { formatJsonPath, OsbuildError, type Manifest, type Pipeline } from '@osbuild-ts/core';

/** The stage that lays out a whole disk without loop devices or mounts. */
export const NO_MOUNT_ROUTE = 'io.github.osbuild-ts.disk-image';

/** Pipelines an export needs: itself, its build pipeline and the pipelines its stages take as inputs, transitively. All of them without exports. */
function neededPipelines(manifest: Manifest, exports: readonly string[]): Pipeline[] {
  if (exports.length === 0) return manifest.pipelines;
  const byName = new Map(manifest.pipelines.map((p) => [p.name, p]));
  const needed = new Set<string>();
  const visit = (name: string | undefined): void => {
    if (name === undefined || needed.has(name) || !byName.has(name)) return;
    needed.add(name);
    const pipeline = byName.get(name)!;
    visit(pipeline.buildName);
    for (const stage of pipeline.stages) for (const input of stage.inputs) for (const ref of input.pipelineNames ?? []) visit(ref);
  };
  exports.forEach(visit);
  return manifest.pipelines.filter((p) => needed.has(p.name));
}

/**
 * Before anything runs as a normal user: every stage that opens devices
 * (loop devices) or mounts file systems from block devices needs the real
 * root, which a user namespace does not give. One error names each such
 * stage, why, and the way around it (exit status 2, like a manifest this
 * host cannot build).
 */
export function checkRootlessStages(manifest: Manifest, exports: readonly string[]): void {
  const problems: { path: (string | number)[]; message: string; line: string }[] = [];
  for (const pipeline of neededPipelines(manifest, exports)) {
    pipeline.stages.forEach((stage, index) => {
      const where = `pipeline ${pipeline.name}, stage ${index + 1} (${stage.type})`;
      for (const device of stage.devices) {
        const message = `device "${device.name}" (${device.type}) needs root: loop and other block devices cannot be set up in a user namespace`;
        problems.push({ path: [...device.path], message, line: `${where}: ${message}` });
      }
      for (const mount of stage.mounts) {
        const message = `mount "${mount.name}" (${mount.type}) needs root: the kernel mounts file systems from block devices only for the real root`;
        problems.push({ path: [...mount.path], message, line: `${where}: ${message}` });
      }
    });
  }
  if (problems.length === 0) return;
  throw new OsbuildError(
    'E_HOST_UNSUPPORTED',
    `not run as root, so nothing was built: these stages need root\n${problems.map((p) => `  ${p.line} [${formatJsonPath(p.path)}]`).join('\n')}`,
    {
      hint:
        `lay the disk out without loop devices or mounts with the stage ${NO_MOUNT_ROUTE} (partitions, mkfs.ext4 -d, mtools, grub core placement; ` +
        'samples/debian-minimal/manifest.in.json does), or run osbuild as root',
      details: { path: problems[0]!.path, issues: problems.map((p) => ({ path: p.path, message: p.message })) },
    },
  );
}
