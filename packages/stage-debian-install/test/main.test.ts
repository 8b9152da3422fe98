// End to end: a Debian tree made by mmdebstrap (the essential set, pinned
// against the host's mirror and fetched once into the test cache), then
// further pinned .debs installed by the stage, in the sandbox and on the host
// inside `unshare --net`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLocalRepo } from '@osbuild-ts/debian-pin/local-repo';
import { pinnedInputs, type PinnedInput } from '@osbuild-ts/debian-pin/testing';
import { runStageLocally, runStageOffline, sandboxArguments } from '@osbuild-ts/plugin-kit/testing';
import { runInSandbox } from '@osbuild-ts/sandbox';
import { entry, mountsUnder, removeDir, statusInTree, tempDir } from './helpers.js';

const packageDir = join(import.meta.dirname, '..');

describe('io.github.osbuild-ts.debian.install', () => {
  let pinned: PinnedInput;
  let work: string;
  let tree: string;
  beforeAll(async () => {
    pinned = await pinnedInputs({
      base: { suite: 'bookworm', variant: 'essential' },
      extra: { suite: 'bookworm', packages: ['less', 'nano'], on: 'base' },
    });
    work = tempDir('work');
    tree = join(work, 'tree');
    const base = pinned.inputs.get('base')!;
    const repo = await makeLocalRepo({ inputDir: base.path, files: base.files, dir: join(work, 'repo'), suite: 'bookworm' });
    execFileSync('mmdebstrap', ['--quiet', '--mode=root', '--variant=essential', '--skip=check/signed-by', 'bookworm', tree, repo.sourcesLine], {
      stdio: 'inherit',
    });
  });
  afterAll(() => {
    if (work) removeDir(work);
    if (pinned) removeDir(join(pinned.inputs.get('base')!.path, '..'));
  });

  it('pins only what the tree lacks', () => {
    const names = pinned.sets.get('extra')!.packages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['less', 'nano']));
    expect(names).not.toContain('libc6');
  });

  it('installs the named package from the input in the sandbox (no network)', async () => {
    expect(statusInTree(tree).get('less')).toBeUndefined();
    const input = pinned.inputs.get('extra')!;
    const output: string[] = [];
    const result = await runInSandbox({
      entry,
      packageDir,
      root: null,
      tree,
      inputs: [{ name: 'debs', hostPath: input.path }],
      arguments: sandboxArguments({ options: { packages: ['less'] }, inputs: { debs: { files: input.files } }, id: 'b'.repeat(64) }),
      onOutput: (line) => output.push(line),
      timeoutMs: 120_000,
    });
    expect(result.exitCode, output.join('\n')).toBe(0);
    const status = statusInTree(tree);
    expect(status.get('less')).toBe('ii');
    expect(status.get('nano')).toBeUndefined();
    expect(statSync(join(tree, 'usr/bin/less')).isFile()).toBe(true);
    // less's postinst ran in the tree: its alternative is registered there.
    expect(existsSync(join(tree, 'etc/alternatives/pager'))).toBe(true);
    const metadata = result.metadata as { packages: { name: string; checksum: string | null }[] };
    expect(metadata.packages.map((p) => p.name)).toContain('less');
    // The .deb this stage installed is named by its checksum; packages of earlier stages are not this stage's to name.
    expect(metadata.packages.find((p) => p.name === 'less')?.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('installs every package of the input by default, on the host inside unshare --net, and leaves nothing behind', () => {
    const input = pinned.inputs.get('extra')!;
    const devices = readdirSync(join(tree, 'dev'));
    const result = runStageOffline({ entry, tree, inputs: { debs: { path: input.path, data: { files: input.files } } } });
    expect(result.interfaces).toEqual([]);
    expect(result.exitCode, result.output).toBe(0);
    const status = statusInTree(tree);
    for (const p of pinned.sets.get('extra')!.packages) expect(status.get(p.name), p.name).toBe('ii');
    expect(statSync(join(tree, 'usr/bin/nano')).isFile()).toBe(true);
    // No mounts, no policy-rc.d, no downloaded .debs, no logs that differ between builds.
    expect(mountsUnder(tree)).toEqual([]);
    expect(existsSync(join(tree, 'usr/sbin/policy-rc.d'))).toBe(false);
    expect(readdirSync(join(tree, 'var/cache/apt/archives')).filter((f) => f.endsWith('.deb'))).toEqual([]);
    expect(readdirSync(join(tree, 'dev'))).toEqual(devices);
    expect(existsSync(join(tree, 'var/log/dpkg.log'))).toBe(false);
    expect(existsSync(join(tree, 'var/log/apt/history.log'))).toBe(false);
  });

  it('refuses a tree without a dpkg database and packages the input lacks', async () => {
    const input = pinned.inputs.get('extra')!;
    const inputs = { debs: { path: input.path, data: { files: input.files } } };
    const empty = tempDir('empty');
    try {
      mkdirSync(join(empty, 'etc'));
      const noDpkg = await runStageLocally({ entry, tree: empty, inputs });
      expect(noDpkg.exitCode).toBe(1);
      expect(noDpkg.output).toContain('the tree has no dpkg database (var/lib/dpkg/status)');
    } finally {
      removeDir(empty);
    }
    const lacking = await runStageLocally({ entry, tree, inputs, options: { packages: ['vim'] } });
    expect(lacking.exitCode).toBe(1);
    expect(lacking.output).toContain('not in the input: vim');
  });
});
