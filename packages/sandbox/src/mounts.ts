import { readFile } from 'node:fs/promises';
import type { CommandRunner } from './command-server.js';
import { OsbuildError } from './errors.js';
import { mustRun, runCommand } from './exec.js';

/**
 * Host-side mounts. Every mount made here is private or in a peer group of
 * its own (seed 003: mounts that propagate into each other multiply across
 * concurrent builds). The shapes:
 *
 *   <work>/shared   tmpfs; private, then shared: a peer group confined to one
 *                   build. Sandboxes bind subdirectories of it and become its
 *                   slaves, so a mount made here later shows up inside the
 *                   (prewarmed) sandbox, and nothing flows back.
 *   <work>/staging  tmpfs, private: where a read-only bind is prepared
 *                   (made private, remounted read-only) before it is moved
 *                   into `shared`. A mount is copied to slaves with the flags
 *                   it has when it arrives, so read-only must be set first.
 *
 * Binds are made private right after they are made (`--make-rprivate`), so
 * they leave whatever peer group their source was in.
 */

/** Mount points of this mount namespace, in /proc/self/mountinfo order. */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''));
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040). */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function isUnder(child: string, parent: string): boolean {
  return child === parent || child.startsWith(`${parent}/`);
}

/** Mount points at or below `dir`. */
export async function mountsUnder(dir: string): Promise<string[]> {
  return (await mountPoints()).filter((point) => isUnder(point, dir));
}

/**
 * Refuse to delete a directory recursively while anything is mounted inside
 * it: `rm -r` crosses mount points and would delete a user's tree.
 */
export async function assertNothingMountedUnder(dir: string): Promise<void> {
  const left = await mountsUnder(dir);
  if (left.length > 0) {
    throw new OsbuildError('E_SANDBOX', `refusing to remove ${dir}: still mounted: ${left.join(', ')}`, { details: { mounts: left } });
  }
}

/** Make the two per-build tmpfs areas (see the top of this file). */
export async function mountBuildAreas(shared: string, staging: string): Promise<void> {
  const script = [
    'set -e',
    'mount -t tmpfs -o nosuid,mode=0755 osbuild-ts-sandbox "$1"',
    'mount --make-private "$1"',
    'mount --make-shared "$1"',
    'mount -t tmpfs -o nosuid,mode=0700 osbuild-ts-staging "$2"',
    'mount --make-private "$2"',
  ].join('\n');
  await mustRun('/bin/sh', ['-c', script, 'sh', shared, staging], 'setting up the build sandbox mounts');
}

/** One bind of a stage's tree, input or output; with `staging`, prepared there and then moved to `target`. */
export interface AttachMount {
  source: string;
  target: string;
  readOnly: boolean;
  staging: string | null;
}

/**
 * The mount(8) calls for one bind. Read-only binds are not recursive:
 * util-linux remounts only the top mount read-only, and a read-write submount
 * under a read-only tree would break the promise. Read-write ones are, so a
 * tree with mounts inside stays whole. Either way the bind leaves whatever
 * peer group its source belonged to (a moved one starts a group of its own,
 * shared only with the sandbox's copy).
 */
function mountCommands(mount: AttachMount): string[][] {
  const at = mount.staging ?? mount.target;
  const bind = mount.readOnly ? ['--bind', '-o', 'ro', '--make-private', mount.source, at] : ['--rbind', '--make-rprivate', mount.source, at];
  return mount.staging === null ? [bind] : [bind, ['--move', mount.staging, mount.target]];
}

/** Make all binds of one stage, in order (through the build's command server when given). */
export async function attachMounts(mounts: readonly AttachMount[], run: CommandRunner = runCommand): Promise<void> {
  for (const command of mounts.flatMap(mountCommands)) await mustRun('mount', command, 'mounting the stage tree', run);
}

/**
 * Unmount everything at or below each of `dirs` with one lazy umount: the
 * mounts leave the namespace at once (the sandbox that used them is gone) and
 * the kernel frees them when the last reference goes. Verified against
 * mountinfo, not assumed.
 */
export async function detachMountsUnder(dirs: readonly string[], run: CommandRunner = runCommand): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const points = await mountPoints();
    const left = [...new Set(points.filter((point) => dirs.some((dir) => isUnder(point, dir))))];
    // Top-most only: a lazy umount takes everything below along.
    const tops = left.filter((point) => !left.some((other) => other !== point && isUnder(point, other)));
    if (tops.length === 0) return;
    await run('umount', ['--lazy', ...tops]).catch(() => undefined);
  }
  const still = (await mountPoints()).filter((point) => dirs.some((dir) => isUnder(point, dir)));
  if (still.length > 0) {
    throw new OsbuildError('E_SANDBOX', `could not unmount ${still.join(', ')}`, { details: { mounts: still } });
  }
}
