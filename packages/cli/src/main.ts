import {
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
  validationErrorDocument,
  type ValidationIssue,
} from '@osbuild-ts/core';
import { EarlyExit, parseArgs, type CliArgs } from './args.js';
import { buildCommand } from './build-command.js';
import { listPlugins } from './list-plugins.js';
import { readManifest } from './read-manifest.js';
import { renderError } from './render-error.js';

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
    if (argv[0] === 'store') return await (await import('./store-command.js')).storeCommand(argv.slice(1), io);
    return await runManifest(parseArgs(argv, io.cwd), io);
  } catch (error) {
    if (error instanceof EarlyExit) return error.status;
    if (isOsbuildError(error) && error.code === 'E_USAGE') {
      io.stderr(`usage: osbuild [options] MANIFEST\nosbuild: error: ${error.message}\n`);
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
async function runManifest(args: CliArgs, io: Io): Promise<number> {
  const { text, name } = readManifest(args.manifest);
  const doc = parsePyJson(text, name);
  try {
    detectVersion(doc);
  } catch (error) {
    if (isOsbuildError(error) && error.code === 'E_MANIFEST_FORMAT') {
      io.stdout('Unsupported manifest format\n');
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

  if (args.exports.length > 0 && !args.outputDirectory) {
    io.stdout('Need --output-directory for --export\n');
    return 1;
  }
  const targets = exports.map((e) => ({ name: e.name, pipeline: e.pipeline.name }));
  return buildCommand(args, io, manifest, registry, targets, checkpoints, args.manifest);
}
