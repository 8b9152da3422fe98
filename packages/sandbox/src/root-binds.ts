import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { OsbuildError } from './errors.js';

/** What a sandbox takes from its build root (or from the host when there is none). */
export interface RootBinds {
  usr: string;
  boot: string | null;
  tryBinds: { source: string; dest: string }[];
}

async function isRealDir(p: string): Promise<boolean> {
  const info = await lstat(p).catch(() => null);
  return info !== null && info.isDirectory();
}

/**
 * Spec 8.1/8.4: with a build root, its /usr (and /boot if it is a real
 * directory) plus a few optional config files; without one, a synthetic root
 * made of the host's /usr and /etc/containers only.
 */
export async function rootBinds(root: string | null): Promise<RootBinds> {
  if (root === null) {
    return { usr: '/usr', boot: null, tryBinds: [{ source: '/etc/containers', dest: '/etc/containers' }] };
  }
  const usr = path.join(root, 'usr');
  if (!(await isRealDir(usr))) {
    throw new OsbuildError('E_SANDBOX', `the build root ${root} has no /usr directory`, {
      hint: 'The build pipeline must produce a tree with a merged /usr (its tools run from there).',
      details: { root },
    });
  }
  const boot = path.join(root, 'boot');
  return {
    usr,
    boot: (await isRealDir(boot)) ? boot : null,
    tryBinds: [
      { source: path.join(root, 'etc/mke2fs.conf'), dest: '/etc/mke2fs.conf' },
      { source: path.join(root, 'etc/containers'), dest: '/etc/containers' },
      { source: path.join(root, 'ostree'), dest: '/ostree' },
      { source: path.join(root, 'etc/selinux'), dest: '/etc/selinux' },
    ],
  };
}
