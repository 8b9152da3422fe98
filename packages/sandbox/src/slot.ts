import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { CommandRunner } from './command-server.js';
import { assertNothingMountedUnder, detachMountsUnder } from './mounts.js';

/**
 * Host paths of one runner: a directory in the build's shared tmpfs (each
 * entry bound at its SANDBOX_PATHS place), a staging directory, and /var on
 * disk.
 */
export interface Slot {
  dir: string;
  staging: string;
  tree: string;
  inputs: string;
  mounts: string;
  output: string;
  api: string;
  meta: string;
  dev: string;
  var: string;
}

export interface BuildAreas {
  /** The shared tmpfs (see mounts.ts). */
  shared: string;
  /** The private staging tmpfs. */
  staging: string;
  /** On disk: per-stage /var (can grow large, so not in RAM). */
  varRoot: string;
}

export function slotPaths(areas: BuildAreas, id: number): Slot {
  const dir = path.join(areas.shared, 'slots', String(id));
  return {
    dir,
    staging: path.join(areas.staging, String(id)),
    tree: path.join(dir, 'tree'),
    inputs: path.join(dir, 'inputs'),
    mounts: path.join(dir, 'mounts'),
    output: path.join(dir, 'output'),
    api: path.join(dir, 'api'),
    meta: path.join(dir, 'meta'),
    dev: path.join(dir, 'dev'),
    var: path.join(areas.varRoot, String(id)),
  };
}

/** The device nodes of spec 8.4 (fuse only where the host has it). */
const DEVICES = ['full', 'null', 'random', 'urandom', 'tty', 'zero', 'fuse'].map((name) => `/dev/${name}`);

let devNodes: string[] | undefined;

/** Host device nodes bound into every sandbox's /dev. */
export function hostDevNodes(): string[] {
  devNodes ??= DEVICES.filter((node) => existsSync(node));
  return devNodes;
}

/**
 * Create a slot: empty directories and an empty meta file, nothing mounted
 * yet. Synchronous on purpose: ten tiny metadata operations on a tmpfs cost
 * less than the thread-pool round trips of their async forms, and this runs
 * once per stage.
 */
export function createSlot(slot: Slot): void {
  const varTmp = path.join(slot.var, 'tmp');
  for (const dir of [slot.tree, slot.inputs, slot.mounts, slot.output, slot.api, slot.dev, slot.staging, varTmp]) mkdirSync(dir, { recursive: true });
  chmodSync(varTmp, 0o1777);
  writeFileSync(slot.meta, '');
}

/** Unmount whatever was attached for the slot (verified against mountinfo). */
export async function detachSlot(slot: Slot, run: CommandRunner): Promise<void> {
  await detachMountsUnder([slot.dir, slot.staging], run);
}

/** Delete the slot's directories; never while something is mounted inside (rm -r crosses mount points). */
export async function removeSlotDirs(slot: Slot): Promise<void> {
  await assertNothingMountedUnder(slot.dir);
  await assertNothingMountedUnder(slot.staging);
  await Promise.all([slot.dir, slot.staging, slot.var].map((dir) => rm(dir, { recursive: true, force: true })));
}
