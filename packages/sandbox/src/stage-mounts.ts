import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OsbuildError } from './errors.js';
import type { CommandRunner } from './command-server.js';
import { attachMounts, type AttachMount } from './mounts.js';
import type { Slot } from './slot.js';
import { SANDBOX_PATHS, type Bind, type StageMounts } from './types.js';

interface MountRequest {
  what: string;
  source: string;
  /** Where it lands in the slot (late path) … */
  target: string;
  /** … and inside the sandbox. */
  dest: string;
  readOnly: boolean;
}

/** A bind decided before the sandbox started, with the identity of what it shows. */
export interface PlacedMount {
  what: string;
  readOnly: boolean;
  dev: number;
  ino: number;
}

const INPUT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

function mountRequests(slot: Slot, mounts: StageMounts): MountRequest[] {
  const requests: MountRequest[] = [];
  if (mounts.tree !== undefined) {
    requests.push({ what: 'tree', source: mounts.tree, target: slot.tree, dest: SANDBOX_PATHS.tree, readOnly: mounts.treeReadOnly ?? false });
  }
  for (const input of mounts.inputs ?? []) {
    if (!INPUT_NAME.test(input.name)) {
      throw new OsbuildError('E_SANDBOX', `invalid input name "${input.name}"`, { details: { input: input.name } });
    }
    requests.push({
      what: `input ${input.name}`,
      source: path.resolve(input.hostPath),
      target: path.join(slot.inputs, input.name),
      dest: path.posix.join(SANDBOX_PATHS.inputs, input.name),
      readOnly: true,
    });
  }
  if (mounts.outputDir != null) {
    requests.push({ what: 'output directory', source: mounts.outputDir, target: slot.output, dest: SANDBOX_PATHS.output, readOnly: false });
  }
  return requests.map((request) => ({ ...request, source: path.resolve(request.source) }));
}

async function sourceKind(request: MountRequest): Promise<{ kind: 'dir' | 'file'; dev: number; ino: number }> {
  const info = await stat(request.source).catch(() => null);
  if (info?.isDirectory() || info?.isFile()) return { kind: info.isDirectory() ? 'dir' : 'file', dev: info.dev, ino: info.ino };
  throw new OsbuildError('E_SANDBOX', `the ${request.what} ${request.source} does not exist`, { details: { path: request.source } });
}

/** Both ends of a bind must be of the source's kind: a directory, or a file for single-file inputs. */
async function makeMountPoint(point: string, kind: 'dir' | 'file'): Promise<void> {
  if (kind === 'dir') await mkdir(point, { recursive: true });
  else await writeFile(point, '', { flag: 'a' });
}

/**
 * The sandbox's /run/osbuild mounts. What the runner already knows (given to
 * prewarm) is bound by bwrap itself, inside the sandbox's namespace: no host
 * mount, nothing to unmount, nothing on the stage's critical path. The rest
 * shows the slot's empty directories, which receive the stage's binds at
 * "go" through propagation (mountAtGo).
 */
export async function stageBinds(slot: Slot, known: StageMounts & { mountsDir?: string }): Promise<{ binds: Bind[]; placed: PlacedMount[] }> {
  const requests = mountRequests(slot, known);
  const placed: PlacedMount[] = [];
  const early = new Map<string, Bind>();
  for (const request of requests) {
    const source = await sourceKind(request);
    // Inputs land inside the read-only /run/osbuild/inputs: bwrap cannot create their mount points there.
    if (request.dest.startsWith(`${SANDBOX_PATHS.inputs}/`)) await makeMountPoint(request.target, source.kind);
    early.set(request.dest, { kind: request.readOnly ? 'ro' : 'rw', source: request.source, dest: request.dest });
    placed.push({ what: request.what, readOnly: request.readOnly, dev: source.dev, ino: source.ino });
  }
  const slotBind = (kind: Bind['kind'], source: string, dest: string): Bind => early.get(dest) ?? { kind, source, dest };
  const binds: Bind[] = [
    slotBind('rw', slot.tree, SANDBOX_PATHS.tree),
    { kind: 'rw', source: slot.meta, dest: SANDBOX_PATHS.meta },
    // bwrap binds recursively: the file systems mounted below mountsDir come along.
    { kind: 'rw', source: known.mountsDir === undefined ? slot.mounts : path.resolve(known.mountsDir), dest: SANDBOX_PATHS.mounts },
    { kind: 'ro', source: slot.inputs, dest: SANDBOX_PATHS.inputs },
    ...[...early.values()].filter((bind) => bind.dest.startsWith(`${SANDBOX_PATHS.inputs}/`)),
    slotBind('rw', slot.output, SANDBOX_PATHS.output),
    { kind: 'ro', source: slot.api, dest: SANDBOX_PATHS.api },
  ];
  return { binds, placed };
}

/**
 * At "go": what the stage names must match what the runner was prewarmed
 * with (same directory, same mode); the rest is bound into the slot and
 * propagates into the waiting sandbox. A read-write bind goes straight to its
 * place (one mount(8) call); a read-only one is prepared in the private
 * staging area first, because a propagated copy keeps the flags the mount
 * had when it arrived, and util-linux makes a bind read-only only after
 * creating it.
 */
export async function mountAtGo(slot: Slot, mounts: StageMounts, placed: readonly PlacedMount[], run: CommandRunner): Promise<void> {
  const attach: AttachMount[] = [];
  for (const [index, request] of mountRequests(slot, mounts).entries()) {
    const source = await sourceKind(request);
    const known = placed.find((mount) => mount.what === request.what);
    if (known) {
      if (source.dev !== known.dev || source.ino !== known.ino || known.readOnly !== request.readOnly) {
        throw new OsbuildError('E_SANDBOX', `the ${request.what} given at start (${request.source}) is not the one the runner was prewarmed with`, {
          hint: 'Give a path to prewarm() only if it will not be replaced before the stage runs.',
          details: { what: request.what, source: request.source },
        });
      }
      continue;
    }
    const staging = request.readOnly ? path.join(slot.staging, String(index)) : null;
    await Promise.all([staging === null ? undefined : makeMountPoint(staging, source.kind), makeMountPoint(request.target, source.kind)]);
    attach.push({ source: request.source, target: request.target, readOnly: request.readOnly, staging });
  }
  if (mounts.tree === undefined && !placed.some((mount) => mount.what === 'tree')) {
    throw new OsbuildError('E_SANDBOX', 'no tree: give it to prewarm() or to start()');
  }
  await attachMounts(attach, run);
}
