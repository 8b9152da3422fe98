import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { hostTool, log, type DeviceNode } from '@osbuild-ts/plugin-kit/host-service';
import { flockFd } from './flock.js';
import type { LoopSetup } from './loopback-options.js';

export interface AttachedLoop {
  /** e.g. `loop3`. */
  name: string;
  /** e.g. `/dev/loop3`. */
  path: string;
  node: DeviceNode;
  /** Detaches the device (and waits until the kernel has): after this, its number is free again. */
  release(): Promise<void>;
}

const ATTEMPTS = 200;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sysfs(name: string, attribute: string): string | null {
  try {
    return readFileSync(`/sys/block/${name}/loop/${attribute}`, 'utf8').trim();
  } catch {
    return null;
  }
}

function deviceNode(path: string): DeviceNode {
  const rdev = statSync(path, { bigint: true }).rdev;
  return {
    major: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn)),
    minor: Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn)),
  };
}

function losetupArguments(setup: LoopSetup, device: string): string[] {
  const args = ['--offset', String(setup.offset), '--sector-size', String(setup.sectorSize)];
  if (setup.sizelimit !== null) args.push('--sizelimit', String(setup.sizelimit));
  if (setup.readOnly) args.push('--read-only');
  if (setup.partscan) args.push('--partscan');
  return [...args, device, setup.file];
}

/**
 * Attach `setup.file` to a free loop device without racing other builds:
 * take a free number (LOOP_CTL_GET_FREE, through `losetup --find`), open its
 * node and flock it exclusively (another osbuild-ts build claiming the same
 * number fails here and takes the next one), then bind that very device
 * (anyone else who bound it meanwhile makes this fail with EBUSY: retry).
 * While our descriptor stays open, a `losetup --detach` only sets autoclear
 * (the kernel's lazy detach), so the device goes away by itself when we
 * close it, even if this process is killed. The flock is kept while the
 * device is in use: exclusive with `lock`, as upstream; otherwise shared,
 * which udev and other readers may share.
 */
export async function attachLoop(setup: LoopSetup): Promise<AttachedLoop> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = hostTool('losetup', ['--find']).trim();
    const name = path.replace(/^\/dev\//, '');
    const fd = openSync(path, setup.readOnly ? 'r' : 'r+');
    let bound = false;
    try {
      if (!flockFd(fd, 'exclusive')) {
        // Someone is claiming this number right now; it will be bound soon.
        closeSync(fd);
        await sleep(5 + Math.random() * 20);
        continue;
      }
      try {
        hostTool('losetup', losetupArguments(setup, path));
      } catch (error) {
        if (!/busy/i.test((error as Error).message)) throw error;
        closeSync(fd);
        continue;
      }
      bound = true;
      const backing = sysfs(name, 'backing_file');
      hostTool('losetup', ['--detach', path]);
      const autoclear = sysfs(name, 'autoclear') === '1';
      if (!setup.lock) flockFd(fd, 'shared', { wait: true });
      log(`${name} acquired (locked: ${setup.lock})`);
      return { name, path, node: deviceNode(path), release: () => release(name, path, fd, backing, autoclear) };
    } catch (error) {
      if (bound) await release(name, path, fd, sysfs(name, 'backing_file'), false).catch(() => undefined);
      else closeSync(fd);
      throw error;
    }
  }
  throw new Error(`no free loop device after ${ATTEMPTS} attempts`);
}

async function release(name: string, path: string, fd: number, backing: string | null, autoclear: boolean): Promise<void> {
  // Upstream flushes the buffer cache first: clearing the fd without it has lost data (kernel 5.13).
  try {
    hostTool('blockdev', ['--flushbufs', path]);
  } finally {
    closeSync(fd);
  }
  if (!autoclear) hostTool('losetup', ['--detach', path]);
  // Autoclear happens at the last close; a mount or process still holding the
  // device delays it. Released means: no longer bound to our file.
  for (let waited = 0; ; waited += 20) {
    const now = sysfs(name, 'backing_file');
    if (now === null || now !== backing) break;
    if (waited >= 30_000) throw new Error(`${name} is still attached to ${backing} 30 s after it was released: something still has it open`);
    await sleep(20);
  }
  log(`${name} released`);
}
