/**
 * The install stage's work, importable (`@osbuild-ts/stage-debian-install/install`)
 * by stages that add .debs to a Debian tree the same way under another name
 * and options (`org.osbuild.apt`).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLocalRepo } from '@osbuild-ts/debian-pin/local-repo';
import { installedDebs } from '@osbuild-ts/debian-pin/installed';
import { captureTool, runTool, writeMetadata, type StageArguments } from '@osbuild-ts/plugin-kit';
import { writeAptConfig } from './apt-config.js';
import { withChrootEnvironment } from './chroot-environment.js';
import { removeUnreproducible } from './unreproducible.js';

export interface InstallSettings {
  /** Package names to install; default: every package of the input. */
  packages?: string[];
  /** Names that may be missing from the input because the tree already has them (apt keeps them). */
  allowInstalled?: boolean;
  installRecommends?: boolean;
  /** apt configuration items (`Name` → value) for this install. */
  aptConfig?: Record<string, string>;
  /** The stage's name and how its input is made, for messages. */
  stage: string;
  inputHint: string;
  /**
   * Wraps the install: receives the tree and a function that runs apt (in
   * the chroot environment) with extra environment variables for dpkg and
   * the maintainer scripts. Default: runs it as it is.
   */
  around?: (tree: string, install: (env?: Record<string, string>) => void) => void;
}

export { withChrootEnvironment } from './chroot-environment.js';

/** /etc/machine-id's content, or null without one. */
function machineId(tree: string): string | null {
  try {
    return readFileSync(join(tree, 'etc/machine-id'), 'utf8');
  } catch {
    return null;
  }
}

function installedNames(admin: string): Set<string> {
  const text = captureTool('dpkg-query', [`--admindir=${admin}`, '--show', '--showformat=${db:Status-Status}\\t${Package}\\n']);
  return new Set(
    text
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((c) => c[0] === 'installed')
      .map((c) => c[1]!),
  );
}

/** Installs the `debs` input's packages (or `settings.packages`) into the tree with apt; writes the stage metadata. */
export async function installDebs(args: StageArguments<unknown>, settings: InstallSettings): Promise<void> {
  const input = args.inputs['debs'];
  if (!input) throw new Error(`no input named "debs": give the .debs as an org.osbuild.files input (${settings.inputHint})`);
  const tree = args.tree;
  const admin = join(tree, 'var/lib/dpkg');
  if (!existsSync(join(admin, 'status'))) {
    throw new Error(`the tree has no dpkg database (var/lib/dpkg/status): ${settings.stage} needs a Debian tree from an earlier stage`);
  }
  const work = mkdtempSync(join(tmpdir(), 'debian-install-'));
  try {
    const empty = readdirSync(input.path).length === 0;
    const repo = empty
      ? null
      : await makeLocalRepo({
          inputDir: input.path,
          ...(input.data?.files ? { files: input.data.files } : {}),
          dir: join(work, 'repo'),
          suite: 'local',
        });
    const available = new Set((repo?.packages ?? []).map((p) => p.name));
    const installed = settings.allowInstalled ? installedNames(admin) : new Set<string>();
    const missing = (settings.packages ?? []).filter((name) => !available.has(name) && !installed.has(name));
    if (missing.length > 0) throw new Error(`not in the input: ${missing.join(', ')} (${settings.inputHint})`);
    const names = settings.packages ?? [...available].sort();
    // Everything asked for is installed already (the lock pinned nothing new).
    if (repo !== null && names.length > 0) {
      const architecture = captureTool('dpkg-query', [`--admindir=${admin}`, '--show', '--showformat=${Architecture}', 'dpkg']).trim();
      const env = {
        APT_CONFIG: writeAptConfig({
          tree,
          work,
          sourcesLine: repo.sourcesLine,
          architecture,
          installRecommends: settings.installRecommends ?? false,
          extra: settings.aptConfig ?? {},
        }),
        DEBIAN_FRONTEND: 'noninteractive',
        DEBCONF_NONINTERACTIVE_SEEN: 'true',
      };
      const idBefore = machineId(tree);
      // apt runs here (the build root's), dpkg and the maintainer scripts in the tree.
      const install = (extra: Record<string, string> = {}) =>
        withChrootEnvironment(tree, () => {
          runTool('apt-get', ['-q', 'update'], { env });
          runTool('apt-get', ['-q', '--yes', 'install', ...names], { env: { ...env, ...extra } });
        });
      if (settings.around) settings.around(tree, install);
      else install();
      runTool('apt-get', ['-q', 'clean'], { env });
      removeUnreproducible(tree);
      // systemd's postinst makes a random machine id where there was none: the
      // image would carry it to every machine, and no two builds would match.
      // Empty, as mmdebstrap leaves it, systemd makes one at first boot.
      const idAfter = machineId(tree);
      if (idAfter !== null && idAfter.trim() !== '' && (idBefore === null || idBefore.trim() === '')) writeFileSync(join(tree, 'etc/machine-id'), '');
    }
    // Every installed package, with the checksum of the .deb where this stage's input had it (--sbom reads them).
    writeMetadata({ packages: installedDebs(tree, repo?.packages ?? []) });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
