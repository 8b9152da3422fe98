import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { OsbuildError } from '@osbuild-ts/core';
import { EarlyExit } from '../args.js';
import type { Io } from '../main.js';

const IMAGE_EXTENSIONS = /\.(qcow2|raw|img|vmdk|iso|vdi|vhdx|vpc)$/i;

export interface BootArgs {
  target: string;
  export: string | undefined;
  store: string;
  libdir: string | undefined;
  outputDirectory: string;
  firmware: 'bios' | 'uefi' | undefined;
  arch: 'x86_64' | 'aarch64' | undefined;
  accel: 'kvm' | 'tcg' | undefined;
  memory: number;
  persist: boolean;
  waitFor: RegExp | undefined;
  timeout: number;
  ssh: number | undefined;
  quiet: boolean;
  print: boolean;
}

function positive(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) throw new InvalidArgumentError(`${flag} wants a positive whole number, not '${value}'`);
    return Number(value);
  };
}

const ARCHES: Record<string, 'x86_64' | 'aarch64'> = { x86_64: 'x86_64', amd64: 'x86_64', x64: 'x86_64', aarch64: 'aarch64', arm64: 'aarch64' };

function program(): Command {
  return new Command('osbuild boot')
    .description('Boot a built image under QEMU: its serial console on this terminal, the image left unchanged (-snapshot) unless --persist')
    .argument('<IMAGE|MANIFEST>', 'a qcow2/raw/vmdk/ISO image, or a manifest to build (with --export) and boot')
    .option('--export <NAME>', 'with a manifest: the pipeline whose image to boot (built first if the store lacks it)')
    .option('--cache, --store <DIRECTORY>', 'with a manifest: the osbuild store', '.osbuild')
    .option('-l, --libdir <DIRECTORY>', 'with a manifest: project directory whose node_modules hold the stages')
    .option('--output-directory <DIRECTORY>', 'with a manifest: where the export is written', 'output')
    .addOption(new Option('--firmware <FIRMWARE>', 'bios or uefi (default: uefi when the image has an EFI system partition or an El Torito EFI entry)').choices(['bios', 'uefi']))
    .addOption(new Option('--arch <ARCH>', 'x86_64 or aarch64 (default: what the image says, else the host\'s)').argParser((v) => {
      const a = ARCHES[v];
      if (!a) throw new InvalidArgumentError(`unknown architecture '${v}' (x86_64, aarch64)`);
      return a;
    }))
    .addOption(new Option('--accel <ACCEL>', 'kvm or tcg (default: kvm when a probe shows guests run under it, else tcg)').choices(['kvm', 'tcg']))
    .addOption(new Option('-m, --memory <MIB>', 'guest memory in MiB').argParser(positive('--memory')).default(1024))
    .option('--persist', 'write the guest\'s changes to the image (no -snapshot)', false)
    .addOption(new Option('--wait-for <REGEX>', 'exit 0 as soon as the console prints this (e.g. "login:"); non-zero with the console\'s last lines on timeout').argParser((v) => {
      try {
        return new RegExp(v);
      } catch (error) {
        throw new InvalidArgumentError(`--wait-for: ${(error as Error).message}`);
      }
    }))
    .addOption(new Option('--timeout <SECONDS>', 'with --wait-for: give up after this long').argParser(positive('--timeout')).default(900))
    .addOption(new Option('--ssh <PORT>', 'forward this host port (127.0.0.1) to the guest\'s port 22 (user networking)').argParser(positive('--ssh')))
    .option('--print', 'print the QEMU command line and exit', false)
    .option('-q, --quiet', 'do not copy the console to stdout', false)
    .helpOption('-h, --help', 'show this help message and exit')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (text) => process.stdout.write(text) })
    .allowExcessArguments(false);
}

export function parseBootArgs(argv: readonly string[], cwd: string): BootArgs {
  const cmd = program();
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed') throw new EarlyExit(0);
      throw new OsbuildError('E_USAGE', error.message.replace(/^error: /, ''), { hint: 'run "osbuild boot --help" for the usage' });
    }
    throw error;
  }
  const o = cmd.opts();
  return {
    target: resolve(cwd, cmd.args[0]!),
    export: o.export as string | undefined,
    store: resolve(cwd, o.store as string),
    libdir: o.libdir === undefined ? undefined : resolve(cwd, o.libdir as string),
    outputDirectory: resolve(cwd, o.outputDirectory as string),
    firmware: o.firmware as BootArgs['firmware'],
    arch: o.arch as BootArgs['arch'],
    accel: o.accel as BootArgs['accel'],
    memory: o.memory as number,
    persist: o.persist as boolean,
    waitFor: o.waitFor as RegExp | undefined,
    timeout: o.timeout as number,
    ssh: o.ssh as number | undefined,
    quiet: o.quiet as boolean,
    print: o.print as boolean,
  };
}

/** A manifest is JSON (an object); an image is anything else. */
function isManifest(path: string): boolean {
  if (/\.json$/i.test(path)) return true;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, 64, 0);
    return /^\s*\{/.test(head.subarray(0, n).toString('latin1'));
  } finally {
    closeSync(fd);
  }
}

/** The one image file an export holds. */
export function exportedImage(dir: string, name: string): string {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()) : [];
  const images = files.filter((f) => IMAGE_EXTENSIONS.test(f));
  const candidates = images.length > 0 ? images : files;
  if (candidates.length === 1) return join(dir, candidates[0]!);
  if (candidates.length === 0) throw new OsbuildError('E_USAGE', `the export ${name} (${dir}) holds no image file to boot`, { hint: 'export the pipeline that writes the disk image or ISO' });
  throw new OsbuildError('E_USAGE', `the export ${name} (${dir}) holds several images: ${candidates.join(', ')}`, { hint: 'boot one of them by its path' });
}

/**
 * `osbuild boot IMAGE | MANIFEST --export NAME`: builds the export when
 * given a manifest (every stage comes from the store when it is there),
 * then boots the image under QEMU. Exit status: with --wait-for, 0 once
 * the console matched, 1 on timeout or a boot that stopped; without it,
 * QEMU's.
 */
export async function bootCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseBootArgs(argv, io.cwd);
  if (!existsSync(args.target)) throw new OsbuildError('E_USAGE', `${args.target} does not exist`);
  let image = args.target;
  if (isManifest(args.target)) {
    if (args.export === undefined) throw new OsbuildError('E_USAGE', `${args.target} is a manifest: say which pipeline's image to boot with --export NAME`);
    const { run } = await import('../main.js');
    const buildArgv = ['--store', args.store, '--export', args.export, '--output-directory', args.outputDirectory, ...(args.libdir ? ['--libdir', args.libdir] : []), ...(args.quiet ? ['-q'] : []), args.target];
    // The build's progress goes to stderr: stdout is the guest's console.
    const status = await run(buildArgv, { ...io, stdout: io.stderr });
    if (status !== 0) return status;
    image = exportedImage(join(args.outputDirectory, args.export), args.export);
  } else if (args.export !== undefined) {
    throw new OsbuildError('E_USAGE', '--export is for a manifest; an image is booted as it is');
  }
  const { bootImage, firmwareFiles, planBoot, qemuArguments, qemuSystem } = await import('@osbuild-ts/image-kit');
  // A persisted UEFI guest keeps its firmware variables beside the image (boot entries survive); else each boot gets a fresh copy.
  const persistedVars = args.persist ? `${image}.VARS.fd` : undefined;
  const options = {
    ...(args.firmware ? { firmware: args.firmware } : {}),
    ...(args.arch ? { arch: args.arch } : {}),
    ...(args.accel ? { accel: args.accel } : {}),
    memory: args.memory,
    persist: args.persist,
    ...(args.ssh !== undefined ? { sshPort: args.ssh } : {}),
    ...(args.waitFor ? { waitFor: args.waitFor, timeoutMs: args.timeout * 1000 } : {}),
  };
  if (args.print) {
    const plan = await planBoot(image, options);
    for (const note of plan.notes) io.stderr(`# ${note}\n`);
    const files = firmwareFiles(plan.spec.arch, plan.spec.firmware);
    // The firmware writes its variable store: the command works on a copy, never on the system's template.
    const vars = files ? (persistedVars ?? join(dirname(image), `${basename(image)}.VARS.fd`)) : undefined;
    const copy = files && vars ? `cp ${persistedVars ? '-n ' : ''}${quote(files.vars)} ${quote(vars)} && ` : '';
    io.stdout(`${copy}${[qemuSystem(plan.spec.arch).command, ...qemuArguments({ ...plan.spec, ...(vars ? { varsFile: vars } : {}) })].map(quote).join(' ')}\n`);
    return 0;
  }
  const interactive = args.waitFor === undefined && process.stdin.isTTY === true;
  const result = await bootImage(image, {
    ...options,
    ...(persistedVars ? { varsFile: persistedVars } : {}),
    interactive,
    onPlan: (plan) => {
      for (const note of plan.notes) io.stderr(`osbuild boot: ${note}\n`);
      if (interactive) io.stderr('osbuild boot: quit with Ctrl-a x\n');
    },
    ...(args.quiet ? {} : { onConsole: io.stdout }),
  });
  const what = `${result.plan.spec.firmware}, ${result.plan.spec.accel}`;
  if (args.waitFor === undefined) return result.status ?? (result.signal ? 1 : 0);
  if (result.outcome === 'matched') {
    io.stderr(`\nosbuild boot: ${args.waitFor.source} seen after ${result.seconds.toFixed(1)} s (${what})\n`);
    return 0;
  }
  const why = result.outcome === 'timeout' ? `not seen within ${args.timeout} s` : result.outcome === 'failed' ? 'not seen: the boot stopped' : `not seen: QEMU ${result.signal ? `was ended by ${result.signal}` : `exited with status ${result.status}`}`;
  const tail = result.console.split('\n').slice(-40).join('\n');
  io.stderr(`\nosbuild boot: ${args.waitFor.source} ${why} (${what}, ${result.seconds.toFixed(1)} s); the console's last lines:\n${tail}\n`);
  return 1;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
