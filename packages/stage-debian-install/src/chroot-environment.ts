import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '@osbuild-ts/plugin-kit';

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];
const POLICY = '#!/bin/sh\n# io.github.osbuild-ts.debian.install: no services start while packages are installed\nexit 101\n';

/**
 * Runs `body` with what maintainer scripts expect in the tree: /proc, /sys,
 * the basic device nodes, and a policy-rc.d that keeps services from
 * starting. Everything added is removed again, in reverse order, even when
 * `body` throws (the stage's mount namespace would drop the mounts anyway,
 * but a local run shares the host's).
 */
export function withChrootEnvironment(tree: string, body: () => void): void {
  const undo: (() => void)[] = [];
  try {
    for (const name of DEVICES) {
      const target = join(tree, 'dev', name);
      if (existsSync(target) || !existsSync(join('/dev', name))) continue;
      mkdirSync(join(tree, 'dev'), { recursive: true });
      closeSync(openSync(target, 'w'));
      undo.push(() => rmSync(target, { force: true }));
      runTool('mount', ['--bind', join('/dev', name), target]);
      undo.push(() => runTool('umount', [target]));
    }
    if (existsSync(join(tree, 'proc'))) {
      runTool('mount', ['-t', 'proc', 'proc', join(tree, 'proc')]);
      undo.push(() => runTool('umount', ['--lazy', join(tree, 'proc')]));
    }
    if (existsSync(join(tree, 'sys'))) {
      runTool('mount', ['--rbind', '-o', 'ro', '/sys', join(tree, 'sys')]);
      undo.push(() => runTool('umount', ['--lazy', '--recursive', join(tree, 'sys')]));
    }
    const policy = join(tree, 'usr/sbin/policy-rc.d');
    if (!existsSync(policy)) {
      writeFileSync(policy, POLICY);
      chmodSync(policy, 0o755);
      undo.push(() => rmSync(policy, { force: true }));
    }
    body();
  } finally {
    for (const step of undo.reverse()) step();
  }
}
