import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '../src/errors.js';
import { checkSandboxTools, checkTools, resolveInRoot } from '../src/tools.js';
import { tempDir } from './helpers.js';

async function fakeRoot(): Promise<string> {
  const root = await tempDir();
  await mkdir(path.join(root, 'usr/bin'), { recursive: true });
  await mkdir(path.join(root, 'usr/sbin'), { recursive: true });
  await mkdir(path.join(root, 'etc/alternatives'), { recursive: true });
  await writeFile(path.join(root, 'usr/bin/mke2fs.real'), '#!/bin/sh\n');
  await chmod(path.join(root, 'usr/bin/mke2fs.real'), 0o755);
  // Debian style: an absolute link through /etc/alternatives, valid only inside the root.
  await symlink('/etc/alternatives/mkfs.ext4', path.join(root, 'usr/sbin/mkfs.ext4'));
  await symlink('/usr/bin/mke2fs.real', path.join(root, 'etc/alternatives/mkfs.ext4'));
  await writeFile(path.join(root, 'usr/bin/not-executable'), '');
  return root;
}

describe('checkSandboxTools', () => {
  it('finds bubblewrap on this host', async () => {
    expect((await checkSandboxTools()).bwrap).toMatch(/\/bwrap$/);
  });

  it('names the package to install when bubblewrap is missing', async () => {
    const empty = await tempDir();
    const error = await checkSandboxTools({ path: empty }).catch((e: unknown) => e);
    expect(isOsbuildError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'E_TOOL_MISSING', hint: expect.stringContaining('apt-get install bubblewrap') });
    expect((error as Error).message).toContain('bwrap (package bubblewrap)');
  });
});

describe('checkTools', () => {
  it('accepts tools present in the build root, following its own absolute links', async () => {
    const root = await fakeRoot();
    await expect(checkTools([{ command: 'mkfs.ext4', package: 'e2fsprogs' }], root)).resolves.toBeUndefined();
    expect(await resolveInRoot(root, '/usr/sbin/mkfs.ext4')).toBe(path.join(root, 'usr/bin/mke2fs.real'));
  });

  it('reports every missing tool with its package before anything runs', async () => {
    const root = await fakeRoot();
    const error = await checkTools(
      [
        { command: 'mkfs.ext4', package: 'e2fsprogs' },
        { command: 'grub-mkimage', package: 'grub-common' },
        { command: 'not-executable', package: 'x' },
      ],
      root,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_TOOL_MISSING',
      details: { missing: [{ command: 'grub-mkimage', package: 'grub-common' }, { command: 'not-executable', package: 'x' }] },
    });
    expect((error as Error).message).toContain(`in the build root ${root}`);
    expect((error as { hint: string }).hint).toContain('grub-common');
  });

  it('is content with one of several alternative commands, and names them all when none is there', async () => {
    const root = await fakeRoot();
    await expect(checkTools([{ command: ['grub2-mkimage', 'mkfs.ext4'], package: 'e2fsprogs' }], root)).resolves.toBeUndefined();
    const error = await checkTools([{ command: ['grub2-mkimage', 'grub-mkimage'], package: 'grub-common' }], root).catch((e: unknown) => e);
    expect((error as Error).message).toContain('grub2-mkimage or grub-mkimage (package grub-common)');
  });

  it("looks in the host's /usr without a build root", async () => {
    await expect(checkTools([{ command: 'sh', package: 'dash' }], null)).resolves.toBeUndefined();
    await expect(checkTools([{ command: 'surely-not-a-tool', package: 'nothing' }], null)).rejects.toMatchObject({
      code: 'E_TOOL_MISSING',
      hint: expect.stringContaining('apt-get install nothing'),
    });
  });
});
