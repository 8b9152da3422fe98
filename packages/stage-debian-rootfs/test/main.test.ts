// End to end with real mmdebstrap and .debs pinned against the host's mirror
// (fetched once into /var/cache/osbuild-ts/test-debs): in the real sandbox,
// and on the host in a network namespace of its own.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedInputs, type PinnedInput } from '@osbuild-ts/debian-pin/testing';
import { runStageLocally, runStageOffline, sandboxArguments, testdir } from '@osbuild-ts/plugin-kit/testing';
import { runInSandbox } from '@osbuild-ts/sandbox';
import { entry, installedInTree } from './helpers.js';

const packageDir = join(import.meta.dirname, '..');

describe('io.github.osbuild-ts.debian.rootfs', () => {
  let pinned: PinnedInput;
  beforeAll(async () => {
    pinned = await pinnedInputs({
      minbase: { suite: 'bookworm', variant: 'minbase', packages: ['systemd'] },
      essential: { suite: 'bookworm', variant: 'essential' },
    });
  });
  afterAll(() => rmSync(join(pinned.inputs.get('minbase')!.path, '..'), { recursive: true, force: true }));

  it('builds minbase + systemd in the sandbox (no network), exactly the pinned set', async () => {
    const input = pinned.inputs.get('minbase')!;
    const tree = testdir('sandbox');
    const output: string[] = [];
    const result = await runInSandbox({
      entry,
      packageDir,
      root: null,
      tree,
      inputs: [{ name: 'debs', hostPath: input.path }],
      arguments: sandboxArguments({
        options: { suite: 'bookworm', variant: 'minbase', packages: ['systemd'] },
        inputs: { debs: { files: input.files } },
        id: 'a'.repeat(64),
        sourceEpoch: 1700000000,
      }),
      env: { SOURCE_DATE_EPOCH: '1700000000' },
      onOutput: (line) => output.push(line),
      timeoutMs: 170_000,
    });
    expect(result.exitCode, output.join('\n')).toBe(0);
    expect(statSync(join(tree, 'usr/bin/dpkg')).isFile()).toBe(true);
    expect(statSync(join(tree, 'lib/systemd/systemd')).isFile()).toBe(true);
    // With a source epoch nothing is newer than it, whatever order dpkg unpacked in.
    expect(execFileSync('find', [tree, '-newermt', '@1700000000'], { encoding: 'utf8' })).toBe('');
    const pinnedNames = pinned.sets.get('minbase')!.packages.map((p) => p.name).sort();
    // The archive's priorities (from the pin metadata) select apt & co., as on the mirror.
    expect(installedInTree(tree)).toEqual(pinnedNames);
    const metadata = result.metadata as { packages: { name: string; version: string; source: string; checksum: string | null }[] };
    expect(metadata.packages.map((p) => p.name).sort()).toEqual(pinnedNames);
    // Each names the input's .deb it came from (what --sbom reports) and its source package.
    const given = new Set(Object.keys(input.files));
    expect(metadata.packages.filter((p) => p.checksum === null || !given.has(p.checksum)).map((p) => p.name)).toEqual([]);
    expect(metadata.packages.find((p) => p.name === 'libc6')?.source).toBe('glibc');
    expect(metadata.packages.find((p) => p.name === 'systemd')?.version).toBe(pinned.sets.get('minbase')!.packages.find((p) => p.name === 'systemd')!.version);
    // Nothing of the build is left: no sources entry for the local repository, no lists, no .debs.
    expect(existsSync(join(tree, 'etc/apt/sources.list'))).toBe(false);
    expect(readFileSync(join(tree, 'etc/machine-id'), 'utf8')).toBe('');
    expect(existsSync(join(tree, 'var/log/dpkg.log'))).toBe(false);
    const leftovers = ['var/cache/apt/archives', 'var/lib/apt/lists'].flatMap((d) => readdirSync(join(tree, d)));
    expect(leftovers.sort()).toEqual(['lock', 'lock', 'partial', 'partial']);
  });

  it('builds the essential variant on the host inside unshare --net, with apt absent', async () => {
    const input = pinned.inputs.get('essential')!;
    const tree = testdir('offline');
    const result = runStageOffline({ entry, tree, inputs: { debs: { path: input.path, data: { files: input.files } } }, options: { suite: 'bookworm', variant: 'essential' } });
    expect(result.interfaces).toEqual([]);
    expect(result.exitCode, result.output).toBe(0);
    expect(statSync(join(tree, 'usr/bin/dpkg')).isFile()).toBe(true);
    const installed = installedInTree(tree);
    expect(installed).toEqual(pinned.sets.get('essential')!.packages.map((p) => p.name).sort());
    expect(installed).not.toContain('apt');
    // The host's resolv.conf and hostname, which mmdebstrap copies in, are gone again.
    for (const file of ['etc/resolv.conf', 'etc/hostname']) {
      if (existsSync(join('/', file))) expect(existsSync(join(tree, file)), file).toBe(false);
    }
  });

  it('refuses a tree that is not empty, a missing input, and packages the input lacks', async () => {
    const input = pinned.inputs.get('essential')!;
    const full = testdir('full');
    mkdirSync(join(full, 'etc'));
    writeFileSync(join(full, 'etc/x'), '');
    const inputs = { debs: { path: input.path, data: { files: input.files } } };
    const notEmpty = await runStageLocally({ entry, tree: full, inputs, options: { suite: 'bookworm' } });
    expect(notEmpty.exitCode).toBe(1);
    expect(notEmpty.output).toContain('the tree is not empty (etc…): io.github.osbuild-ts.debian.rootfs must be the first stage of its pipeline');
    const noInput = await runStageLocally({ entry, tree: testdir('empty'), options: { suite: 'bookworm' } });
    expect(noInput.exitCode).toBe(1);
    expect(noInput.output).toContain('no input named "debs"');
    const lacking = await runStageLocally({ entry, tree: testdir('empty'), inputs, options: { suite: 'bookworm', packages: ['systemd', 'dpkg', 'vim'] } });
    expect(lacking.exitCode).toBe(1);
    expect(lacking.output).toContain('not in the input: systemd, vim (pin them into the input with osbuild-debian-pin)');
  });
});
