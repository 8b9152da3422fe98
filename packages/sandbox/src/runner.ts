import { realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bwrapArgs, sandboxTmpfsSize, stageEnvironment } from './bwrap-args.js';
import { capabilityMask, stageCapabilities } from './capabilities.js';
import type { CommandRunner } from './command-server.js';
import { OsbuildError } from './errors.js';
import { inheritableFds } from './inherited-fds.js';
import { readMetadata, serialiseArguments } from './metadata.js';
import { resolveModuleBinds } from './module-binds.js';
import { nodeLaunch } from './node-binds.js';
import { outputRelay } from './output.js';
import { rootBinds } from './root-binds.js';
import { createSlot, detachSlot, hostDevNodes, removeSlotDirs, type Slot } from './slot.js';
import { spawnSandbox, type BwrapProcess, type ExitStatus, type LiveSandbox } from './spawn-sandbox.js';
import { mountAtGo, stageBinds, type PlacedMount } from './stage-mounts.js';
import { killSandbox, startTimeout, waitGone, type ProcessIdentity } from './timeout.js';
import { SANDBOX_PATHS, type Bind, type Runner, type RunnerSpec, type SandboxResult, type StartSpec } from './types.js';
import { checkDeviceNodes } from './device-nodes.js';
import { entryLoader, withLoaderBinds } from './typescript-entry.js';

/** What every runner of one build shares. */
export interface BuildContext {
  bwrap: string;
  /** Runs the build's mount(8)/umount(8) calls. */
  run: CommandRunner;
  runnerScript: string;
  cmdline: string;
  /** Deleting a finished slot's directories happens off the critical path; the build waits for it at close(). */
  background: (work: Promise<unknown>) => void;
}

export interface RunnerHandle {
  runner: Runner;
  /** Synchronous SIGKILL, for the process 'exit' hook. */
  killNow(): void;
}

const DEFAULT_TAIL = 50;

/**
 * How long a stopped sandbox may take to end before it is killed outright,
 * and then how long before we give up waiting and report it. A prewarmed
 * runner stops by itself on EOF of its control socket as soon as its Node is
 * up (seconds on a loaded machine); nothing legitimate takes longer.
 */
export const STOP_GRACE_MS = 30_000;
export const KILL_WAIT_MS = 15_000;

/**
 * One runner: its slot is created and its sandbox started at once; "go"
 * happens in start(). Whatever path it takes (ran, failed to start, disposed
 * unused, timed out), it ends the same way: sandbox dead and waited for, slot
 * mounts detached, slot deleted.
 */
export function createRunner(context: BuildContext, spec: RunnerSpec, slot: Slot, forget: () => void): RunnerHandle {
  const relay = outputRelay();
  const label = spec.name ?? path.basename(spec.entry);
  let child: BwrapProcess | null = null;
  let childClosed: Promise<ExitStatus> | null = null;
  let init: ProcessIdentity | null = null;
  let used = false;
  let disposed = false;
  let running: Promise<SandboxResult> | null = null;
  let placed: PlacedMount[] = [];
  let settled: Promise<void> | null = null;
  let released = false;

  // Before start() returns: every process of the sandbox gone (its init may
  // still be emptying the pid namespace after bwrap exits) and the slot's
  // host mounts detached, both at once.
  const settle = (): Promise<void> =>
    (settled ??= Promise.all([stop(), detachSlot(slot, context.run)]).then(() => undefined));
  // After: the slot's directories, in the background (close() waits for them).
  const release = (): void => {
    if (released) return;
    released = true;
    context.background(removeSlotDirs(slot).finally(forget));
  };

  const launched = launch();
  // Surfaced through `ready` and `start`; never an unhandled rejection.
  launched.catch(() => undefined);
  const ready = launched.then(() => undefined);
  ready.catch(() => undefined);

  async function launch(): Promise<LiveSandbox> {
    try {
      const capabilities = stageCapabilities(spec.capabilities);
      createSlot(slot);
      const [node, pluginModules, loader, root, entry] = await Promise.all([
        nodeLaunch(spec.root),
        resolveModuleBinds(spec.packageDir),
        entryLoader(spec.entry),
        rootBinds(spec.root),
        realpath(spec.entry).catch((cause: unknown) => {
          throw new OsbuildError('E_SANDBOX', `stage entry ${spec.entry} does not exist`, { cause, details: { entry: spec.entry } });
        }),
      ]);
      if (!pluginModules.dirs.some((dir) => entry.startsWith(`${dir}/`))) {
        throw new OsbuildError('E_SANDBOX', `stage entry ${entry} lies outside its package ${spec.packageDir}`, {
          details: { entry, packageDir: spec.packageDir },
        });
      }
      const modules = withLoaderBinds(pluginModules, loader);
      const [stage, devices] = await Promise.all([stageBinds(slot, spec), checkDeviceNodes(spec.devices ?? [])]);
      placed = stage.placed;
      if (disposed) throw new OsbuildError('E_SANDBOX', `runner for ${label} disposed before it started`);

      const binds: Bind[] = [
        ...node.binds,
        { kind: 'ro', source: context.runnerScript, dest: SANDBOX_PATHS.runner },
        ...modules.dirs.map((dir): Bind => ({ kind: 'ro', source: dir, dest: dir })),
      ];
      const args = bwrapArgs({
        capabilities,
        usr: root.usr,
        boot: root.boot,
        rootTryBinds: root.tryBinds,
        dev: slot.dev,
        devNodes: [...hostDevNodes(), ...devices],
        var: slot.var,
        cmdline: context.cmdline,
        binds,
        symlinks: modules.symlinks,
        stageBinds: stage.binds,
        tmpfsSize: sandboxTmpfsSize(),
        infoFd: 4,
        command: [...node.argv, ...loader.nodeOptions, SANDBOX_PATHS.runner, entry, ...inheritableFds().map(String)],
      });
      return await spawnSandbox({
        bwrap: context.bwrap,
        args,
        env: stageEnvironment(spec.env),
        expectedCaps: capabilityMask(capabilities),
        onLine: relay.line,
        tail: relay.tail,
        label,
        onSpawn: (proc, closed) => {
          child = proc;
          childClosed = closed;
          if (disposed) terminate();
        },
        onInit: (identity) => {
          init = identity;
          if (disposed) terminate();
        },
      });
    } catch (error) {
      await settle().catch(() => undefined);
      release();
      throw error;
    }
  }

  /**
   * Stop the sandbox now, whatever it is doing. With pid-1 known: SIGKILL it
   * (the whole namespace goes) and the launcher. Before that: close our end
   * of the control socket; the runner exits on EOF as soon as it is up (or
   * fails writing "ready"), and the namespace ends with it. Never SIGKILL
   * the launcher alone before pid-1 is known (see killSandbox).
   */
  function terminate(): void {
    if (child === null) return;
    (child.stdio[3] as { destroy?: () => void } | null)?.destroy?.();
    if (init !== null) killSandbox(child, init);
  }

  /** Stop the sandbox (if any) and wait until every process in it is gone; bounded, with a reason. */
  async function stop(): Promise<void> {
    terminate();
    if (childClosed === null) return;
    if (!(await within(childClosed, STOP_GRACE_MS))) {
      // Not ended by EOF: kill what we know of it and wait once more.
      if (child !== null) killSandbox(child, init);
      if (!(await within(childClosed, KILL_WAIT_MS))) {
        throw new OsbuildError('E_SANDBOX', `the sandbox for ${label} (bwrap pid ${child?.pid ?? '?'}${init === null ? ', pid-1 unknown' : `, pid-1 ${init.pid}`}) did not end within ${(STOP_GRACE_MS + KILL_WAIT_MS) / 1000} s after it was stopped`, {
          hint: 'Its processes may still hold the slot; check `ps` for that pid and report this with `bwrap --version`.',
          details: { stage: label, bwrapPid: child?.pid ?? null, initPid: init?.pid ?? null },
        });
      }
    }
    if (init !== null && !(await waitGone(init))) {
      throw new OsbuildError('E_SANDBOX', `the sandbox for ${label}: its pid-1 (${init.pid}) did not exit after its launcher ended`, {
        details: { stage: label, initPid: init.pid },
      });
    }
  }

  async function run(startSpec: StartSpec): Promise<SandboxResult> {
    const live = await launched;
    const { child: proc, control, closed } = live;
    try {
      await mountAtGo(slot, startSpec, placed, context.run);
      const document = serialiseArguments(startSpec.arguments);
      await writeFile(path.join(slot.api, 'arguments'), document);
      if (disposed) throw new OsbuildError('E_SANDBOX', `runner for ${label} disposed before its stage started`);

      relay.attach(startSpec.onOutput, startSpec.tailLines ?? DEFAULT_TAIL);
      proc.stdin.end(document);
      let timedOut = false;
      const begin = performance.now();
      control.end(`${JSON.stringify({ env: startSpec.env ?? {} })}\n`);
      const cancel = startTimeout(startSpec.timeoutMs, () => {
        timedOut = true;
        killSandbox(proc, live.init);
      });
      const outcome = await closed;
      cancel();
      const durationMs = performance.now() - begin;
      await settle();
      if (relay.handlerError() !== undefined) throw relay.handlerError();
      return {
        exitCode: outcome.code,
        signal: outcome.signal,
        // A stage that ended on its own just as the timer fired did not time out.
        timedOut: timedOut && outcome.code === null,
        durationMs,
        outputTail: relay.tail(),
        ...(await readMetadata(slot.meta)),
      };
    } finally {
      await settle();
      release();
    }
  }

  const runner: Runner = {
    ready,
    start(startSpec) {
      if (used || disposed) {
        const state = disposed ? 'disposed' : 'used';
        return Promise.reject(new OsbuildError('E_SANDBOX', `a runner runs exactly one stage; the runner for ${label} was already ${state}`));
      }
      used = true;
      running = run(startSpec);
      return running;
    },
    async dispose() {
      disposed = true;
      terminate();
      if (running !== null) {
        await running.catch(() => undefined);
        return;
      }
      used = true;
      try {
        await settle();
      } finally {
        release();
      }
    },
  };

  return {
    runner,
    killNow: () => {
      disposed = true;
      terminate();
    },
  };
}

/** Whether `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
