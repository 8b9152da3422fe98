import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import { OsbuildError, formatJsonPath, fromPlain, toPlain, type PluginRecord, type PyObject, type StageDevice, type StageMount } from '@osbuild-ts/core';
import type { PlannedStage } from './plan.js';
import { launchHostService, type HostService, type LaunchedService } from './host-service.js';

/** Where device services put their nodes: the host's /dev (bwrap binds them from there). */
const DEVDIR = '/dev';

export interface StageServices {
  /** Device name → its reply (`path` relative to /dev, `node`), for the arguments document. */
  devices: Map<string, PyObject>;
  /** Mount name → its reply (`path` relative to the mount root), or an empty object for none. */
  mounts: Map<string, PyObject>;
  /** Host device nodes the stage gets in its /dev. */
  deviceNodes: string[];
  /** The stage's mount root on the host (null without mounts): /run/osbuild/mounts in the sandbox. */
  mountRoot: string | null;
  /** Unmount and detach, in reverse order; every service is closed even when one fails. */
  close(): Promise<void>;
}

export interface ServiceContext {
  /** Host path of the stage's tree (loopback `filename`s are in it). */
  tree: string;
  /** A fresh private directory for the mount root. */
  scratchDir: () => Promise<string>;
  onLine: (line: string) => void;
}

/** How errors name a device or mount: its manifest path, type and name. */
export function serviceLabel(item: StageDevice | StageMount): string {
  return `${formatJsonPath(item.path)} (${item.type}, ${JSON.stringify(item.name)})`;
}

function refuse(item: StageDevice | StageMount, what: string): OsbuildError {
  return new OsbuildError('E_HOST_SERVICE', `${serviceLabel(item)}: ${what}`, { details: { path: item.path } });
}

/** A relative path a service returned, checked so that it cannot point elsewhere. */
function relativePath(item: StageDevice | StageMount, value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.startsWith('/') || posix.normalize(value).split('/').includes('..')) {
    throw refuse(item, `the service returned ${JSON.stringify(value)} as its ${what}; expected a path relative to ${what === 'device path' ? DEVDIR : 'the mount root'}`);
  }
  return value;
}

/** The target inside the mount root; `..` cannot leave it. */
function mountpointOf(root: string, mount: StageMount): string {
  if (typeof mount.target !== 'string' || mount.target === '') throw refuse(mount, 'has no "target" (where to mount it, e.g. "/")');
  const inside = posix.normalize(`/${mount.target}`).replace(/\/+$/, '');
  return inside === '' ? root : `${root}${inside}`;
}

/**
 * Sets up a stage's devices (parents first, as the manifest model orders
 * them) and then its mounts (in manifest order, so `/` comes before
 * `/boot/efi`), each through its plugin's host service. If anything fails
 * half-way, what is already up is torn down before the error is thrown.
 */
export async function openStageServices(s: PlannedStage, ctx: ServiceContext): Promise<StageServices> {
  const opened: HostService[] = [];
  const devices = new Map<string, PyObject>();
  const replies = new Map<string, { path: string; node?: unknown }>();
  const mounts = new Map<string, PyObject>();
  const deviceNodes: string[] = [];
  let mountRoot: string | null = null;

  const close = async () => {
    const errors: unknown[] = [];
    for (const service of [...opened].reverse()) await service.close().catch((error: unknown) => errors.push(error));
    opened.length = 0;
    if (mountRoot !== null && errors.length === 0) {
      // rm -r crosses mount points: were anything still mounted, it would delete the file system's content.
      const left = await mountsBelow(mountRoot);
      if (left.length > 0) errors.push(new OsbuildError('E_HOST_SERVICE', `still mounted after the stage's mounts were torn down: ${left.join(', ')}`));
      else await rm(mountRoot, { recursive: true, force: true }).catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw errors[0];
  };

  // All processes start at once (Node's start-up is most of a service's
  // cost); they are asked one after the other, in order.
  const launch = (plugin: PluginRecord, item: StageDevice | StageMount, kind: string) =>
    launchHostService({ plugin, label: serviceLabel(item), prefix: `${kind}/${item.name} (${item.type})`, onLine: ctx.onLine });
  const launched: LaunchedService[] = [
    ...s.stage.devices.map((device, i) => launch(s.devicePlugins[i]!, device, 'device')),
    ...s.stage.mounts.map((mount, i) => launch(s.mountPlugins[i]!, mount, 'mount')),
  ];
  let next = 0;
  const open = (request: Record<string, unknown>) => launched[next++]!.open(request);

  try {
    for (const device of s.stage.devices) {
      const parent = device.parent === undefined ? null : (replies.get(device.parent) ?? null);
      const service = await open({ kind: 'device', name: device.name, type: device.type, options: toPlain(device.options), tree: ctx.tree, devdir: DEVDIR, parent });
      opened.push(service);
      const path = relativePath(device, service.reply['path'], 'device path');
      const node = posix.join(DEVDIR, path);
      if (!existsSync(node)) throw refuse(device, `the service returned ${path}, but ${node} does not exist on the host`);
      replies.set(device.name, { path, ...(service.reply['node'] === undefined ? {} : { node: service.reply['node'] }) });
      devices.set(device.name, fromPlain({ ...service.reply, path }) as PyObject);
      deviceNodes.push(node);
    }

    for (const mount of s.stage.mounts) {
      mountRoot ??= await ctx.scratchDir();
      const root = mountRoot;
      const mountpoint = mountpointOf(root, mount);
      const source = mount.source === undefined ? null : posix.join(DEVDIR, replies.get(mount.source)!.path);
      const partition = mount.partition === undefined || Number(mount.partition) <= 0 ? null : Number(mount.partition);
      const service = await open({ kind: 'mount', name: mount.name, type: mount.type, options: toPlain(mount.options), tree: ctx.tree, source, partition, target: mount.target, root, mountpoint });
      opened.push(service);
      const returned = service.reply['path'];
      if (returned === null || returned === undefined) {
        mounts.set(mount.name, new Map());
        continue;
      }
      if (typeof returned !== 'string' || !(posix.normalize(returned) === root || returned.startsWith(`${root}/`))) {
        throw refuse(mount, `the service returned ${JSON.stringify(returned)} as its mount point; expected a path inside ${root}`);
      }
      const relative = posix.relative(root, returned) || '.';
      mounts.set(mount.name, new Map([['path', relative]]));
    }
  } catch (error) {
    await Promise.all(launched.slice(next).map((service) => service.abandon()));
    const closeError = await close().then(
      () => null,
      (e: unknown) => e as Error,
    );
    if (closeError === null) throw error;
    throw new OsbuildError('E_HOST_SERVICE', `${(error as Error).message}\n  and releasing what was already set up failed: ${closeError.message}`, { cause: error });
  }
  return { devices, mounts, deviceNodes, mountRoot, close };
}

/** Mount points at or below `dir` (mountinfo escapes blanks as octal). */
async function mountsBelow(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}
