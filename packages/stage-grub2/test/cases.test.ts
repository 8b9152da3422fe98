import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataCases, runOnCopy, unavailable, useTreeBefore } from './stage-cases.js';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';

const skip = skipReason(unavailable([]));

/** Debian's kernel package leaves these in /boot; the tree for stage tests has none, so each case adds them first. */
function addKernels(tree: string): void {
  for (const version of ['6.1.0-9-amd64', '6.1.0-56-amd64']) {
    writeFileSync(join(tree, 'boot', `vmlinuz-${version}`), `kernel ${version}\n`);
    writeFileSync(join(tree, 'boot', `initrd.img-${version}`), `initrd ${version}\n`);
  }
}

describe.skipIf(skip !== null)(`org.osbuild.grub2 on a Debian tree${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  for (const c of dataCases()) {
    it(`${c.name}: changes the tree as test/data/${c.name}/diff.json says`, async () => {
      const { result, diff, after } = await runOnCopy(before(), c.options, addKernels);
      expect(result.exitCode, result.output).toBe(0);
      expect(result.output).toContain('Debian-style grub.cfg');
      c.check(diff);
      // tree-diff says which files were added; their content is in expected/.
      for (const file of diff.added_files.filter((f) => f !== '/boot/grub')) {
        const expected = join(import.meta.dirname, 'data', c.name, 'expected', file);
        if (process.env.UPDATE_TREE_DIFFS) {
          mkdirSync(dirname(expected), { recursive: true });
          writeFileSync(expected, readFileSync(join(after, file)));
        }
        expect(existsSync(expected), expected).toBe(true);
        expect(readFileSync(join(after, file), 'utf8'), file).toBe(readFileSync(expected, 'utf8'));
      }
    });
  }
});
