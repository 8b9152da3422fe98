import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** The logs and caches that differ between two identical installs; mmdebstrap removes the same list. */
const FILES = [
  'var/log/dpkg.log',
  'var/log/apt/history.log',
  'var/log/apt/term.log',
  'var/log/alternatives.log',
  'var/cache/ldconfig/aux-cache',
  'var/log/apt/eipp.log.xz',
  'var/lib/dbus/machine-id',
];

export function removeUnreproducible(tree: string): void {
  for (const file of FILES) rmSync(join(tree, file), { force: true });
}
