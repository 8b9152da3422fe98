import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootBinds } from '../src/root-binds.js';
import { tempDir } from './helpers.js';

describe('rootBinds', () => {
  it("without a build root: the host's /usr and /etc/containers only", async () => {
    expect(await rootBinds(null)).toEqual({ usr: '/usr', boot: null, tryBinds: [{ source: '/etc/containers', dest: '/etc/containers' }] });
  });

  it("with one: its /usr, its /boot when that is a real directory, and its optional config", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'usr'));
    expect((await rootBinds(root)).boot).toBeNull();
    await symlink('usr', path.join(root, 'boot'));
    expect((await rootBinds(root)).boot).toBeNull();
    const other = await tempDir();
    await mkdir(path.join(other, 'usr'));
    await mkdir(path.join(other, 'boot'));
    const binds = await rootBinds(other);
    expect(binds).toMatchObject({ usr: path.join(other, 'usr'), boot: path.join(other, 'boot') });
    expect(binds.tryBinds.map((bind) => bind.dest)).toEqual(['/etc/mke2fs.conf', '/etc/containers', '/ostree', '/etc/selinux']);
  });

  it('refuses a build root without /usr', async () => {
    await expect(rootBinds(await tempDir())).rejects.toMatchObject({ code: 'E_SANDBOX', message: expect.stringContaining('no /usr') });
  });
});
