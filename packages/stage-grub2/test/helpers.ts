import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { onTestFinished } from 'vitest';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

/** A temporary directory, removed when the test ends. */
export function testdir(prefix = 'grub2-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (path → content) under `root`, making directories. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Every regular file under `root`, relative, sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

/** A Debian-like tree: os-release (linked from /etc, as Debian does), BLS plugins that Debian never runs, kernels with initrds. */
export function debianTree(root: string, kernels = ['6.1.0-9-amd64', '6.1.0-56-amd64']): void {
  writeFiles(root, {
    'usr/lib/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    'usr/lib/kernel/install.d/90-loaderentry.install': '#!/bin/sh\n',
  });
  mkdirSync(join(root, 'etc'), { recursive: true });
  symlinkSync('../usr/lib/os-release', join(root, 'etc/os-release'));
  for (const version of kernels) {
    writeFiles(root, { [`boot/vmlinuz-${version}`]: 'kernel', [`boot/initrd.img-${version}`]: 'initrd', [`boot/config-${version}`]: '' });
  }
}
