import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

// The mounts a program run in the tree needs, as upstream's Chroot makes
// them: /proc, a devtmpfs on /dev (the host's /dev bound when that is
// refused) and /sys; with "silence", the tree's /usr/bin/logger covered by
// its /usr/bin/true. They are made in a mount namespace of their own that
// ends with the command, so nothing stays mounted even if the stage is
// killed, and a local run leaves the host's mounts alone.
const SCRIPT = `set -e
tree=$1; silence=$2; shift 2
mount -t proc -o nosuid,noexec,nodev proc "$tree/proc"
mount -t devtmpfs -o mode=0755,noexec,nosuid,strictatime devtmpfs "$tree/dev" 2>/dev/null || mount --bind /dev "$tree/dev"
mount -t sysfs -o nosuid,noexec,nodev sysfs "$tree/sys"
if [ "$silence" = yes ] && [ -e "$tree/usr/bin/logger" ]; then mount --bind "$tree/usr/bin/true" "$tree/usr/bin/logger"; fi
exec chroot "$tree" "$@"
`;

/**
 * Runs `command` chrooted into `tree` with /proc, /dev and /sys mounted
 * (made first if the tree lacks them, as upstream does). Throws naming the
 * command and its exit status when it fails.
 */
export function runInTree(tree: string, command: readonly string[], options: { silenceLogger?: boolean } = {}): void {
  for (const dir of ['proc', 'dev', 'sys']) {
    if (!existsSync(join(tree, dir))) {
      process.stdout.write(`Making missing chroot directory: /${dir}\n`);
      mkdirSync(join(tree, dir), { recursive: true });
    }
  }
  const args = ['--mount', '--propagation', 'private', 'sh', '-c', SCRIPT, 'sh', tree, options.silenceLogger ? 'yes' : 'no', ...command];
  const result = spawnSync('unshare', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) throw new Error(`unshare: ${result.error.message}`);
  if (result.status !== 0) {
    const how = result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`;
    throw new Error(`${command.join(' ')} (chrooted into the tree) failed (${how})`);
  }
}
