import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { LocalRunOptions, LocalRunResult } from '@osbuild-ts/plugin-kit/testing';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

/** A temporary directory, removed when the test ends. */
export function testdir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `debian-rootfs-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** runStageLocally in a fresh network namespace (`unshare --net`): nothing can be downloaded. */
export function runOffline(spec: LocalRunOptions): LocalRunResult & { interfaces: string[] } {
  const r = spawnSync('unshare', ['--net', '--', process.execPath, join(import.meta.dirname, 'fixtures', 'run-offline.mjs'), JSON.stringify(spec)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`unshare --net failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as LocalRunResult & { interfaces: string[] };
}

/** The packages dpkg inside the tree lists as installed. */
export function installedInTree(tree: string): string[] {
  return execFileSync('chroot', [tree, 'dpkg-query', '--show', '--showformat=${db:Status-Abbrev} ${Package}\\n'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('ii '))
    .map((line) => line.slice(4).trim())
    .sort();
}
