#!/usr/bin/env node
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLocalRepo } from '@osbuild-ts/debian-pin/local-repo';
import { captureTool, runStage, runTool, writeMetadata } from '@osbuild-ts/plugin-kit';
import { writeAptConfig } from './apt-config.js';
import { withChrootEnvironment } from './chroot-environment.js';
import { removeUnreproducible } from './unreproducible.js';

interface InstallOptions {
  packages?: string[];
}

await runStage<InstallOptions>(async (args) => {
  const input = args.inputs['debs'];
  if (!input) throw new Error('no input named "debs": give the .debs as an org.osbuild.files input (osbuild-debian-pin writes one)');
  const tree = args.tree;
  const admin = join(tree, 'var/lib/dpkg');
  if (!existsSync(join(admin, 'status'))) {
    throw new Error('the tree has no dpkg database (var/lib/dpkg/status): build it with io.github.osbuild-ts.debian.rootfs first');
  }
  const work = mkdtempSync(join(tmpdir(), 'debian-install-'));
  try {
    const repo = await makeLocalRepo({
      inputDir: input.path,
      ...(input.data?.files ? { files: input.data.files } : {}),
      dir: join(work, 'repo'),
      suite: 'local',
    });
    const available = new Set(repo.packages.map((p) => p.name));
    const missing = (args.options.packages ?? []).filter((name) => !available.has(name));
    if (missing.length > 0) throw new Error(`not in the input: ${missing.join(', ')} (pin them into the input with osbuild-debian-pin)`);
    const names = args.options.packages ?? [...available].sort();
    const architecture = captureTool('dpkg-query', [`--admindir=${admin}`, '--show', '--showformat=${Architecture}', 'dpkg']).trim();
    const env = {
      APT_CONFIG: writeAptConfig({ tree, work, sourcesLine: repo.sourcesLine, architecture }),
      DEBIAN_FRONTEND: 'noninteractive',
      DEBCONF_NONINTERACTIVE_SEEN: 'true',
    };
    // apt runs here (the build root's), dpkg and the maintainer scripts in the tree.
    withChrootEnvironment(tree, () => {
      runTool('apt-get', ['-q', 'update'], { env });
      runTool('apt-get', ['-q', '--yes', 'install', ...names], { env });
    });
    runTool('apt-get', ['-q', 'clean'], { env });
    removeUnreproducible(tree);
    const installed = captureTool('dpkg-query', [`--admindir=${admin}`, '--show', '--showformat=${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n']);
    writeMetadata({
      packages: installed
        .split('\n')
        .map((line) => line.split('\t'))
        .filter((cells) => cells[0] === 'installed')
        .map(([, name = '', version = '', arch = '']) => ({ name, version, architecture: arch })),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
