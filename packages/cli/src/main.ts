import { resolve as resolvePath } from 'node:path';
import {
  OsbuildError,
  describeManifest,
  detectVersion,
  discoverPlugins,
  dumpsPy,
  exitStatusFor,
  formatValidationText,
  isOsbuildError,
  loadManifest,
  matchCheckpoints,
  parsePyJson,
  resolveExports,
  validateManifest,
  missingSourceReferences,
  validationErrorDocument,
  type ValidationIssue,
} from '@osbuild-ts/core';
import { EarlyExit, parseArgs, type CliArgs } from './args.js';
import { buildCommand } from './build-command.js';
import { listPlugins } from './list-plugins.js';
import { convertCommand } from './convert/command.js';
import { lockManifest } from './lock/apply-lock.js';
import { registerForeign, unregister } from './foreign/binfmt.js';
import { readManifest } from './read-manifest.js';
import { renderError } from './render-error.js';
import { checkRootless, needsNamespace, reexecInNamespace } from './rootless/index.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

/** `osbuild …`: returns the exit status (spec 5.2 order of operations). */
export async function run(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    if (argv[0] === 'stages') return await listPlugins(argv.slice(1), io);
    if (argv[0] === 'convert') return await convertCommand(argv.slice(1), io);
    if (argv[0] === 'store') return await (await import('./store-command.js')).storeCommand(argv.slice(1), io);
    if (argv[0] === 'boot') return await (await import('./boot/command.js')).bootCommand(argv.slice(1), io);
    return await runManifest(parseArgs(argv, io.cwd), io, argv);
  } catch (error) {
    if (error instanceof EarlyExit) return error.status;
    if (isOsbuildError(error) && error.code === 'E_USAGE') {
      io.stderr(`usage: ${argv[0] === 'boot' ? 'osbuild boot [options] IMAGE|MANIFEST' : 'osbuild [options] MANIFEST'}\nosbuild: error: ${error.message}\n`);
      return 2;
    }
    io.stderr(renderError(error));
    return exitStatusFor(error);
  }
}

function printIssues(args: CliArgs, issues: readonly ValidationIssue[], name: string, io: Io): number {
  if (args.json || args.inspect) io.stdout(dumpsPy(validationErrorDocument(issues)) + '\n');
  else io.stdout(formatValidationText(issues, name));
  return 2;
}

/** Steps 2–15 of osbuild's order of operations (spec 5.2) for one manifest. */
async function runManifest(args: CliArgs, io: Io, argv: readonly string[] = []): Promise<number> {
  const { text, name } = readManifest(args.manifest);
  const doc = parsePyJson(text, name);
  try {
    detectVersion(doc);
  } catch (error) {
    if (isOsbuildError(error) && error.code === 'E_MANIFEST_FORMAT') {
      // Upstream's exact line on stdout (drivers may match it); what was
      // found and what is read instead on stderr.
      io.stdout('Unsupported manifest format\n');
      io.stderr(`osbuild: ${error.message}\n  hint: ${error.hint}\n`);
      return 2;
    }
    throw error;
  }
  const registry = await discoverPlugins(args.libdir ?? io.cwd);

  const issues = validateManifest(doc, registry);
  if (issues.length > 0) return printIssues(args, issues, name, io);

  let manifest;
  try {
    manifest = loadManifest(doc);
  } catch (error) {
    // Structural errors found while loading are validation errors too: same
    // exit status, same document, with the JSON path that is at fault.
    if (isOsbuildError(error) && error.code === 'E_MANIFEST_INVALID') {
      const path = (error.details.path as (string | number)[] | undefined) ?? [];
      return printIssues(args, [{ path, message: error.message }], name, io);
    }
    throw error;
  }

  let exports;
  let checkpoints: string[] = [];
  try {
    exports = resolveExports(manifest, args.exports);
    if (args.checkpoints.length > 0) checkpoints = matchCheckpoints(manifest, args.checkpoints);
  } catch (error) {
    if (isOsbuildError(error) && (error.code === 'E_EXPORT_NOT_FOUND' || error.code === 'E_CHECKPOINT_UNMATCHED')) {
      io.stdout(`${error.message}\nFailed\n`);
      return exitStatusFor(error);
    }
    throw error;
  }

  if (args.inspect) {
    io.stdout(dumpsPy(describeManifest(manifest)) + '\n');
    return 0;
  }

  // v1 inputs osbuild synthesises (rpm's options.packages) are checked
  // against the sources only here, so that --inspect prints what upstream does.
  const missing = missingSourceReferences(manifest);
  if (missing.length > 0) return printIssues(args, missing.map((m) => ({ path: [...m.path], message: m.message })), name, io);

  if (args.exports.length > 0 && !args.outputDirectory) {
    io.stdout('Need --output-directory for --export\n');
    return 1;
  }
  if (args.updateLock && args.locked) throw new OsbuildError('E_USAGE', '--update-lock and --locked exclude each other');
  // Not root: what cannot work in a user namespace is refused before anything runs (rootless/).
  checkRootless(args, manifest, exports.map((e) => e.pipeline.name), io);
  // Stages with a resolver (osbuild.resolve) get their locked inputs now; ids stay those of the manifest as written.
  const locked = await lockManifest(manifest, registry, {
    manifestPath: args.manifest === '-' ? '-' : resolvePath(io.cwd, args.manifest),
    text,
    lockPath: args.lock,
    update: args.updateLock,
    locked: args.locked,
    offline: args.offline,
    log: (line) => {
      if (!args.quiet) io.stderr(`${line}\n`);
    },
  });
  // Not root: the build itself runs again as root of a user namespace.
  // The lock is current now (resolved as the user): the build does not resolve again. A manifest read from stdin is passed on.
  if (needsNamespace()) return await reexecInNamespace(argv.filter((a) => a !== '--update-lock'), args.monitorFd > 2 ? [args.monitorFd] : [], args.manifest === '-' ? text : undefined);
  const targets = exports.map((e) => ({ name: e.name, pipeline: e.pipeline.name }));
  // Stages that run another architecture's programs get qemu-user through binfmt_misc for this build only.
  const foreign = (locked?.entries ?? []).flatMap((e) => (e.architectures ?? []).map((arch) => ({ arch, where: `pipeline ${e.pipeline}, stage ${e.index + 1} (${e.type})` })));
  const registration = registerForeign(
    foreign.map((f) => f.arch),
    (arch) => foreign.find((f) => f.arch === arch)!.where,
  );
  const undo = () => unregister(registration);
  process.once('exit', undo);
  try {
    for (const note of registration.notes) if (!args.quiet) io.stderr(`${note}\n`);
    return await buildCommand(args, io, manifest, registry, targets, checkpoints, args.manifest);
  } finally {
    undo();
    process.removeListener('exit', undo);
  }
}
