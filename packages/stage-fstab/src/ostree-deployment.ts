import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { captureTool, requireTool } from '@osbuild-ts/plugin-kit';
import type { Deployment } from './fstab-options.js';

/**
 * The root of an ostree deployment in the tree,
 * `/ostree/deploy/OSNAME/deploy/COMMIT.SERIAL`, as upstream finds it: the
 * one deployment with serial 0 for `default`, else the given osname, ref and
 * serial, the ref resolved to a commit with the build root's `ostree`.
 */
export function deploymentRoot(tree: string, deployment: Deployment): string {
  let osname: string;
  let ref: string;
  let serial: string;
  if (deployment.default) {
    const found = defaultDeployments(tree);
    if (found.length === 0) throw new Error('ostree: could not find a deployment (ostree/deploy/*/deploy/*.0)');
    if (found.length > 1) {
      const paths = found.map((d) => `ostree/deploy/${d.osname}/deploy/${d.name}`);
      throw new Error(`ostree: more than one deployment found: ${paths.join(', ')}`);
    }
    const only = found[0] as { osname: string; name: string };
    const match = /^(.*)\.([0-9])$/.exec(only.name) as RegExpExecArray;
    [osname, ref, serial] = [only.osname, match[1] as string, match[2] as string];
  } else {
    if (deployment.osname === undefined || deployment.ref === undefined) {
      throw new Error('ostree.deployment: needs osname and ref, or default: true');
    }
    [osname, ref, serial] = [deployment.osname, deployment.ref, String(deployment.serial ?? 0)];
  }
  requireTool('ostree', 'ostree');
  const commit = captureTool('ostree', ['rev-parse', ref, `--repo=${join(tree, 'ostree/repo')}`]).trim();
  return join(tree, 'ostree/deploy', osname, 'deploy', `${commit}.${serial}`);
}

function defaultDeployments(tree: string): { osname: string; name: string }[] {
  const base = join(tree, 'ostree/deploy');
  if (!existsSync(base)) return [];
  const found: { osname: string; name: string }[] = [];
  for (const osname of readdirSync(base).sort()) {
    const deploy = join(base, osname, 'deploy');
    if (!existsSync(deploy)) continue;
    for (const name of readdirSync(deploy).sort()) {
      if (name.endsWith('.0') && !name.startsWith('.')) found.push({ osname, name });
    }
  }
  return found;
}
