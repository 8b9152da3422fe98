import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itMatchesEachDataCase, runOnCopy, unavailable, useTreeBefore } from './stage-cases.js';

const skip = unavailable([]);

describe.skipIf(skip !== null)(`org.osbuild.selinux.config${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('fails clearly on a tree without /etc/selinux/config', async () => {
    const { result, diff } = await runOnCopy(before(), { state: 'permissive' }, (tree) => rmSync(join(tree, 'etc/selinux'), { recursive: true, force: true }));
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('the tree has no /etc/selinux/config');
    expect(diff).toEqual({ added_files: [], deleted_files: [], differences: {} });
  });
});
