import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';
import { entry, itMatchesEachDataCase, runOnCopy, testdir, unavailable, useTreeBefore } from './stage-cases.js';

const skip = unavailable([]);

describe.skipIf(skip !== null)(`org.osbuild.kernel-cmdline${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('replaces an existing /etc/kernel/cmdline', async () => {
    const { result, after, diff } = await runOnCopy(before(), { kernel_opts: 'quiet' }, (tree) => {
      mkdirSync(join(tree, 'etc/kernel'), { recursive: true });
      writeFileSync(join(tree, 'etc/kernel/cmdline'), 'root=/dev/sda1 ro\n');
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(after, 'etc/kernel/cmdline'), 'utf8')).toBe('quiet');
    expect(Object.keys(diff.differences)).toEqual(['/etc/kernel/cmdline']);
  });
});

describe('org.osbuild.kernel-cmdline on an empty tree', () => {
  it('fails on a command line longer than kernel_cmdline_size, writing nothing', async () => {
    const tree = testdir('kernel-cmdline');
    const result = await runStageLocally({ entry, tree, options: { kernel_opts: 'x'.repeat(300), kernel_cmdline_size: 256 } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('300 characters long, more than the limit of 256');
    expect(() => readFileSync(join(tree, 'etc/kernel/cmdline'))).toThrow();
  });
});
