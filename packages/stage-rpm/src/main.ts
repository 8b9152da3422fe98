#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureTool, runStage, runTool, writeMetadata } from '@osbuild-ts/plugin-kit';
import { installArguments, scriptletEnvironment, type RpmOptions } from './options.js';
import { installedPackages } from './package-metadata.js';
import { checkSignatures } from './signatures.js';
import { withApiFilesystems, withDracutDisabled, withMachineId, withOstreeBooted } from './tree-environment.js';

await runStage<RpmOptions>((args) => {
  const { tree, options } = args;
  const input = args.inputs['packages'];
  if (!input) throw new Error('no input named "packages": give the RPMs as an org.osbuild.files input (v1 manifests: options.packages)');
  const packages = input.data?.files ?? {};
  const dir = input.path;

  const rpmArgs = options.dbpath ? ['--dbpath', options.dbpath] : defaultDbpath();
  const env = scriptletEnvironment(options);
  const rpmkeys = options.rpmkeys?.bin_path ?? 'rpmkeys';
  const work = mkdtempSync(join(tmpdir(), 'rpm-stage-'));
  try {
    importKeys(rpmkeys, rpmArgs, tree, options.gpgkeys ?? [], work, options.rpmkeys?.ignore_import_failures ?? false);

    const checked = Object.entries(packages).filter(([, meta]) => Boolean(meta['rpm.check_gpg']));
    checkSignatures(
      rpmkeys,
      rpmArgs,
      tree,
      dir,
      checked.map(([file, meta]) => ({ file, describe: () => describePackage(dir, file, meta) })),
    );

    withApiFilesystems(tree, () =>
      withMachineId(tree, () =>
        withOstreeBooted(tree, options.ostree_booted ?? false, () => {
          withDracutDisabled(tree, options.disable_dracut ?? false, () => {
            // A manifest file: rpm reads the list from it, so no argument list grows with the package count.
            const list = join(work, 'manifest');
            writeFileSync(list, Object.keys(packages).map((file) => `${file}\n`).join(''));
            // Digests and signatures were checked above where asked; rpm is not to check them again.
            runTool('rpm', ['--verbose', ...rpmArgs, '--root', tree, ...installArguments(options), '--nosignature', '--install', list], { cwd: dir, env });
            for (const key of options['gpgkeys.fromtree'] ?? []) {
              runTool(rpmkeys, [...rpmArgs, '--root', tree, '--import', join(tree, key.replace(/^\/+/, ''))]);
              console.log(`imported gpg keys from '${key}'`);
            }
          });
        }),
      ),
    );
    rmSync(join(tree, 'var/lib/systemd/random-seed'), { force: true });
    writeMetadata({ packages: installedPackages(tree, rpmArgs) });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

/**
 * The build root's rpm database path, unless it is a per-user one: Debian's
 * rpm keeps its database in `~/.rpmdb`, which inside a tree means nothing to
 * the system that boots from it (and in the sandbox there is no home).
 * There the conventional `/var/lib/rpm` is used instead, and said.
 */
function defaultDbpath(): string[] {
  const configured = captureTool('rpm', ['--eval', '%{_dbpath}']).trim();
  if (configured.startsWith('/') && !configured.includes('/.rpmdb')) return [];
  console.log(`the build root's rpm keeps its database in '${configured}' (a per-user path); using '/var/lib/rpm' (set options.dbpath to choose)`);
  return ['--dbpath', '/var/lib/rpm'];
}

function importKeys(rpmkeys: string, rpmArgs: string[], tree: string, keys: string[], work: string, ignoreFailures: boolean): void {
  keys.forEach((key, i) => {
    const file = join(work, `gpgkey.${i}`);
    writeFileSync(file, key);
    const r = spawnSync(rpmkeys, [...rpmArgs, '--root', tree, '--import', file], { stdio: 'inherit' });
    if (r.error) throw new Error(`${rpmkeys}: ${r.error.message}`);
    if (r.status === 0) console.log('all gpg keys imported successfully');
    else if (ignoreFailures) console.log(`failed to import ${r.status} keys, ignoring them`);
    else throw new Error(`options.gpgkeys[${i}]: ${rpmkeys} --import failed (exit status ${r.status}); set options.rpmkeys.ignore_import_failures to go on without it`);
  });
}

/** A package for messages: its NEVRA (from the reference's metadata or the file's header) and its checksum. */
function describePackage(dir: string, file: string, meta: Record<string, unknown>): string {
  let nevra = typeof meta['rpm.nevra'] === 'string' ? meta['rpm.nevra'] : '';
  if (!nevra) {
    const r = spawnSync('rpm', ['-qp', '--nosignature', '--nodigest', '--qf', '%{NAME}-%{EVR}.%{ARCH}', '--', file], { cwd: dir, encoding: 'utf8' });
    if (r.status === 0) nevra = r.stdout.trim();
  }
  return nevra ? `${nevra} (${file})` : file;
}
