/**
 * The rootfs stage's work, importable (`@osbuild-ts/stage-debian-rootfs/rootfs`)
 * by stages that build a Debian root file system the same way under another
 * name and options (`org.osbuild.debian.debootstrap`).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLocalRepo } from '@osbuild-ts/debian-pin/local-repo';
import { captureTool, runTool, writeMetadata, type StageArguments } from '@osbuild-ts/plugin-kit';
import { mmdebstrapArguments, type RootfsOptions } from './mmdebstrap-arguments.js';

export type { RootfsOptions } from './mmdebstrap-arguments.js';
import { removeBuildLeftovers } from './leftovers.js';
import { installedPackages } from './installed-packages.js';

/**
 * With a source epoch, no mtime in the tree is newer than it, as in
 * mmdebstrap's reproducible tarballs. Directories need it: mmdebstrap
 * extracts the essential packages in the order their downloads finished,
 * and a directory two packages share keeps the time of whichever came last
 * — the archive's, or the build's if the other added to it afterwards.
 */
function clampNewerThan(tree: string, epoch: number): void {
  runTool('find', [tree, '-newermt', `@${epoch}`, '-exec', 'touch', '--no-dereference', `--date=@${epoch}`, '{}', '+']);
}

export interface RootfsSettings {
  /** The stage's name, for messages. */
  stage: string;
  /** How the .debs get into the input, for the message when it is missing. */
  inputHint: string;
}

/** Builds the tree of `args` from its `debs` input with mmdebstrap; writes the stage metadata. */
export async function buildRootfs(
  args: StageArguments<unknown>,
  options: RootfsOptions,
  settings: RootfsSettings = { stage: 'io.github.osbuild-ts.debian.rootfs', inputHint: 'osbuild-debian-pin writes one' },
): Promise<void> {
  const input = args.inputs['debs'];
  if (!input) throw new Error(`no input named "debs": give the .debs as an org.osbuild.files input (${settings.inputHint})`);
  const present = readdirSync(args.tree).filter((name) => name !== 'lost+found');
  if (present.length > 0) {
    throw new Error(`the tree is not empty (${present.slice(0, 5).join(', ')}…): ${settings.stage} must be the first stage of its pipeline`);
  }
  const work = mkdtempSync(join(tmpdir(), 'debian-rootfs-'));
  try {
    const repo = await makeLocalRepo({
      inputDir: input.path,
      ...(input.data?.files ? { files: input.data.files } : {}),
      dir: join(work, 'repo'),
      suite: options.suite,
    });
    const architecture = options.architecture ?? captureTool('dpkg', ['--print-architecture']).trim();
    const argv = mmdebstrapArguments(options, repo, architecture, args.tree);
    process.stdout.write(`mmdebstrap ${argv.join(' ')}\n`);
    // mmdebstrap's own temporary files go with ours; SOURCE_DATE_EPOCH (if the
    // pipeline sets one) reaches it through the environment.
    runTool('mmdebstrap', argv, { env: { TMPDIR: work } });
    removeBuildLeftovers(args.tree, repo.sourcesLine);
    const epoch = args.meta['source-epoch'];
    if (epoch !== undefined) clampNewerThan(args.tree, epoch);
    writeMetadata({ packages: installedPackages(args.tree, repo.packages) });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
