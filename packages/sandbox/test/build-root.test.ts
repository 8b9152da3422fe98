import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTools } from '../src/tools.js';
import { runInSandbox } from '../src/run.js';
import { PROBE, probeArgs, reports, tempDir } from './helpers.js';

/**
 * A Debian minbase tree made with mmdebstrap from the host's own apt sources
 * (no mirror is named here), cached across test runs under a key of
 * everything that shapes it. Cold: about a minute.
 */
const SUITE = /^VERSION_CODENAME=(\S+)$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'bookworm';
const PACKAGES: string[] = []; // minbase as is: no Node in it
const SOURCES = [
  '/etc/apt/sources.list',
  ...(existsSync('/etc/apt/sources.list.d') ? readdirSync('/etc/apt/sources.list.d').map((name) => path.join('/etc/apt/sources.list.d', name)) : []),
].filter((file) => /\.(list|sources)$/.test(file) && existsSync(file) && readFileSync(file, 'utf8').trim() !== '');

const cacheRoot = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'osbuild-ts', 'buildroots');
const key = createHash('sha256')
  .update(JSON.stringify({ SUITE, variant: 'minbase', arch: process.arch, PACKAGES, sources: SOURCES.map((file) => readFileSync(file, 'utf8')) }))
  .digest('hex')
  .slice(0, 16);
const buildRoot = path.join(cacheRoot, `debian-${SUITE}-minbase-${key}`);

async function ensureBuildRoot(): Promise<void> {
  if (existsSync(path.join(buildRoot, 'usr/bin/dpkg'))) return;
  await mkdir(cacheRoot, { recursive: true });
  const partial = `${buildRoot}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  const include = PACKAGES.length > 0 ? [`--include=${PACKAGES.join(',')}`] : [];
  // Each host sources file becomes the tree's sources.list: the host's mirror, named nowhere in this repo.
  await execa('mmdebstrap', ['--variant=minbase', '--mode=root', '--format=directory', ...include, SUITE, partial, ...SOURCES]);
  await rename(partial, buildRoot); // atomic: an interrupted run never leaves a half tree under the final name
}

describe('a stage with a Debian build root that has no Node', () => {
  beforeAll(ensureBuildRoot, 600_000);

  it('runs on the host Node through the bound loader, with the build root tools', async () => {
    expect(existsSync(path.join(buildRoot, 'usr/bin/node'))).toBe(false);
    await checkTools([{ command: 'dpkg', package: 'dpkg' }, { command: 'mkfs.ext4', package: 'e2fsprogs' }, { command: 'qemu-img', package: 'qemu-utils' }], buildRoot).then(
      () => expect.fail('minbase has no qemu-img'),
      (error: unknown) => expect(error).toMatchObject({ code: 'E_TOOL_MISSING', details: { missing: [{ command: 'qemu-img', package: 'qemu-utils' }] } }),
    );
    const lines: string[] = [];
    const result = await runInSandbox({
      ...PROBE,
      root: buildRoot,
      tree: await tempDir(),
      tempDir: await tempDir(),
      arguments: probeArgs([
        { do: 'exists', paths: ['/usr/bin/node', '/usr/bin/dpkg', '/usr/bin/apt-get'] },
        { do: 'process' },
        { do: 'exec', command: 'dpkg', args: ['--print-architecture'] },
        { do: 'exec', command: 'cat', args: ['/usr/lib/os-release'] },
        { do: 'write', paths: ['/usr/x', '/run/osbuild/tree/x'] },
      ]),
      onOutput: (line) => lines.push(line),
    });
    expect(result.exitCode, lines.join('\n')).toBe(0);
    const seen = reports(lines);
    expect(seen.exists).toEqual({ '/usr/bin/node': false, '/usr/bin/dpkg': true, '/usr/bin/apt-get': true });
    expect((seen.process as { execPath: string }).execPath).toMatch(/^\/run\/osbuild\/node\/lib\/ld-linux/);
    expect(seen.exec).toMatchObject({ ok: true, value: expect.stringContaining(`VERSION_CODENAME=${SUITE}`) });
    expect(seen.write).toEqual({ '/usr/x': 'EROFS', '/run/osbuild/tree/x': true });
  });
});
