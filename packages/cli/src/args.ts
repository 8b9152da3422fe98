import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { OsbuildError } from '@osbuild-ts/core';
import { parseSize } from './parse-size.js';

/** osbuild's command line, parsed (spec 5.1). Paths are absolute. */
export interface CliArgs {
  manifest: string;
  store: string;
  libdir: string | undefined;
  cacheMaxSize: bigint | 'unlimited' | undefined;
  checkpoints: string[];
  exports: string[];
  outputDirectory: string | undefined;
  output: string | undefined;
  json: boolean;
  inspect: boolean;
  monitor: string | undefined;
  monitorFd: number;
  stageTimeout: number | undefined;
  break: string | undefined;
  keepFailed: boolean;
  offline: boolean;
  sourceOverrides: string | undefined;
  verbose: boolean;
  inVm: string[];
  rundir: string | undefined;
  quiet: boolean;
  /** `--lock FILE`: where resolved stages are locked (default: beside the manifest). */
  lock: string | undefined;
  updateLock: boolean;
  locked: boolean;
  /** `--sbom FILE`: write the exports' software bill of materials there. */
  sbom: string | undefined;
  sbomFormat: 'spdx' | 'cyclonedx';
  /** `--remote-cache URL` (or OSBUILD_REMOTE_CACHE). */
  remoteCache: string | undefined;
  remoteCacheMode: 'read' | 'write' | 'readwrite';
  remoteCacheCa: string | undefined;
  remoteCacheAllowHttp: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function integer(flag: string) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) {
      throw new OsbuildError('E_USAGE', `argument ${flag}: invalid int value: '${value}'`);
    }
    return Number.parseInt(value, 10);
  };
}

function sizeArg(value: string): bigint | 'unlimited' {
  return parseSize(value);
}

export const VERSION_LINE = 'osbuild 191 (osbuild-ts 0.1.0)';

function program(): Command {
  return new Command('osbuild')
    .description('Build operating system images')
    .argument('<MANIFEST>', "json file containing the manifest that should be built, or a '-' to read from stdin")
    .option('--cache, --store <DIRECTORY>', 'directory where sources and intermediary os trees are stored', '.osbuild')
    .addOption(new Option('-l, --libdir <DIRECTORY>', 'project directory whose node_modules hold the stages (default: the current directory)'))
    .addOption(new Option('--cache-max-size <SIZE>', 'maximum size of the cache (bytes, or with kB..TiB, or "unlimited")').argParser(sizeArg))
    .option('--checkpoint <ID>', 'stage to commit to the object store during build (can be passed multiple times), accepts globs', collect, [])
    .option('--export <ID>', 'object to export, can be passed multiple times', collect, [])
    .option('--in-vm <ID>', 'run the pipeline in a VM (not supported)', collect, [])
    .option('--json', 'output results in JSON format', false)
    .option('--output-directory <DIRECTORY>', 'directory where result objects are stored')
    .addOption(new Option('-o, --output <DIRECTORY>', 'v1: directory for the assembler output (as --output-directory with --export assembler)'))
    .option('--inspect', 'return the manifest in JSON format including all the ids', false)
    .option('--monitor <NAME>', 'name of the monitor to be used')
    .addOption(new Option('--monitor-fd <FD>', 'file-descriptor for the monitor').argParser(integer('--monitor-fd')).default(1))
    .addOption(new Option('--stage-timeout <SECONDS>', 'set the maximal time (in seconds) each stage is allowed to run').argParser(integer('--stage-timeout')))
    .addOption(new Option('--break [ID]', 'open debug shell when executing stage. Accepts stage name or id or * (for all)').preset('*'))
    .option('--offline', 'never download: fail at once, naming every source item that is not in the store', false)
    .option('--source-overrides <FILE>', 'JSON file of source settings (mirrors, proxy…) keyed by source type; ids do not change')
    .option('--keep-failed', "on failure keep a copy of the failed stage's tree in the store and print its path", false)
    .option('--rundir <DIRECTORY>', 'directory for sockets and device nodes of the run')
    .option('--lock <FILE>', 'lock file of the stages osbuild resolves before the build (org.osbuild.debian.debootstrap, org.osbuild.apt…); default: MANIFEST.lock.json beside the manifest')
    .option('--update-lock', 'resolve those stages again and rewrite the lock', false)
    .option('--locked', 'use the lock as it is: fail if it is missing or does not match the manifest', false)
    .option('--sbom <FILE>', "write a software bill of materials of the exported pipelines' packages (from the stages' metadata) to FILE")
    .addOption(new Option('--sbom-format <FORMAT>', 'spdx (SPDX 2.3 JSON) or cyclonedx (CycloneDX 1.5 JSON)').choices(['spdx', 'cyclonedx']).default('spdx'))
    .addOption(new Option('--remote-cache <URL>', 'shared cache of built objects in an OCI registry: https://HOST[:PORT]/REPOSITORY').env('OSBUILD_REMOTE_CACHE'))
    .addOption(new Option('--remote-cache-mode <MODE>', 'pull (read), push (write) or both').choices(['read', 'write', 'readwrite']).default('readwrite').env('OSBUILD_REMOTE_CACHE_MODE'))
    .addOption(new Option('--remote-cache-ca <FILE>', "PEM file of CA certificates to trust for the remote cache's registry").env('OSBUILD_REMOTE_CACHE_CA'))
    .option('--remote-cache-allow-http', 'allow plain http to a registry that is not on a loopback address', false)
    .option('-q, --quiet', 'suppress normal output', false)
    .option('--verbose', "show every stage's output (the progress view shows it only when a stage fails)", false)
    .helpOption('-h, --help', 'show this help message and exit')
    .version(VERSION_LINE, '--version', "show program's version number and exit")
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (text) => process.stdout.write(text) })
    .allowExcessArguments(false);
}

/** Thrown for --help/--version: the caller prints nothing more and exits 0. */
export class EarlyExit {
  constructor(readonly status: number) {}
}

export function parseArgs(argv: readonly string[], cwd = process.cwd()): CliArgs {
  const cmd = program();
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') throw new EarlyExit(0);
      throw new OsbuildError('E_USAGE', error.message.replace(/^error: /, ''), {
        hint: 'run "osbuild --help" for the usage',
      });
    }
    throw error;
  }
  const o = cmd.opts();
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));
  return {
    manifest: cmd.args[0]!,
    store: resolve(cwd, o.store as string),
    libdir: abs(o.libdir as string | undefined),
    cacheMaxSize: o.cacheMaxSize as bigint | 'unlimited' | undefined,
    checkpoints: o.checkpoint as string[],
    exports: o.export as string[],
    outputDirectory: abs(o.outputDirectory as string | undefined),
    output: abs(o.output as string | undefined),
    json: o.json as boolean,
    inspect: o.inspect as boolean,
    monitor: o.monitor as string | undefined,
    monitorFd: o.monitorFd as number,
    stageTimeout: o.stageTimeout as number | undefined,
    break: o.break as string | undefined,
    keepFailed: o.keepFailed as boolean,
    offline: o.offline as boolean,
    sourceOverrides: abs(o.sourceOverrides as string | undefined),
    verbose: o.verbose as boolean,
    inVm: o.inVm as string[],
    rundir: abs(o.rundir as string | undefined),
    quiet: o.quiet as boolean,
    lock: abs(o.lock as string | undefined),
    updateLock: o.updateLock as boolean,
    locked: o.locked as boolean,
    sbom: abs(o.sbom as string | undefined),
    sbomFormat: o.sbomFormat as 'spdx' | 'cyclonedx',
    remoteCache: o.remoteCache === '' ? undefined : (o.remoteCache as string | undefined),
    remoteCacheMode: o.remoteCacheMode as 'read' | 'write' | 'readwrite',
    remoteCacheCa: abs(o.remoteCacheCa as string | undefined),
    remoteCacheAllowHttp: o.remoteCacheAllowHttp as boolean,
  };
}
