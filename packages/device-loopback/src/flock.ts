import { spawnSync } from 'node:child_process';

const CONFLICT = 75;

/**
 * flock(2) on an open descriptor, through util-linux `flock` (Node has no
 * flock). The child gets the descriptor as its fd 3: same open file
 * description, so the lock it takes is ours and outlives it until we close
 * the descriptor. These are the BSD locks systemd-udevd and util-linux honour
 * on block devices (https://systemd.io/BLOCK_DEVICE_LOCKING/), not the OFD
 * locks of the store. Returns false when another holder conflicts.
 */
export function flockFd(fd: number, mode: 'exclusive' | 'shared', options: { wait?: boolean } = {}): boolean {
  const args = [`--${mode}`, '--conflict-exit-code', String(CONFLICT)];
  if (!options.wait) args.push('--nonblock');
  const result = spawnSync('flock', [...args, '3'], { stdio: ['ignore', 'ignore', 'pipe', fd], encoding: 'utf8' });
  if (result.error) throw new Error(`flock: ${result.error.message}`);
  if (result.status === CONFLICT) return false;
  if (result.status !== 0) throw new Error(`flock --${mode} failed (exit status ${result.status}): ${result.stderr.trim()}`);
  return true;
}
