import { mkdtempSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

function tree(): string {
  return mkdtempSync(join(tmpdir(), 'mkdir-tree-'));
}

describe('org.osbuild.mkdir', () => {
  it('creates directories with their mode, parents when asked', async () => {
    const root = tree();
    const result = await runStageLocally({
      entry,
      tree: root,
      options: { paths: [{ path: '/srv/www', mode: 0o750, parents: true }, { path: 'tree:///opt', mode: 0o700 }] },
    });
    expect(result.exitCode).toBe(0);
    expect(statSync(join(root, 'srv/www')).mode & 0o777).toBe(0o750 & ~process.umask());
    expect(statSync(join(root, 'opt')).isDirectory()).toBe(true);
  });

  it('fails on an existing directory unless exist_ok, and without parents', async () => {
    const root = tree();
    mkdirSync(join(root, 'etc'));
    const exists = await runStageLocally({ entry, tree: root, options: { paths: [{ path: '/etc' }] } });
    expect(exists.exitCode).toBe(1);
    expect(exists.output).toContain('/etc: already exists');
    const ok = await runStageLocally({ entry, tree: root, options: { paths: [{ path: '/etc', exist_ok: true }] } });
    expect(ok.exitCode).toBe(0);
    const noParent = await runStageLocally({ entry, tree: root, options: { paths: [{ path: '/a/b' }] } });
    expect(noParent.exitCode).toBe(1);
    expect(noParent.output).toContain('parent directory does not exist');
  });

  it('accepts relative paths with a warning, as osbuild does', async () => {
    const root = tree();
    const result = await runStageLocally({ entry, tree: root, options: { paths: [{ path: 'var/lib/x', parents: true }] } });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('WARNING: relative path');
    expect(statSync(join(root, 'var/lib/x')).isDirectory()).toBe(true);
  });

  it('refuses a path that climbs out of the tree', async () => {
    const root = tree();
    const result = await runStageLocally({ entry, tree: root, options: { paths: [{ path: 'mount://nope/x' }] } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('no mount named "nope"');
  });
});
